-- wrk script for the portal (docs/performance.md): GET one path with the signed-in cookie, counting every
-- answer other than 200 as an error (wrk itself counts a 302 to the login page as a success), and print
-- p50/p95/p99 at the end (wrk's own --latency table has no p95).
-- Arguments after `--`: PATH COOKIE_FILE [IDS_FILE]. A "{id}" in PATH is replaced by a random line of IDS_FILE.
local path, ids, threads = "/", {}, {}
errors = 0 -- global: done() reads it from each thread with thread:get

function setup(thread)
  threads[#threads + 1] = thread
end

local function read_lines(file)
  local lines = {}
  for line in io.lines(file) do
    if line ~= "" then lines[#lines + 1] = line end
  end
  return lines
end

function init(args)
  path = args[1]
  wrk.headers["Cookie"] = read_lines(args[2])[1]
  if args[3] then ids = read_lines(args[3]) end
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end

function request()
  local p = path
  if #ids > 0 then p = p:gsub("{id}", ids[math.random(#ids)]) end
  return wrk.format("GET", p)
end

function response(status, headers, body)
  if status ~= 200 then errors = errors + 1 end
  -- Like a browser, keep the sign-in cookie the portal renews when it re-validates the security stamp (every
  -- minute); replaying the first cookie would make every later request re-validate and re-issue it.
  local renewed = headers["Set-Cookie"]
  if renewed then
    local name, value = renewed:match("^([^=;]+)=([^;]*)")
    if name then
      local cookie = wrk.headers["Cookie"]
      local replaced, n = cookie:gsub(name:gsub("%p", "%%%0") .. "=[^;]*", function() return name .. "=" .. value end)
      wrk.headers["Cookie"] = n > 0 and replaced or (cookie .. "; " .. name .. "=" .. value)
    end
  end
end

function done(summary, latency, requests)
  local not_ok = 0
  for _, thread in ipairs(threads) do not_ok = not_ok + thread:get("errors") end
  local ms = function(p) return latency:percentile(p) / 1000 end
  io.write(string.format("RESULT requests=%d seconds=%.1f req/s=%.1f p50=%.1f p95=%.1f p99=%.1f max=%.1f ms non200=%d socket_errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    ms(50), ms(95), ms(99), latency.max / 1000, not_ok,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
