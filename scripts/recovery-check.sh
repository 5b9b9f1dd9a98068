#!/usr/bin/env bash
# Issue 8's checks from outside ("members come back"): a three-server ZooKeeper ensemble (separate JVMs), three
# sidecars and three demo apps from the jars (group catalog), writes through POST /v1/entries/batch.
#
#   a  a follower stopped while 3,000 writes land catches up: its app holds every item;
#   b  a follower restarted with 37 random bytes appended to its largest data file rejoins the ISR and converges;
#   c  a fourth member with an empty data dir joins while writes go on, enters the ISR and its app gets every item;
#   d  a demo app killed and restarted with empty memory gets all its items back, with no new writes;
#   f  `backup --api URL --out DIR` of the group, the group stopped (lost), `restore --config FILE --from DIR` into
#      one member of a new group (restored) whose other two start empty: all three new apps hold every item the
#      backup covers;
#   e  a new group (bounded) with `log: { segmentBytes: 1048576, retainBytes: 4194304 }`: a follower stopped, then
#      30,000 writes of 1 KiB (to 1,000 items, each written 30 times); every member's data dir stays under 16 MiB,
#      and the stopped member comes back and converges (with the log trimmed, through a snapshot).
#
# Usage: scripts/recovery-check.sh [--only a,b,c,d,e,f]   (default: all, in the order a b c d f e)
# Prints the figures; exits 0 when every check that ran passed. Work dir: .recovery/ under the repository root.
set -euo pipefail

# shellcheck source=lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

