-- Shared by the wrk scripts of scripts/bench-compare.sh: one machine-readable line at the end of a run.
-- Latencies are in microseconds in wrk; printed in milliseconds.
function done(summary, latency, requests)
    local seconds = summary.duration / 1e6
    local e = summary.errors
    io.write(string.format(
        "BENCH {\"requests\":%d,\"seconds\":%.3f,\"per_second\":%.1f,\"p50_ms\":%.3f,\"p99_ms\":%.3f,"
            .. "\"max_ms\":%.3f,\"non2xx\":%d,\"socket_errors\":%d}\n",
        summary.requests, seconds, summary.requests / seconds,
        latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
        e.status, e.connect + e.read + e.write + e.timeout))
end
