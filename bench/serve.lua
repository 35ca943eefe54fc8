-- wrk script: each request GETs a path picked at random from the file named by $PATHS (one
-- path a line), so the load spreads over many posts or images instead of one cached answer.
-- At the end it prints one line for bench/serve.sh:
--   RESULT requests=N seconds=S rps=R p50_us=A p99_us=B errors=E non2xx=X
local paths = {}

function init(args)
  local file = os.getenv("PATHS")
  local f = assert(io.open(file, "r"), "cannot open PATHS=" .. tostring(file))
  for line in f:lines() do
    if #line > 0 then paths[#paths + 1] = line end
  end
  f:close()
  assert(#paths > 0, "no paths in " .. file)
  -- Each wrk thread runs its own Lua state: seed each differently.
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  io.write(string.format(
    "RESULT requests=%d seconds=%.2f rps=%.1f p50_us=%d p99_us=%d errors=%d non2xx=%d\n",
    summary.requests, seconds, summary.requests / seconds, latency:percentile(50),
    latency:percentile(99), errors, summary.errors.status))
end
