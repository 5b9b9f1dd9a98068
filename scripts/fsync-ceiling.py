#!/usr/bin/env python3
"""The disk's ceiling for sync writes: a group-commit appender (Python 3, no packages), for scripts/bench-all.sh.

A closed loop of C writers in flight is, at best, group commit with C records per batch: the appender writes C
records of --record bytes in one write() to a growing log file, forces them with one fdatasync (what the sidecar's
`fsync: always` does: FileChannel.force(false)), counts C writes and starts again. With --processes 3 three such
appenders run at once on the same disk, as the three replicas of a group on one machine do. No network, no
replication, no HTTP: what the disk allows, the bound for a sync write's throughput at C in flight.

Prints one JSON line per (in flight, processes, round): writes/s per appender (the median of the appenders) and
the median fdatasync time.

Usage: scripts/fsync-ceiling.py --dir DIR [--seconds S] [--in-flight 1,64,256] [--processes 1,3] [--record 256]
                                [--rounds N]
"""
import argparse
import json
import multiprocessing
import os
import statistics
import time


def appender(path, seconds, batch, record, out):
    data = b"x" * (record * batch)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    forces, written = [], 0
    try:
        start = time.monotonic()
        end = start + seconds
        while time.monotonic() < end:
            os.write(fd, data)
            t = time.monotonic()
            os.fdatasync(fd)
            forces.append(time.monotonic() - t)
            written += batch
        out.put((written / (time.monotonic() - start), statistics.median(forces) * 1000))
    finally:
        os.close(fd)
        os.unlink(path)


def measure(directory, seconds, batch, processes, record):
    out = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=appender,
                                     args=(os.path.join(directory, f"ceiling-{i}.log"), seconds, batch, record, out))
             for i in range(processes)]
    for p in procs:
        p.start()
    results = [out.get(timeout=seconds + 60) for _ in procs]
    for p in procs:
        p.join()
    return statistics.median(r[0] for r in results), statistics.median(r[1] for r in results)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", required=True)
    parser.add_argument("--seconds", type=float, default=3)
    parser.add_argument("--in-flight", default="1,64,256")
    parser.add_argument("--processes", default="1,3")
    parser.add_argument("--record", type=int, default=256)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    for rnd in range(1, args.rounds + 1):
        for level in (int(x) for x in args.in_flight.split(",")):
            for procs in (int(x) for x in args.processes.split(",")):
                per_second, force_ms = measure(args.dir, args.seconds, level, procs, args.record)
                print(json.dumps(dict(figure="fsync", round=rnd, in_flight=level, processes=procs,
                                      record=args.record, per_second=per_second, fsync_p50_ms=force_ms)), flush=True)


if __name__ == "__main__":
    main()
