-- wrk: CNF submissions, POST /v1/claims. Each request has its own Idempotency-Key and its own
-- case reference (the body file has "@REF@" where the reference goes).
--   BENCH_BODY   file with the request body (the `rta` example of /openapi.json)
--   BENCH_TOKEN  a claimant representative's access token
--   BENCH_RUN    a short tag making keys and references unique across runs
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
local common = require("common")

local body = common.read(common.env("BENCH_BODY"))
local before, after = body:match("^(.-)@REF@(.*)$")
assert(before, "the body has no @REF@ placeholder")
local token = common.env("BENCH_TOKEN")
local run = common.env("BENCH_RUN")
local sent = 0

setup, response, done = common.setup, common.response, common.done
if common.paced then delay = common.delay end

function request()
  sent = sent + 1
  local tag = run .. "/" .. bench_id .. "/" .. sent
  return wrk.format("POST", "/v1/claims", {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = "bench-" .. tag:gsub("/", "-"),
  }, before .. "B/" .. tag .. after)
end
