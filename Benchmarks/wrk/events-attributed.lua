-- POST /events with 1,000 NDJSON click events per request, each echoing a served list's recommendation_id and one of
-- its items (so each is attributed), every event with a unique idempotency id. The lists come from the file named by
-- the LISTS environment variable: one "user recommendation_id item" line per list, written by Benchmarks/run.sh.
local counter = 0
local thread_id = 0
local prefix = tostring(os.time()) .. "-" .. tostring(math.random(1, 1e9))
local lists = {}
for line in io.lines(os.getenv("LISTS")) do
  local user, id, item = line:match("^(%S+) (%S+) (%S+)$")
  if user then lists[#lists + 1] = {user, id, item} end
end
assert(#lists > 0, "no served lists in " .. tostring(os.getenv("LISTS")))

function setup(thread)
  thread:set("thread_id", thread_id)
  thread_id = thread_id + 1
end

function request()
  local lines = {}
  for n = 1, 1000 do
    counter = counter + 1
    local list = lists[counter % #lists + 1]
    lines[n] = string.format('{"user":"%s","item":"%s","type":"click","recommendation_id":"%s","id":"a%s-%d-%d"}',
      list[1], list[3], list[2], prefix, thread_id, counter)
  end
  return wrk.format("POST", "/events", {["Content-Type"] = "application/x-ndjson"}, table.concat(lines, "\n"))
end
