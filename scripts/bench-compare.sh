#!/usr/bin/env bash
# Issue 7's comparison: Understudy's write path against the ZooKeeper ensemble it sits on, measured in ONE run.
#
# Starts (from the jars, scripts/lib.sh) a 3-server ZooKeeper ensemble, three sidecars (fsync: always, minInSync 2,
# one partition) and three demo apps, then measures with wrk (a closed loop: C connections = C writes in flight):
#   sync writes at 1 and 64 in flight and async at 64 on the leader's local API (POST /v1/entries),
#   one sync write in flight through a follower (forwarded to the leader),
#   the generator's own ceiling: GET /v1/health (a no-op) at 1 and 64 connections,
# and, through the sidecar jar's `bench` command, ZooKeeper's sequential creates via Curator with 1 and 64 in
# flight (the reference). Prints medians over the rounds as a markdown table with the ratio to ZooKeeper.
#
# Usage: scripts/bench-compare.sh [--quick] [--rounds N] [--duration S] [--payload BYTES] [--profile FILE.jfr]
#                                  [--profile-in-flight C] [--delay-ms MS] [--rate BYTES_PER_S] [--partitions N]
#                                  [--xmx SIZE] [--with-apps | --no-apps] [--compression none|lz4|zstd]
#                                  [--priority P]
#   --quick          1 round of 5 s runs (about 2 minutes in all); default 3 rounds of 10 s runs
#   --profile FILE   after the measurements, records the leader sidecar with JDK Flight Recorder during a 20 s sync
#                    run at C in flight (default 64; settings=profile, every fsync recorded) into FILE and prints
#                    its hottest frames, threads, fsyncs and thread starts (scripts/jfr-top.py)
#   --payload 4096   4 KiB values (every run also measures sync at 256 in flight)
#   --delay-ms MS    a proxy (scripts/netproxy.py) in front of each member's peer listener, MS one-way delay each way
#   --rate B         the same proxy caps each member's peer link at B bytes/s per direction (a throttled link)
#   --partitions N   N partitions, leaders spread over the members, and the write figures also measured with writes
#                    sent to every member at once (figures "*-all": three wrk, the in-flight count split over them)
#   --xmx SIZE       the heap of every JVM started (e.g. 64m); the resident memory (VmRSS, VmHWM) of each sidecar is reported
#   --no-apps        no demo apps attached (--with-apps, attached, is the default)
#   --compression C  replication.compression on every member
#   --priority P     replication.highPriorityPartitions: [P] (with --partitions >= 2, best with --rate): also samples
#                    each partition's commit lag (logEnd - commitIndex) during the async runs
# Environment: UNDERSTUDY_JAVA_OPTS (JVM options of the 9 processes; default -Xmx256m -XX:+UseSerialGC, full JIT).
# Work dir: .bench/ under the repository root. Only 127.0.0.1 is ever targeted.
set -euo pipefail

# Full JIT here (lib.sh's default stops at C1 to start nine JVMs quickly): steady-state throughput is measured.
export UNDERSTUDY_JAVA_OPTS="${UNDERSTUDY_JAVA_OPTS:--Xmx256m -XX:+UseSerialGC}"
# shellcheck source=lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"
WRK_DIR="$US_ROOT/scripts/wrk"

ROUNDS=3
DURATION=10
PAYLOAD=256
ZK_WRITES=2000
PROFILE=""
PROFILE_S=20
PROFILE_IN_FLIGHT=64
DELAY_MS=0 RATE=0 XMX="" COMPRESSION=none PRIORITY=""
while (($#)); do
    case "$1" in
    --quick) ROUNDS=1 DURATION=5 ZK_WRITES=1000 ;;
    --rounds) ROUNDS="$2"; shift ;;
    --duration) DURATION="$2"; shift ;;
    --payload) PAYLOAD="$2"; shift ;;
    --profile) PROFILE="$(realpath -m "$2")"; shift ;;
    --profile-in-flight) PROFILE_IN_FLIGHT="$2"; shift ;;
    --delay-ms) DELAY_MS="$2"; shift ;;
    --rate) RATE="$2"; shift ;;
    --partitions) export US_PARTITIONS="$2"; shift ;;
    --xmx) XMX="$2"; shift ;;
    --with-apps) export US_NO_APPS=0 ;;
    --no-apps) export US_NO_APPS=1 ;;
    --compression) COMPRESSION="$2"; shift ;;
    --priority) PRIORITY="$2"; shift ;;
    -h | --help) sed -n '2,32p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done

