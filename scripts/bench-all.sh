#!/usr/bin/env bash
# Issue 7's whole comparison in one run, from a fresh clone: builds the jars when they are missing, measures every
# table of docs/benchmarks.md and writes them as markdown to .bench/report.md (git ignores .bench/).
#
# Starts one 3-server ZooKeeper ensemble for the whole run, then for each section a fresh group of three sidecars
# (scripts/bench-compare.sh: wrk, a closed loop of C connections = C writes in flight; every JVM at -Xmx64m):
#   fsync        the disk's ceiling: a group-commit appender (scripts/fsync-ceiling.py), 1 and 3 at once
#   base         no apps, 1 partition: sync/async x 1/64/256 in flight x 256 B/4 KiB, the ZooKeeper reference at
#                the same levels and payloads (same ensemble, same run), forwarded vs direct, the batch endpoint,
#                writes to every member, wrk's no-op ceiling, and the `bench` command's own verdict on its client
#   apps         the main figures again with the three demo apps attached
#   partitions   3 partitions, leaders spread, writes sent to every member (against base's 1 partition)
#   distance     20 ms one-way delay on every peer link (a delaying proxy): sync at 1/64/256 in flight
#   priority     3 partitions led by one member, partition 0 high, peer links throttled: each one's commit lag
#   compression  lz4 and zstd on loopback; none, lz4 and zstd on a throttled link
# Memory (VmRSS, VmHWM of each sidecar) is taken at the end of every section.
#
# Usage: scripts/bench-all.sh [--quick] [--rounds R] [--duration S] [--only SECTION,...] [--xmx SIZE]
#                             [--out FILE]
#   --rounds R     rounds per figure, medians reported (default 3)
#   --duration S   seconds per wrk run (default 5; --quick 3)
#   --quick        1 round of 3 s runs, 2 s warm-ups, a shorter reference, compression on the throttled link
#                  only: about 6 minutes on a quiet 2-core machine (the default profile takes about 20)
#   --only LIST    only these sections (comma-separated, from the list above), e.g. --only fsync,base
#   --xmx SIZE     heap of every JVM (default 64m)
#   --out FILE     the report (default .bench/report.md); the raw measurements go beside it (results.jsonl)
# Environment: US_START_S (seconds to wait for a group to come up; default 180).
# Needs: java 17, mvn (only to build), python3, curl, wrk (Debian package wrk). Only 127.0.0.1 is targeted.
set -euo pipefail

SCRIPTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROUNDS=3 DURATION="" WARMUP="" ZK_WRITES=2000 FSYNC_S=2 PROFILE=default ONLY="" XMX=64m OUT=""
DELAY_MS=20 PRIORITY_RATE=204800 COMPRESSION_RATE=1048576 BATCH=64
ALL_SECTIONS=(fsync base apps partitions distance priority compression)
ARGS="$*"
while (($#)); do
    case "$1" in
    --quick) PROFILE=quick ROUNDS=1 ZK_WRITES=500 FSYNC_S=1 ;;
    --rounds) ROUNDS="$2"; shift ;;
    --duration) DURATION="$2"; shift ;;
    --only) ONLY="$2"; shift ;;
    --xmx) XMX="$2"; shift ;;
    --out) OUT="$(realpath -m "$2")"; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done
if [[ "$PROFILE" == quick ]]; then DURATION="${DURATION:-3}" WARMUP=2; else DURATION="${DURATION:-5}" WARMUP=5; fi
export UNDERSTUDY_JAVA_OPTS="-Xmx$XMX -XX:+UseSerialGC"
# A loaded machine can take minutes to start a group; a section that cannot start is noted and skipped.
export US_START_S="${US_START_S:-180}"
# shellcheck source=lib.sh
source "$SCRIPTS/lib.sh"

