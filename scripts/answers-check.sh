#!/usr/bin/env bash
# Issue 6's check from outside ("every answer is true"): a three-server ZooKeeper ensemble (separate JVMs), three
# sidecars and three demo apps from the jars, with no minInSync in the configuration (the default applies).
#
#   /v1/leader answers 200 on exactly one member, /v1/ready 200 on all;
#   a write retried with the same Idempotency-Key through another member after kill -9 of the leader answers the
#     original index, and nothing is appended twice;
#   a follower restarted with 37 random bytes appended to its largest data file takes writes within seconds, and the
#     leader's ISR does not flap;
#   a demo app killed and restarted with empty memory holds every item again within seconds, with no new writes;
#   with every ZooKeeper server stopped, /v1/ready turns 503 within the session timeout, and 200 once they are back;
#   with both followers killed, a sync write gets 503 NOT_ENOUGH_REPLICAS with Retry-After;
#   with fsync: interval, all three sidecars killed with kill -9 and restarted lead again within seconds, holding
#     every acknowledged write.
#
# Prints the figures; exits 0 when every check passed. Work dir: .answers/ under the repository root.
set -euo pipefail

# shellcheck source=lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

SESSION_MS=4000
US_REPLICATION="{ defaultDurability: sync, fsync: always, replicaLagMaxMs: 10000 }" # minInSync: the default

need_tools
us_init "$US_ROOT/.answers"
CLIENT_LOG="$US_WORK/logs/client.log"
ACKS="$US_WORK/acknowledged.jsonl"
: >"$ACKS"
trap 'rc=$?; trap - EXIT; stop_all; exit "$rc"' EXIT
trap 'exit 130' INT TERM

echo "Understudy answers check: 3 ZooKeeper servers, 3 sidecars, 3 demo apps (work dir $US_WORK)"
ensure_jars
step_start_ensemble
pick_member_ports
step_start_members "$CONNECT"

leader_name() { status_field "${API_PORT[$1]}" 'p["leader"]'; }
isr_size() { status_field "${API_PORT[$1]}" 'len(p["isr"])'; }

# put_keyed APP_URL ITEM KEY: a sync PUT with an Idempotency-Key; prints "status index epoch" or "status - -".
put_keyed() {
    python3 - "$@" <<'PY'
import json, sys, urllib.request, urllib.error
app, item, key = sys.argv[1:4]
req = urllib.request.Request(f"{app}/items/{item}", data=json.dumps({"keyed": item}).encode(), method="PUT",
                             headers={"Content-Type": "application/json", "Idempotency-Key": key})
try:
    with urllib.request.urlopen(req, timeout=15) as r:
        ack = json.load(r)
        print(r.status, ack["index"], ack["epoch"])
except urllib.error.HTTPError as e:
    print(e.code, "-", "-")
except OSError:
    print(0, "-", "-")
PY
}