need_tools
command -v wrk >/dev/null ||
    die "wrk is needed but not on PATH: install it with 'sudo apt-get install -y wrk' (Debian/Ubuntu package wrk)"
if [[ -n "$PROFILE" ]]; then
    command -v jcmd >/dev/null && command -v jfr >/dev/null || die "--profile needs jcmd and jfr (a full JDK 17) on PATH"
fi
# A session long enough that a loaded 2-core machine does not expire it mid-run (a failover would spoil a figure).
SESSION_MS=10000
us_init "$US_ROOT/.bench"
RESULTS="$US_WORK/results.jsonl"
: >"$RESULTS"
trap 'rc=$?; trap - EXIT; stop_all; exit "$rc"' EXIT
trap 'exit 130' INT TERM

echo "Understudy vs ZooKeeper: $ROUNDS round(s) of ${DURATION} s wrk runs, ${PAYLOAD}-byte writes (work dir $US_WORK)"
info "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average $(cut -d' ' -f1-3 /proc/loadavg) at the start"
[[ -n "$XMX" ]] && read -r -a US_JAVA_OPTS <<<"-Xmx$XMX -XX:+UseSerialGC"
info "JVM options of the ensemble, sidecars and apps: ${US_JAVA_OPTS[*]}"
# Every member alike; balancing (when partitions > 1) after 3 s so that leaders are spread before the warm-up.
export US_REPLICATION="{ minInSync: 2, defaultDurability: sync, fsync: always, replicaLagMaxMs: 10000, \
compression: $COMPRESSION, leaderBalanceDelayMs: 3000${PRIORITY:+, highPriorityPartitions: [$PRIORITY]} }"
info "members: ${US_PARTITIONS:-1} partition(s), compression $COMPRESSION, apps $([[ "${US_NO_APPS:-0}" == 1 ]] && echo none || echo attached)${PRIORITY:+, high priority: partition $PRIORITY}${XMX:+, sidecar heap $XMX}"
ensure_jars
step_start_ensemble
pick_member_ports
if [[ "$DELAY_MS" != 0 || "$RATE" != 0 ]]; then
    for i in 0 1 2; do
        port="$(pick_port $((7201 + i)))"
        start_proc "proxy-$((i + 1))" python3 "$US_ROOT/scripts/netproxy.py" --listen "$port" \
            --target "${PEER_PORT[$i]}" --delay-ms "$DELAY_MS" --rate "$RATE"
        export "US_ADVERTISE_PORT_$i=$port"
    done
    ok "a proxy in front of each peer listener: ${DELAY_MS} ms one-way delay, rate cap ${RATE} B/s (0: none)"
fi
step_start_members "$CONNECT"
if [[ "${US_PARTITIONS:-1}" -gt 1 ]]; then
    wait_for 60 python3 -c '
import json, sys, urllib.request
leaders = set()
for port in sys.argv[1:]:
    s = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/status", timeout=3))
    leaders |= {p["leader"] for p in s["partitions"] if p.get("role") == "leader"}
sys.exit(0 if len(leaders) >= min(3, len(s["partitions"])) else 1)' "${API_PORT[@]}" ||
        bad "leaders did not spread over the members within 60 s"
    ok "leaders spread: $(curl -sS "http://127.0.0.1:${API_PORT[0]}/v1/status" | python3 -c '
