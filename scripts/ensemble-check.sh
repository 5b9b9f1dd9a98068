#!/usr/bin/env bash
# Issue 2's real-ensemble check: a three-server ZooKeeper ensemble (three JVMs running
# `understudy-sidecar.jar zookeeper --id N --servers ...`), three sidecars (README configuration,
# sessionTimeoutMs 4000, minInSync 2) and three demo apps, all from the jars.
#
#   300 items written through all three apps must appear identically in all three;
#   after kill -9 of the leader's sidecar a sync write must succeed again within sessionTimeoutMs + 5 s;
#   100 more items must converge on the survivors; the killed member, restarted, must catch up.
#
# Prints the figures; exits 0 when every check passed. Work dir: .ensemble/ under the repository root.
set -euo pipefail

# shellcheck source=lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

ITEMS_FIRST=300
ITEMS_AFTER=100
SESSION_MS=4000
FAILOVER_LIMIT_MS=$((SESSION_MS + 5000))

need_tools
us_init "$US_ROOT/.ensemble"
CLIENT_LOG="$US_WORK/logs/client.log"
ACKS="$US_WORK/acknowledged.jsonl"
: >"$ACKS"
trap 'rc=$?; trap - EXIT; stop_all; exit "$rc"' EXIT
trap 'exit 130' INT TERM

echo "Understudy ensemble check: 3 ZooKeeper servers, 3 sidecars, 3 demo apps (work dir $US_WORK)"
ensure_jars

step_start_ensemble
pick_member_ports

step_start_members "$CONNECT"
T_FIRST="$(now_ms)"
step_write 1 "$ITEMS_FIRST" 0 1 2
RATE_FIRST="$(python3 -c "import sys; print(round($ITEMS_FIRST / max(0.001, float(sys.argv[1]))))" "$(since "$T_FIRST")")"
step_check "all three apps identical" 0 1 2
step_kill_leader
if [[ -n "$FAILOVER_MS" ]] && ((FAILOVER_MS <= FAILOVER_LIMIT_MS)); then
    ok "failover within the bound: $FAILOVER_MS ms <= sessionTimeoutMs + 5 s = $FAILOVER_LIMIT_MS ms"
else
    bad "failover took ${FAILOVER_MS:-forever} ms, more than sessionTimeoutMs + 5 s = $FAILOVER_LIMIT_MS ms"
fi
step_write $((ITEMS_FIRST + 1)) "$ITEMS_AFTER" "${SURVIVORS[@]}"
step_check "survivors converged, no acknowledged write lost" "${SURVIVORS[@]}"
step_restart_old
step_check "app-$((OLD_I + 1)) caught up" 0 1 2

echo
echo "Figures"
printf '  %-22s %s\n' \
    "ZooKeeper" "3-server ensemble, separate JVMs, connect $CONNECT" \
    "items acknowledged" "$(acknowledged_count) ($ITEMS_FIRST through 3 apps at ~$RATE_FIRST writes/s one at a time, 1 during the failover, $ITEMS_AFTER through the survivors)" \
    "leader before/after" "$LEADER_BEFORE (epoch $EPOCH_BEFORE) → $LEADER_AFTER (epoch $EPOCH_AFTER)" \
    "failover" "${FAILOVER_MS:-?} ms from kill -9 to the next acknowledged sync write (sessionTimeoutMs $SESSION_MS, bound $FAILOVER_LIMIT_MS ms)" \
    "catch-up" "$OLD back in the ISR ${CATCH_UP_S:-?} s after its restart; all 3 apps identical at index $(last_index "$ACKS")"
if [[ "$US_FAILED" == 0 ]]; then
    printf '  %-22s %s\n' "checks" "all passed ✓"
else
    printf '  %-22s %s\n' "checks" "$US_FAILED FAILED ✗ (logs in $US_WORK/logs)"
    exit 1
fi
