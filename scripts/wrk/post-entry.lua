-- wrk script: POST /v1/entries with a fixed payload, for scripts/bench-compare.sh.
-- Environment: BENCH_PAYLOAD (bytes, default 256), BENCH_DURABILITY (sync|async, default sync),
-- BENCH_REPORT_LUA (path of report.lua). Keys are bench-1, bench-2, ... per wrk thread (one partition: any key).
local payload_bytes = tonumber(os.getenv("BENCH_PAYLOAD") or "256")
local durability = os.getenv("BENCH_DURABILITY") or "sync"
local body = string.rep("x", payload_bytes)
local headers = { ["Content-Type"] = "application/octet-stream" }
local counter = 0

function request()
    counter = counter + 1
    return wrk.format("POST", "/v1/entries?durability=" .. durability .. "&key=bench-" .. counter, headers, body)
end

dofile(os.getenv("BENCH_REPORT_LUA"))