# ---- 1. probes ----------------------------------------------------------------------------------------------
step_write 1 60 0 1 2
leaders=0 ready=0
for i in 0 1 2; do
    [[ "$(http_code "http://127.0.0.1:${API_PORT[$i]}/v1/leader?partition=0")" == 200 ]] && leaders=$((leaders + 1))
    [[ "$(http_code "http://127.0.0.1:${API_PORT[$i]}/v1/ready")" == 200 ]] && ready=$((ready + 1))
done
[[ "$leaders" == 1 ]] && ok "/v1/leader?partition=0 answers 200 on exactly one member" ||
    bad "/v1/leader?partition=0 answers 200 on $leaders members"
[[ "$ready" == 3 ]] && ok "/v1/ready answers 200 on all three members" || bad "/v1/ready answers 200 on $ready of 3"

# ---- 2. an idempotent retry across a failover -------------------------------------------------------------
LEADER="$(leader_name 0)"
L="$(member_index "$LEADER")"
F1=$(((L + 1) % 3)) F2=$(((L + 2) % 3))
KEY="answers-$(random_token)"
read -r code first_index first_epoch <<<"$(put_keyed "$(app_url "$L")" keyed-item "$KEY")"
[[ "$code" == 200 ]] || bad "the keyed write through app-$((L + 1)) answered $code"
END_BEFORE="$(status_field "${API_PORT[$F1]}" 'p["logEnd"]')"
killed_at="$(now_ms)"
kill_9 "$LEADER"
retry=""
deadline=$(($(now_ms) + 30000))
while (($(now_ms) < deadline)); do
    read -r code index epoch <<<"$(put_keyed "$(app_url "$F1")" keyed-item "$KEY")"
    if [[ "$code" == 200 ]]; then retry="$index"; break; fi
    sleep 0.2
done
if [[ "$retry" == "$first_index" ]]; then
    ok "the retry with the same Idempotency-Key through app-$((F1 + 1)), $(since "$killed_at") s after kill -9 of $LEADER, answered the original index $first_index (epoch $first_epoch)"
else
    bad "the retry after the failover answered index '${retry:-none}', the original was $first_index"
fi
wait_for 30 settled "${API_PORT[$F1]}" 2 "$LEADER" || bad "no new leader with an ISR of 2"
END_AFTER="$(status_field "${API_PORT[$F1]}" 'p["logEnd"]')"
[[ "$END_AFTER" == "$END_BEFORE" ]] && ok "nothing was appended for the retry (log end $END_BEFORE before the kill and after it)" ||
    bad "the log end moved from $END_BEFORE to $END_AFTER: the retry was appended again"
start_sidecar "$LEADER"
wait_up 60 "$LEADER" -- settled "${API_PORT[$L]}" 3 || bad "$LEADER did not rejoin the ISR after its restart"
keyed_count="$(curl -sS --max-time 5 "$(app_url "$F2")/items" | python3 -c 'import json,sys; print(sum(1 for k in json.load(sys.stdin) if k == "keyed-item"))')"
[[ "$keyed_count" == 1 ]] && ok "the keyed item is held once" || bad "the keyed item is held $keyed_count times"

# ---- 3. a follower restarted with garbage at the end of its largest data file ------------------------------
LEADER="$(leader_name 0)"
L="$(member_index "$LEADER")"
F=$(((L + 1) % 3))
FOLLOWER="${MEMBERS[$F]}"
stop_procs "$FOLLOWER"
info "stopped $FOLLOWER, appended 37 random bytes to $(append_garbage "$FOLLOWER"), restarted it"
flaps_before="$(grep -c 'another data directory' "$US_WORK/logs/$LEADER.log" || true)"
t="$(now_ms)"
start_sidecar "$FOLLOWER"
if probe="$(probe_write "$ACKS" "$t" 30 "$(app_url "$F")" garbage-probe 2>>"$CLIENT_LOG")"; then
    read -r took _ _ _ <<<"$probe"
    ok "a sync write through the restarted $FOLLOWER's app succeeded $(fmt_s "$took") s after its start"
else
    bad "no write through the restarted $FOLLOWER succeeded within 30 s: $probe"
fi
wait_for 30 settled "${API_PORT[$F]}" 3 || bad "$FOLLOWER did not rejoin the ISR"
flaps="$(($(grep -c 'another data directory' "$US_WORK/logs/$LEADER.log" || true) - flaps_before))"
grows="$(grep -c 'ISR grows' "$US_WORK/logs/$LEADER.log" || true)"
((flaps <= 1)) && ok "the leader's ISR did not flap ($flaps shrink(s) for another data directory)" ||
    bad "the leader's ISR flapped: $flaps shrinks for another data directory ($grows grows in all)"

# ---- 4. a demo app restarted with empty memory, no new writes ----------------------------------------------
step_restart_app $(((L + 2) % 3))

# ---- 5. every ZooKeeper server stopped ---------------------------------------------------------------------
not_ready_all() {
    local i
    for i in 0 1 2; do [[ "$(http_code "http://127.0.0.1:${API_PORT[$i]}/v1/ready")" == 503 ]] || return 1; done
}
ready_all() {
    local i
    for i in 0 1 2; do [[ "$(http_code "http://127.0.0.1:${API_PORT[$i]}/v1/ready")" == 200 ]] || return 1; done
}
t="$(now_ms)"
stop_procs zookeeper-1 zookeeper-2 zookeeper-3
if wait_for $((SESSION_MS / 1000)) not_ready_all; then
    ok "every ZooKeeper server stopped: /v1/ready 503 on all three $(since "$t") s later (sessionTimeoutMs $SESSION_MS)"
else
    bad "/v1/ready did not turn 503 on every member within the session timeout"
fi
for i in 0 1 2; do
    start_zookeeper "zookeeper-$((i + 1))" "${ZK_PORTS[$i]}" --id $((i + 1)) --servers "$ZK_SERVERS"
done
t="$(now_ms)"
if wait_for 60 ready_all; then
    ok "ZooKeeper back: /v1/ready 200 on all three $(since "$t") s after the servers were restarted"
else
    bad "/v1/ready did not come back to 200 on every member within 60 s"
fi

# ---- 6. both followers killed: NOT_ENOUGH_REPLICAS with Retry-After ----------------------------------------
wait_for 30 settled "${API_PORT[0]}" 3 || bad "the group is not whole after ZooKeeper came back"
LEADER="$(leader_name 0)"
L="$(member_index "$LEADER")"
F1=$(((L + 1) % 3)) F2=$(((L + 2) % 3))
kill_9 "${MEMBERS[$F1]}"
kill_9 "${MEMBERS[$F2]}"
shrunk() { [[ "$(isr_size "$L")" == 1 ]]; }
wait_for 30 shrunk || bad "the ISR did not shrink to the leader alone"
answer="$(curl -s -D - --max-time 10 -X POST "http://127.0.0.1:${API_PORT[$L]}/v1/entries?key=lonely&durability=sync" -d x || true)"
if grep -q '^HTTP/1.1 503' <<<"$answer" && grep -qi '^Retry-After:' <<<"$answer" && grep -q '"NOT_ENOUGH_REPLICAS"' <<<"$answer"; then
    ok "both followers killed: a sync write answers 503 NOT_ENOUGH_REPLICAS with Retry-After"
else
    bad "both followers killed: expected 503 NOT_ENOUGH_REPLICAS with Retry-After, got: $(tr -d '\r' <<<"$answer" | head -c 400)"
fi

# ---- 7. fsync: interval, the whole group killed ------------------------------------------------------------
kill_9 "$LEADER"
US_REPLICATION="{ defaultDurability: sync, fsync: interval, replicaLagMaxMs: 10000 }"
TOKEN="$(random_token)"
for i in 0 1 2; do
    write_sidecar_yaml "$US_WORK/conf/${MEMBERS[$i]}.yaml" "${MEMBERS[$i]}" "$CONNECT" \
        "${API_PORT[$i]}" "${PEER_PORT[$i]}" "${APP_PORT[$i]}" "$TOKEN" "$SESSION_MS"
    start_sidecar "${MEMBERS[$i]}"
done
for i in 0 1 2; do
    wait_up 60 "${MEMBERS[@]}" -- settled "${API_PORT[$i]}" 3 || fail_hard "the group did not come back whole with fsync: interval" "${MEMBERS[@]}"
done
step_write 1000 100 0 1 2
for i in 0 1 2; do kill_9 "${MEMBERS[$i]}"; done
info "fsync: interval, 100 sync writes, then kill -9 of all three sidecars"
t="$(now_ms)"
for i in 0 1 2; do start_sidecar "${MEMBERS[$i]}"; done
if probe="$(probe_write "$ACKS" "$t" 60 "$(app_url 0)" whole-group-probe 2>>"$CLIENT_LOG")"; then
    read -r took _ _ _ <<<"$probe"
    ok "all three restarted: a sync write acknowledged $(fmt_s "$took") s after the restart"
else
    bad "no sync write acknowledged within 60 s of restarting the whole group: $probe"
fi
step_check "every acknowledged write on every app" 0 1 2

echo
[[ "$US_FAILED" == 0 ]] || echo "logs in $US_WORK/logs"
echo "answers-check: $US_PASSED passed, $US_FAILED failed"
[[ "$US_FAILED" == 0 ]]
