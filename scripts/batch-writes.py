#!/usr/bin/env python3
"""Many writes fast, for scripts/recovery-check.sh and scripts/catchup-bench.sh: POST /v1/entries/batch to the
sidecars' local APIs (in turn), several requests in flight at once.

usage: batch-writes.py [--acks FILE] [--prefix P] [--first N] --count C [--bytes B] [--raw] [--batch K]
                       [--threads T] [--durability sync|async] [--no-keys] [--items M] API_URL...

Write n has key PREFIX-n (PREFIX-(n mod M) with --items M: M items, each written over and over). Its value is
{"n": n, "pad": "<random hex>"} of about B bytes (JSON, what the demo app stores as the item), or with --raw a
string of exactly B bytes. Every acknowledged item is appended to FILE as one JSON
line {"id", "value", "partition", "epoch", "index"} (the format of lib.sh's check_items). A request that fails as a
whole is retried until 60 s pass; the items carry idempotency keys (unless --no-keys), so a retry never writes an
item twice.
Prints one line: "written failed lastIndex seconds".
"""
import argparse
import json
import os
import queue
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid

parser = argparse.ArgumentParser()
parser.add_argument("--acks")
parser.add_argument("--prefix", default="item")
parser.add_argument("--first", type=int, default=1)
parser.add_argument("--count", type=int, required=True)
parser.add_argument("--bytes", type=int, default=64)
parser.add_argument("--raw", action="store_true")
parser.add_argument("--items", type=int, default=0, help="write n to item PREFIX-(n mod ITEMS) (overwrites)")
parser.add_argument("--batch", type=int, default=500)
parser.add_argument("--threads", type=int, default=4)
parser.add_argument("--durability", default="sync")
parser.add_argument("--no-keys", action="store_true", help="no idempotency keys (a retried request may write twice)")
parser.add_argument("apis", nargs="+")
args = parser.parse_args()

run = uuid.uuid4().hex[:12]  # idempotency keys unique to this run
lock = threading.Lock()
totals = {"written": 0, "failed": 0, "last": 0}
acks = open(args.acks, "a") if args.acks else None
chunks = queue.Queue()
for start in range(args.first, args.first + args.count, args.batch):
    chunks.put(range(start, min(start + args.batch, args.first + args.count)))


def value_of(n):
    if args.raw:
        return "x" * args.bytes
    head = {"n": n, "pad": ""}
    # random hex: a compressed log or snapshot takes as much room as a plain one
    return {"n": n, "pad": os.urandom(args.bytes).hex()[: max(0, args.bytes - len(json.dumps(head)))]}


def post(api, body):
    request = urllib.request.Request(f"{api}/v1/entries/batch?durability={args.durability}", data=body,
                                     method="POST", headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)["results"]


def send(worker, numbers):
    items = [{"key": f"{args.prefix}-{(n % args.items) if args.items else n}", "value": value_of(n)} for n in numbers]
    if not args.no_keys:
        for n, item in zip(numbers, items):
            item["idempotencyKey"] = f"{run}-{n}"
    body = json.dumps({"entries": items}).encode()
    deadline = time.time() + 60
    attempt = 0
    while True:
        api = args.apis[(worker + attempt) % len(args.apis)]
        attempt += 1
        try:
            results = post(api, body)
            break
        except urllib.error.HTTPError as e:
            error = f"HTTP {e.code} {e.read().decode(errors='replace')[:300]}"
        except OSError as e:
            error = str(e)
        if time.time() > deadline:
            print(f"{args.prefix}-{numbers[0]}..{numbers[-1]} via {api}: {error}", file=sys.stderr, flush=True)
            with lock:
                totals["failed"] += len(items)
            return
        time.sleep(0.2)  # a leader is being elected, or the partition is overloaded: nothing to wait on instead
    lines = []
    with lock:
        for item, result in zip(items, results):
            if result.get("status") == 200:
                totals["written"] += 1
                totals["last"] = max(totals["last"], result["index"])
                if acks:
                    lines.append(json.dumps({"id": item["key"], "value": item["value"], "partition": result["partition"],
                                             "epoch": result["epoch"], "index": result["index"]}))
            else:
                totals["failed"] += 1
                print(f"{item['key']}: {json.dumps(result)[:300]}", file=sys.stderr, flush=True)
        if acks and lines:
            acks.write("\n".join(lines) + "\n")


def worker_loop(worker):
    while True:
        try:
            numbers = chunks.get_nowait()
        except queue.Empty:
            return
        send(worker, numbers)


started = time.time()
threads = [threading.Thread(target=worker_loop, args=(w,)) for w in range(args.threads)]
for t in threads:
    t.start()
for t in threads:
    t.join()
if acks:
    acks.close()
print(totals["written"], totals["failed"], totals["last"], f"{time.time() - started:.1f}")