SESSION_MS=4000
US_PORT_OFFSET=400 # ZooKeeper 2581.., APIs 7401.., peers 7501.., apps 8401..
ONLY="a,b,c,d,e,f"
while (($#)); do
    case "$1" in
        --only) ONLY="${2:?--only needs a list such as a,b,c,d}"; shift 2 ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
[[ "$ONLY" =~ ^[a-f](,[a-f])*$ ]] || { echo "--only takes letters a to f separated by commas, got '$ONLY'" >&2; exit 2; }
selected() { [[ ",$ONLY," == *",$1,"* ]]; }

need_tools
us_init "$US_ROOT/.recovery"
CLIENT_LOG="$US_WORK/logs/client.log"
ACKS="$US_WORK/acknowledged.jsonl"
: >"$ACKS"
trap 'rc=$?; trap - EXIT; stop_all; exit "$rc"' EXIT
trap 'exit 130' INT TERM

FIGURES=()
figure() { FIGURES+=("$(printf '%-4s %s' "$1" "$2")"); }

api_url() { echo "http://127.0.0.1:${API_PORT[$1]}"; }
leader_index() { member_index "$(status_field "${API_PORT[$1]}" 'p["leader"]')"; }
isr_of() { status_field "${API_PORT[$1]}" 'p["isr"]'; }

# start_member INDEX: node-INDEX+1 with its demo app app-INDEX+1, in the group US_GROUP (config written here).
start_member() {
    local i="$1"
    MEMBERS[$i]="node-$((i + 1))"
    [[ -n "${API_PORT[$i]:-}" ]] || add_member_ports "$i"
    write_sidecar_yaml "$US_WORK/conf/${MEMBERS[$i]}.yaml" "${MEMBERS[$i]}" "$CONNECT" \
        "${API_PORT[$i]}" "${PEER_PORT[$i]}" "${APP_PORT[$i]}" "$GROUP_TOKEN" "$SESSION_MS"
    start_sidecar "${MEMBERS[$i]}"
    start_app "app-$((i + 1))" "${APP_PORT[$i]}" "${API_PORT[$i]}"
}

# in_isr SECONDS ISR_SIZE INDEX...: waits until each given member sees a leader and an ISR of ISR_SIZE.
in_isr() {
    local seconds="$1" size="$2" i
    shift 2
    for i in "$@"; do
        wait_up "$seconds" "${MEMBERS[$i]}" -- settled "${API_PORT[$i]}" "$size" || return 1
    done
}

# converged WHAT ACKS MIN_INDEX INDEX...: every given app holds every acknowledged item of ACKS (GET /items waits
# until MIN_INDEX is applied); one ✓ or ✗ line. Retries for up to 60 s (an app still receiving a long catch-up).
converged() {
    local what="$1" acks="$2" min="$3" verdict t
    shift 3
    t="$(now_ms)"
    if wait_for 60 check_items "$acks" "$min" $(app_urls "$@"); then
        verdict="$(check_items "$acks" "$min" $(app_urls "$@"))"
        ok "$what: $(app_names "$@"): $verdict (checked within $(since "$t") s)"
    else
        bad "$what: $(check_items "$acks" "$min" $(app_urls "$@") || true)"
        return 1
    fi
}

# stop_follower INDEX LEADER_INDEX: SIGTERM to a follower's sidecar, then waits until the leader's ISR has dropped it.
stop_follower() {
    local f="$1" l="$2" size
    size="$(status_field "${API_PORT[$l]}" 'len(p["isr"])')"
    stop_procs "${MEMBERS[$f]}"
    wait_for 30 settled "${API_PORT[$l]}" $((size - 1)) ||
        bad "the leader ${MEMBERS[$l]} still lists ${MEMBERS[$f]} in its ISR [$(isr_of "$l")] 30 s after it stopped"
}

# ---- the group ----------------------------------------------------------------------------------------------
echo "Understudy recovery check ($ONLY): 3 ZooKeeper servers, sidecars and demo apps from the jars (work dir $US_WORK)"
ensure_jars
step_start_ensemble
pick_member_ports
MAIN_UP=0
if selected a || selected b || selected c || selected d || selected f; then
    step_start_members "$CONNECT"
    MAIN_UP=1
    if write_batch "$ACKS" base 1 300 128 "$(api_url 0)" "$(api_url 1)" "$(api_url 2)"; then
        ok "wrote 300 items (base-1..300) through POST /v1/entries/batch on all three members; last index $BATCH_LAST ($BATCH_S s)"
    else
        bad "the first 300 writes: $BATCH_FAILED of 300 failed (client log $CLIENT_LOG)"
    fi
fi

# ---- a. a follower stopped while 3,000 writes land ----------------------------------------------------------
if selected a; then
    echo "a. a follower stopped while 3,000 writes land"
    L="$(leader_index 0)"
    F=$(((L + 1) % 3)) O=$(((L + 2) % 3))
    stop_follower "$F" "$L"
    info "stopped ${MEMBERS[$F]} (SIGTERM); the leader ${MEMBERS[$L]} commits with ISR [$(isr_of "$L")]"
    if write_batch "$ACKS" a 1 3000 128 "$(api_url "$L")" "$(api_url "$O")"; then
        ok "3,000 writes acknowledged while ${MEMBERS[$F]} was down ($BATCH_S s); last index $BATCH_LAST"
    else
        bad "$BATCH_FAILED of 3,000 writes failed while ${MEMBERS[$F]} was down (client log $CLIENT_LOG)"
    fi
    t="$(now_ms)"
    start_sidecar "${MEMBERS[$F]}"
    if in_isr 90 3 "$F" "$L"; then
        back="$(since "$t")"
        ok "${MEMBERS[$F]} restarted, back in the ISR [$(isr_of "$L")] $back s after its start"
        converged "a. ${MEMBERS[$F]} caught up" "$ACKS" "$BATCH_LAST" 0 1 2 &&
            figure a "${MEMBERS[$F]} 3,000 entries behind: back in the ISR $back s after its start, app-$((F + 1)) whole $(since "$t") s after it"
    else
        bad "a. ${MEMBERS[$F]} not back in the ISR within 90 s of its restart"
        tail_logs "${MEMBERS[$F]}" "${MEMBERS[$L]}"
    fi
fi

# ---- b. a follower restarted with garbage at the end of its largest data file ------------------------------
if selected b; then
    echo "b. a follower restarted with 37 random bytes appended to its largest data file"
    L="$(leader_index 0)"
    F=$(((L + 2) % 3))
    stop_follower "$F" "$L"
    info "stopped ${MEMBERS[$F]}, appended 37 random bytes to $(append_garbage "${MEMBERS[$F]}")"
    t="$(now_ms)"
    start_sidecar "${MEMBERS[$F]}"
    if in_isr 90 3 "$F" "$L"; then
        back="$(since "$t")"
        ok "${MEMBERS[$F]} rejoined the ISR [$(isr_of "$L")] $back s after its start"
        if write_batch "$ACKS" b 1 300 128 "$(api_url "$F")"; then
            ok "300 more writes through ${MEMBERS[$F]}'s API acknowledged ($BATCH_S s); last index $BATCH_LAST"
        else
            bad "$BATCH_FAILED of 300 writes through ${MEMBERS[$F]} failed (client log $CLIENT_LOG)"
        fi
        converged "b. the group converged" "$ACKS" "$(last_index "$ACKS")" 0 1 2 &&
            figure b "${MEMBERS[$F]} with a torn tail: back in the ISR $back s after its start, then converged"
    else
        bad "b. ${MEMBERS[$F]} did not rejoin the ISR within 90 s of its restart"
        tail_logs "${MEMBERS[$F]}" "${MEMBERS[$L]}"
    fi
fi

# ---- c. a fourth member with an empty data dir joins -------------------------------------------------------
if selected c; then
    echo "c. a fourth member with an empty data dir joins while writes go on"
    L="$(leader_index 0)"
    t="$(now_ms)"
    start_member 3
    info "started node-4 (empty data dir) and app-4; writing 2,000 more items meanwhile"
    write_batch "$ACKS" c 1 2000 128 "$(api_url "$L")" >"$US_WORK/logs/c-writer.out" 2>&1 &
    writer=$!
    if in_isr 120 4 3 "$L"; then
        joined="$(since "$t")"
        ok "node-4 entered the ISR [$(isr_of "$L")] $joined s after its start"
    else
        joined=""
        bad "c. node-4 not in the ISR within 120 s (ISR [$(isr_of "$L")])"
        tail_logs node-4 "${MEMBERS[$L]}"
    fi
    if wait "$writer"; then
        ok "2,000 writes during the join acknowledged"
    else
        bad "writes during the join failed (client log $CLIENT_LOG)"
    fi
    if [[ -n "$joined" ]] && converged "c. node-4's app got everything" "$ACKS" "$(last_index "$ACKS")" 0 1 2 3; then
        figure c "node-4 joined empty $(last_index "$ACKS") entries behind: in the ISR after $joined s, app-4 whole $(since "$t") s after its start"
    fi
fi

# ---- d. a demo app restarted with empty memory -------------------------------------------------------------
if selected d; then
    echo "d. a demo app killed and restarted with empty memory"
    F=$((($(leader_index 0) + 1) % 3))
    step_restart_app "$F"
    [[ -n "$APP_BACK_S" ]] && figure d "app-$((F + 1)) restarted empty: every item ($(acknowledged_count)) back $APP_BACK_S s after its start"
fi

# ---- f. backup, lose the group, restore into a new group ---------------------------------------------------
if selected f; then
    echo "f. backup, the group lost, restore into a new group"
    L="$(leader_index 0)"
    BACKUP="$US_WORK/backup"
    t="$(now_ms)"
    if java "${US_JAVA_OPTS[@]}" -jar "$US_SIDECAR_JAR" backup --api "$(api_url "$L")" --out "$BACKUP" --json \
        >"$US_WORK/logs/backup.out" 2>&1; then
        # the index covered: the highest of the snapshot's index and the log's toIndex in manifest.json
        COVERED="$(python3 - "$BACKUP/manifest.json" <<'PY'
import json, sys
def walk(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "snapshot" and isinstance(v, dict):
                yield v.get("index", 0)
            elif k == "log" and isinstance(v, dict):
                yield v.get("toIndex", 0)
            else:
                yield from walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from walk(v)
print(max(walk(json.load(open(sys.argv[1]))), default=0))
PY
        )" || COVERED=0
        ok "backup --api $(api_url "$L") --out ${BACKUP#"$US_WORK/"}: $(du -sh "$BACKUP" | cut -f1) covering index $COVERED ($(since "$t") s)"
    else
        COVERED=""
        bad "f. backup failed: $(tail -n 3 "$US_WORK/logs/backup.out" | tr '\n' ' ')"
    fi
    # the group is lost: every app and sidecar stopped; a new group on the same ensemble
    stop_procs app-1 app-2 app-3 app-4 node-1 node-2 node-3 node-4
    MAIN_UP=0
    if [[ -n "$COVERED" && "$COVERED" -gt 0 ]]; then
        python3 -c '
import json, sys
for line in open(sys.argv[1]):
    if json.loads(line)["index"] <= int(sys.argv[2]):
        print(line, end="")' "$ACKS" "$COVERED" >"$US_WORK/acknowledged-in-backup.jsonl"
        GROUP_TOKEN="$(random_token)"
        export US_GROUP=restored
        MEMBERS[7]=node-8
        add_member_ports 7
        write_sidecar_yaml "$US_WORK/conf/node-8.yaml" node-8 "$CONNECT" "${API_PORT[7]}" "${PEER_PORT[7]}" \
            "${APP_PORT[7]}" "$GROUP_TOKEN" "$SESSION_MS"
        t="$(now_ms)"
        if java "${US_JAVA_OPTS[@]}" -jar "$US_SIDECAR_JAR" restore --config "$US_WORK/conf/node-8.yaml" \
            --from "$BACKUP" --json >"$US_WORK/logs/restore.out" 2>&1; then
            ok "restore --config conf/node-8.yaml --from ${BACKUP#"$US_WORK/"} into node-8 of group restored ($(since "$t") s)"
            start_member 7
            start_member 8
            start_member 9
            if in_isr 120 3 7 8 9; then
                ok "group restored: leader $(status_field "${API_PORT[7]}" 'p["leader"]'), ISR [$(isr_of 7)] $(since "$t") s after the restore"
                converged "f. every item the backup covers, on the new group's apps" \
                    "$US_WORK/acknowledged-in-backup.jsonl" "$COVERED" 7 8 9 &&
                    figure f "backup covering index $COVERED ($(wc -l <"$US_WORK/acknowledged-in-backup.jsonl") acknowledged writes) restored into a new group of 3: all there $(since "$t") s after the restore"
            else
                bad "f. the restored group did not reach an ISR of 3 within 120 s"
                tail_logs node-8 node-9 node-10
            fi
        else
            bad "f. restore failed: $(tail -n 3 "$US_WORK/logs/restore.out" | tr '\n' ' ')"
        fi
        stop_procs app-8 app-9 app-10 node-8 node-9 node-10
        unset US_GROUP
    fi
fi

# ---- e. a bounded log: 30,000 writes of 1 KiB, a member stopped before them -----------------------------------
if selected e; then
    echo "e. log.segmentBytes 1 MiB, log.retainBytes 4 MiB: 30,000 writes of 1 KiB with a member stopped"
    [[ "$MAIN_UP" == 0 ]] || stop_procs app-1 app-2 app-3 app-4 node-1 node-2 node-3 node-4 # memory for three more
    GROUP_TOKEN="$(random_token)"
    export US_GROUP=bounded US_EXTRA_YAML="log: { segmentBytes: 1048576, retainBytes: 4194304 }"
    LIMIT=$((16 * 1048576))
    ACKS_E="$US_WORK/acknowledged-bounded.jsonl"
    : >"$ACKS_E"
    t="$(now_ms)"
    start_member 4
    start_member 5
    start_member 6
    if in_isr 90 3 4 5 6; then
        ok "group bounded up: node-5, node-6, node-7 with app-5..7, ISR [$(isr_of 4)] ($(since "$t") s)"
        L="$(leader_index 4)"
        F=$((L == 6 ? 5 : 6))
        O=$((4 + 5 + 6 - L - F))
        stop_follower "$F" "$L"
        info "stopped ${MEMBERS[$F]}; writing 30,000 entries of 1 KiB (1,000 items, 30 writes each)"
        if write_batch "$ACKS_E" e 1 30000 1024 "$(api_url "$L")" "$(api_url "$O")" -- --items 1000; then
            ok "30,000 writes of 1 KiB acknowledged in $BATCH_S s; last index $BATCH_LAST"
        else
            bad "$BATCH_FAILED of 30,000 writes failed (client log $CLIENT_LOG)"
        fi
        t="$(now_ms)"
        start_sidecar "${MEMBERS[$F]}"
        if in_isr 120 3 "$F" "$L"; then
            back="$(since "$t")"
            ok "${MEMBERS[$F]} (stopped before the writes) back in the ISR [$(isr_of "$L")] $back s after its start"
            converged "e. ${MEMBERS[$F]} converged" "$ACKS_E" "$BATCH_LAST" 4 5 6 || true
        else
            back=""
            bad "e. ${MEMBERS[$F]} not back in the ISR within 120 s of its restart"
            tail_logs "${MEMBERS[$F]}" "${MEMBERS[$L]}"
        fi
        under_limit() {
            local i
            for i in 4 5 6; do (($(data_dir_bytes "${MEMBERS[$i]}") < LIMIT)) || return 1; done
        }
        wait_for 30 under_limit || true # trimming may run a moment after the last write
        sizes="$(for i in 4 5 6; do printf '%s %s MiB  ' "${MEMBERS[$i]}" "$(mib "$(data_dir_bytes "${MEMBERS[$i]}")")"; done)"
        if under_limit; then
            ok "every data dir under 16 MiB after 30,000 writes of 1 KiB (~29 MiB written): $sizes"
            [[ -n "$back" ]] && figure e "data dirs $sizes; ${MEMBERS[$F]} back in the ISR $back s after its start"
        else
            bad "e. a data dir is 16 MiB or more after 30,000 writes of 1 KiB: $sizes"
        fi
    else
        bad "e. the group bounded did not start with log.segmentBytes/log.retainBytes (ISR of 3 not reached within 90 s)"
        for i in 4 5 6; do alive "${MEMBERS[$i]}" || info "${MEMBERS[$i]} exited: $(tail -n 1 "$US_WORK/logs/${MEMBERS[$i]}.log")"; done
    fi
    unset US_GROUP US_EXTRA_YAML
fi

echo
echo "Figures"
for line in "${FIGURES[@]+"${FIGURES[@]}"}"; do echo "  $line"; done
[[ "$US_FAILED" == 0 ]] || echo "logs in $US_WORK/logs"
echo "recovery-check ($ONLY): $US_PASSED passed, $US_FAILED failed"
[[ "$US_FAILED" == 0 ]]
