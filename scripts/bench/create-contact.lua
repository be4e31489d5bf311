-- wrk script: POST /crm/contacts with a unique body per request (used by scripts/bench-crm.sh).
-- The Bearer token comes from wrk's -H "Authorization: Bearer …" (kept in wrk.headers).
-- Emails are unique across threads and runs: thread number + start time + random tag + counter.
-- Names never contain the list benchmark's search term.

local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local prefix
local counter = 0

function init(args)
  math.randomseed(os.time() * 1000 + (tid or 0))
  prefix = string.format("wrk%d-%x-%06x", tid or 0, os.time(), math.random(0, 0xffffff))
end

wrk.method = "POST"
wrk.path = "/crm/contacts"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"

function request()
  counter = counter + 1
  local body = string.format('{"firstName":"Load","lastName":"Tester %d","email":"%s-%d@wrk.example"}',
    counter % 997, prefix, counter)
  return wrk.format(nil, nil, nil, body)
end
