-- wrk script: POST /accounts/login with one user's credentials.
-- The credentials come from the environment (set by scripts/bench.sh):
--   BENCH_EMAIL     the registered user's email (required)
--   BENCH_PASSWORD  its password (default "Quiet-Harbor-42")

local email = os.getenv("BENCH_EMAIL")
if email == nil or email == "" then
  error("BENCH_EMAIL is not set")
end
local password = os.getenv("BENCH_PASSWORD") or "Quiet-Harbor-42"

-- Plain ASCII credentials only: no JSON escaping is done here.
wrk.method = "POST"
wrk.path = "/accounts/login"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
wrk.body = string.format('{"email":"%s","password":"%s"}', email, password)
