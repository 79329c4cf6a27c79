-- wrk: a client guessing secrets, as fast as its connections go: POST /oauth/token with a
-- known client id and a wrong secret every time (each answer is 401, or 429 once the guard
-- refuses the address). It comes through a trusted proxy from 10.9.9.9.
--   BENCH_CLIENT  the client id guessed at
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
local common = require("common")

local client = common.env("BENCH_CLIENT")
local sent = 0

setup, response, done = common.setup, common.response, common.done

function request()
  sent = sent + 1
  return wrk.format("POST", "/oauth/token", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["X-Forwarded-For"] = "10.9.9.9",
  }, "grant_type=client_credentials&client_id=" .. client .. "&client_secret=guess-" .. bench_id .. "-" .. sent)
end
