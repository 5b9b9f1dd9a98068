#!/usr/bin/env bash
# The Understudy demo: an embedded ZooKeeper, three sidecars and three demo apps on this machine; writes through
# every instance, the leader's sidecar killed with kill -9, a new leader, the old member back and caught up.
#
#   ./demo-app/demo.sh           run the story, print a summary, stop everything; exit 0 when every check passed
#   ./demo-app/demo.sh --stay    the same, then leave the cluster running to explore
#   ./demo-app/demo.sh --stop    stop a cluster left running by --stay
#
# Work dir: .demo/ under the repository root (logs in .demo/logs). Builds the jars first if either is missing.
set -euo pipefail

# shellcheck source=../scripts/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/scripts/lib.sh"

STAY=0
case "${1:-}" in
    "") ;;
    --stay) STAY=1 ;;
    --stop)
        stop_from_pid_files "$US_ROOT/.demo"
        echo "stopped the demo cluster (if one was running)"
        exit 0
        ;;
    -h | --help)
        sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    *)
        echo "unknown argument '$1' (try --help)" >&2
        exit 2
        ;;
esac

MEMBERS=(node-1 node-2 node-3)
ITEMS_FIRST=30 # written through all three apps before the failure
ITEMS_AFTER=15 # written through the survivors after it
SESSION_MS=4000

need_tools
us_init "$US_ROOT/.demo"
CLIENT_LOG="$US_WORK/logs/client.log"
ACKS="$US_WORK/acknowledged.jsonl"
: >"$ACKS"

