-- GET /hosts/{random}: each request picks a host name from the generated set (file given after `--`).
local counter = 0
local names = {}

function setup(thread)
   counter = counter + 1
   thread:set("id", counter)
end

function init(args)
   for line in io.lines(args[1]) do
      names[#names + 1] = line
   end
   math.randomseed(42 + (id or 0))
end

function request()
   return wrk.format("GET", "/hosts/" .. names[math.random(#names)])
end
