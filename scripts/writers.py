#!/usr/bin/env python3
"""Concurrent writers for scripts/chaos-check.sh: each thread PUTs unique items through random demo apps until
STOP_FILE exists, appending every acknowledged write to ACKS (one JSON line) and every failure to stderr.

usage: writers.py ACKS STOP_FILE WRITERS APP_URL...
"""
import json
import os
import random
import sys
import threading
import time
import urllib.error
import urllib.request

acks_path, stop_file, writers, apps = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
lock = threading.Lock()
counts = {"acked": 0, "failed": 0}


def write_forever(writer):
    rng = random.Random(writer)
    n = 0
    with open(acks_path, "a") as acks:
        while not os.path.exists(stop_file):
            n += 1
            app = rng.choice(apps)
            item = f"w{writer}-{n}"
            value = {"writer": writer, "n": n}
            request = urllib.request.Request(f"{app}/items/{item}", data=json.dumps(value).encode(), method="PUT",
                                             headers={"Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    ack = json.load(response)
                with lock:
                    acks.write(json.dumps({"id": item, "value": value, **ack}) + "\n")
                    acks.flush()
                    counts["acked"] += 1
            except (urllib.error.HTTPError, OSError) as e:
                detail = e.read().decode(errors="replace")[:200] if isinstance(e, urllib.error.HTTPError) else ""
                print(f"{time.strftime('%H:%M:%S')} {item} via {app}: {e} {detail}", file=sys.stderr, flush=True)
                with lock:
                    counts["failed"] += 1
                time.sleep(0.2)  # pacing after a failure: a leader is being elected; nothing to wait on instead


threads = [threading.Thread(target=write_forever, args=(w,)) for w in range(1, writers + 1)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(f"writers done: {counts['acked']} acknowledged, {counts['failed']} failed (not acknowledged)", flush=True)
