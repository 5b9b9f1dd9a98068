#!/usr/bin/env bash
# Issue 7's comparison for ONE group configuration: Understudy's write path against the ZooKeeper ensemble it sits
# on, measured in one run (scripts/bench-all.sh runs it once per configuration and writes every table).
#
# Starts (from the jars, scripts/lib.sh) a 3-server ZooKeeper ensemble (or uses --zookeeper), three sidecars (fsync:
# always, minInSync 2, one partition by default) and three demo apps (unless --no-apps), then measures with wrk (a
# closed loop: C connections = C writes in flight) the --figures; by default sync writes at 1, 64 and 256 in flight
# and async at 64 on the leader's local API (POST /v1/entries), one sync write in flight through a follower
# (forwarded to the leader), the generator's own ceiling (GET /v1/health, a no-op, at 1 and 64 connections), and,
# through the sidecar jar's `bench --reference-only`, ZooKeeper's sequential creates via Curator at 1 and 64 in
# flight (the reference). Prints medians over the rounds as a markdown table with the ratio to ZooKeeper.
#
# Usage: scripts/bench-compare.sh [--quick] [--rounds N] [--duration S] [--warm-up S] [--payload BYTES]
#                                  [--payloads B1,B2] [--figures F1,F2,...] [--zk-in-flight C1,C2|none]
#                                  [--body fill|text] [--batch N] [--profile FILE.jfr] [--profile-in-flight C]
#                                  [--delay-ms MS] [--rate BYTES_PER_S] [--partitions N] [--xmx SIZE]
#                                  [--with-apps | --no-apps] [--compression none|lz4|zstd] [--priority P]
#                                  [--link-window BYTES] [--zookeeper CONNECT] [--work DIR]
#                                  [--results FILE --label NAME]
#   --quick          1 round of 5 s runs (about 2 minutes in all); default 3 rounds of 10 s runs
#   --warm-up S      seconds of each warm-up run (sync and async at 64 in flight, forwarded at 4); default --duration
#   --payloads LIST  every write figure at each payload size (default: --payload, 256)
#   --figures LIST   the figures to measure, in order (default: sync-1,sync-64,sync-256,async-64, the "-all" ones
#                    with --partitions >= 2, forwarded-sync-1,noop-1,noop-64). A figure is
#                      sync-C | async-C                  C writes in flight on the leader's API
#                      forwarded-sync-C | forwarded-async-C   C in flight on a follower's API (forwarded)
#                      sync-C-all | async-C-all          three wrk at once, one per member, C split over them
#                      sync-C-leaders | async-C-leaders  one wrk per partition at once, on its leader's API with
#                                                        &partition=P (nothing forwarded), C split over them
#                      batch-sync-C | batch-async-C      C batch requests (--batch entries each) on the leader's API
#                      noop-C                            GET /v1/health at C connections: the generator's ceiling
#                    and FIGURE@BYTES measures a write figure at that payload only (not at each of --payloads)
#   --zk-in-flight   the levels of the ZooKeeper reference (the jar's `bench --reference-only`: Curator async
#                    sequential creates, same payload), at each payload; default 1,64; none: no reference
#   --bench-cli C    also run the jar's `bench` command (its own Java client, sync, C in flight) against the leader
#                    and record its figure with its own verdict (does its client measure the sidecar or itself?)
#   --body text      a fresh JSON-like record per write (compressible like real data) instead of a fixed fill
#   --batch N        entries per batch request (default 64)
#   --profile FILE   after the measurements, records the leader sidecar with JDK Flight Recorder during a 20 s sync
#                    run at C in flight (default 64; settings=profile, every fsync recorded) into FILE and prints
#                    its hottest frames, threads, fsyncs and thread starts (scripts/jfr-top.py)
#   --delay-ms MS    a proxy (scripts/netproxy.py) in front of each member's peer listener, MS one-way delay each way
#   --rate B         the same proxy caps each member's peer link at B bytes/s per direction (a throttled link)
#   --partitions N   N partitions, leaders spread over the members, and the write figures also measured with writes
#                    sent to every member at once (figures "*-all": three wrk, the in-flight count split over them)
#   --xmx SIZE       the heap of every JVM started (e.g. 64m); the resident memory (VmRSS, VmHWM) of each sidecar is reported
#   --no-apps        no demo apps attached (--with-apps, attached, is the default)
#   --compression C  replication.compression on every member
#   --priority P     replication.highPriorityPartitions: [P] (with --partitions >= 2, best with --rate): also samples
#                    each partition's commit lag (logEnd - commitIndex) during every async figure
#   --link-window B  replication.linkWindowBytes on every member
#   --one-leader     no leader balancing, and every partition switched over to partition 0's leader (so that a
#                    leader's per-follower link carries every partition: what --priority needs to show)
#   --zookeeper C    use this running ensemble (a fresh group named after --label) instead of starting one
#   --work DIR       work dir (default .bench/compare/ under the repository root; wiped at the start)
#   --results FILE   also append every measurement to FILE as JSON lines, each with "label": NAME (for bench-all.sh)
# Environment: UNDERSTUDY_JAVA_OPTS (JVM options of the 9 processes; default -Xmx256m -XX:+UseSerialGC, full JIT),
# US_START_S (seconds to wait for the ensemble, the sidecars and the apps to come up; default 60).
# Only 127.0.0.1 is ever targeted.
set -euo pipefail