import json, sys
s = json.load(sys.stdin)
print(" ".join("p%s=%s" % (p["partition"], p["leader"]) for p in s["partitions"]))')"
    LEADER_BEFORE="$(status_field "${API_PORT[0]}" 'p["leader"]')"
    EPOCH_BEFORE="$(status_field "${API_PORT[0]}" 'p["epoch"]')"
fi

LEADER="$LEADER_BEFORE"
LEADER_I="" FOLLOWER_I=""
for i in 0 1 2; do
    if [[ "${MEMBERS[$i]}" == "$LEADER" ]]; then LEADER_I="$i"; elif [[ -z "$FOLLOWER_I" ]]; then FOLLOWER_I="$i"; fi
done
[[ -n "$LEADER_I" ]] || fail_hard "the leader '$LEADER' is not one of ${MEMBERS[*]}" "${MEMBERS[@]}"
LEADER_URL="http://127.0.0.1:${API_PORT[$LEADER_I]}"
FOLLOWER_URL="http://127.0.0.1:${API_PORT[$FOLLOWER_I]}"

# run_wrk FIGURE ROUND CONNECTIONS URL SCRIPT [DURABILITY [SECONDS]]: one wrk run; its summary goes to RESULTS.
run_wrk() {
    local figure="$1" round="$2" conns="$3" url="$4" script="$5" durability="${6:-sync}" seconds="${7:-$DURATION}"
    local threads=$((conns < 2 ? conns : 2)) out="$US_WORK/logs/wrk-$1-$2.txt" line
    if ! BENCH_PAYLOAD="$PAYLOAD" BENCH_DURABILITY="$durability" BENCH_REPORT_LUA="$WRK_DIR/report.lua" \
        wrk -c "$conns" -t "$threads" -d "${seconds}s" --timeout 30s --latency -s "$WRK_DIR/$script" "$url" \
        >"$out" 2>&1; then
        bad "$figure (round $round): wrk failed: $(tail -n 3 "$out" | tr '\n' ' ')"
        return 0
    fi
    line="$(grep '^BENCH ' "$out" | tail -n 1 | cut -d' ' -f2-)"
    python3 - "$RESULTS" "$figure" "$round" "$conns" "$line" <<'EOF'
import json, sys
path, figure, rnd, conns, line = sys.argv[1:]
r = json.loads(line)
r.update(figure=figure, round=int(rnd), in_flight=int(conns))
with open(path, "a") as f:
    f.write(json.dumps(r) + "\n")
errors = r["non2xx"] + r["socket_errors"]
print(f"  • round {rnd} {figure:<18} {r['per_second']:>8.0f}/s  p50 {r['p50_ms']:6.2f} ms  p99 {r['p99_ms']:7.2f} ms"
      + (f"  {errors} ERRORS (non-2xx {r['non2xx']}, socket {r['socket_errors']})" if errors else ""))
EOF
}

