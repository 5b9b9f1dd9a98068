#!/usr/bin/env python3
"""Writes `sync` items through the demo apps until told to stop, then checks every app holds them all.

Used by scripts/ansible-check.sh while ansible/rolling-restart.yml runs. Like a client behind a load balancer, it
sends each write to the next app in turn with an Idempotency-Key; an attempt that fails (a member restarting, a
hand-over) is retried, with the same key, through the next app, until the write is acknowledged or --deadline-s
passes. A write counts as failed only when it was never acknowledged. Stops on SIGTERM or when --stop-file exists,
then prints one line: "writes N acknowledged, F failed, R attempts retried; every app holds all N: yes|no".
Exit 0 when no write failed and every app holds every acknowledged item with its value.
"""
import argparse
import json
import os
import signal
import sys
import time
import urllib.error
import urllib.request
import uuid


def put(app, item, value, key, timeout):
    req = urllib.request.Request(f"{app}/items/{item}?durability=sync", data=json.dumps(value).encode(), method="PUT",
                                 headers={"Content-Type": "application/json", "Idempotency-Key": key})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return json.load(r)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--apps", nargs="+", required=True, help="demo app base URLs")
    ap.add_argument("--stop-file", required=True)
    ap.add_argument("--deadline-s", type=float, default=30.0, help="how long one write may be retried")
    ap.add_argument("--log", default=None, help="where to write one line per failed attempt")
    args = ap.parse_args()
    stop = {"now": False}
    signal.signal(signal.SIGTERM, lambda *_: stop.update(now=True))
    log = open(args.log, "a") if args.log else sys.stderr
    run = uuid.uuid4().hex[:8]
    acked, failed, retried, n = {}, 0, 0, 0
    while not stop["now"] and not os.path.exists(args.stop_file):
        n += 1
        item, value, key = f"aw-{run}-{n}", {"n": n, "run": run}, f"aw-{run}-{n}"
        give_up = time.monotonic() + args.deadline_s
        attempt = 0
        while True:
            app = args.apps[(n + attempt) % len(args.apps)]
            try:
                put(app, item, value, key, timeout=max(1.0, give_up - time.monotonic()))
                acked[item] = value
                break
            except urllib.error.HTTPError as e:
                reason = f"HTTP {e.code} {e.read().decode(errors='replace')[:200]}"
            except OSError as e:
                reason = str(e)
            print(f"{time.strftime('%H:%M:%S')} {item} via {app}: {reason}", file=log, flush=True)
            if time.monotonic() >= give_up:
                failed += 1
                break
            retried += 1
            attempt += 1
            time.sleep(0.05)
    # every app must hold every acknowledged item (delivery is asynchronous: allow it time to catch up)
    missing = {}
    deadline = time.monotonic() + 30
    for app in args.apps:
        while True:
            try:
                with urllib.request.urlopen(f"{app}/items", timeout=10) as r:
                    items = json.load(r)
                missing[app] = [i for i, v in acked.items() if items.get(i) != v]
            except (OSError, ValueError) as e:
                missing[app] = [f"unreadable: {e}"]
            if not missing[app] or time.monotonic() > deadline:
                break
            time.sleep(0.5)
    whole = all(not m for m in missing.values())
    print(f"writes {len(acked)} acknowledged, {failed} failed, {retried} attempts retried; "
          f"every app holds all {len(acked)}: {'yes' if whole else 'no'}")
    for app, m in missing.items():
        if m:
            print(f"  {app} lacks {len(m)}: {m[:5]}")
    return 0 if failed == 0 and whole and acked else 1


if __name__ == "__main__":
    sys.exit(main())
