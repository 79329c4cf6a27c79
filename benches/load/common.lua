-- Shared by the load benchmark's wrk scripts (benches/load.sh): settings from the environment,
-- pacing to a target rate, counting response statuses per thread, and one machine-readable
-- result line printed when the run ends.
--
-- Every wrk script starts with
--   package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
--   local common = require("common")
-- and takes `setup`, `response`, `done` (and, when paced, `delay`) from here.
--
-- Environment: BENCH_RATE (requests/s for the whole wrk process, 0 or absent: as fast as the
-- connections go) and BENCH_THREADS (the -t given to wrk, to split the rate between threads).

local M = {}

function M.env(name, default)
  local value = os.getenv(name)
  if value == nil or value == "" then
    if default == nil then error("benches/load: " .. name .. " is not set") end
    return default
  end
  return value
end

function M.read(path)
  local file = assert(io.open(path, "rb"), "cannot open " .. path)
  local text = file:read("*a")
  file:close()
  return text
end

function M.lines(path)
  local lines = {}
  for line in io.lines(path) do
    if line ~= "" then lines[#lines + 1] = line end
  end
  return lines
end

-- A monotonic clock in seconds with sub-millisecond resolution (LuaJIT's FFI; whole seconds
-- without it, which only makes the pacing coarser).
local ok, ffi = pcall(require, "ffi")
if ok then
  pcall(ffi.cdef, [[
    typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
    int clock_gettime(int clock, bench_timespec *out);
  ]])
  local ts = ffi.new("bench_timespec")
  M.now = function()
    ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
    return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) * 1e-9
  end
else
  M.now = os.time
end

-- Per-thread state (globals, so the main state can read them with thread:get in done()).
bench_id = bench_id or 0              -- 1..threads, given by setup()
bench_statuses = {}                    -- status code -> responses
bench_responses = 0

local threads = {}

function M.setup(thread)
  threads[#threads + 1] = thread
  thread:set("bench_id", #threads)
end

function M.response(status, headers, body)
  bench_responses = bench_responses + 1
  bench_statuses[status] = (bench_statuses[status] or 0) + 1
end

-- Pacing: each thread hands out send slots 1/rate apart; a connection whose response is back
-- waits for the next free slot. A thread that falls behind does not catch up in a burst.
local rate = tonumber(M.env("BENCH_RATE", "0"))
local per_thread = rate / tonumber(M.env("BENCH_THREADS", "1"))
local next_slot = nil
M.paced = rate > 0

function M.delay()
  local t = M.now()
  if next_slot == nil then next_slot = t end
  next_slot = math.max(next_slot + 1 / per_thread, t)
  return (next_slot - t) * 1000
end

-- Extra per-thread counters a script wants reported (name -> global name).
M.counters = {}

function M.done(summary, latency, requests)
  local statuses, responses, ok2xx = {}, 0, 0
  local extra = {}
  for _, thread in ipairs(threads) do
    responses = responses + (thread:get("bench_responses") or 0)
    for status, count in pairs(thread:get("bench_statuses") or {}) do
      statuses[status] = (statuses[status] or 0) + count
      if status >= 200 and status < 300 then ok2xx = ok2xx + count end
    end
    for name, global in pairs(M.counters) do
      extra[name] = (extra[name] or 0) + (thread:get(global) or 0)
    end
  end
  local codes = {}
  for status, count in pairs(statuses) do codes[#codes + 1] = status .. ":" .. count end
  table.sort(codes)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  local socket_errors = e.connect + e.read + e.write + e.timeout
  local ms = function(p) return string.format("%.2f", latency:percentile(p) / 1000) end
  local line = string.format(
    "BENCH_RESULT responses=%d ok=%d non2xx=%d socket_errors=%d timeouts=%d seconds=%.2f rps=%.1f ok_rps=%.1f"
      .. " p50_ms=%s p90_ms=%s p99_ms=%s max_ms=%.2f statuses=%s",
    responses, ok2xx, responses - ok2xx, socket_errors, e.timeout, seconds, responses / seconds,
    ok2xx / seconds, ms(50), ms(90), ms(99), latency.max / 1000,
    (#codes > 0) and table.concat(codes, ",") or "none")
  for name, value in pairs(extra) do line = line .. " " .. name .. "=" .. value end
  io.write(line .. "\n")
end

return M
