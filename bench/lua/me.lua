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
  if status ~= 200 or not reply:find('"email":"', 1, true) or reply:find('"errors"', 1, true) then
    errors = errors + 1
    sample = status .. " " .. reply:sub(1, 200):gsub("%c", " ")
  end
end

dofile(os.getenv("QB_LUA_DIR") .. "/report.lua")
