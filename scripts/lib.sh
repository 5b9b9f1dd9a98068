# shellcheck shell=bash
# Helpers shared by demo-app/demo.sh and scripts/ensemble-check.sh. Source it; do not run it.
#
# It starts processes from the two jars, remembers their pids under $US_WORK/pids, polls with deadlines,
# reads JSON with python3, and keeps a count of failed checks in US_FAILED.

US_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
US_SIDECAR_JAR="${UNDERSTUDY_SIDECAR_JAR:-$US_ROOT/sidecar/target/understudy-sidecar.jar}" # another build for a before/after pair
US_APP_JAR="$US_ROOT/demo-app/target/understudy-demo-app.jar"
# Small heaps and a quick-starting JIT: nine JVMs share one machine here.
read -r -a US_JAVA_OPTS <<<"${UNDERSTUDY_JAVA_OPTS:--Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1}"
# How long the start-up steps wait for the ensemble, the sidecars and the apps (a loaded machine needs more).
US_START_S="${US_START_S:-60}"
US_FAILED=0
US_PASSED=0
US_STARTED=()     # names of started processes, in start order
US_TAKEN_PORTS=() # ports handed out by pick_port

# ---- output ---------------------------------------------------------------------------------------------

if [[ -t 1 ]]; then US_GREEN=$'\033[32m' US_RED=$'\033[31m' US_PLAIN=$'\033[0m'; else US_GREEN='' US_RED='' US_PLAIN=''; fi
ok() {
    printf '  %s✓%s %s\n' "$US_GREEN" "$US_PLAIN" "$*"
    US_PASSED=$((US_PASSED + 1))
}
bad() {
    printf '  %s✗%s %s\n' "$US_RED" "$US_PLAIN" "$*"
    US_FAILED=$((US_FAILED + 1))
}
info() { printf '  • %s\n' "$*"; }
die() {
    printf '  %s✗%s %s\n' "$US_RED" "$US_PLAIN" "$*" >&2
    US_FAILED=$((US_FAILED + 1))
    exit 1
}

now_ms() { date +%s%3N; }

# seconds since a now_ms value, one decimal
since() {
    local ms=$(($(now_ms) - $1))
    echo "$((ms / 1000)).$((ms % 1000 / 100))"
}

# ---- set-up ---------------------------------------------------------------------------------------------

# us_init DIR: a fresh work dir with logs/, pids/, conf/ and data/.
us_init() {
    US_WORK="$1"
    if [[ -d "$US_WORK/pids" ]]; then
        stop_from_pid_files "$US_WORK" # a previous --stay run still going
    fi
    rm -rf "$US_WORK"
    mkdir -p "$US_WORK/logs" "$US_WORK/pids" "$US_WORK/conf" "$US_WORK/data"
}

need_tools() {
    local tool
    for tool in java curl python3; do
        command -v "$tool" >/dev/null || die "$tool is needed but not on PATH"
    done
}

# Builds both jars (from the repo root) when either is missing.
ensure_jars() {
    if [[ -f "$US_SIDECAR_JAR" && -f "$US_APP_JAR" ]]; then
        return 0
    fi
    command -v mvn >/dev/null || die "the jars are missing and mvn is not on PATH to build them"
    local started log="${US_WORK:-/tmp}/build.log"
    started="$(now_ms)"
    if ! (cd "$US_ROOT" && mvn -B -q -DskipTests package) >"$log" 2>&1; then
        tail -n 40 "$log" >&2
        die "build failed (mvn -B -q -DskipTests package); full log: $log"
    fi
    ok "built the jars with mvn -B -q -DskipTests package ($(since "$started") s)"
}

random_token() { python3 -c 'import secrets; print(secrets.token_hex(16))'; }

# ---- ports ----------------------------------------------------------------------------------------------

port_free() {
    python3 - "$1" <<'EOF'
import socket, sys
s = socket.socket()
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
finally:
    s.close()
EOF
}

