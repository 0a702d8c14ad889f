-- wrk script: `createUser` mutations, each with a new email
-- (QB_EMAIL_PREFIX<thread>-<n>@bench.example, the prefix unique per run).
-- A response counts as an error unless it is a 200 carrying the new user.
local prefix = os.getenv("QB_EMAIL_PREFIX")
local password = os.getenv("QB_PASSWORD")
local query = "mutation($e: String!, $p: String!) { createUser(email: $e, password: $p) { user { id email } } }"

local n = 0

function request()
  n = n + 1
  local body = string.format('{"query":"%s","variables":{"e":"%s%d-%d@bench.example","p":"%s"}}',
    query, prefix, id or 0, n, password)
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, body)
end

function response(status, headers, reply)
  expect(status, reply, '"email":"')
end

dofile(os.getenv("QB_LUA_DIR") .. "/report.lua")
