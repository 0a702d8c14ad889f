-- wrk script: authenticated `me` queries, rotating over the access tokens in
-- the file QB_TOKENS (one a line). A response counts as an error unless it is
-- a 200 whose body carries the user's email and no GraphQL error.
local tokens = {}
for line in io.lines(os.getenv("QB_TOKENS")) do
  tokens[#tokens + 1] = line
end

local next_token = 0

function init()
  next_token = id or 0
end

local body = '{"query":"{ me { id email } }"}'

function request()
  next_token = next_token % #tokens + 1
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "JWT " .. tokens[next_token],
  }, body)
end

function response(status, headers, reply)
  expect(status, reply, '"email":"')
end

dofile(os.getenv("QB_LUA_DIR") .. "/report.lua")
