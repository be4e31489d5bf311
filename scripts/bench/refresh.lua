-- wrk script: POST /accounts/refresh, each thread following its own session's token chain (a
-- refresh token works once, so every answer's refreshToken is the next request's). Run with as
-- many connections as threads (-tN -cN): one connection, one chain. The first tokens come one
-- per line from the file named by BENCH_REFRESH_TOKENS.

local tokens = {}
local threads = 0

function setup(thread)
  if #tokens == 0 then
    for line in io.lines(os.getenv("BENCH_REFRESH_TOKENS")) do tokens[#tokens + 1] = line end
  end
  threads = threads + 1
  thread:set("token", tokens[threads])
end

wrk.method = "POST"
wrk.path = "/accounts/refresh"
wrk.headers["Content-Type"] = "application/json"

function request()
  return wrk.format(nil, nil, nil, string.format('{"refreshToken":"%s"}', token))
end

function response(status, headers, body)
  if status == 200 then
    token = string.match(body, '"refreshToken":"([^"]+)"') or token
  end
end