# Full JIT here (lib.sh's default stops at C1 to start nine JVMs quickly): steady-state throughput is measured.
export UNDERSTUDY_JAVA_OPTS="${UNDERSTUDY_JAVA_OPTS:--Xmx256m -XX:+UseSerialGC}"
# shellcheck source=lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"
WRK_DIR="$US_ROOT/scripts/wrk"

ROUNDS=3
DURATION=10
WARMUP=""
PAYLOADS="256"
FIGURES=""
ZK_IN_FLIGHT="1,64"
ZK_WRITES=2000
BODY=fill
BATCH=64
PROFILE=""
PROFILE_S=20
PROFILE_IN_FLIGHT=64
DELAY_MS=0 RATE=0 XMX="" COMPRESSION=none PRIORITY="" LINK_WINDOW=""
WORK="$US_ROOT/.bench/compare" EXTRA_RESULTS="" LABEL=run ZK_CONNECT="" BENCH_CLI="" ONE_LEADER=0
while (($#)); do
    case "$1" in
    --quick) ROUNDS=1 DURATION=5 ZK_WRITES=1000 ;;
    --rounds) ROUNDS="$2"; shift ;;
    --duration) DURATION="$2"; shift ;;
    --warm-up) WARMUP="$2"; shift ;;
    --payload | --payloads) PAYLOADS="$2"; shift ;;
    --figures) FIGURES="$2"; shift ;;
    --zk-in-flight) ZK_IN_FLIGHT="$2"; shift ;;
    --zk-writes) ZK_WRITES="$2"; shift ;;
    --body) BODY="$2"; shift ;;
    --batch) BATCH="$2"; shift ;;
    --link-window) LINK_WINDOW="$2"; shift ;;
    --work) WORK="$(realpath -m "$2")"; shift ;;
    --results) EXTRA_RESULTS="$(realpath -m "$2")"; shift ;;
    --label) LABEL="$2"; shift ;;
    --zookeeper) ZK_CONNECT="$2"; shift ;;
    --bench-cli) BENCH_CLI="$2"; shift ;;
    --one-leader) ONE_LEADER=1 ;;
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
    -h | --help) sed -n '2,/^set -euo/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; exit 0 ;;
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
WARMUP="${WARMUP:-$DURATION}"
IFS=, read -r -a PAYLOAD_LIST <<<"$PAYLOADS"
if [[ -z "$FIGURES" ]]; then
    FIGURES="sync-1,sync-64,sync-256,async-64"
    [[ "${US_PARTITIONS:-1}" -gt 1 ]] && FIGURES+=",sync-64-all,sync-256-all,async-64-all"
    FIGURES+=",forwarded-sync-1,noop-1,noop-64"
