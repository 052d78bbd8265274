-- GET /users/u<n>/recommendations?k=10 for n cycling over 20,000 users (the first request per user scores).
local counter = math.random(0, 19999)

function request()
  counter = (counter + 7919) % 20000
  return wrk.format("GET", "/users/u" .. counter .. "/recommendations?k=10")
end
