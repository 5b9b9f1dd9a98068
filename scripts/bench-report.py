#!/usr/bin/env python3
"""Tables from the JSON lines that scripts/bench-compare.sh and scripts/bench-all.sh record (Python 3, no packages).

  bench-report.py table RESULTS          one bench-compare.sh run's summary table (markdown), medians over rounds
  bench-report.py report RESULTS META    bench-all.sh's report (markdown): every table of issue 7; META is a JSON
                                         object (machine, commands, durations, run time) for the header

Every figure is the median over the rounds of the same (label, figure, payload); errors are summed.
"""
import json
import statistics
import sys


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


class Figures:
    def __init__(self, runs):
        self.runs = runs

    def med(self, figure, payload=None, label=None):
        rs = [r for r in self.runs if r.get("figure") == figure and "per_second" in r
              and (payload is None or r.get("payload") == payload) and (label is None or r.get("label") == label)]
        if not rs:
            return None
        m = {k: statistics.median(r[k] for r in rs) for k in ("per_second", "p50_ms", "p99_ms")}
        m["entries_per_second"] = statistics.median(r.get("entries_per_second", r["per_second"]) for r in rs)
        m["errors"] = sum(r.get("non2xx", 0) + r.get("socket_errors", 0) + r.get("errors", 0) for r in rs)
        m["rounds"] = len(rs)
        m["in_flight"] = rs[0].get("in_flight")
        return m

    def of(self, figure, label=None):
        return [r for r in self.runs if r.get("figure") == figure and (label is None or r.get("label") == label)]


def num(x, digits=2):
    if x is None:
        return "—"
    return f"{x:,.0f}" if digits == 0 else f"{x:,.{digits}f}"


def ratio(a, b, digits=2, suffix="x"):
    if a is None or b is None or not b:
        return "—"
    return f"{a / b:.{digits}f}{suffix}"


def row(*cells):
    return "| " + " | ".join(str(c) for c in cells) + " |"


def header(*cells):
    return row(*cells) + "\n" + row(*["---"] * len(cells))


def write_cells(m):
    if m is None:
        return ["—"] * 4
    return [num(m["per_second"], 0), num(m["p50_ms"]), num(m["p99_ms"]), m["errors"]]


# ---- bench-compare.sh's own table ---------------------------------------------------------------------------

def table(results):
    f = Figures(load(results))
    payloads = sorted({r["payload"] for r in f.runs if r.get("payload")})
    out = [header("figure (wrk, closed loop)", "payload B", "in flight", "writes/s", "p50 ms", "p99 ms", "errors",
                  "ZooKeeper creates/s", "ZK p50 ms", "ZK p99 ms", "throughput ratio", "p50 ratio")]
    figures = []
    for r in f.runs:
        fig = r.get("figure", "")
        if "per_second" in r and fig not in figures and not fig.startswith(("zk-", "noop", "warm-up", "profiled")):
            figures.append(fig)
    for fig in figures:
        for payload in payloads:
            u = f.med(fig, payload)
            if u is None:
                continue
            level = u["in_flight"]
            direct = fig.startswith(("sync-", "async-")) and not fig.endswith(("-all", "-leaders"))
            z = f.med(f"zk-{level}", payload) if direct else None
            rate = u["entries_per_second"]
            label = fig + (" (entries/s)" if fig.startswith("batch") else "")
            out.append(row(label, payload, level, num(rate, 0), num(u["p50_ms"]), num(u["p99_ms"]), u["errors"],
                           num(z and z["per_second"], 0), num(z and z["p50_ms"]), num(z and z["p99_ms"]),
                           ratio(rate, z and z["per_second"], 2, ""), ratio(u["p50_ms"], z and z["p50_ms"], 1)))
    noops = [r["figure"] for r in f.runs if r.get("figure", "").startswith("noop")]
    if noops:
        out.append("")
        out.append(header("generator check: wrk, GET /v1/health on the leader (no-op)", "connections", "requests/s",
                          "p50 ms", "p99 ms", "errors"))
        for fig in dict.fromkeys(noops):
            m = f.med(fig)
            out.append(row("no-op", fig.split("-")[1], *write_cells(m)))
    print("\n".join(out))


# ---- bench-all.sh's report ----------------------------------------------------------------------------------