fi
IFS=, read -r -a FIGURE_LIST <<<"$FIGURES"
# A session long enough that a loaded 2-core machine does not expire it mid-run (a failover would spoil a figure).
SESSION_MS=10000
us_init "$WORK"
RESULTS="$US_WORK/results.jsonl"
: >"$RESULTS"
trap 'rc=$?; trap - EXIT; stop_all; exit "$rc"' EXIT
trap 'exit 130' INT TERM

echo "Understudy vs ZooKeeper: $ROUNDS round(s) of ${DURATION} s wrk runs, ${PAYLOADS}-byte writes (work dir $US_WORK)"
info "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average $(cut -d' ' -f1-3 /proc/loadavg) at the start"
[[ -n "$XMX" ]] && read -r -a US_JAVA_OPTS <<<"-Xmx$XMX -XX:+UseSerialGC"
info "JVM options of the ensemble, sidecars and apps: ${US_JAVA_OPTS[*]}"
# Every member alike; balancing (when partitions > 1) after 3 s so that leaders are spread before the warm-up.
export US_REPLICATION="{ minInSync: 2, defaultDurability: sync, fsync: always, replicaLagMaxMs: 10000, \
compression: $COMPRESSION, leaderBalanceDelayMs: $([[ "$ONE_LEADER" == 1 ]] && echo 0 || echo 3000)${PRIORITY:+, highPriorityPartitions: [$PRIORITY]}\
${LINK_WINDOW:+, linkWindowBytes: $LINK_WINDOW} }"
info "members: ${US_PARTITIONS:-1} partition(s), compression $COMPRESSION, apps $([[ "${US_NO_APPS:-0}" == 1 ]] && echo none || echo attached)${PRIORITY:+, high priority: partition $PRIORITY}${LINK_WINDOW:+, link window $LINK_WINDOW B}${XMX:+, heap $XMX}"
ensure_jars
if [[ -n "$ZK_CONNECT" ]]; then
    CONNECT="$ZK_CONNECT"
    export US_GROUP="bench-$LABEL-$(date +%s)"
    ok "ZooKeeper ensemble $CONNECT (already running), group $US_GROUP"
else
    step_start_ensemble
fi
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
if [[ "$ONE_LEADER" == 1 ]]; then
    for ((p = 1; p < ${US_PARTITIONS:-1}; p++)); do
        curl -sS -X POST --max-time 60 "http://127.0.0.1:${API_PORT[0]}/v1/switchover?partition=$p&to=$LEADER_BEFORE&timeoutMs=50000" \
            >>"$US_WORK/logs/switchover.txt" 2>&1 || true
        echo >>"$US_WORK/logs/switchover.txt"
    done
    wait_for "$US_START_S" python3 -c '
