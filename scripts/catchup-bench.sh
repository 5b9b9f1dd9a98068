#!/usr/bin/env bash
# Issue 8, item 3 ("catch-up at disk speed"): how fast a follower far behind catches up, and how long a sidecar
# with that many entries in its log takes to start.
#
#   one ZooKeeper server and two sidecars from the jars (no apps; minInSync 1, fsync always); the follower is
#   stopped, ENTRIES entries of BYTES bytes are written to the leader through POST /v1/entries/batch (1,000 per
#   request, 4 in flight), the follower is started again and timed (polling both members every 100 ms) until its
#   log end reaches the leader's commit index and the leader lists it in the ISR: entries/s and MB/s (payload, and
#   the bytes its log grew by on disk). Then it is stopped and started once more, timed from process start to
#   /v1/ready 200 with ENTRIES entries in its log, next to the time the leader took with an empty log.
#
# Usage: scripts/catchup-bench.sh [--entries N] [--bytes B] [--profile DIR]
#   --entries N     entries behind (default 1000000)
#   --bytes B       payload bytes per entry (default 256)
#   --profile DIR   records the catch-up with JDK Flight Recorder on both members (DIR/follower.jfr,
#                   DIR/leader.jfr; never commit them) and prints their summaries (scripts/jfr-top.py)
# Environment: UNDERSTUDY_JAVA_OPTS (JVM options; default -Xmx512m -XX:+UseSerialGC, full JIT).
# Work dir: .catchup/ under the repository root. Figures taken on a shared machine are noise unless compared with a
# run taken right before or after on the same machine.
set -euo pipefail

export UNDERSTUDY_JAVA_OPTS="${UNDERSTUDY_JAVA_OPTS:--Xmx512m -XX:+UseSerialGC}"
# shellcheck source=lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

ENTRIES=1000000
BYTES=256
PROFILE=""
while (($#)); do
    case "$1" in
        --entries) ENTRIES="$2"; shift 2 ;;
        --bytes) BYTES="$2"; shift 2 ;;
        --profile) PROFILE="$(mkdir -p "$2" && cd "$2" && pwd)"; shift 2 ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
if [[ -n "$PROFILE" ]]; then
    command -v jcmd >/dev/null && command -v jfr >/dev/null || die "--profile needs jcmd and jfr (a full JDK 17) on PATH"
fi

SESSION_MS=4000
US_PORT_OFFSET=500
US_NO_APPS=1
US_REPLICATION="{ minInSync: 1, defaultDurability: sync, fsync: always, replicaLagMaxMs: 10000 }"
MEMBERS=(node-1 node-2)
need_tools
us_init "$US_ROOT/.catchup"
CLIENT_LOG="$US_WORK/logs/client.log"
trap 'rc=$?; trap - EXIT; stop_all; exit "$rc"' EXIT
trap 'exit 130' INT TERM

echo "Understudy catch-up bench: a follower $ENTRIES entries of $BYTES B behind (work dir $US_WORK)"
info "JVM options: ${US_JAVA_OPTS[*]}; load average now: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
ensure_jars

ZK_PORT="$(pick_port $((2181 + US_PORT_OFFSET)))"
start_zookeeper zookeeper "$ZK_PORT"
wait_up 60 zookeeper -- zk_serving "$ZK_PORT" || fail_hard "ZooKeeper did not start" zookeeper
TOKEN="$(random_token)"
for i in 0 1; do
    add_member_ports "$i"
    write_sidecar_yaml "$US_WORK/conf/${MEMBERS[$i]}.yaml" "${MEMBERS[$i]}" "127.0.0.1:$ZK_PORT" \
        "${API_PORT[$i]}" "${PEER_PORT[$i]}" "" "$TOKEN" "$SESSION_MS"
done