# run_wrk_all FIGURE ROUND CONNECTIONS SCRIPT [DURABILITY]: three wrk at once, one per member, CONNECTIONS split
# over them; one summary line (writes/s summed, p50 and p99 the worst of the three) goes to RESULTS.
run_wrk_all() {
    local figure="$1" round="$2" conns="$3" script="$4" durability="${5:-sync}" i each pids=()
    each=$(((conns + 2) / 3))
    for i in 0 1 2; do
        BENCH_PAYLOAD="$PAYLOAD" BENCH_DURABILITY="$durability" BENCH_REPORT_LUA="$WRK_DIR/report.lua" \
            wrk -c "$each" -t 1 -d "${DURATION}s" --timeout 30s --latency -s "$WRK_DIR/$script" \
            "http://127.0.0.1:${API_PORT[$i]}" >"$US_WORK/logs/wrk-$figure-$round-$i.txt" 2>&1 &
        pids+=("$!")
    done
    for i in "${pids[@]}"; do wait "$i" || true; done
    python3 - "$RESULTS" "$figure" "$round" "$conns" "$US_WORK/logs/wrk-$figure-$round" <<'PYEOF'
import json, sys
path, figure, rnd, conns, prefix = sys.argv[1:]
rs = []
for i in range(3):
    lines = [l for l in open(f"{prefix}-{i}.txt") if l.startswith("BENCH ")]
    if lines:
        rs.append(json.loads(lines[-1].split(" ", 1)[1]))
if len(rs) < 3:
    print(f"  ✗ {figure} (round {rnd}): {3 - len(rs)} of the three wrk runs failed")
    sys.exit(0)
r = dict(per_second=sum(x["per_second"] for x in rs), p50_ms=max(x["p50_ms"] for x in rs),
         p99_ms=max(x["p99_ms"] for x in rs), non2xx=sum(x["non2xx"] for x in rs),
         socket_errors=sum(x["socket_errors"] for x in rs), figure=figure, round=int(rnd), in_flight=int(conns))
with open(path, "a") as f:
    f.write(json.dumps(r) + "\n")
errors = r["non2xx"] + r["socket_errors"]
print(f"  • round {rnd} {figure:<18} {r['per_second']:>8.0f}/s  p50 {r['p50_ms']:6.2f} ms  p99 {r['p99_ms']:7.2f} ms"
      + (f"  {errors} ERRORS" if errors else ""))
PYEOF
}

# sample_lags SECONDS: each partition's commit lag (leader's logEnd - commitIndex), sampled every 0.5 s from every
# member's /v1/status; prints the median and the largest per partition.
sample_lags() {
    python3 - "$1" "${API_PORT[@]}" <<'PYEOF'
import json, statistics, sys, time, urllib.request
seconds, ports = float(sys.argv[1]), sys.argv[2:]
lags, end = {}, time.time() + seconds
while time.time() < end:
    for port in ports:
        try:
            s = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/status", timeout=2))
        except OSError:
            continue
        for p in s["partitions"]:
            if p.get("role") == "leader" and "logEnd" in p and "commitIndex" in p:
                lags.setdefault(p["partition"], []).append(p["logEnd"] - p["commitIndex"])
    time.sleep(0.5)
for part in sorted(lags):
    print(f"  • commit lag of partition {part}: median {statistics.median(lags[part]):.0f} entries, "
          f"largest {max(lags[part])} ({len(lags[part])} samples)")
PYEOF
}

# Warm-up (not counted): the JIT compiles the write path, the log's first segment is created.
t="$(now_ms)"
run_wrk warm-up-sync 0 64 "$LEADER_URL" post-entry.lua sync >/dev/null
run_wrk warm-up-async 0 64 "$LEADER_URL" post-entry.lua async >/dev/null
run_wrk warm-up-forwarded 0 4 "$FOLLOWER_URL" post-entry.lua sync 3 >/dev/null
ok "warm-up: sync and async at 64 in flight, forwarded at 4 ($(since "$t") s)"

for ((round = 1; round <= ROUNDS; round++)); do
    run_wrk sync-1 "$round" 1 "$LEADER_URL" post-entry.lua sync
    run_wrk sync-64 "$round" 64 "$LEADER_URL" post-entry.lua sync
    run_wrk sync-256 "$round" 256 "$LEADER_URL" post-entry.lua sync
    if [[ -n "$PRIORITY" ]]; then
        sample_lags "$((DURATION - 1))" &
        LAG_PID=$!
    fi
    run_wrk async-64 "$round" 64 "$LEADER_URL" post-entry.lua async
    [[ -n "$PRIORITY" ]] && wait "$LAG_PID"
    if [[ "${US_PARTITIONS:-1}" -gt 1 ]]; then
        run_wrk_all sync-64-all "$round" 64 post-entry.lua sync
        run_wrk_all sync-256-all "$round" 256 post-entry.lua sync
        run_wrk_all async-64-all "$round" 64 post-entry.lua async
    fi
    run_wrk forwarded-sync-1 "$round" 1 "$FOLLOWER_URL" post-entry.lua sync
    run_wrk noop-1 "$round" 1 "$LEADER_URL" get-health.lua
    run_wrk noop-64 "$round" 64 "$LEADER_URL" get-health.lua
