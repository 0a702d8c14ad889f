-- wrk script: `login` mutations over a pool of QB_USERS pre-created accounts
-- (QB_EMAIL_PREFIX<n>@bench.example, n = 0..QB_USERS-1, password QB_PASSWORD).
-- Every attempt must succeed (a failure would feed the throttle): a response
-- counts as an error unless it is a 200 carrying a token.
local users = tonumber(os.getenv("QB_USERS"))
local prefix = os.getenv("QB_EMAIL_PREFIX")
local password = os.getenv("QB_PASSWORD")
local query = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }"

local n = 0

function init()
  n = (id or 0) * 7
end

function request()
  n = n + 1
  local body = string.format('{"query":"%s","variables":{"e":"%s%d@bench.example","p":"%s"}}',
    query, prefix, n % users, password)
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, body)
end

function response(status, headers, reply)
  expect(status, reply, '"token":"ey')
end

dofile(os.getenv("QB_LUA_DIR") .. "/report.lua")
