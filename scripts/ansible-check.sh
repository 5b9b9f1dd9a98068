#!/usr/bin/env bash
# What CI runs for Ansible (issue 9): ansible-lint on ansible/, then on this machine through the local inventory
# (three hosts, ansible_connection: local, a supervisord of their own): site.yml, site.yml again with changed=0 on
# every host, rolling-restart.yml while a writer keeps writing `sync` through the demo apps (no write may fail),
# teardown.yml, and a check that nothing is left running. Cleans up even when a step fails (trap).
# Needs: ansible (2.14, Debian's), ansible-lint, supervisor, java, python3, and the jars (built when missing).
# One line per step, then "ansible-check: N passed, N failed"; exit 0 when all passed. Logs in $WORK.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$US_ROOT"

WORK="${ANSIBLE_CHECK_WORK:-$US_ROOT/.ansible-check}"
export UNDERSTUDY_ANSIBLE_BASE="${UNDERSTUDY_ANSIBLE_BASE:-/tmp/understudy-ansible-check}"
export ANSIBLE_PIPELINING=1 ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0
PLAY=(ansible-playbook -i ansible/inventories/local --vault-password-file ansible/inventories/local/vault-password.txt)
PORTS=(22181 22182 22183 22881 22882 22883 22891 22892 22893 27001 27002 27003 27101 27102 27103 28001 28002 28003)
APPS=(http://127.0.0.1:28001 http://127.0.0.1:28002 http://127.0.0.1:28003)
STARTED="$(now_ms)"
TORN_DOWN=0
WRITER_PID=""

rm -rf "$WORK"
mkdir -p "$WORK"

# ours: a process whose command line names our base directory (the supervisord and the nine JVMs it runs)
our_pids() { pgrep -f -- "$UNDERSTUDY_ANSIBLE_BASE/" || true; }

cleanup() {
    [[ -n "$WRITER_PID" ]] && kill "$WRITER_PID" 2>/dev/null
    if [[ "$TORN_DOWN" == 0 && -d "$UNDERSTUDY_ANSIBLE_BASE" ]]; then
        echo "  • cleaning up: teardown.yml (log: $WORK/teardown-trap.log)"
        "${PLAY[@]}" ansible/teardown.yml >"$WORK/teardown-trap.log" 2>&1 || true
        local pid
        for pid in $(our_pids); do kill -TERM "$pid" 2>/dev/null || true; done
        sleep 2
        for pid in $(our_pids); do kill -9 "$pid" 2>/dev/null || true; done
        rm -rf "$UNDERSTUDY_ANSIBLE_BASE"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# step NAME LOG CMD...: runs CMD with its output in $WORK/LOG; prints one line with its time.
step() {
    local name="$1" log="$WORK/$2" t
    shift 2
    t="$(now_ms)"
    if "$@" >"$log" 2>&1; then
        ok "$name ($(since "$t") s)"
    else
        bad "$name failed ($(since "$t") s); last lines of $log:"
        tail -n 25 "$log" | sed 's/^/      /'
        return 1
    fi
}

# recap_changes LOG: "host=changed" for each host of the PLAY RECAP
recap_changes() { sed -n '/^PLAY RECAP/,$p' "$1" | awk '/ok=/ { for (i = 1; i <= NF; i++) if ($i ~ /^changed=/) print $1 "=" substr($i, 9) }'; }

finish() {
    echo "ansible-check: $US_PASSED passed, $US_FAILED failed ($(since "$STARTED") s; logs in $WORK)"
    [[ "$US_FAILED" == 0 ]]
    exit
}

for tool in ansible-playbook ansible-lint supervisord java python3; do
    command -v "$tool" >/dev/null || { bad "$tool is not installed (apt-get install ansible ansible-lint supervisor)"; finish; }
done
busy=()
for port in "${PORTS[@]}"; do port_free "$port" || busy+=("$port"); done
if [[ "${#busy[@]}" -gt 0 ]]; then
    bad "ports the local inventory uses are taken: ${busy[*]} (a previous run? ansible-playbook ... teardown.yml)"
    finish
fi
US_WORK="$WORK" ensure_jars

step "ansible-lint ansible/" lint.log ansible-lint ansible/ || true

step "site.yml deployed ZooKeeper, 3 sidecars and 3 demo apps; all ready, leadership settled" site-1.log \
    "${PLAY[@]}" ansible/site.yml || finish

t="$(now_ms)"
if "${PLAY[@]}" ansible/site.yml >"$WORK/site-2.log" 2>&1; then
    changes="$(recap_changes "$WORK/site-2.log" | tr '\n' ' ')"
    if [[ -n "$changes" ]] && ! grep -qv '=0$' <(recap_changes "$WORK/site-2.log"); then
        ok "site.yml again changed nothing: ${changes}($(since "$t") s)"
    else
        bad "site.yml again changed something: ${changes:-no recap}; see $WORK/site-2.log"
    fi
else
    bad "site.yml again failed; see $WORK/site-2.log"
fi

rm -f "$WORK/writer.stop"
python3 scripts/ansible-writer.py --apps "${APPS[@]}" --stop-file "$WORK/writer.stop" --log "$WORK/writer-errors.log" \
    >"$WORK/writer.out" 2>&1 &
WRITER_PID=$!
sleep 2 # let the writer get going before the first restart (nothing to wait on: it writes until told to stop)
step "rolling-restart.yml, one host at a time, followers first" rolling.log "${PLAY[@]}" ansible/rolling-restart.yml
grep -E '"msg": ".* leads \[' "$WORK/rolling.log" | sed 's/^ *"msg": /      /' | head -n 6
sleep 2
touch "$WORK/writer.stop"
if wait "$WRITER_PID"; then
    ok "writer during the rolling restart: $(head -n 1 "$WORK/writer.out")"
else
    bad "writer during the rolling restart: $(cat "$WORK/writer.out") (failed attempts: $WORK/writer-errors.log)"
fi
WRITER_PID=""

step "teardown.yml stopped and removed everything" teardown.log "${PLAY[@]}" ansible/teardown.yml && TORN_DOWN=1

left="$(our_pids | tr '\n' ' ')"
if [[ -z "$left" && ! -e "$UNDERSTUDY_ANSIBLE_BASE" ]]; then
    ok "nothing left: no process of $UNDERSTUDY_ANSIBLE_BASE running, the directory is gone"
else
    bad "left behind: processes [${left}], directory $(ls -d "$UNDERSTUDY_ANSIBLE_BASE" 2>/dev/null || echo gone)"
    TORN_DOWN=0
fi
finish