done

# The reference: the sidecar jar's bench command (Curator async sequential creates on the same ensemble). It also
# measures Understudy through its own Java HttpClient generator; those figures are kept as a cross-check only.
BENCH_OUT="$US_WORK/logs/bench-command.txt"
t="$(now_ms)"
if java -jar "$US_SIDECAR_JAR" bench --api "$LEADER_URL" --zookeeper "$CONNECT" --writes "$ZK_WRITES" \
    --rounds "$ROUNDS" --in-flight 1,64 --payload "$PAYLOAD" --durability sync >"$BENCH_OUT" 2>&1; then
    ok "bench command: ZooKeeper creates and its own Understudy figures at 1 and 64 in flight ($(since "$t") s)"
    sed 's/^/    /' "$BENCH_OUT" | grep -v -i 'slf4j' || true
else
    bad "the bench command failed: $(tail -n 5 "$BENCH_OUT" | tr '\n' ' ')"
fi

LEADER_END="$(status_field "${API_PORT[$LEADER_I]}" 'p["leader"]' || echo '?')"
EPOCH_END="$(status_field "${API_PORT[$LEADER_I]}" 'p["epoch"]' || echo '?')"
if [[ "$LEADER_END" == "$LEADER" && "$EPOCH_END" == "$EPOCH_BEFORE" ]]; then
    ok "no failover during the run: leader $LEADER, epoch $EPOCH_BEFORE throughout"
else
    bad "leadership changed during the run ($LEADER epoch $EPOCH_BEFORE -> $LEADER_END epoch $EPOCH_END): figures are suspect"
fi

echo
echo "Results (medians of $ROUNDS round(s); wrk ${DURATION} s per run; ${PAYLOAD}-byte writes; fsync always; leader $LEADER)"
echo
python3 - "$RESULTS" "$BENCH_OUT" <<'EOF'
import json, statistics, sys
results, bench_out = sys.argv[1], sys.argv[2]
runs = [json.loads(l) for l in open(results) if l.strip()]
def med(figure):
    rs = [r for r in runs if r["figure"] == figure]
    if not rs:
        return None
    m = {k: statistics.median(r[k] for r in rs) for k in ("per_second", "p50_ms", "p99_ms")}
    m["errors"] = sum(r["non2xx"] + r["socket_errors"] for r in rs)
    return m
bench = {}
try:
    for line in open(bench_out):
        parts = line.split()
        if len(parts) == 6 and parts[0].isdigit() and parts[1] in ("understudy", "zookeeper"):
            bench[(parts[1], int(parts[0]))] = dict(per_second=float(parts[2]), p50_ms=float(parts[3]),
                                                    p99_ms=float(parts[4]), errors=int(parts[5]))
except OSError:
    pass
def fmt(x, digits=2):
    return "—" if x is None else (f"{x:,.0f}" if digits == 0 else f"{x:.{digits}f}")
print("| figure (wrk, closed loop) | in flight | writes/s | p50 ms | p99 ms | errors "
      "| ZooKeeper creates/s (same in flight) | ZK p50 ms | ZK p99 ms | throughput ratio | p50 ratio |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for figure, label, level in (("sync-1", "sync, leader's API", 1), ("sync-64", "sync, leader's API", 64),
                             ("sync-256", "sync, leader's API", 256),
                             ("async-64", "async, leader's API", 64),
                             ("sync-64-all", "sync, every member's API (partitions spread)", 64),
                             ("sync-256-all", "sync, every member's API (partitions spread)", 256),
                             ("async-64-all", "async, every member's API (partitions spread)", 64),
                             ("forwarded-sync-1", "sync, through a follower (forwarded)", 1)):
    u, z = med(figure), bench.get(("zookeeper", level))
    if u is None:
        continue
    ratio = fmt(u["per_second"] / z["per_second"]) if z else "—"
    p50_ratio = fmt(u["p50_ms"] / z["p50_ms"], 1) + "x" if z and z["p50_ms"] else "—"
    print(f"| {label} | {level} | {fmt(u['per_second'], 0)} | {fmt(u['p50_ms'])} | {fmt(u['p99_ms'])} | {u['errors']} "
          f"| {fmt(z and z['per_second'], 0)} | {fmt(z and z['p50_ms'])} | {fmt(z and z['p99_ms'])} | {ratio} | {p50_ratio} |")
