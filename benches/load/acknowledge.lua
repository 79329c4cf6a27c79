-- wrk: lifecycle actions, the compensator acknowledging claims still at version 1. Each claim of
-- the pool is used once: thread i of n takes the pool's lines i, i+n, i+2n, ... When a thread's
-- share runs out it starts over (those requests fail with 412) and counts them as `exhausted`.
--   BENCH_IDS    file of claim ids (status submitted, version 1)
--   BENCH_TOKEN  the compensator's access token
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
local common = require("common")

local ids = common.lines(common.env("BENCH_IDS"))
local threads = tonumber(common.env("BENCH_THREADS", "1"))
local token = common.env("BENCH_TOKEN")
local next_index = nil
bench_exhausted = 0
common.counters.exhausted = "bench_exhausted"

setup, response, done = common.setup, common.response, common.done
if common.paced then delay = common.delay end

function request()
  if next_index == nil then next_index = bench_id end
  if next_index > #ids then
    bench_exhausted = bench_exhausted + 1
    next_index = bench_id
  end
  local id = ids[next_index]
  next_index = next_index + threads
  return wrk.format("POST", "/v1/claims/" .. id .. "/actions/acknowledge", {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
    ["If-Match"] = '"1"',
  }, '{"compensator_reference": "BENCH/ACK/' .. next_index .. '"}')
end