import json, sys, urllib.request
s = json.load(urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/v1/status", timeout=3))
sys.exit(0 if all(p["leader"] == sys.argv[2] for p in s["partitions"]) else 1)' "${API_PORT[0]}" "$LEADER_BEFORE" ||
        bad "not every partition moved to $LEADER_BEFORE: $(tr '\n' ' ' <"$US_WORK/logs/switchover.txt")"
    ok "every partition led by $LEADER_BEFORE (switchover, leader balancing off)"
elif [[ "${US_PARTITIONS:-1}" -gt 1 ]]; then
    wait_for "$US_START_S" python3 -c '
import json, sys, urllib.request
leaders = set()
for port in sys.argv[1:]:
    s = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/status", timeout=3))
    leaders |= {p["leader"] for p in s["partitions"] if p.get("role") == "leader"}
sys.exit(0 if len(leaders) >= min(3, len(s["partitions"])) else 1)' "${API_PORT[@]}" ||
        bad "leaders did not spread over the members within $US_START_S s"
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

# record JSON: one measurement (a JSON object) appended to RESULTS and, with --results, to that file, with the label.
record() {
    local line="${1%\}}, \"label\": \"$LABEL\"}"
    echo "$line" >>"$RESULTS"
    if [[ -n "$EXTRA_RESULTS" ]]; then echo "$line" >>"$EXTRA_RESULTS"; fi
}

# wrk_env PAYLOAD DURABILITY: the environment of the Lua scripts.
wrk_env() {
    echo "BENCH_PAYLOAD=$1" "BENCH_DURABILITY=$2" "BENCH_BODY=$BODY" "BENCH_BATCH=$BATCH" \
        "BENCH_BODY_LUA=$WRK_DIR/body.lua" "BENCH_REPORT_LUA=$WRK_DIR/report.lua"
}

# summarise FIGURE ROUND CONNECTIONS PAYLOAD ENTRIES_PER_REQUEST FILE...: one wrk run's summary (several files: three
# wrk at once, writes/s summed, p50 and p99 the worst) recorded (see record) and printed. Warm-ups are not recorded.
summarise() {
    python3 - "$LABEL" "$RESULTS" "$EXTRA_RESULTS" "$@" <<'EOF' || bad "$1 (round $2): wrk failed: $(tail -q -n 3 "${@:6}" | tr '\n' ' ')"
import json, sys
label, paths = sys.argv[1], sys.argv[2:4]
figure, rnd, conns, payload, entries, files = sys.argv[4], sys.argv[5], sys.argv[6], sys.argv[7], sys.argv[8], sys.argv[9:]
rs = []
for name in files:
    lines = [l for l in open(name) if l.startswith("BENCH ")]
    if lines:
        rs.append(json.loads(lines[-1].split(" ", 1)[1]))
if len(rs) < len(files):
    sys.exit(1)
r = dict(per_second=sum(x["per_second"] for x in rs), p50_ms=max(x["p50_ms"] for x in rs),
         p99_ms=max(x["p99_ms"] for x in rs), non2xx=sum(x["non2xx"] for x in rs),
         socket_errors=sum(x["socket_errors"] for x in rs))
r.update(figure=figure, round=int(rnd), in_flight=int(conns), payload=int(payload), entries_per_request=int(entries),
         label=label)
r["entries_per_second"] = r["per_second"] * r["entries_per_request"]
if figure.startswith("warm-up"):
    sys.exit(0)
for path in paths:
    if path:
        with open(path, "a") as f:
            f.write(json.dumps(r) + "\n")
errors = r["non2xx"] + r["socket_errors"]
name = f"{figure} {payload}B" if not figure.startswith("noop") else figure
unit = f"{r['entries_per_second']:>8.0f} entries/s" if r["entries_per_request"] > 1 else f"{r['per_second']:>8.0f}/s"
print(f"  • round {rnd} {name:<24} {unit}  p50 {r['p50_ms']:6.2f} ms  p99 {r['p99_ms']:7.2f} ms"
      + (f"  {errors} ERRORS (non-2xx {r['non2xx']}, socket {r['socket_errors']})" if errors else ""), flush=True)
EOF
}

# run_wrk FIGURE ROUND CONNECTIONS URL SCRIPT [DURABILITY [SECONDS [PAYLOAD [ENTRIES]]]]: one wrk run.
run_wrk() {
    local figure="$1" round="$2" conns="$3" url="$4" script="$5" durability="${6:-sync}" seconds="${7:-$DURATION}"
    local payload="${8:-${PAYLOAD_LIST[0]}}" entries="${9:-1}"
    local threads=$((conns < 2 ? conns : 2)) out="$US_WORK/logs/wrk-$1-$payload-$2.txt"
    # shellcheck disable=SC2046
    env $(wrk_env "$payload" "$durability") wrk -c "$conns" -t "$threads" -d "${seconds}s" --timeout 30s --latency \
        -s "$WRK_DIR/$script" "$url" >"$out" 2>&1 || true
    summarise "$figure" "$round" "$conns" "$payload" "$entries" "$out"
}

# run_wrk_all FIGURE ROUND CONNECTIONS SCRIPT DURABILITY PAYLOAD: three wrk at once, one per member, CONNECTIONS
# split over them.
run_wrk_all() {
    local figure="$1" round="$2" conns="$3" script="$4" durability="$5" payload="$6" i each pids=() outs=()
    each=$(((conns + 2) / 3))
    for i in 0 1 2; do
        outs+=("$US_WORK/logs/wrk-$figure-$payload-$round-$i.txt")
        # shellcheck disable=SC2046
        env $(wrk_env "$payload" "$durability") wrk -c "$each" -t 1 -d "${DURATION}s" --timeout 30s --latency \
            -s "$WRK_DIR/$script" "http://127.0.0.1:${API_PORT[$i]}" >"${outs[$i]}" 2>&1 &
        pids+=("$!")
    done
    for i in "${pids[@]}"; do wait "$i" || true; done
    summarise "$figure" "$round" "$conns" "$payload" 1 "${outs[@]}"
}

# run_wrk_leaders FIGURE ROUND CONNECTIONS DURABILITY PAYLOAD: one wrk per partition at once, each on its leader's
# API with &partition=P (nothing forwarded), CONNECTIONS split over them.
run_wrk_leaders() {
    local figure="$1" round="$2" conns="$3" durability="$4" payload="$5" pairs each pair out outs=() pids=()
    read -r -a pairs <<<"$(python3 - "${API_PORT[@]}" <<'EOF'
import json, sys, urllib.request
leaders = {}
for port in sys.argv[1:]:
    s = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/status", timeout=3))
    leaders.update({p["partition"]: port for p in s["partitions"] if p.get("role") == "leader"})
print(" ".join(f"{k}:{v}" for k, v in sorted(leaders.items())))
EOF
)"
    each=$(((conns + ${#pairs[@]} - 1) / ${#pairs[@]}))
    for pair in "${pairs[@]}"; do
        out="$US_WORK/logs/wrk-$figure-$payload-$round-p${pair%%:*}.txt"
        outs+=("$out")
        # shellcheck disable=SC2046
        env $(wrk_env "$payload" "$durability") BENCH_PARTITION="${pair%%:*}" wrk -c "$each" -t 1 -d "${DURATION}s" \
            --timeout 30s --latency -s "$WRK_DIR/post-entry.lua" "http://127.0.0.1:${pair#*:}" >"$out" 2>&1 &
        pids+=("$!")
    done
    for pair in "${pids[@]}"; do wait "$pair" || true; done
    summarise "$figure" "$round" "$conns" "$payload" 1 "${outs[@]}"
}

# sample_lags FIGURE ROUND SECONDS: each partition's commit lag (leader's logEnd - commitIndex), sampled every 0.5 s
# from every member's /v1/status; records and prints the median and the largest per partition.
sample_lags() {
    python3 - "$1" "$2" "$3" "$PRIORITY" "$LABEL" "$RESULTS" "$EXTRA_RESULTS" "${API_PORT[@]}" <<'EOF'
import json, statistics, sys, time, urllib.request
fig, rnd, seconds, prio, label, paths, ports = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4], \
    sys.argv[5], sys.argv[6:8], sys.argv[8:]
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
for part, v in sorted(lags.items()):
    r = dict(figure="lag", during=fig, round=rnd, partition=part, high=str(part) == prio,
             median_lag=statistics.median(v), max_lag=max(v), samples=len(v), label=label)
    for path in paths:
        if path:
            with open(path, "a") as f:
                f.write(json.dumps(r) + "\n")
    print(f"  • commit lag of partition {part} ({'high' if r['high'] else 'normal'}) during {fig}: median "
          f"{r['median_lag']:.0f} entries, largest {r['max_lag']} ({len(v)} samples)", flush=True)
EOF
}

# run_figure NAME ROUND PAYLOAD: one figure of --figures (see the usage above).
run_figure() {
    local fig="$1" round="$2" payload="$3" lag_pid=""
    if [[ -n "$PRIORITY" && "$fig" == *async* ]]; then
        sample_lags "$fig" "$round" "$((DURATION > 2 ? DURATION - 1 : 1))" &
        lag_pid=$!
    fi
    case "$fig" in
    noop-*) run_wrk "$fig" "$round" "${fig#noop-}" "$LEADER_URL" get-health.lua sync "$DURATION" 0 ;;
    forwarded-sync-* | forwarded-async-*)
        local rest="${fig#forwarded-}"
        run_wrk "$fig" "$round" "${rest#*-}" "$FOLLOWER_URL" post-entry.lua "${rest%%-*}" "$DURATION" "$payload" ;;
    batch-sync-* | batch-async-*)
        local rest="${fig#batch-}"
        run_wrk "$fig" "$round" "${rest#*-}" "$LEADER_URL" post-batch.lua "${rest%%-*}" "$DURATION" "$payload" "$BATCH" ;;
    sync-*-leaders | async-*-leaders)
        local rest="${fig%-leaders}"
        run_wrk_leaders "$fig" "$round" "${rest#*-}" "${rest%%-*}" "$payload" ;;
    sync-*-all | async-*-all)
        local rest="${fig%-all}"
        run_wrk_all "$fig" "$round" "${rest#*-}" post-entry.lua "${rest%%-*}" "$payload" ;;
    sync-* | async-*) run_wrk "$fig" "$round" "${fig#*-}" "$LEADER_URL" post-entry.lua "${fig%%-*}" "$DURATION" "$payload" ;;
    *) bad "unknown figure $fig (see --help)" ;;
    esac
    if [[ -n "$lag_pid" ]]; then wait "$lag_pid" || true; fi
}

