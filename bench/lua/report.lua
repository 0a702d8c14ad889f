-- Shared by the wrk scripts: each thread gets an id and counts its own
-- body-checked errors (keeping one failing body as a sample); done() prints
-- one machine-readable line, "QB_RESULT {json}", with the latency percentiles
-- in microseconds and those errors summed over the threads.
threads = {}
errors = 0
sample = ""

-- Counts the response as an error unless it is a 200 whose body holds `marker`
-- and no GraphQL error; keeps the latest failing body (trimmed) as the sample.
function expect(status, reply, marker)
  if status ~= 200 or not reply:find(marker, 1, true) or reply:find('"errors"', 1, true) then
    errors = errors + 1
    sample = status .. " " .. reply:sub(1, 200):gsub("%c", " ")
  end
end

function setup(thread)
  thread:set("id", #threads)
  threads[#threads + 1] = thread
end

function done(summary, latency, requests)
  local body_errors, sample = 0, ""
  for _, thread in ipairs(threads) do
    body_errors = body_errors + thread:get("errors")
    local s = thread:get("sample")
    if s ~= nil and s ~= "" then sample = s end
  end
  local e = summary.errors
  io.write(string.format(
    'QB_RESULT {"requests":%d,"durationUs":%d,"bodyErrors":%d,"socketErrors":%d,"non2xx":%d,' ..
    '"p50Us":%d,"p90Us":%d,"p99Us":%d,"maxUs":%d,"meanUs":%.1f,"sample":%q}\n',
    summary.requests, summary.duration, body_errors,
    e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    sample))
end
