-- wrk script: POST /v1/entries/batch with BENCH_BATCH entries (default 64) of BENCH_PAYLOAD bytes each, for
-- scripts/bench-compare.sh. wrk counts requests: entries/s = requests/s x BENCH_BATCH. A 207 (some item not
-- acknowledged) counts as a success in wrk; the script's error count covers non-2xx answers only.
-- Environment: as post-entry.lua, plus BENCH_BATCH.
dofile(os.getenv("BENCH_BODY_LUA"))
local durability = os.getenv("BENCH_DURABILITY") or "sync"
local batch = tonumber(os.getenv("BENCH_BATCH") or "64")
local headers = { ["Content-Type"] = "application/json" }
local counter = 0

function request()
    local items = {}
    for i = 1, batch do
        counter = counter + 1
        -- bodies are plain ASCII without quotes or backslashes: a JSON string as they are
        local value = string.gsub(bench_body(counter), '"', "'")
        items[i] = '{"key":"bench-' .. counter .. '","value":"' .. value .. '"}'
    end
    return wrk.format("POST", "/v1/entries/batch?durability=" .. durability, headers,
        '{"entries":[' .. table.concat(items, ",") .. "]}")
end

dofile(os.getenv("BENCH_REPORT_LUA"))