# Warm-up (not counted): the JIT compiles the write path, the log's first segment is created.
t="$(now_ms)"
run_wrk warm-up-sync 0 64 "$LEADER_URL" post-entry.lua sync "$WARMUP" >/dev/null
run_wrk warm-up-async 0 64 "$LEADER_URL" post-entry.lua async "$WARMUP" >/dev/null
run_wrk warm-up-forwarded 0 4 "$FOLLOWER_URL" post-entry.lua sync "$((WARMUP < 3 ? WARMUP : 3))" >/dev/null
ok "warm-up: sync and async at 64 in flight (${WARMUP} s each), forwarded at 4 ($(since "$t") s)"

for ((round = 1; round <= ROUNDS; round++)); do
    for fig in "${FIGURE_LIST[@]}"; do
        if [[ "$fig" == noop-* ]]; then
            run_figure "$fig" "$round" 0
        elif [[ "$fig" == *@* ]]; then
            run_figure "${fig%@*}" "$round" "${fig#*@}"
        else
            for payload in "${PAYLOAD_LIST[@]}"; do run_figure "$fig" "$round" "$payload"; done
        fi
    done
done

# The reference: the sidecar jar's bench command, ZooKeeper alone (Curator async sequential creates on the same
# ensemble, the same payload, the same number in flight).
if [[ "$ZK_IN_FLIGHT" != none ]]; then
    for payload in "${PAYLOAD_LIST[@]}"; do
        BENCH_OUT="$US_WORK/logs/bench-reference-$payload.json"
        t="$(now_ms)"
        if java "${US_JAVA_OPTS[@]}" -jar "$US_SIDECAR_JAR" bench --reference-only --zookeeper "$CONNECT" \
            --writes "$ZK_WRITES" --rounds "$ROUNDS" --in-flight "$ZK_IN_FLIGHT" --payload "$payload" --json \
            >"$BENCH_OUT" 2>"$US_WORK/logs/bench-reference-$payload.err"; then
            python3 - "$BENCH_OUT" "$LABEL" "$RESULTS" "$EXTRA_RESULTS" <<'EOF'
