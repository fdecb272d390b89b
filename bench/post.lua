-- wrk script for the contact form's POST (bench/run.py writes the request file).
-- Each line of the file is one prepared submission: "<cookie header>\t<url-encoded body>".
-- Every submission has its own captcha challenge, so each is used once; the threads split the
-- lines between them. A response other than the 303 redirect to the thank-you page is counted.

local counter = 0
local threads = {}

function setup(thread)
   thread:set("id", counter)
   counter = counter + 1
   table.insert(threads, thread)
end

function init(args)
   local path, nthreads = args[1], tonumber(args[2])
   lines = {}
   local n = 0
   for line in io.lines(path) do
      if n % nthreads == id then
         table.insert(lines, line)
      end
      n = n + 1
   end
   index = 0
   redirects = 0
   others = 0
   reused = 0
end

function request()
   index = index + 1
   if index > #lines then
      reused = reused + 1
   end
   local line = lines[((index - 1) % #lines) + 1]
   local tab = string.find(line, "\t", 1, true)
   local headers = {}
   headers["Content-Type"] = "application/x-www-form-urlencoded"
   headers["Cookie"] = string.sub(line, 1, tab - 1)
   return wrk.format("POST", nil, headers, string.sub(line, tab + 1))
end

function response(status, headers, body)
   if status == 303 or status == 302 then
      redirects = redirects + 1
   else
      others = others + 1
   end
end

function done(summary, latency, requests)
   local r, o, u = 0, 0, 0
   for _, thread in ipairs(threads) do
      r = r + thread:get("redirects")
      o = o + thread:get("others")
      u = u + thread:get("reused")
   end
   io.write(string.format("BENCH_POST redirects=%d others=%d reused=%d\n", r, o, u))
end