ready() { [[ "$(http_code "http://127.0.0.1:$1/v1/ready")" == 200 ]]; }

# timed_start NAME API_PORT: starts a sidecar; sets START_S to the seconds from process start to /v1/ready 200.
timed_start() {
    local t
    t="$(now_ms)"
    start_sidecar "$1"
    wait_up 300 "$1" -- ready "$2" || fail_hard "$1 was not ready within 300 s" "$1"
    START_S="$(since "$t")"
}

timed_start node-1 "${API_PORT[0]}"
EMPTY_START_S="$START_S"
ok "node-1 ready $EMPTY_START_S s after its start (empty log)"
start_sidecar node-2
wait_up 180 node-1 node-2 -- settled "${API_PORT[0]}" 2 || fail_hard "no ISR of 2" node-1 node-2
LEADER="$(status_field "${API_PORT[0]}" 'p["leader"]')"
L="$(member_index "$LEADER")"
F=$((1 - L))
FOLLOWER="${MEMBERS[$F]}"
ok "leader $LEADER, follower $FOLLOWER, ISR [$(status_field "${API_PORT[$L]}" 'p["isr"]')]"

stop_procs "$FOLLOWER"
wait_for 30 settled "${API_PORT[$L]}" 1 || fail_hard "the leader kept $FOLLOWER in its ISR" "$LEADER"
info "stopped $FOLLOWER; writing $ENTRIES entries of $BYTES B to $LEADER"
read -r written failed last seconds < <(python3 "$US_ROOT/scripts/batch-writes.py" --count "$ENTRIES" \
    --bytes "$BYTES" --raw --no-keys --batch 1000 --threads 4 "http://127.0.0.1:${API_PORT[$L]}" 2>>"$CLIENT_LOG")
[[ "$failed" == 0 ]] || fail_hard "$failed of $ENTRIES writes failed (client log $CLIENT_LOG)" "$LEADER"
WRITE_RATE="$(python3 -c "print(round($written / max(0.001, $seconds)))")"
ok "$written entries written in $seconds s ($WRITE_RATE entries/s); last index $last"
COMMIT="$(status_field "${API_PORT[$L]}" 'p["commitIndex"]')"
BEHIND_FROM="$(du -sb "$US_WORK/data/$FOLLOWER" | cut -f1)"

if [[ -n "$PROFILE" ]]; then
    # the JDK's profile settings, but every fsync recorded (they keep only those over 10 ms)
    JFC="$US_WORK/conf/profile-all-fsyncs.jfc"
    JAVA_HOME_DIR="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
    sed '/"jdk.FileForce"/,/<\/event>/ s#<setting name="threshold" control="file-threshold">[^<]*<#<setting name="threshold">0 ms<#' \
        "$JAVA_HOME_DIR/lib/jfr/profile.jfc" >"$JFC"
    rm -f "$PROFILE/leader.jfr" "$PROFILE/follower.jfr"
    jcmd "$(pid_of "$LEADER")" JFR.start name=catchup settings="$JFC" >"$US_WORK/logs/jfr-leader.txt" 2>&1 ||
        die "JFR.start on the leader failed: $(cat "$US_WORK/logs/jfr-leader.txt")"
    US_JAVA_OPTS+=("-XX:StartFlightRecording=name=catchup,settings=$JFC")
fi

# The follower again; python polls both members every 100 ms and prints
# "api_up first_progress caught_up in_isr start_end" in seconds from the start (start_end: its log end at first sight).
T0="$(now_ms)"
start_sidecar "$FOLLOWER"
read -r API_UP FIRST CAUGHT IN_ISR START_END < <(python3 - "$T0" "${API_PORT[$F]}" "${API_PORT[$L]}" "$FOLLOWER" "$COMMIT" <<'PY'
import json, sys, time, urllib.request
t0, follower_api, leader_api, follower, commit = int(sys.argv[1]) / 1000, sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
def status(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/status", timeout=2) as r:
            return json.load(r)["partitions"][0]
    except OSError:
        return None
api_up = first = caught = in_isr = None
start_end = None
deadline = time.time() + 900
while time.time() < deadline and (caught is None or in_isr is None):
    now = time.time() - t0
    f = status(follower_api)
    if f is not None:
        if api_up is None:
            api_up, start_end = now, f["logEnd"]
        if first is None and f["logEnd"] > start_end:
            first = now
        if caught is None and f["logEnd"] >= commit:
            caught = now
    l = status(leader_api)
    if caught is not None and in_isr is None and l is not None and follower in l["isr"]:
        in_isr = now
    time.sleep(0.1)
fmt = lambda v: "-" if v is None else f"{v:.2f}"
print(fmt(api_up), fmt(first), fmt(caught), fmt(in_isr), start_end if start_end is not None else 0)
PY
)
[[ "$CAUGHT" != "-" && "$IN_ISR" != "-" ]] || fail_hard "$FOLLOWER did not catch up within 900 s" "$FOLLOWER" "$LEADER"
GREW="$(($(du -sb "$US_WORK/data/$FOLLOWER" | cut -f1) - BEHIND_FROM))"
if [[ -n "$PROFILE" ]]; then
    jcmd "$(pid_of "$LEADER")" JFR.stop name=catchup filename="$PROFILE/leader.jfr" >>"$US_WORK/logs/jfr-leader.txt" 2>&1 ||
        bad "JFR.stop on the leader failed: $(cat "$US_WORK/logs/jfr-leader.txt")"
    jcmd "$(pid_of "$FOLLOWER")" JFR.stop name=catchup filename="$PROFILE/follower.jfr" >"$US_WORK/logs/jfr-follower.txt" 2>&1 ||
        bad "JFR.stop on the follower failed: $(cat "$US_WORK/logs/jfr-follower.txt")"
    unset 'US_JAVA_OPTS[${#US_JAVA_OPTS[@]}-1]'
fi
read -r RATE PAYLOAD_MBS DISK_MBS < <(python3 -c '
import sys
entries, nbytes, grew, first, caught = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
t = max(0.001, caught - first)
print(round(entries / t), f"{entries * nbytes / t / 1e6:.1f}", f"{grew / t / 1e6:.1f}")' \
    "$((COMMIT - START_END))" "$BYTES" "$GREW" "$FIRST" "$CAUGHT")
ok "$FOLLOWER caught up $((COMMIT - START_END)) entries: API up ${API_UP} s after its start, first entry ${FIRST} s, log end = commit index $COMMIT at ${CAUGHT} s, in the ISR at ${IN_ISR} s"
ok "catch-up rate (first entry to log end = commit): $RATE entries/s, $PAYLOAD_MBS MB/s of payload, $DISK_MBS MB/s written to its log ($(mib "$GREW") MiB)"

stop_procs "$FOLLOWER"
timed_start "$FOLLOWER" "${API_PORT[$F]}"
FULL_START_S="$START_S"
ok "$FOLLOWER ready $FULL_START_S s after its start with $COMMIT entries in its log (node-1 with an empty log: $EMPTY_START_S s)"
grep -h 'opened log in' "$US_WORK/logs/$FOLLOWER.log" | tail -n 1 | sed 's/^/  • /'

if [[ -n "$PROFILE" ]]; then
    for who in follower leader; do
        echo
        info "JDK Flight Recorder, the $who during the catch-up ($PROFILE/$who.jfr, do not commit it):"
        jfr print --json --events jdk.ExecutionSample,jdk.NativeMethodSample,jdk.FileForce,jdk.ThreadStart,jdk.CPULoad \
            "$PROFILE/$who.jfr" >"$US_WORK/logs/jfr-$who.json"
        python3 "$US_ROOT/scripts/jfr-top.py" "$US_WORK/logs/jfr-$who.json"
    done
fi

echo
echo "Figures (load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores: compare only with a run taken right before or after)"
printf '  %-26s %s\n' \
    "entries behind" "$((COMMIT - START_END)) of $BYTES B (written at $WRITE_RATE entries/s, batches of 1,000, sync)" \
    "catch-up" "$RATE entries/s, $PAYLOAD_MBS MB/s payload, $DISK_MBS MB/s log on disk (first entry to log end = commit: $(python3 -c "print(f'{$CAUGHT - $FIRST:.1f}')") s)" \
    "back in the ISR" "$IN_ISR s after process start (API up at $API_UP s)" \
    "start-up, $COMMIT entries" "$FULL_START_S s from process start to /v1/ready 200" \
    "start-up, empty log" "$EMPTY_START_S s"
[[ "$US_FAILED" == 0 ]]