# pick_port DEFAULT: DEFAULT when it is free, otherwise a free port the system chooses. Never hands out a port twice.
# The cluster's defaults below move up by US_PORT_OFFSET (0 unless set): scripts that often run at the same time as
# others on one machine set their own, so that two of them rarely pick the same free port a moment apart.
pick_port() {
    local port="$1" taken
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        taken=0
        for p in "${US_TAKEN_PORTS[@]+"${US_TAKEN_PORTS[@]}"}"; do [[ "$p" == "$port" ]] && taken=1; done
        if [[ "$taken" == 0 ]] && port_free "$port"; then
            US_TAKEN_PORTS+=("$port")
            echo "$port"
            return 0
        fi
        # below Linux's ephemeral range (32768+), where outgoing connections cannot take it before we bind it
        port="$((20000 + RANDOM % 12000))"
    done
    echo "no free port found near $1" >&2
    return 1
}

# ---- polling --------------------------------------------------------------------------------------------

# wait_for SECONDS CMD...: runs CMD every 0.2 s until it succeeds (0) or SECONDS pass (1).
wait_for() {
    local deadline=$(($(now_ms) + $1 * 1000))
    shift
    until "$@" >/dev/null 2>&1; do
        (($(now_ms) < deadline)) || return 1
        sleep 0.2
    done
}

# wait_up SECONDS NAME... -- CMD...: like wait_for, but gives up at once when a named process has exited
# (a port taken by someone else, a bad config): the caller then shows that process's log.
wait_up() {
    local deadline=$(($(now_ms) + $1 * 1000)) names=() name
    shift
    while [[ "$1" != "--" ]]; do names+=("$1"); shift; done
    shift
    until "$@" >/dev/null 2>&1; do
        for name in "${names[@]}"; do
            alive "$name" || return 1
        done
        (($(now_ms) < deadline)) || return 1
        sleep 0.2
    done
}

zk_ruok() {
    python3 - "$1" <<'EOF'
import socket, sys
with socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1) as s:
    s.sendall(b"ruok")
    sys.exit(0 if s.recv(16) == b"imok" else 1)
EOF
}

# true when a ZooKeeper server answers srvr with a mode (standalone, leader or follower)
zk_serving() {
    python3 - "$1" <<'EOF'
import socket, sys
with socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1) as s:
    s.sendall(b"srvr")
    data = b""
    while chunk := s.recv(4096):
        data += chunk
sys.exit(0 if b"Mode: " in data else 1)
EOF
}

zk_mode() {
    python3 - "$1" <<'EOF' 2>/dev/null || echo "down"
import socket, sys
with socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1) as s:
    s.sendall(b"srvr")
    data = b""
    while chunk := s.recv(4096):
        data += chunk
for line in data.decode().splitlines():
    if line.startswith("Mode: "):
        print(line[6:])
EOF
}

http_ok() { curl -sS -f -o /dev/null --max-time 2 "$1"; }

# http_code CURL_ARGS...: the status code of one request (000 when there was no answer).
http_code() { curl -s -o /dev/null -w '%{http_code}' --max-time 3 "$@" || true; }

# ---- processes ------------------------------------------------------------------------------------------

# start_proc NAME CMD...: runs CMD in the background, output to $US_WORK/logs/NAME.log (appended).
start_proc() {
    local name="$1"
    shift
    "$@" >>"$US_WORK/logs/$name.log" 2>&1 &
    echo "$!" >"$US_WORK/pids/$name.pid"
    local seen=0
    for n in "${US_STARTED[@]+"${US_STARTED[@]}"}"; do [[ "$n" == "$name" ]] && seen=1; done
    [[ "$seen" == 1 ]] || US_STARTED+=("$name")
}

pid_of() { cat "$US_WORK/pids/$1.pid" 2>/dev/null; }