on_exit() {
    local rc=$?
    trap - EXIT INT TERM
    if [[ "$STAY" == 1 && "$rc" == 0 ]]; then
        explore
    else
        stop_all
        [[ "$STAY" == 1 ]] && echo "  (--stay ignored: the demo failed, so everything was stopped)"
    fi
    exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT TERM

# fail_hard MESSAGE NAME...: a step the story cannot go on without. Shows the named logs, then exits 1.
fail_hard() {
    local message="$1"
    shift
    bad "$message"
    tail_logs "$@"
    exit 1
}

app_url() { echo "http://127.0.0.1:${APP_PORT[$1]}"; }
member_index() { # node-2 -> 1
    local i
    for i in 0 1 2; do [[ "${MEMBERS[$i]}" == "$1" ]] && echo "$i" && return 0; done
    return 1
}

explore() {
    cat <<EOF

The cluster is still running (--stay). Explore:
  sidecar status pages   http://127.0.0.1:${API_PORT[0]}/  http://127.0.0.1:${API_PORT[1]}/  http://127.0.0.1:${API_PORT[2]}/
  sidecar status (CLI)   java -jar sidecar/target/understudy-sidecar.jar status --api http://127.0.0.1:${API_PORT[0]}
  metrics                curl -s http://127.0.0.1:${API_PORT[0]}/metrics | grep ^understudy_
  demo apps              $(app_url 0)/items  $(app_url 1)/items  $(app_url 2)/items
  write an item          curl -s -X PUT $(app_url 0)/items/lamp -H 'Content-Type: application/json' -d '{"name":"lamp"}'
  read it anywhere       curl -s '$(app_url 2)/items/lamp?minIndex=INDEX'
  ZooKeeper              127.0.0.1:$ZK_PORT (root /understudy/catalog)
  logs                   $US_WORK/logs/
Stop it with: ./demo-app/demo.sh --stop
EOF
}

echo "Understudy demo: 1 ZooKeeper, 3 sidecars, 3 demo apps on 127.0.0.1 (work dir $US_WORK)"
ensure_jars

# ---- 1. ZooKeeper --------------------------------------------------------------------------------------

ZK_PORT="$(pick_port 2181)"
API_PORT=() PEER_PORT=() APP_PORT=()
for i in 0 1 2; do
    API_PORT+=("$(pick_port $((7001 + i)))")
    PEER_PORT+=("$(pick_port $((7101 + i)))")
    APP_PORT+=("$(pick_port $((8001 + i)))")
done

t="$(now_ms)"
start_zookeeper zookeeper "$ZK_PORT"
wait_for 30 zk_ruok "$ZK_PORT" || fail_hard "ZooKeeper did not answer 'ruok' on port $ZK_PORT within 30 s" zookeeper
ok "ZooKeeper (embedded, standalone) serving on 127.0.0.1:$ZK_PORT ($(since "$t") s)"

# ---- 2. three sidecars and three apps ------------------------------------------------------------------

TOKEN="$(random_token)"
t="$(now_ms)"
for i in 0 1 2; do
    write_sidecar_yaml "$US_WORK/conf/${MEMBERS[$i]}.yaml" "${MEMBERS[$i]}" "127.0.0.1:$ZK_PORT" \
        "${API_PORT[$i]}" "${PEER_PORT[$i]}" "${APP_PORT[$i]}" "$TOKEN" "$SESSION_MS"
    start_sidecar "${MEMBERS[$i]}"
    start_app "app-$((i + 1))" "${APP_PORT[$i]}" "${API_PORT[$i]}"
done
for i in 0 1 2; do
    wait_for 60 http_ok "$(app_url "$i")/health" ||
        fail_hard "demo app app-$((i + 1)) did not answer on port ${APP_PORT[$i]} within 60 s" "app-$((i + 1))"
done
for i in 0 1 2; do
    wait_for 60 settled "${API_PORT[$i]}" 3 ||
        fail_hard "${MEMBERS[$i]} did not see an elected leader with an ISR of 3 within 60 s" "${MEMBERS[@]}"
done
LEADER_BEFORE="$(status_field "${API_PORT[0]}" 'p["leader"]')"
EPOCH_BEFORE="$(status_field "${API_PORT[0]}" 'p["epoch"]')"
ok "3 sidecars (API :${API_PORT[0]} :${API_PORT[1]} :${API_PORT[2]}) and 3 demo apps (:${APP_PORT[0]} :${APP_PORT[1]} :${APP_PORT[2]}) up ($(since "$t") s)"
ok "leader $LEADER_BEFORE, epoch $EPOCH_BEFORE, ISR [$(status_field "${API_PORT[0]}" 'p["isr"]')], the same on every member"

# ---- 3. writes through every instance, reads from every instance ---------------------------------------

t="$(now_ms)"
read -r written failed last < <(write_items "$ACKS" item 1 "$ITEMS_FIRST" "$(app_url 0)" "$(app_url 1)" "$(app_url 2)" 2>>"$CLIENT_LOG")
if [[ "$failed" == 0 ]]; then
    ok "wrote $written items (PUT /items/item-N, sync) through app-1, app-2 and app-3 in turn; last index $last ($(since "$t") s)"
else
    bad "$failed of $ITEMS_FIRST writes failed:"
    tail -n 5 "$CLIENT_LOG"
fi
if verdict="$(check_items "$ACKS" "$(last_index "$ACKS")" "$(app_url 0)" "$(app_url 1)" "$(app_url 2)")"; then
    ok "GET /items?minIndex=$(last_index "$ACKS") on every app: $verdict"
else
    bad "reads differ: $verdict"
fi

# ---- 4. kill -9 the leader's sidecar -------------------------------------------------------------------

OLD="$LEADER_BEFORE"
o="$(member_index "$OLD")" || fail_hard "the leader '$OLD' is not one of ${MEMBERS[*]}" "${MEMBERS[@]}"
SURVIVORS=()
for i in 0 1 2; do [[ "$i" == "$o" ]] || SURVIVORS+=("$i"); done
s1="${SURVIVORS[0]}" s2="${SURVIVORS[1]}"

info "killing the leader's sidecar: kill -9 $OLD (pid $(pid_of "$OLD")); its session expires after ${SESSION_MS} ms"
KILLED_AT="$(now_ms)"
kill_9 "$OLD"
if probe="$(probe_write "$ACKS" "$KILLED_AT" 60 "$(app_url "$s1")" failover-probe 2>>"$CLIENT_LOG")"; then
    read -r failover_ms epoch_probe index_probe attempts <<<"$probe"
    FAILOVER_S="$(python3 -c "print(f'{$failover_ms/1000:.1f}')")"
    ok "a sync write through app-$((s1 + 1)) succeeded again $FAILOVER_S s after the kill ($attempts attempts; index $index_probe, epoch $epoch_probe)"
else
    FAILOVER_S="-"
    fail_hard "no sync write succeeded through app-$((s1 + 1)) within 60 s of the kill: $probe" "${MEMBERS[@]}"
fi
wait_for 30 settled "${API_PORT[$s1]}" 2 "$OLD" || bad "${MEMBERS[$s1]} does not show a new leader with an ISR of 2"
LEADER_AFTER="$(status_field "${API_PORT[$s1]}" 'p["leader"]')"
EPOCH_AFTER="$(status_field "${API_PORT[$s1]}" 'p["epoch"]')"
if [[ "$LEADER_AFTER" != "$OLD" && "$EPOCH_AFTER" -gt "$EPOCH_BEFORE" ]]; then
    ok "new leader $LEADER_AFTER, epoch $EPOCH_BEFORE → $EPOCH_AFTER, ISR [$(status_field "${API_PORT[$s1]}" 'p["isr"]')]"
else
    bad "expected a new leader in a higher epoch, got leader $LEADER_AFTER in epoch $EPOCH_AFTER"
fi

t="$(now_ms)"
read -r written failed last < <(write_items "$ACKS" item $((ITEMS_FIRST + 1)) "$ITEMS_AFTER" "$(app_url "$s1")" "$(app_url "$s2")" 2>>"$CLIENT_LOG")
if [[ "$failed" == 0 ]]; then
    ok "wrote $written more items through the survivors app-$((s1 + 1)) and app-$((s2 + 1)); last index $last ($(since "$t") s)"
else
    bad "$failed of $ITEMS_AFTER writes through the survivors failed:"
    tail -n 5 "$CLIENT_LOG"
fi
if verdict="$(check_items "$ACKS" "$(last_index "$ACKS")" "$(app_url "$s1")" "$(app_url "$s2")")"; then
    ok "no acknowledged write lost on the survivors: $verdict"
else
    bad "survivors disagree or lost acknowledged writes: $verdict"
fi

# ---- 5. the old leader comes back ----------------------------------------------------------------------

t="$(now_ms)"
start_sidecar "$OLD"
if wait_for 60 settled "${API_PORT[$o]}" 3 && wait_for 30 settled "${API_PORT[$s1]}" 3; then
    ok "$OLD restarted (same config and data dir) and is back in the ISR: [$(status_field "${API_PORT[$s1]}" 'p["isr"]')], role $(status_field "${API_PORT[$o]}" 'p["role"]') ($(since "$t") s)"
else
    bad "$OLD did not get back into the ISR within 60 s"
    tail_logs "$OLD" "${MEMBERS[$s1]}"
fi
if verdict="$(check_items "$ACKS" "$(last_index "$ACKS")" "$(app_url 0)" "$(app_url 1)" "$(app_url 2)")"; then
    ok "app-$((o + 1)) caught up to index $(last_index "$ACKS"): $verdict"
else
    bad "app-$((o + 1)) did not catch up: $verdict"
    tail_logs "$OLD" "app-$((o + 1))"
fi

# ---- summary -------------------------------------------------------------------------------------------

TOTAL="$(python3 -c 'import json,sys; print(len({json.loads(l)["id"] for l in open(sys.argv[1])}))' "$ACKS")"
echo
echo "Summary"
echo "  items acknowledged   $TOTAL ($ITEMS_FIRST through 3 apps, 1 probe during the failover, $ITEMS_AFTER through the survivors)"
echo "  leader before/after  $LEADER_BEFORE (epoch $EPOCH_BEFORE) → $LEADER_AFTER (epoch $EPOCH_AFTER), after kill -9 of $OLD's sidecar"
echo "  failover             first sync write acknowledged $FAILOVER_S s after the kill (sessionTimeoutMs $SESSION_MS)"
printf '  %-20s %s\n' "$OLD restarted" "caught up; all three apps identical at index $(last_index "$ACKS")"
if [[ "$US_FAILED" == 0 ]]; then
    echo "  checks               all passed ✓"
else
    echo "  checks               $US_FAILED FAILED ✗ (logs in $US_WORK/logs)"
    exit 1
fi
