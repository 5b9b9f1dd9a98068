-- wrk script: POST /v1/entries with a payload of BENCH_PAYLOAD bytes, for scripts/bench-compare.sh.
-- Environment: BENCH_PAYLOAD (bytes, default 256), BENCH_DURABILITY (sync|async, default sync),
-- BENCH_BODY (fill: the same bytes every time, the default; text: a new JSON-like record per request, words drawn
-- at random, about as compressible as real records: for compression figures), BENCH_REPORT_LUA (path of
-- report.lua). Keys are bench-1, bench-2, ... per wrk thread: they spread over the partitions.
dofile(os.getenv("BENCH_BODY_LUA"))
local durability = os.getenv("BENCH_DURABILITY") or "sync"
-- BENCH_PARTITION: every write to this partition (&partition=P) instead of the one its key chooses
local partition = os.getenv("BENCH_PARTITION")
local suffix = partition and partition ~= "" and ("&partition=" .. partition) or ""
local headers = { ["Content-Type"] = "application/octet-stream" }
local counter = 0

function request()
    counter = counter + 1
    return wrk.format("POST", "/v1/entries?durability=" .. durability .. "&key=bench-" .. counter .. suffix, headers,
        bench_body(counter))
end

dofile(os.getenv("BENCH_REPORT_LUA"))