import json, sys
doc, label, paths = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3:]
for row in doc["results"]:
    r = dict(figure="zk-%d" % row["inFlight"], in_flight=row["inFlight"], payload=doc["payloadBytes"],
             per_second=row["writesPerSecond"], p50_ms=row["p50Millis"], p99_ms=row["p99Millis"],
             errors=row["errors"], rounds=doc["rounds"], writes=doc["writesPerRound"], label=label)
    for path in paths:
        if path:
            with open(path, "a") as f:
                f.write(json.dumps(r) + "\n")
    print(f"  • ZooKeeper creates, {r['payload']}B, {r['in_flight']} in flight: {r['per_second']:.0f}/s  "
          f"p50 {r['p50_ms']:.2f} ms  p99 {r['p99_ms']:.2f} ms" + (f"  {r['errors']} ERRORS" if r["errors"] else ""))
EOF
            ok "ZooKeeper reference at $ZK_IN_FLIGHT in flight, ${payload}-byte creates, $ZK_WRITES per round ($(since "$t") s)"
        else
            bad "the bench command (ZooKeeper reference) failed: $(tail -n 5 "$US_WORK/logs/bench-reference-$payload.err" | tr '\n' ' ')"
        fi
    done
fi

# The bench command's own client, with its own verdict on whether it measured the sidecar or itself.
if [[ -n "$BENCH_CLI" ]]; then
    t="$(now_ms)"
    if java "${US_JAVA_OPTS[@]}" -jar "$US_SIDECAR_JAR" bench --api "$LEADER_URL" --writes "$ZK_WRITES" \
        --rounds "$ROUNDS" --in-flight "$BENCH_CLI" --payload "${PAYLOAD_LIST[0]}" --durability sync --json \
        >"$US_WORK/logs/bench-cli.json" 2>"$US_WORK/logs/bench-cli.err"; then
        while read -r line; do
            record "$line"
            info "bench command: $line"
        done < <(python3 -c '
import json, sys
doc = json.load(open(sys.argv[1]))
for row in doc["results"]:
    if row["target"] == "understudy":
        print(json.dumps(dict(figure="cli", in_flight=row["inFlight"], cli_per_second=row["writesPerSecond"],
                              noop_per_second=row["clientNoOpPerSecond"], verdict=row["generator"])))' \
            "$US_WORK/logs/bench-cli.json")
        ok "bench command's own client at $BENCH_CLI in flight ($(since "$t") s)"
    else
        bad "the bench command failed: $(tail -n 5 "$US_WORK/logs/bench-cli.err" | tr '\n' ' ')"
    fi
fi

LEADER_END="$(status_field "${API_PORT[$LEADER_I]}" 'p["leader"]' || echo '?')"
EPOCH_END="$(status_field "${API_PORT[$LEADER_I]}" 'p["epoch"]' || echo '?')"
if [[ "$LEADER_END" == "$LEADER" && "$EPOCH_END" == "$EPOCH_BEFORE" ]]; then
    ok "no failover during the run: leader $LEADER, epoch $EPOCH_BEFORE throughout"
    record '{"figure": "stable", "stable": true}'
else
    bad "leadership changed during the run ($LEADER epoch $EPOCH_BEFORE -> $LEADER_END epoch $EPOCH_END): figures are suspect"
    record '{"figure": "stable", "stable": false}'
fi

echo
echo "Resident memory of the sidecars at the end (JVM options: ${US_JAVA_OPTS[*]})"
for m in "${MEMBERS[@]}"; do
    pid="$(pid_of "$m")"
    if [[ -n "$pid" && -r "/proc/$pid/status" ]]; then
        rss="$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")" hwm="$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status")"
        record "{\"figure\": \"rss\", \"member\": \"$m\", \"rss_kib\": $rss, \"hwm_kib\": $hwm, \"java_opts\": \"${US_JAVA_OPTS[*]}\"}"
        echo "  • $m: VmRSS $((rss / 1024)) MiB, VmHWM $((hwm / 1024)) MiB"
    fi
done

echo
echo "Results (medians of $ROUNDS round(s); wrk ${DURATION} s per run; fsync always; leader $LEADER)"
echo
python3 "$US_ROOT/scripts/bench-report.py" table "$RESULTS"

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
