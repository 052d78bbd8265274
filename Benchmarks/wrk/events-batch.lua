-- POST /events with 1,000 NDJSON events per request, every event with a unique idempotency id.
local counter = 0
thread_id = 0
local prefix = tostring(os.time()) .. "-" .. tostring(math.random(1, 1e9))

function setup(thread)
  thread:set("thread_id", thread_id)
  thread_id = thread_id + 1
end

function request()
  local lines = {}
  for n = 1, 1000 do
    counter = counter + 1
    lines[n] = string.format('{"user":"u%d","item":"i%d","id":"%s-%d-%d"}', counter % 20000, (counter * 7) % 10000,
      prefix, thread_id, counter)
  end
  return wrk.format("POST", "/events", {["Content-Type"] = "application/x-ndjson"}, table.concat(lines, "\n"))
end
