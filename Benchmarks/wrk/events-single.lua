-- POST /events with one event per request and a unique idempotency id.
local counter = 0
local thread_id = 0
local prefix = tostring(os.time()) .. "-" .. tostring(math.random(1, 1e9))

function setup(thread)
  thread:set("thread_id", thread_id)
  thread_id = thread_id + 1
end

function request()
  counter = counter + 1
  local body = string.format('{"user":"u%d","item":"i%d","id":"s-%s-%d-%d"}', counter % 20000, (counter * 7) % 10000,
    prefix, thread_id, counter)
  return wrk.format("POST", "/events", {["Content-Type"] = "application/json"}, body)
end
