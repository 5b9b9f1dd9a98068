#!/usr/bin/env bash
# The Understudy demo: an embedded ZooKeeper, three sidecars and three demo apps on this machine; writes through
# every instance, the leader's sidecar killed with kill -9, a new leader, the old member back and caught up, and a
# demo app killed and restarted with empty memory, refilled by its sidecar.
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

ITEMS_FIRST=30 # written through all three apps before the failure
ITEMS_AFTER=15 # written through the survivors after it
SESSION_MS=4000

need_tools
us_init "$US_ROOT/.demo"
CLIENT_LOG="$US_WORK/logs/client.log"
ACKS="$US_WORK/acknowledged.jsonl"
: >"$ACKS"

explore() {
    cat <<EOF

The cluster is still running (--stay). Explore:
  sidecar status pages   http://127.0.0.1:${API_PORT[0]}/  http://127.0.0.1:${API_PORT[1]}/  http://127.0.0.1:${API_PORT[2]}/
  sidecar status (CLI)   java -jar sidecar/target/understudy-sidecar.jar status --api http://127.0.0.1:${API_PORT[0]}
  metrics                curl -s http://127.0.0.1:${API_PORT[0]}/metrics | grep ^understudy_
  demo apps              $(app_url 0)/items  $(app_url 1)/items  $(app_url 2)/items
  write an item          curl -s -X PUT $(app_url 0)/items/lamp -H 'Content-Type: application/json' -d '{"name":"lamp"}'
  read it anywhere       curl -s '$(app_url 2)/items/lamp?minIndex=INDEX'   (INDEX from the PUT's answer)
  ZooKeeper              127.0.0.1:$ZK_PORT (znodes under /understudy/catalog)
  logs                   $US_WORK/logs/
Stop it with: ./demo-app/demo.sh --stop
EOF
}

on_exit() {
    local rc=$?
    trap - EXIT INT TERM
    if [[ "$STAY" == 1 && "$rc" == 0 ]]; then
        explore
    else
        stop_all
        if [[ "$STAY" == 1 ]]; then echo "  (--stay ignored: the demo failed, so everything was stopped)"; fi
    fi
    exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT TERM

echo "Understudy demo: 1 ZooKeeper, 3 sidecars, 3 demo apps on 127.0.0.1 (work dir $US_WORK)"
ensure_jars

ZK_PORT="$(pick_port 2181)"
pick_member_ports

t="$(now_ms)"
start_zookeeper zookeeper "$ZK_PORT"
wait_up 30 zookeeper -- zk_ruok "$ZK_PORT" || fail_hard "ZooKeeper did not answer 'ruok' on port $ZK_PORT (it exited, or 30 s passed)" zookeeper
ok "ZooKeeper (embedded, standalone) serving on 127.0.0.1:$ZK_PORT ($(since "$t") s)"

step_start_members "127.0.0.1:$ZK_PORT"
step_write 1 "$ITEMS_FIRST" 0 1 2
step_check "every app holds the same items" 0 1 2
step_kill_leader
step_write $((ITEMS_FIRST + 1)) "$ITEMS_AFTER" "${SURVIVORS[@]}"
step_check "no acknowledged write lost on the survivors" "${SURVIVORS[@]}"
step_restart_old
step_check "app-$((OLD_I + 1)) caught up" 0 1 2
step_restart_app "${SURVIVORS[0]}"

echo
echo "Summary"
printf '  %-20s %s\n' \
    "items acknowledged" "$(acknowledged_count) ($ITEMS_FIRST through 3 apps, 1 during the failover, $ITEMS_AFTER through the survivors)" \
    "leader before/after" "$LEADER_BEFORE (epoch $EPOCH_BEFORE) → $LEADER_AFTER (epoch $EPOCH_AFTER), after kill -9 of $OLD's sidecar" \
    "failover" "first sync write acknowledged $(fmt_s "$FAILOVER_MS") s after the kill (sessionTimeoutMs $SESSION_MS)" \
    "$OLD restarted" "back in the ISR after ${CATCH_UP_S:-?} s; every app checked at index $(last_index "$ACKS")" \
    "app restarted empty" "app-$((SURVIVORS[0] + 1)) held every item again ${APP_BACK_S:-?} s after its start (redelivered by its sidecar)"
if [[ "$US_FAILED" == 0 ]]; then
    printf '  %-20s %s\n' "checks" "all passed ✓"
else
    printf '  %-20s %s\n' "checks" "$US_FAILED FAILED ✗ (logs in $US_WORK/logs)"
    exit 1
fi