class Report:
    def __init__(self, runs, meta):
        self.f = Figures(runs)
        self.meta = meta
        self.out = []

    def p(self, *lines):
        self.out.extend(lines)

    def ran(self, label):
        return any(r.get("label") == label for r in self.f.runs)

    def section(self, title, label, text):
        self.p("", f"## {title}", "")
        if label and not self.ran(label):
            self.p(f"Not measured in this run (section `{label}` not selected or it failed; see the log).")
            return False
        self.p(text, "")
        return True

    def fsync_ceiling(self, level):
        rs = [r for r in self.f.of("fsync", "fsync") if r["in_flight"] == level and r["processes"] == 3]
        return statistics.median(r["per_second"] for r in rs) if rs else None

    def build(self):
        m = self.meta
        self.p("# Understudy vs ZooKeeper: issue 7's benchmark", "",
               f"Generated by `{m['command']}` on {m['date']} (commit `{m['commit']}`), "
               f"run time {m['run_time_s'] / 60:.1f} min.", "",
               f"- Machine: {m['machine']}; load average {m['load_start']} at the start, {m['load_end']} at the end.",
               f"- Profile `{m['profile']}`: {m['rounds']} round(s) per figure, {m['duration_s']} s per wrk run, "
               f"{m['warm_up_s']} s warm-up runs, ZooKeeper reference {m['zk_writes']} creates per round and level, "
               f"fsync ceiling {m['fsync_s']} s per level.",
               f"- Every JVM (3 ZooKeeper servers, 3 sidecars, demo apps, the reference client) runs with "
               f"`{m['java_opts']}`; sidecars `fsync: always`, `minInSync: 2`; wrk bodies: `{m['body']}`.",
               "- Figures are medians over the rounds; errors are summed over them. The ZooKeeper figures come "
               "from the same run, on the ensemble the sidecars use (`bench --reference-only`: Curator async "
               "sequential creates, the same payload and in-flight count).",
               f"- Sections: {', '.join(m['sections'])}." + (f" Problems: {m['problems']}." if m.get("problems") else ""))
        self.durability()
        self.generator()
        self.forwarded()
        self.batch()
        self.partitions()
        self.distance()
        self.priority()
        self.compression()
        self.apps()
        self.memory()
        self.stability()
        return "\n".join(self.out) + "\n"

    def durability(self):
        if not self.section("Durability x in flight x payload, and ZooKeeper", "base",
                            "Three sidecars without apps, one partition, wrk on the leader's `POST /v1/entries`. "
                            "Ratio = Understudy / ZooKeeper (throughput; p99: below 1 is better). Fsync fraction = "
                            "sync writes/s / the disk's group-commit ceiling at the same in-flight count (three "
                            "appenders at once, as three replicas share this disk; section fsync)."):
            return
        self.p(header("durability", "payload B", "in flight", "writes/s", "p50 ms", "p99 ms", "errors",
                      "ZK creates/s", "ZK p50 ms", "ZK p99 ms", "throughput ratio", "p99 ratio", "fsync fraction"))
        for payload in (256, 4096):
            for durability in ("sync", "async"):
                for level in (1, 64, 256):
                    u = self.f.med(f"{durability}-{level}", payload, "base")
                    if u is None:
                        continue
                    z = self.f.med(f"zk-{level}", payload, "base")
                    ceiling = self.fsync_ceiling(level) if durability == "sync" else None
                    self.p(row(durability, payload, level, *write_cells(u), num(z and z["per_second"], 0),
                               num(z and z["p50_ms"]), num(z and z["p99_ms"]),
                               ratio(u["per_second"], z and z["per_second"]), ratio(u["p99_ms"], z and z["p99_ms"]),
                               ratio(u["per_second"], ceiling, 2, "")))
        rs = [r for r in self.f.of("fsync", "fsync")]
        if rs:
            self.p("", "The fsync ceiling (`scripts/fsync-ceiling.py`: C records of 256 B appended and forced with "
                       "one `fdatasync` per batch, the best case of group commit; writes/s per appender):", "",
                   header("in flight (records per fsync)", "1 appender: writes/s", "fsync p50 ms",
                          "3 appenders at once: writes/s each", "fsync p50 ms"))
            for level in sorted({r["in_flight"] for r in rs}):
                cells = []
                for procs in (1, 3):
                    x = [r for r in rs if r["in_flight"] == level and r["processes"] == procs]
                    cells += [num(statistics.median(r["per_second"] for r in x), 0) if x else "—",
                              num(statistics.median(r["fsync_p50_ms"] for r in x)) if x else "—"]
                self.p(row(level, *cells))
        else:
            self.p("", "Fsync ceiling: not measured in this run (section `fsync`).")

    def generator(self):
        if not self.section("The load generator's own ceiling", "base",
                            "wrk against `GET /v1/health` (a no-op) on the leader, the same machine and "
                            "connections. wrk is not the bottleneck when its no-op rate is many times the "
                            "fastest write figure."):
            return
        best = max((r["entries_per_second"] for r in self.f.runs
                    if r.get("label") == "base" and "entries_per_second" in r and not r["figure"].startswith("noop")),
                   default=None)
        self.p(header("connections", "no-op requests/s", "p50 ms", "p99 ms", "errors", "no-op / fastest write figure"))
        for level in (1, 64, 256):
            u = self.f.med(f"noop-{level}", None, "base")
            if u:
                self.p(row(level, *write_cells(u), ratio(u["per_second"], best)))
        cli = [r for r in self.f.runs if r.get("figure") == "cli"]
        if cli:
            self.p("", "The `bench` command's own client (JDK `HttpClient`) on the same group, its verdict as it "
                       "prints it:", "", header("in flight", "client no-op/s", "sync writes/s", "verdict"))
            for r in cli:
                self.p(row(r["in_flight"], num(r["noop_per_second"], 0), num(r["cli_per_second"], 0), r["verdict"]))

    def forwarded(self):
        if not self.section("Forwarded (through a follower) vs direct", "base",
                            "Sync, 256 B: wrk on a follower's API (the follower forwards each write to the leader) "
                            "against wrk on the leader's. Goal: p50 within 1 ms of the leader's."):
            return
        self.p(header("in flight", "direct writes/s", "direct p50 ms", "forwarded writes/s", "forwarded p50 ms",
                      "forwarded p99 ms", "p50 difference ms"))
        for level in (1, 64):
            d = self.f.med(f"sync-{level}", 256, "base")
            fw = self.f.med(f"forwarded-sync-{level}", 256, "base")
            if fw:
                self.p(row(level, num(d and d["per_second"], 0), num(d and d["p50_ms"]), num(fw["per_second"], 0),
                           num(fw["p50_ms"]), num(fw["p99_ms"]),
                           num(fw["p50_ms"] - d["p50_ms"]) if d else "—"))

    def batch(self):
        if not self.section("Batch write endpoint", "base",
                            f"`POST /v1/entries/batch?durability=sync`, {self.meta['batch']} entries of 256 B per "
                            "request, C requests in flight (C x batch entries in flight), against single writes at "
                            "256 in flight. Latency is per request (a whole batch)."):
            return
        self.p(header("figure", "requests in flight", "entries/s", "p50 ms", "p99 ms", "errors"))
        for r in sorted({r["figure"] for r in self.f.runs if r.get("label") == "base"
                         and r.get("figure", "").startswith("batch-")}):
            m = self.f.med(r, 256, "base")
            self.p(row(f"batch of {self.meta['batch']}", r.split("-")[-1], num(m["entries_per_second"], 0),
                       num(m["p50_ms"]), num(m["p99_ms"]), m["errors"]))
        s = self.f.med("sync-256", 256, "base")
        if s:
            self.p(row("single writes", 256, num(s["per_second"], 0), num(s["p50_ms"]), num(s["p99_ms"]), s["errors"]))

    def partitions(self):
        if not self.section("1 vs 3 partitions on 3 members, writes sent to every member", "partitions",
                            "Three wrk at once, one per member's API, the in-flight count split over them (sum of "
                            "writes/s; p50 and p99 the worst of the three). With 1 partition two members forward "
                            "to the leader; with 3 the leaders are spread, one per member."):
            return
        self.p(header("figure", "in flight", "1 partition: writes/s", "p50 ms", "p99 ms", "3 partitions: writes/s",
                      "p50 ms", "p99 ms", "ratio 3/1"))
        for fig in ("sync-64-all", "sync-256-all", "async-64-all"):
            one, three = self.f.med(fig, 256, "base"), self.f.med(fig, 256, "partitions")
            if one or three:
                self.p(row(fig[:-4], fig.split("-")[1], *write_cells(one)[:3], *write_cells(three)[:3],
                           ratio(three and three["per_second"], one and one["per_second"])))

    def distance(self):
        if not self.section(f"Distance: {self.meta['delay_ms']} ms one-way delay between members", "distance",
                            f"A delaying proxy (`scripts/netproxy.py --delay-ms {self.meta['delay_ms']}`) in front "
                            "of each member's peer listener: every append and its answer cross it (a 2x delay "
                            "round trip). Goal: sync at 256 in flight within 2x of loopback (ratio at least 0.5)."):
            return
        self.p(header("sync, in flight", "loopback writes/s", "p50 ms", "delayed writes/s", "p50 ms", "p99 ms",
                      "delayed / loopback"))
        for level in (1, 64, 256):
            lo, far = self.f.med(f"sync-{level}", 256, "base"), self.f.med(f"sync-{level}", 256, "distance")
            if far:
                self.p(row(level, num(lo and lo["per_second"], 0), num(lo and lo["p50_ms"]), num(far["per_second"], 0),
                           num(far["p50_ms"]), num(far["p99_ms"]), ratio(far["per_second"], lo and lo["per_second"])))

    def priority(self):
        if not self.section("Replication priority on a throttled link", "priority",
                            "3 partitions, all led by one member (switchover, balancing off: its link to each "
                            "follower carries them all), partition 0 `priority: high` "
                            "(`replication.highPriorityPartitions: [0]`), each member's peer link capped at "
                            f"{self.meta['priority_rate']} B/s per direction; async writes at 64 in flight sent "
                            "straight to the leader, a third to each partition. Commit lag = the leader's logEnd - "
                            "commitIndex, sampled every 0.5 s: the high partition's should stay small while the "
                            "normal ones fall behind."):
            return
        lags = self.f.of("lag", "priority")
        self.p(header("partition", "priority", "median commit lag (entries)", "largest", "samples"))
        for part in sorted({r["partition"] for r in lags}):
            x = [r for r in lags if r["partition"] == part]
            self.p(row(part, "high" if x[0]["high"] else "normal", num(statistics.median(r["median_lag"] for r in x), 0),
                       max(r["max_lag"] for r in x), sum(r["samples"] for r in x)))
        w = self.f.med("async-64-leaders", 256, "priority")
        if w:
            self.p("", f"Writes during the sampling: {num(w['per_second'], 0)}/s, p99 {num(w['p99_ms'])} ms.")

    def compression(self):
        labels = [r.get("label", "") for r in self.f.runs if r.get("label", "").startswith("compression-")]
        if not self.section("Compression of peer batches", None,
                            "`replication.compression` on every member; wrk bodies are fresh JSON-like records "
                            "(`--body text`, about as compressible as real records). Loopback: none is section "
                            f"base's figure. Throttled: each peer link capped at {self.meta['compression_rate']} "
                            "B/s per direction. Turn it on by default only if it pays."
                            + (" The quick profile leaves out lz4 and zstd on loopback." if self.meta["profile"] == "quick"
                               else "")):
            return
        if not labels:
            self.p("Not measured in this run (section `compression` not selected or it failed).")
            return
        self.p(header("compression", "link", "sync 64: writes/s", "p50 ms", "p99 ms", "async 64: writes/s", "p99 ms"))
        for link in ("loopback", "throttled"):
            for codec in ("none", "lz4", "zstd"):
                label = "base" if (codec, link) == ("none", "loopback") else f"compression-{codec}-{link}"
                s, a = self.f.med("sync-64", 256, label), self.f.med("async-64", 256, label)
                if s or a:
                    self.p(row(codec, link, *write_cells(s)[:3], num(a and a["per_second"], 0), num(a and a["p99_ms"])))

    def apps(self):
        if not self.section("With the demo apps attached", "apps",
                            "The main figures again with three demo apps attached (delivery runs beside "
                            "replication on the same cores), against section base's without apps. 256 B."):
            return
        self.p(header("figure", "in flight", "no apps: writes/s", "p50 ms", "p99 ms", "with apps: writes/s", "p50 ms",
                      "p99 ms"))
        for fig in ("sync-1", "sync-64", "sync-256", "async-64"):
            a, b = self.f.med(fig, 256, "base"), self.f.med(fig, 256, "apps")
            if a or b:
                self.p(row(fig.split("-")[0], fig.split("-")[1], *write_cells(a)[:3], *write_cells(b)[:3]))

    def memory(self):
        rs = self.f.of("rss")
        self.p("", "## Memory", "",
               "Resident memory of each sidecar process at the end of each section (VmRSS; VmHWM = its peak), "
               f"every JVM at `{self.meta['java_opts']}`.", "")
        if not rs:
            self.p("Not measured in this run.")
            return
        self.p(header("section", "apps", "node-1 RSS / peak MiB", "node-2 RSS / peak MiB", "node-3 RSS / peak MiB"))
        for label in dict.fromkeys(r["label"] for r in rs):
            cells = {r["member"]: f"{r['rss_kib'] // 1024} / {r['hwm_kib'] // 1024}" for r in rs if r["label"] == label}
            self.p(row(label, "attached" if label == "apps" else "none",
                       *[cells.get(f"node-{i}", "—") for i in (1, 2, 3)]))

    def stability(self):
        unstable = [r["label"] for r in self.f.of("stable") if not r["stable"]]
        errors = sum(r.get("non2xx", 0) + r.get("socket_errors", 0) for r in self.f.runs)
        self.p("", "## Run checks", "",
               "- Leadership changed during: " + (", ".join(unstable) + " (their figures are suspect)" if unstable
                                                 else "no section (no failover spoiled a figure)") + ".",
               f"- Non-2xx answers and socket errors over all wrk runs: {errors}.")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "table":
        table(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "report":
        with open(sys.argv[3]) as f:
            meta = json.load(f)
        sys.stdout.write(Report(load(sys.argv[2]), meta).build())
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