print()
print("| generator check | in flight | requests/s | p50 ms | p99 ms | errors |")
print("| --- | --- | --- | --- | --- | --- |")
for figure, level in (("noop-1", 1), ("noop-64", 64)):
    u = med(figure)
    if u:
        print(f"| wrk, GET /v1/health on the leader (no-op) | {level} | {fmt(u['per_second'], 0)} | {fmt(u['p50_ms'])} "
              f"| {fmt(u['p99_ms'])} | {u['errors']} |")
for level in (1, 64):
    b = bench.get(("understudy", level))
    if b:
        print(f"| `bench` command's Java HttpClient, sync POST on the leader | {level} | {fmt(b['per_second'], 0)} "
              f"| {fmt(b['p50_ms'])} | {fmt(b['p99_ms'])} | {b['errors']} |")
EOF

echo
echo "Resident memory of the sidecars at the end (JVM options: ${US_JAVA_OPTS[*]})"
for m in "${MEMBERS[@]}"; do
    pid="$(pid_of "$m")"
    [[ -n "$pid" && -r "/proc/$pid/status" ]] &&
        echo "  • $m: $(awk '/^VmRSS|^VmHWM/ {printf "%s %d MiB  ", $1, $2 / 1024}' "/proc/$pid/status")"
done

if [[ -n "$PROFILE" ]]; then
    echo
    PID="$(pid_of "$LEADER")"
    info "profiling the leader $LEADER (pid $PID) with JDK Flight Recorder during a ${PROFILE_S} s sync run at $PROFILE_IN_FLIGHT in flight"
    rm -f "$PROFILE"
    # The JDK's profile settings, but every fsync recorded (they keep only those over 10 ms).
    JFC="$US_WORK/conf/profile-all-fsyncs.jfc"
    JAVA_HOME_DIR="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
    sed '/"jdk.FileForce"/,/<\/event>/ s#<setting name="threshold" control="file-threshold">[^<]*<#<setting name="threshold">0 ms<#' \
        "$JAVA_HOME_DIR/lib/jfr/profile.jfc" >"$JFC"
    jcmd "$PID" JFR.start name=bench-compare settings="$JFC" >"$US_WORK/logs/jfr-start.txt" 2>&1 ||
        die "JFR.start failed: $(cat "$US_WORK/logs/jfr-start.txt")"
    run_wrk "profiled-sync-$PROFILE_IN_FLIGHT" 1 "$PROFILE_IN_FLIGHT" "$LEADER_URL" post-entry.lua sync "$PROFILE_S"
    jcmd "$PID" JFR.stop name=bench-compare filename="$PROFILE" >"$US_WORK/logs/jfr-stop.txt" 2>&1 ||
        die "JFR.stop failed: $(cat "$US_WORK/logs/jfr-stop.txt")"
    ok "recording in $PROFILE (do not commit it); its hottest frames:"
    jfr print --json --events jdk.ExecutionSample,jdk.NativeMethodSample,jdk.FileForce,jdk.ThreadStart,jdk.CPULoad \
        "$PROFILE" >"$US_WORK/logs/jfr-samples.json"
    python3 "$US_ROOT/scripts/jfr-top.py" "$US_WORK/logs/jfr-samples.json"
fi

echo
if [[ "$US_FAILED" == 0 ]]; then
    echo "  all runs completed ✓ (wrk outputs and logs in $US_WORK/logs)"
else
    echo "  $US_FAILED problem(s) ✗ (logs in $US_WORK/logs)"
    exit 1
fi