alive() {
    local pid
    pid="$(pid_of "$1")" || return 1
    [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null
}

# kill_9 NAME: the crash, no goodbye.
kill_9() {
    local pid
    pid="$(pid_of "$1")"
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    rm -f "$US_WORK/pids/$1.pid"
}

# stop_procs NAME...: SIGTERM (graceful) to all, then SIGKILL whoever is still there after 15 s.
stop_procs() {
    local name pid pids=()
    for name in "$@"; do
        pid="$(pid_of "$name")" || continue
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null || true
            pids+=("$pid")
        fi
        rm -f "$US_WORK/pids/$name.pid"
    done
    local deadline=$(($(now_ms) + 15000))
    for pid in "${pids[@]+"${pids[@]}"}"; do
        while kill -0 "$pid" 2>/dev/null && (($(now_ms) < deadline)); do sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
}

# stop_all: apps, then sidecars, then ZooKeeper servers (reverse start order).
stop_all() {
    local names=() i
    for ((i = ${#US_STARTED[@]} - 1; i >= 0; i--)); do
        [[ "${US_STARTED[$i]}" == app-* ]] && names+=("${US_STARTED[$i]}")
    done
    stop_procs "${names[@]+"${names[@]}"}"
    names=()
    for ((i = ${#US_STARTED[@]} - 1; i >= 0; i--)); do
        [[ "${US_STARTED[$i]}" == node-* ]] && names+=("${US_STARTED[$i]}")
    done
    stop_procs "${names[@]+"${names[@]}"}"
    names=()
    for ((i = ${#US_STARTED[@]} - 1; i >= 0; i--)); do
        [[ "${US_STARTED[$i]}" != app-* && "${US_STARTED[$i]}" != node-* ]] && names+=("${US_STARTED[$i]}")
    done
    stop_procs "${names[@]+"${names[@]}"}"
}

# stop_from_pid_files DIR: stops what a previous run left under DIR/pids (only processes running our jars).
stop_from_pid_files() {
    local dir="$1" file pid
    for file in "$dir"/pids/*.pid; do
        [[ -f "$file" ]] || continue
        pid="$(cat "$file")"
        if [[ -n "$pid" ]] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'understudy-'; then
            kill -TERM "$pid" 2>/dev/null || true
            for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -9 "$pid" 2>/dev/null || true
        fi
        rm -f "$file"
    done
}

# tail_logs NAME...: the end of each process's log, for failures.
tail_logs() {
    local name
    for name in "$@"; do
        [[ -f "$US_WORK/logs/$name.log" ]] || continue
        echo "----- last lines of $US_WORK/logs/$name.log -----" >&2
        tail -n 25 "$US_WORK/logs/$name.log" >&2
    done
}

# ---- the cluster ----------------------------------------------------------------------------------------

# start_zookeeper NAME PORT [--id N --servers ...]: one embedded ZooKeeper server.
start_zookeeper() {
    local name="$1" port="$2"
    shift 2
    start_proc "$name" java "${US_JAVA_OPTS[@]}" -jar "$US_SIDECAR_JAR" zookeeper --port "$port" \
        --dir "$US_WORK/data/$name" "$@"
}

# write_sidecar_yaml FILE MEMBER ZK_CONNECT API_PORT PEER_PORT APP_PORT TOKEN [SESSION_MS]: the README's example
# configuration. US_GROUP names the group (default catalog); US_REPLICATION, when set, replaces its replication line (e.g. to leave minInSync at its default);
# US_PARTITIONS sets partitions (default 1); US_ADVERTISE_PORT_<MEMBER index 0..2> advertises another peer port (a
# proxy in front of the listener); APP_PORT empty: no app; US_GROUP names the group (default catalog); US_EXTRA_YAML
# is appended as it is (more keys, e.g. "log: { segmentBytes: 1048576 }").
write_sidecar_yaml() {
    local index="${2##*-}" advertise
    advertise="US_ADVERTISE_PORT_$((index - 1))"
    advertise="${!advertise:-$5}"
    cat >"$1" <<EOF
group: ${US_GROUP:-catalog}
member: $2
zookeeper: { connect: "$3", sessionTimeoutMs: ${8:-4000} }
api:  { listen: "127.0.0.1:$4" }
peer: { listen: "127.0.0.1:$5", advertise: "http://127.0.0.1:$advertise", token: "$7" }
$([[ -n "$6" ]] && echo "app:  { url: \"http://127.0.0.1:$6\" }")
dataDir: "$US_WORK/data/$2"
partitions: ${US_PARTITIONS:-1}
replication: ${US_REPLICATION:-"{ minInSync: 2, defaultDurability: sync, fsync: always, replicaLagMaxMs: 10000 }"}
${US_EXTRA_YAML:-}
EOF
}

start_sidecar() { # NAME
    start_proc "$1" java "${US_JAVA_OPTS[@]}" -jar "$US_SIDECAR_JAR" run --config "$US_WORK/conf/$1.yaml"
}

start_app() { # NAME PORT SIDECAR_API_PORT
    start_proc "$1" java "${US_JAVA_OPTS[@]}" -jar "$US_APP_JAR" --port "$2" --sidecar "http://127.0.0.1:$3"
}

status_json() { curl -sS -f --max-time 3 "http://127.0.0.1:$1/v1/status"; }

# status_field API_PORT EXPR: evaluates EXPR on partition 0 of /v1/status (p) or the whole report (s).
status_field() {
    local body
    body="$(status_json "$1")" || return 1
    python3 -c '
import json, sys
s = json.loads(sys.argv[1]); p = s["partitions"][0]
v = eval(sys.argv[2])
print(",".join(v) if isinstance(v, list) else v)' "$body" "$2"
}

# settled API_PORT ISR_SIZE [NOT_LEADER]: true when partition 0 has a leader (other than NOT_LEADER),
# this member is its leader or a follower, and the ISR has ISR_SIZE members.
settled() {
    local body
    body="$(status_json "$1")" || return 1
    python3 -c '
import json, sys
s = json.loads(sys.argv[1]); n = int(sys.argv[2]); avoid = sys.argv[3]
ok = all(p["leader"] and p["leader"] != avoid and p["role"] in ("leader", "follower") and len(p["isr"]) == n
         for p in s["partitions"])
sys.exit(0 if ok else 1)' "$body" "$2" "${3:-}"
}

# write_items ACKS PREFIX FIRST COUNT APP_URL...: PUTs PREFIX-FIRST .. through the apps in turn (sync).
# Every acknowledged write is appended to ACKS as one JSON line; prints "written failed lastIndex".
write_items() {
    python3 - "$@" <<'EOF'
import json, sys, urllib.request, urllib.error
acks, prefix, first, count, apps = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5:]
written = failed = last = 0
with open(acks, "a") as out:
    for n in range(first, first + count):
        app = apps[(n - first) % len(apps)]
        item = f"{prefix}-{n}"
        value = {"n": n, "via": app.rsplit(":", 1)[1]}
        req = urllib.request.Request(f"{app}/items/{item}", data=json.dumps(value).encode(), method="PUT",
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=20) as r:
                ack = json.load(r)
            out.write(json.dumps({"id": item, "value": value, **ack}) + "\n")
            written += 1
            last = max(last, ack["index"])
        except urllib.error.HTTPError as e:
            failed += 1
            print(f"{item} via {app}: HTTP {e.code} {e.read().decode(errors='replace')[:300]}", file=sys.stderr)
        except OSError as e:
            failed += 1
            print(f"{item} via {app}: {e}", file=sys.stderr)
print(written, failed, last)
EOF
}

# probe_write ACKS SINCE_MS DEADLINE_S APP_URL ITEM: retries one sync write until it is acknowledged.
# Prints "ms_since_SINCE epoch index leader attempts" (exit 0) or the last error (exit 1).
probe_write() {
    python3 - "$@" <<'EOF'
import json, sys, time, urllib.request, urllib.error
acks, since, deadline_s, app, item = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5]
value = {"probe": item}
deadline = time.time() + deadline_s
attempts, last_error = 0, ""
while time.time() < deadline:
    attempts += 1
    req = urllib.request.Request(f"{app}/items/{item}?durability=sync", data=json.dumps(value).encode(),
                                 method="PUT", headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=max(1, deadline - time.time())) as r:
            ack = json.load(r)
        took = int(time.time() * 1000) - since
        with open(acks, "a") as out:
            out.write(json.dumps({"id": item, "value": value, **ack}) + "\n")
        print(took, ack["epoch"], ack["index"], attempts)
        sys.exit(0)
    except urllib.error.HTTPError as e:
        last_error = f"HTTP {e.code} {e.read().decode(errors='replace')[:300]}"
    except OSError as e:
        last_error = str(e)
    time.sleep(0.1)
print(f"no acknowledgement after {attempts} attempts; last answer: {last_error}")
sys.exit(1)
EOF
}

# check_items ACKS MIN_INDEX APP_URL...: reads GET /items?minIndex= from every app; prints a one-line verdict.
# Exit 0 when all answers are identical and hold every acknowledged item with its acknowledged value.
check_items() {
    python3 - "$@" <<'EOF'
import json, sys, urllib.request, urllib.error
acks_file, min_index, apps = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
acked, acked_at = {}, {}
with open(acks_file) as f:
    for line in f:  # an item written more than once holds the value written at the highest index
        a = json.loads(line)
        if a["id"] not in acked_at or a["index"] >= acked_at[a["id"]]:
            acked[a["id"]], acked_at[a["id"]] = a["value"], a["index"]
views, problems = {}, []
for app in apps:
    try:
        with urllib.request.urlopen(f"{app}/items?minIndex={min_index}&timeoutMs=15000", timeout=20) as r:
            views[app] = json.load(r)
    except urllib.error.HTTPError as e:
        problems.append(f"{app}: HTTP {e.code} {e.read().decode(errors='replace')[:200]}")
    except OSError as e:
        problems.append(f"{app}: {e}")
for app, items in views.items():
    missing = [i for i in acked if i not in items]
    wrong = [i for i in acked if i in items and items[i] != acked[i]]
    if missing:
        problems.append(f"{app} lacks {len(missing)} acknowledged item(s), e.g. {missing[:3]}")
    if wrong:
        problems.append(f"{app} holds other values for {len(wrong)} item(s), e.g. {wrong[:3]}")
distinct = {json.dumps(v, sort_keys=True) for v in views.values()}
if len(distinct) > 1:
    problems.append("the apps answer with different item sets: "
                    + ", ".join(f"{a} has {len(v)}" for a, v in views.items()))
if problems:
    print("; ".join(problems))
    sys.exit(1)
sizes = {len(v) for v in views.values()}
print(f"{sizes.pop()} items, all {len(acked)} acknowledged ones, identical on {len(apps)} apps")
EOF
}

# write_batch ACKS PREFIX FIRST COUNT BYTES API_URL... [-- BATCH_WRITES_OPTION...]: COUNT writes of about BYTES
# each through POST /v1/entries/batch (scripts/batch-writes.py: batches of 500, 4 in flight, idempotency keys),
# acknowledged ones appended to ACKS. Sets BATCH_WRITTEN, BATCH_FAILED, BATCH_LAST (highest index), BATCH_S; true
# when every write was acknowledged. Client errors go to CLIENT_LOG.
write_batch() {
    local acks="$1" prefix="$2" first="$3" count="$4" bytes="$5" apis=() extra=()
    shift 5
    while (($#)) && [[ "$1" != "--" ]]; do apis+=("$1"); shift; done
    (($#)) && shift && extra=("$@")
    read -r BATCH_WRITTEN BATCH_FAILED BATCH_LAST BATCH_S < <(python3 "$US_ROOT/scripts/batch-writes.py" \
        --acks "$acks" --prefix "$prefix" --first "$first" --count "$count" --bytes "$bytes" \
        "${extra[@]+"${extra[@]}"}" "${apis[@]}" 2>>"${CLIENT_LOG:-/dev/stderr}")
    [[ "$BATCH_FAILED" == 0 && "$BATCH_WRITTEN" == "$count" ]]
}

# last_index ACKS: the highest acknowledged index (partition 0).
last_index() {
    python3 -c '
import json, sys
print(max((json.loads(l)["index"] for l in open(sys.argv[1]) if l.strip()), default=0))' "$1"
}

# ---- the story, step by step (demo.sh and ensemble-check.sh tell it with different sizes) ----------------
#
# Globals: MEMBERS (node-1..3), API_PORT/PEER_PORT/APP_PORT (arrays by member index), ACKS (acknowledged writes,
# one JSON line each), CLIENT_LOG (client-side errors), SESSION_MS. The steps set LEADER_BEFORE/EPOCH_BEFORE,
# OLD (the killed leader) and its index OLD_I, SURVIVORS, FAILOVER_MS, LEADER_AFTER/EPOCH_AFTER, CATCH_UP_S.

MEMBERS=(node-1 node-2 node-3)

# fail_hard MESSAGE NAME...: a step the story cannot go on without. Shows the named logs, then exits 1.
fail_hard() {
    local message="$1"
    shift
    bad "$message"
    tail_logs "$@"
    exit 1
}

app_url() { echo "http://127.0.0.1:${APP_PORT[$1]}"; }
app_urls() { # INDEX...
    local i
    for i in "$@"; do app_url "$i"; done
}
app_names() { # INDEX... -> "app-1, app-3"
    local i out=""
    for i in "$@"; do out+="${out:+, }app-$((i + 1))"; done
    echo "$out"
}

# step_start_ensemble: three ZooKeeper servers as separate JVMs; sets ZK_PORTS and CONNECT.
step_start_ensemble() {
    local i t servers=""
    ZK_PORTS=()
    for i in 0 1 2; do
        ZK_PORTS+=("$(pick_port $((2181 + ${US_PORT_OFFSET:-0} + i)))")
        servers+="${servers:+,}127.0.0.1:$(pick_port $((2888 + ${US_PORT_OFFSET:-0} + i))):$(pick_port $((3888 + ${US_PORT_OFFSET:-0} + i)))"
    done
    t="$(now_ms)"
    for i in 0 1 2; do
        start_zookeeper "zookeeper-$((i + 1))" "${ZK_PORTS[$i]}" --id $((i + 1)) --servers "$servers"
    done
    for i in 0 1 2; do
        wait_up "$US_START_S" zookeeper-1 zookeeper-2 zookeeper-3 -- zk_serving "${ZK_PORTS[$i]}" ||
            fail_hard "ZooKeeper server $((i + 1)) is not serving on port ${ZK_PORTS[$i]} (a server exited, or $US_START_S s passed)" \
                zookeeper-1 zookeeper-2 zookeeper-3
    done
    ok "ZooKeeper ensemble up ($(since "$t") s): $(for i in 0 1 2; do printf 'server %d :%s %s  ' $((i + 1)) "${ZK_PORTS[$i]}" "$(zk_mode "${ZK_PORTS[$i]}")"; done)"
    CONNECT="127.0.0.1:${ZK_PORTS[0]},127.0.0.1:${ZK_PORTS[1]},127.0.0.1:${ZK_PORTS[2]}"
    ZK_SERVERS="$servers"
}

pick_member_ports() {
    API_PORT=() PEER_PORT=() APP_PORT=()
    local i
    for i in 0 1 2; do
        API_PORT+=("$(pick_port $((7001 + ${US_PORT_OFFSET:-0} + i)))")
        PEER_PORT+=("$(pick_port $((7101 + ${US_PORT_OFFSET:-0} + i)))")
        APP_PORT+=("$(pick_port $((8001 + ${US_PORT_OFFSET:-0} + i)))")
    done
}

# add_member_ports INDEX: API, peer and app ports for one more member (node-INDEX+1), next to the first three's.
add_member_ports() {
    API_PORT[$1]="$(pick_port $((7001 + ${US_PORT_OFFSET:-0} + $1)))"
    PEER_PORT[$1]="$(pick_port $((7101 + ${US_PORT_OFFSET:-0} + $1)))"
    APP_PORT[$1]="$(pick_port $((8001 + ${US_PORT_OFFSET:-0} + $1)))"
}

# member_index NAME: the index of node-N in MEMBERS (N - 1).
member_index() {
    local i
    for i in "${!MEMBERS[@]}"; do [[ "${MEMBERS[$i]}" == "$1" ]] && echo "$i"; done
    return 0
}

# append_garbage NAME: appends 37 random bytes to the largest file of the member's data dir (a torn write at the
# end of a log segment, or worse); prints the file's path under the work dir.
append_garbage() {
    local largest
    largest="$(find "$US_WORK/data/$1" -type f -printf '%s %p\n' | sort -n | tail -n 1 | cut -d' ' -f2-)"
    head -c 37 /dev/urandom >>"$largest"
    echo "${largest#"$US_WORK/"}"
}

# data_dir_bytes NAME: the bytes the member's data dir takes (du, apparent size).
data_dir_bytes() { du -sb "$US_WORK/data/$1" | cut -f1; }

mib() { python3 -c 'import sys; print(f"{int(sys.argv[1]) / 1048576:.1f}")' "$1"; }

# step_start_members ZK_CONNECT: three sidecars (one random token, kept in GROUP_TOKEN for members that join later)
# and three demo apps (none when US_NO_APPS=1); waits until every member sees an elected leader and an ISR of 3.
step_start_members() {
    local connect="$1" token t i
    token="$(random_token)"
    GROUP_TOKEN="$token"
    t="$(now_ms)"
    for i in 0 1 2; do
        write_sidecar_yaml "$US_WORK/conf/${MEMBERS[$i]}.yaml" "${MEMBERS[$i]}" "$connect" \
            "${API_PORT[$i]}" "${PEER_PORT[$i]}" "$([[ "${US_NO_APPS:-0}" == 1 ]] || echo "${APP_PORT[$i]}")" \
            "$token" "$SESSION_MS"
        start_sidecar "${MEMBERS[$i]}"
        [[ "${US_NO_APPS:-0}" == 1 ]] || start_app "app-$((i + 1))" "${APP_PORT[$i]}" "${API_PORT[$i]}"
    done
    for i in 0 1 2; do
        [[ "${US_NO_APPS:-0}" == 1 ]] && break
        wait_up "$US_START_S" "app-$((i + 1))" -- http_ok "$(app_url "$i")/health" ||
            fail_hard "demo app app-$((i + 1)) did not answer on port ${APP_PORT[$i]} (it exited, or $US_START_S s passed)" "app-$((i + 1))"
    done
    for i in 0 1 2; do
        wait_up "$US_START_S" "${MEMBERS[@]}" -- settled "${API_PORT[$i]}" 3 ||
            fail_hard "${MEMBERS[$i]} did not see an elected leader with an ISR of 3 (a sidecar exited, or $US_START_S s passed)" "${MEMBERS[@]}"
    done
    LEADER_BEFORE="$(status_field "${API_PORT[0]}" 'p["leader"]')"
    EPOCH_BEFORE="$(status_field "${API_PORT[0]}" 'p["epoch"]')"
    ok "3 sidecars (API :${API_PORT[0]} :${API_PORT[1]} :${API_PORT[2]}) and $([[ "${US_NO_APPS:-0}" == 1 ]] && echo "no demo apps" ||
        echo "3 demo apps (:${APP_PORT[0]} :${APP_PORT[1]} :${APP_PORT[2]})") up ($(since "$t") s)"
    ok "leader $LEADER_BEFORE, epoch $EPOCH_BEFORE, ISR [$(status_field "${API_PORT[0]}" 'p["isr"]')], the same on every member"
}

# step_write FIRST COUNT INDEX...: sync writes item-FIRST.. through the given apps in turn.
step_write() {
    local first="$1" count="$2" t written failed last
    shift 2
    t="$(now_ms)"
    read -r written failed last < <(write_items "$ACKS" item "$first" "$count" $(app_urls "$@") 2>>"$CLIENT_LOG")
    if [[ "$failed" == 0 && "$written" == "$count" ]]; then
        ok "wrote $written items (PUT /items/item-$first..$((first + count - 1)), sync) through $(app_names "$@") in turn; last index $last ($(since "$t") s)"
    else
        bad "$failed of $count writes through $(app_names "$@") failed; the last errors:"
        tail -n 5 "$CLIENT_LOG"
    fi
}

# step_check WHAT INDEX...: every given app answers GET /items?minIndex=<last acknowledged index> identically,
# holding every acknowledged item with its acknowledged value.
step_check() {
    local what="$1" verdict last
    shift
    last="$(last_index "$ACKS")"
    if verdict="$(check_items "$ACKS" "$last" $(app_urls "$@"))"; then
        ok "$what: GET /items?minIndex=$last on $(app_names "$@"): $verdict"
    else
        bad "$what: $verdict"
    fi
}

# step_kill_leader: kill -9 of the leader's sidecar, then one sync write retried through a survivor until it is
# acknowledged (FAILOVER_MS after the kill), then the new leader as the survivors see it.
step_kill_leader() {
    local i probe epoch_probe index_probe attempts
    OLD="$LEADER_BEFORE"
    OLD_I=""
    for i in 0 1 2; do [[ "${MEMBERS[$i]}" == "$OLD" ]] && OLD_I="$i"; done
    [[ -n "$OLD_I" ]] || fail_hard "the leader '$OLD' is not one of ${MEMBERS[*]}" "${MEMBERS[@]}"
    SURVIVORS=()
    for i in 0 1 2; do [[ "$i" == "$OLD_I" ]] || SURVIVORS+=("$i"); done
    local s1="${SURVIVORS[0]}"

    info "kill -9 of the leader's sidecar $OLD (pid $(pid_of "$OLD")); its ZooKeeper session expires after $SESSION_MS ms"
    local killed_at
    killed_at="$(now_ms)"
    kill_9 "$OLD"
    if probe="$(probe_write "$ACKS" "$killed_at" 60 "$(app_url "$s1")" failover-probe 2>>"$CLIENT_LOG")"; then
        read -r FAILOVER_MS epoch_probe index_probe attempts <<<"$probe"
        ok "a sync write through app-$((s1 + 1)) succeeded again $(fmt_s "$FAILOVER_MS") s after the kill ($attempts attempts; index $index_probe, epoch $epoch_probe)"
    else
        FAILOVER_MS=""
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
}

# step_restart_old: the killed sidecar again, same config and data dir; waits until it is back in the ISR.
step_restart_old() {
    local t s1="${SURVIVORS[0]}"
    t="$(now_ms)"
    start_sidecar "$OLD"
    if wait_up 60 "$OLD" -- settled "${API_PORT[$OLD_I]}" 3 && wait_for 30 settled "${API_PORT[$s1]}" 3; then
        CATCH_UP_S="$(since "$t")"
        ok "$OLD restarted (same config and data dir), back in the ISR [$(status_field "${API_PORT[$s1]}" 'p["isr"]')] as $(status_field "${API_PORT[$OLD_I]}" 'p["role"]') ($CATCH_UP_S s)"
    else
        CATCH_UP_S=""
        bad "$OLD did not get back into the ISR within 60 s"
        tail_logs "$OLD" "${MEMBERS[$s1]}"
    fi
}

# step_restart_app INDEX: kill -9 of a demo app, restarted with empty memory; with no new writes it must hold every
# acknowledged item again (its sidecar redelivers). Sets APP_BACK_S.
step_restart_app() {
    local i="$1" t
    kill_9 "app-$((i + 1))"
    t="$(now_ms)"
    start_app "app-$((i + 1))" "${APP_PORT[$i]}" "${API_PORT[$i]}"
    wait_up 30 "app-$((i + 1))" -- http_ok "$(app_url "$i")/health" || fail_hard "app-$((i + 1)) did not come back" "app-$((i + 1))"
    if wait_for 20 check_items "$ACKS" 0 "$(app_url "$i")"; then
        APP_BACK_S="$(since "$t")"
        ok "app-$((i + 1)) killed and restarted with empty memory holds every acknowledged item again $APP_BACK_S s after its start, with no new writes"
    else
        APP_BACK_S=""
        bad "app-$((i + 1)) restarted empty: $(check_items "$ACKS" 0 "$(app_url "$i")")"
    fi
}

fmt_s() { python3 -c "print(f'{int(\"$1\")/1000:.1f}')"; }

acknowledged_count() { python3 -c 'import json,sys; print(len({json.loads(l)["id"] for l in open(sys.argv[1])}))' "$ACKS"; }
