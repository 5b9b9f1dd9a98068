#!/usr/bin/env python3
"""Summarises a JDK Flight Recorder recording for scripts/bench-compare.sh (JDK 17 has no `jfr view hot-methods`).

Input: the output of `jfr print --json --events jdk.ExecutionSample,jdk.NativeMethodSample,jdk.FileForce,
jdk.ThreadStart,jdk.CPULoad FILE.jfr` (recorded with settings=profile).
Prints: the hottest top frames of the Java samples, the samples per thread (digits folded: "XNIO-1 task-3" ->
"XNIO-# task-#"), the project's own methods by inclusive share, and where the threads sampled in native code
were (fsync = FileDispatcherImpl.force0, waiting = epoll, park, sleep, socket accept), the fsyncs (jdk.FileForce)
by thread with their mean duration, the threads started and by whom, and the JVM's and machine's CPU load.
"""
import collections
import json
import re
import sys

TOP = 15


def frames(event):
    trace = event["values"].get("stackTrace") or {}
    out = []
    for f in trace.get("frames") or []:
        m = f.get("method") or {}
        cls = ((m.get("type") or {}).get("name") or "?").replace("/", ".")
        out.append(f"{cls}.{m.get('name', '?')}")
    return out


def thread(event):
    t = event["values"].get("sampledThread") or {}
    name = t.get("javaName") or t.get("osName") or "?"
    return re.sub(r"\d+", "#", name)


def table(title, counter, total, limit=TOP):
    print(f"  {title} ({total} samples)")
    for key, n in counter.most_common(limit):
        print(f"    {100 * n / max(1, total):5.1f}%  {key}")


def millis(duration):
    """An ISO-8601 duration as jfr prints it (PT0.0158S, PT1M2.5S) in milliseconds."""
    m = re.match(r"PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?", duration or "")
    if not m:
        return 0.0
    h, mi, sec = m.groups()
    return ((int(h or 0) * 60 + int(mi or 0)) * 60 + float(sec or 0)) * 1000


def main(path):
    with open(path) as f:
        events = json.load(f)["recording"]["events"]
    java = [e for e in events if e["type"] == "jdk.ExecutionSample"]
    native = [e for e in events if e["type"] == "jdk.NativeMethodSample"]

    top = collections.Counter()
    threads = collections.Counter()
    own = collections.Counter()
    for e in java:
        fs = frames(e)
        if fs:
            top[fs[0]] += 1
        threads[thread(e)] += 1
        for m in set(x for x in fs if x.startswith("io.understudy.")):
            own[m] += 1
    table("Java samples, top frame (self time)", top, len(java))
    table("Java samples by thread", threads, len(java), 12)
    table("Java samples, Understudy methods (inclusive)", own, len(java), 20)

    waiting = re.compile(r"epoll|\.park|sleep|accept|poll0|socketAccept|wait0|\.wait$|Object\.wait")
    kinds = collections.Counter()
    busy = collections.Counter()
    busy_threads = collections.Counter()
    for e in native:
        fs = frames(e)
        head = fs[0] if fs else "?"
        if any("force0" in x or "FileChannelImpl.force" in x for x in fs[:4]):
            kinds["fsync (FileDispatcherImpl.force0)"] += 1
            busy[head] += 1
            busy_threads[thread(e)] += 1
        elif waiting.search(head):
            kinds["waiting (epoll / park / sleep / accept)"] += 1
        else:
            kinds["other native"] += 1
            busy[head] += 1
            busy_threads[thread(e)] += 1
    table("Native samples by kind", kinds, len(native))
    not_waiting = sum(busy.values())
    table("Native samples not waiting, top frame", busy, not_waiting, 10)
    table("Native samples not waiting, by thread", busy_threads, not_waiting, 10)

    forces = collections.Counter()
    force_ms = collections.Counter()
    for e in events:
        if e["type"] == "jdk.FileForce":
            t = re.sub(r"\d+", "#", (e["values"].get("eventThread") or {}).get("javaName") or "?")
            forces[t] += 1
            force_ms[t] += millis(e["values"].get("duration"))
    print(f"  fsyncs (jdk.FileForce) by thread ({sum(forces.values())} in all)")
    for t, n in forces.most_common():
        print(f"    {n:6d}  {t:<24} total {force_ms[t]:8.0f} ms, mean {force_ms[t] / n:6.2f} ms")

    starts = collections.Counter()
    for e in events:
        if e["type"] == "jdk.ThreadStart":
            parent = (e["values"].get("parentThread") or {}).get("javaName") or "?"
            fs = frames(e)
            starts[f"{re.sub(r'[0-9]+', '#', parent)} via {fs[0] if fs else '?'}"] += 1
    table("Threads started, by parent and starting frame", starts, sum(starts.values()), 5)

    loads = [e["values"] for e in events if e["type"] == "jdk.CPULoad"]
    if loads:
        jvm = sum(v["jvmUser"] + v["jvmSystem"] for v in loads) / len(loads)
        machine = sum(v["machineTotal"] for v in loads) / len(loads)
        print(f"  CPU load (mean of {len(loads)} jdk.CPULoad events): this JVM {100 * jvm:.0f}% of the machine, "
              f"machine {100 * machine:.0f}%")


if __name__ == "__main__":
    main(sys.argv[1])