SECTIONS=("${ALL_SECTIONS[@]}")
if [[ -n "$ONLY" ]]; then
    IFS=, read -r -a SECTIONS <<<"$ONLY"
    for s in "${SECTIONS[@]}"; do
        [[ " ${ALL_SECTIONS[*]} " == *" $s "* ]] || { echo "unknown section $s (sections: ${ALL_SECTIONS[*]})" >&2; exit 2; }
    done
fi
selected() { [[ " ${SECTIONS[*]} " == *" $1 "* ]]; }

need_tools
command -v wrk >/dev/null ||
    die "wrk is needed but not on PATH: install it with 'sudo apt-get install -y wrk' (Debian/Ubuntu package wrk)"
OUT="${OUT:-$US_ROOT/.bench/report.md}"
us_init "$US_ROOT/.bench/all"
RESULTS="$US_WORK/results.jsonl"
: >"$RESULTS"
PROBLEMS=()
trap 'rc=$?; trap - EXIT; stop_all; exit "$rc"' EXIT
trap 'exit 130' INT TERM
STARTED="$(now_ms)"
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"

echo "Issue 7's benchmark, profile $PROFILE: $ROUNDS round(s) of ${DURATION} s wrk runs; sections ${SECTIONS[*]}"
info "machine: $(nproc) cores, load average $LOAD_START; every JVM: $UNDERSTUDY_JAVA_OPTS; work dir $US_WORK"
ensure_jars

if selected fsync; then
    echo
    echo "== fsync: the disk's group-commit ceiling"
    t="$(now_ms)"
    if python3 "$SCRIPTS/fsync-ceiling.py" --dir "$US_WORK/data/fsync" --seconds "$FSYNC_S" --rounds "$ROUNDS" \
        --in-flight 1,64,256 --processes 1,3 >"$US_WORK/logs/fsync.jsonl" 2>"$US_WORK/logs/fsync.err"; then
        sed 's/}$/, "label": "fsync"}/' "$US_WORK/logs/fsync.jsonl" >>"$RESULTS"
        ok "fsync ceiling measured ($(since "$t") s)"
    else
        bad "fsync ceiling failed: $(tail -n 3 "$US_WORK/logs/fsync.err" | tr '\n' ' ')"
        PROBLEMS+=("fsync failed")
    fi
fi

NEEDS_GROUP=0
for s in "${SECTIONS[@]}"; do [[ "$s" != fsync ]] && NEEDS_GROUP=1; done
if [[ "$NEEDS_GROUP" == 1 ]]; then
    echo
    echo "== one ZooKeeper ensemble for every section"
    step_start_ensemble
fi

# section LABEL OPTION...: one bench-compare.sh run (a fresh group on the shared ensemble); a failure is noted and
# the next section runs.
section() {
    local label="$1" t
    shift
    echo
    echo "== $label: scripts/bench-compare.sh $*"
    t="$(now_ms)"
    if "$SCRIPTS/bench-compare.sh" --rounds "$ROUNDS" --duration "$DURATION" --warm-up "$WARMUP" \
        --zk-writes "$ZK_WRITES" --zookeeper "$CONNECT" --body text --batch "$BATCH" --zk-in-flight none \
        --work "$US_ROOT/.bench/all/$label" --results "$RESULTS" --label "$label" "$@" \
        >"$US_WORK/logs/section-$label.txt" 2>&1; then
        ok "$label done ($(since "$t") s)"
    else
        bad "$label had problems ($(since "$t") s): $(grep -E '✗' "$US_WORK/logs/section-$label.txt" | head -n 3 | tr '\n' ' ')"
        PROBLEMS+=("section $label had problems (log: .bench/all/logs/section-$label.txt)")
    fi
    grep -E '^  • (round|ZooKeeper creates|commit lag|bench command)' "$US_WORK/logs/section-$label.txt" || true
}

