-- Shared by the write scripts: bench_body(n) answers the value of the n-th write (BENCH_PAYLOAD bytes).
-- BENCH_BODY=fill (default): the same bytes every time. BENCH_BODY=text: a fresh JSON-like record per call, its
-- words drawn at random from a small vocabulary (compresses about 2-3x, like real records, unlike a fill).
local payload_bytes = tonumber(os.getenv("BENCH_PAYLOAD") or "256")
local kind = os.getenv("BENCH_BODY") or "fill"
local fill = string.rep("x", payload_bytes)
local words = { "lamp", "desk", "oak", "chair", "blue", "steel", "shelf", "order", "paid", "shipped", "rug",
    "walnut", "qty", "price", "stock", "north", "south", "return", "gift", "sofa" }
math.randomseed(os.time() + math.floor(os.clock() * 1e6))

function bench_body(n)
    if kind ~= "text" then
        return fill
    end
    local parts = { string.format('{"id":%d,"sku":"SKU-%06d","qty":%d,"note":"', n, math.random(0, 999999),
        math.random(1, 99)) }
    local size = #parts[1]
    while size < payload_bytes - 2 do
        local w = words[math.random(#words)]
        parts[#parts + 1] = w
        parts[#parts + 1] = " "
        size = size + #w + 1
    end
    return string.sub(table.concat(parts), 1, payload_bytes - 2) .. '"}'
end
