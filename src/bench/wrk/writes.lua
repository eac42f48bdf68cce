-- PUT /groups/{g}/hosts/{h}: membership adds that are all new (pairs file from the generator), each used once.
-- args after `--`: pairs file, number of wrk threads, offset (so a warm-up run uses other pairs).
local counter = 0
local pairs_ = {}
local n = 0

function setup(thread)
   counter = counter + 1
   thread:set("id", counter)
end

function init(args)
   for line in io.lines(args[1]) do
      local g, h = line:match("^(%S+) (%S+)$")
      pairs_[#pairs_ + 1] = "/groups/" .. g .. "/hosts/" .. h
   end
   threads = tonumber(args[2])
   offset = tonumber(args[3])
end

function request()
   local i = offset + (id - 1) + n * threads
   n = n + 1
   return wrk.format("PUT", pairs_[(i % #pairs_) + 1])
end