selected base && section base --no-apps --payloads 256,4096 --zk-in-flight 1,64,256 --bench-cli 64 --figures \
    "sync-1,sync-64,sync-256,async-1,async-64,async-256,forwarded-sync-1@256,forwarded-sync-64@256,batch-sync-4@256,\
sync-64-all@256,sync-256-all@256,async-64-all@256,noop-1,noop-64,noop-256"
selected apps && section apps --with-apps --payloads 256 --figures sync-1,sync-64,sync-256,async-64
selected partitions && section partitions --no-apps --partitions 3 --payloads 256 \
    --figures sync-64-all,sync-256-all,async-64-all
selected distance && section distance --no-apps --delay-ms "$DELAY_MS" --payloads 256 --figures sync-1,sync-64,sync-256
# One leader for the three partitions (so that its link to each follower carries them all), writes straight to it,
# runs twice as long as the others so that a lag can build.
selected priority && section priority --no-apps --partitions 3 --one-leader --priority 0 --rate "$PRIORITY_RATE" \
    --payloads 256 --duration $((DURATION * 2)) --figures async-64-leaders
if selected compression; then
    # --quick leaves out the loopback runs (two group starts): compression can only pay where the link is the limit.
    [[ "$PROFILE" == quick ]] || for codec in lz4 zstd; do
        section "compression-$codec-loopback" --no-apps --compression "$codec" --payloads 256 --figures sync-64,async-64
    done
    for codec in none lz4 zstd; do
        section "compression-$codec-throttled" --no-apps --compression "$codec" --rate "$COMPRESSION_RATE" \
            --payloads 256 --figures sync-64,async-64
    done
fi

stop_all
RUN_S="$(since "$STARTED")"
META="$US_WORK/meta.json"
python3 - "$META" <<EOF
import json, sys
json.dump({
    "command": "scripts/bench-all.sh${ARGS:+ $ARGS}",
    "date": "$(date -u '+%Y-%m-%d %H:%M UTC')",
    "commit": "$(cd "$US_ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)$(cd "$US_ROOT" && git diff --quiet HEAD 2>/dev/null || echo ' + local changes')",
    "machine": "$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo) RAM, data on $(df -P "$US_WORK" | awk 'NR == 2 {print $1}'), loopback, every process on the same machine",
    "load_start": "$LOAD_START", "load_end": "$(cut -d' ' -f1-3 /proc/loadavg)",
    "run_time_s": $RUN_S, "profile": "$PROFILE", "rounds": $ROUNDS, "duration_s": $DURATION, "warm_up_s": $WARMUP,
    "zk_writes": $ZK_WRITES, "fsync_s": $FSYNC_S, "java_opts": "$UNDERSTUDY_JAVA_OPTS", "body": "text (fresh JSON-like records)",
    "batch": $BATCH, "delay_ms": $DELAY_MS, "priority_rate": $PRIORITY_RATE, "compression_rate": $COMPRESSION_RATE,
    "sections": "${SECTIONS[*]}".split(), "problems": "; ".join(sys.argv[2:]),
}, open(sys.argv[1], "w"), indent=1)
EOF
python3 - "$META" "${PROBLEMS[@]+"${PROBLEMS[@]}"}" <<'EOF'
import json, sys
meta = json.load(open(sys.argv[1]))
meta["problems"] = "; ".join(sys.argv[2:])
json.dump(meta, open(sys.argv[1], "w"), indent=1)
EOF
mkdir -p "$(dirname "$OUT")"
python3 "$SCRIPTS/bench-report.py" report "$RESULTS" "$META" >"$OUT"
cp "$RESULTS" "$(dirname "$OUT")/results.jsonl"
echo
echo "report: $OUT (raw measurements: $(dirname "$OUT")/results.jsonl), run time $(python3 -c "print(f'{$RUN_S / 60:.1f}')") min"
if [[ "$US_FAILED" == 0 ]]; then
    echo "  every section completed ✓"
else
    echo "  $US_FAILED problem(s) ✗ (logs in $US_WORK/logs)"
    exit 1
fi
