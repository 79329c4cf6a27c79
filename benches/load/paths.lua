-- wrk: GETs of paths picked at random from a file (one path a line, e.g. /v1/claims/<id>).
--   BENCH_PATHS  the file
--   BENCH_TOKEN  the caller's access token
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
local common = require("common")

local paths = common.lines(common.env("BENCH_PATHS"))
assert(#paths > 0, "no paths")
local token = common.env("BENCH_TOKEN")
local seeded = false

setup, response, done = common.setup, common.response, common.done
if common.paced then delay = common.delay end

function request()
  if not seeded then
    math.randomseed(os.time() * 1000 + bench_id)
    seeded = true
  end
  return wrk.format("GET", paths[math.random(#paths)], { ["Authorization"] = "Bearer " .. token })
end
