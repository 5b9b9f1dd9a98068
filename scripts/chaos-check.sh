#!/usr/bin/env bash
# Issue 3's real-ensemble check: a three-server ZooKeeper ensemble (separate JVMs), three sidecars and three demo
# apps from the jars (README configuration, sessionTimeoutMs 4000, minInSync 2). Four writers keep writing
# (sync) through random demo apps while, one after another:
#
#   the leader's sidecar is paused (SIGSTOP) past its session, then resumed (SIGCONT);
#   the leader's sidecar is killed (kill -9), then restarted;
#   a follower's sidecar is killed (kill -9), then restarted;
#   a ZooKeeper server is stopped, then restarted.
#
# Afterwards all three demo apps must hold identical items, and not one acknowledged write may be missing.
# Exits 0 when every check passed. Work dir: .chaos/ under the repository root.
set -euo pipefail

# shellcheck source=lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

SESSION_MS=4000
WRITERS=4

need_tools
us_init "$US_ROOT/.chaos"
CLIENT_LOG="$US_WORK/logs/client.log"
ACKS="$US_WORK/acknowledged.jsonl"
STOP_FILE="$US_WORK/stop-writers"
: >"$ACKS"
rm -f "$STOP_FILE"
trap 'rc=$?; trap - EXIT; touch "$STOP_FILE"; stop_all; exit "$rc"' EXIT
trap 'exit 130' INT TERM

echo "Understudy chaos check: 3 ZooKeeper servers, 3 sidecars, 3 demo apps, $WRITERS writers (work dir $US_WORK)"
ensure_jars
step_start_ensemble
pick_member_ports
step_start_members "$CONNECT"

start_proc writers python3 "$US_ROOT/scripts/writers.py" "$ACKS" "$STOP_FILE" "$WRITERS" $(app_urls 0 1 2)
info "$WRITERS writers keep writing through app-1, app-2, app-3 at random"

member_index() { # NAME -> 0..2
    local i
    for i in 0 1 2; do [[ "${MEMBERS[$i]}" == "$1" ]] && echo "$i"; done
}

current_leader() { # asks every live member until one names the leader
    local i leader
    for i in 0 1 2; do
        leader="$(status_field "${API_PORT[$i]}" 'p["leader"] or ""' 2>/dev/null)" && [[ -n "$leader" ]] && {
            echo "$leader"
            return 0
        }
    done
    return 1
}

# await_healthy WHAT: every member sees a leader and an ISR of 3 again, and a new write is acknowledged.
await_healthy() {
    local i t
    t="$(now_ms)"
    for i in 0 1 2; do
        wait_up 90 "${MEMBERS[@]}" -- settled "${API_PORT[$i]}" 3 ||
            fail_hard "after $1: ${MEMBERS[$i]} does not see a leader with an ISR of 3 within 90 s" "${MEMBERS[@]}"
    done
    probe_write "$ACKS" "$t" 60 "$(app_url 0)" "probe-$(now_ms)" >/dev/null 2>>"$CLIENT_LOG" ||
        fail_hard "after $1: no write acknowledged within 60 s" "${MEMBERS[@]}"
    ok "after $1: leader $(current_leader), ISR of 3 on every member, writes acknowledged ($(since "$t") s to heal)"
}

acked_so_far() { wc -l <"$ACKS" | tr -d ' '; }

hold() { # SECONDS: the fault lasts this long; the writers go on meanwhile
    sleep "$1"
}

hold 3
leader="$(current_leader)"
info "SIGSTOP of the leader's sidecar $leader for $((SESSION_MS / 1000 + 2)) s (past its session), then SIGCONT ($(acked_so_far) writes acknowledged so far)"
kill -STOP "$(pid_of "$leader")"
hold $((SESSION_MS / 1000 + 2))
kill -CONT "$(pid_of "$leader")"
await_healthy "the paused leader $leader resumed"

hold 3
leader="$(current_leader)"
info "kill -9 of the leader's sidecar $leader, restarted 6 s later ($(acked_so_far) writes acknowledged so far)"
kill_9 "$leader"
hold 6
start_sidecar "$leader"
await_healthy "the killed leader $leader restarted"

hold 3
leader="$(current_leader)"
for follower in "${MEMBERS[@]}"; do [[ "$follower" != "$leader" ]] && break; done
info "kill -9 of a follower's sidecar $follower, restarted 6 s later ($(acked_so_far) writes acknowledged so far)"
kill_9 "$follower"
hold 6
start_sidecar "$follower"
await_healthy "the killed follower $follower restarted"

hold 3
info "ZooKeeper server 1 stopped for 6 s, then restarted ($(acked_so_far) writes acknowledged so far)"
stop_procs zookeeper-1
hold 6
start_zookeeper zookeeper-1 "${ZK_PORTS[0]}" --id 1 --servers "$ZK_SERVERS"
wait_up 60 zookeeper-1 -- zk_serving "${ZK_PORTS[0]}" || fail_hard "ZooKeeper server 1 did not come back" zookeeper-1
await_healthy "ZooKeeper server 1 restarted"

hold 3
touch "$STOP_FILE"
wait_for 30 bash -c "! kill -0 $(pid_of writers) 2>/dev/null" || bad "the writers did not stop within 30 s"
info "$(tail -n 1 "$US_WORK/logs/writers.log")"
step_check "after every fault, all three apps identical, every acknowledged write present" 0 1 2

echo
echo "Figures"
printf '  %-22s %s\n' \
    "ZooKeeper" "3-server ensemble, separate JVMs, connect $CONNECT" \
    "writes acknowledged" "$(acknowledged_count) distinct items (writers and probes), all checked on every app" \
    "writers" "$(tail -n 1 "$US_WORK/logs/writers.log") (client errors in $US_WORK/logs/writers.log)"
if [[ "$US_FAILED" == 0 ]]; then
    printf '  %-22s %s\n' "checks" "all passed ✓"
else
    printf '  %-22s %s\n' "checks" "$US_FAILED FAILED ✗ (logs in $US_WORK/logs)"
    exit 1
fi
