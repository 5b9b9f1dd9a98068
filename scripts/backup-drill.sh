#!/usr/bin/env bash
# Issue 8's backup-and-restore drill against a real system: a three-server ZooKeeper ensemble (separate JVMs),
# three sidecars and three demo apps, all from the jars.
#
#   300 items written through all three apps; `backup` from a follower; 20 more items written after it;
#   every sidecar and app stopped, every data dir deleted; `restore` into node-1 under a NEW group name;
#   node-2 and node-3 start first with empty data dirs, then node-1, with three new (empty) demo apps:
#   every app must hold exactly the 300 items the backup covers.
#
# Prints the figures; exits 0 when every check passed. Work dir: .backup-drill/ under the repository root.
set -euo pipefail

# shellcheck source=lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

ITEMS_BACKED_UP=300
ITEMS_AFTER=20
SESSION_MS=4000
NEW_GROUP=catalog-restored

# Other checks may run on this machine at the same time from the same default ports (7001, 8001, 2181...): take
# random free ports instead, so that this drill never writes to, or waits on, someone else's cluster.
eval "$(declare -f pick_port | sed '1s/^pick_port/lib_pick_port/')"
pick_port() { lib_pick_port "$((20000 + RANDOM % 12000))"; }

need_tools
us_init "$US_ROOT/.backup-drill"
CLIENT_LOG="$US_WORK/logs/client.log"
ACKS="$US_WORK/acknowledged.jsonl"
BACKED_UP="$US_WORK/backed-up.jsonl"
BACKUP="$US_WORK/backup"
: >"$ACKS"
trap 'rc=$?; trap - EXIT; stop_all; exit "$rc"' EXIT
trap 'exit 130' INT TERM

echo "Understudy backup drill: 3 ZooKeeper servers, 3 sidecars, 3 demo apps (work dir $US_WORK)"
ensure_jars

step_start_ensemble
pick_member_ports
step_start_members "$CONNECT"
step_write 1 "$ITEMS_BACKED_UP" 0 1 2
step_check "all three apps identical before the backup" 0 1 2
cp "$ACKS" "$BACKED_UP"
LAST_BACKED="$(last_index "$BACKED_UP")"

FOLLOWER=1
[[ "$(status_field "${API_PORT[0]}" 'p["leader"]')" == node-2 ]] && FOLLOWER=2
wait_for 20 bash -c "[[ \$(curl -sS -f --max-time 3 http://127.0.0.1:${API_PORT[$FOLLOWER]}/v1/status | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"partitions\"][0][\"commitIndex\"])') -ge $LAST_BACKED ]]" ||
    bad "${MEMBERS[$FOLLOWER]} did not learn commit index $LAST_BACKED"
t="$(now_ms)"
if java "${US_JAVA_OPTS[@]}" -jar "$US_SIDECAR_JAR" backup --api "http://127.0.0.1:${API_PORT[$FOLLOWER]}" \
    --out "$BACKUP" >"$US_WORK/logs/backup.out" 2>&1; then
    ok "backup from ${MEMBERS[$FOLLOWER]} (a follower) in $(since "$t") s: $(head -n 1 "$US_WORK/logs/backup.out")"
else
    fail_hard "backup failed: $(cat "$US_WORK/logs/backup.out")"
fi
COVERED="$(python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print(m["partitions"][0]["log"]["toIndex"])' "$BACKUP/manifest.json")"
((COVERED == LAST_BACKED)) && ok "the backup covers index $COVERED, the last acknowledged item's" ||
    bad "the backup covers index $COVERED, the last acknowledged item is at $LAST_BACKED"
step_write $((ITEMS_BACKED_UP + 1)) "$ITEMS_AFTER" 0 1 2

stop_procs app-1 app-2 app-3 node-1 node-2 node-3
rm -rf "$US_WORK"/data/node-*
for i in 0 1 2; do sed -i "s/^group: .*/group: $NEW_GROUP/" "$US_WORK/conf/${MEMBERS[$i]}.yaml"; done
ok "the group is gone: members and apps stopped, every data dir deleted; restoring as group $NEW_GROUP"

if java "${US_JAVA_OPTS[@]}" -jar "$US_SIDECAR_JAR" restore --config "$US_WORK/conf/node-1.yaml" --from "$BACKUP" \
    >"$US_WORK/logs/restore.out" 2>&1; then
    ok "restore into node-1: $(grep -m 1 "^partition" "$US_WORK/logs/restore.out")"
else
    fail_hard "restore failed: $(cat "$US_WORK/logs/restore.out")"
fi

t="$(now_ms)"
for i in 1 2 0; do # the empty members first: the restored state keeps them from leading
    start_sidecar "${MEMBERS[$i]}"
    start_app "app-$((i + 1))" "${APP_PORT[$i]}" "${API_PORT[$i]}"
done
for i in 0 1 2; do
    wait_up 90 "${MEMBERS[@]}" -- settled "${API_PORT[$i]}" 3 ||
        fail_hard "${MEMBERS[$i]} did not see a leader with an ISR of 3 after the restore" "${MEMBERS[@]}"
done
LEADER_AFTER="$(status_field "${API_PORT[0]}" 'p["leader"]')"
[[ "$LEADER_AFTER" == node-1 ]] && ok "node-1, the restored member, leads; ISR of 3 ($(since "$t") s after the starts)" ||
    bad "$LEADER_AFTER leads, not the restored node-1"
ACKS="$BACKED_UP"
if verdict="$(check_items "$BACKED_UP" "$COVERED" $(app_urls 0 1 2))"; then
    [[ "$verdict" == "$ITEMS_BACKED_UP items"* ]] && ok "every new app holds what the backup covers: $verdict" ||
        bad "the apps hold other than the $ITEMS_BACKED_UP backed-up items: $verdict"
else
    bad "after the restore: $verdict"
fi

echo
if [[ "$US_FAILED" == 0 ]]; then
    echo "drill passed: $US_PASSED checks"
else
    echo "drill FAILED: $US_FAILED of $((US_PASSED + US_FAILED)) checks"
    exit 1
fi
