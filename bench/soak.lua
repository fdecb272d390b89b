-- wrk script: a mix of pages, one after another, from the paths given after "--"
-- (bench/memory.py SOAK_PATHS; arguments that are not paths are ignored).
local paths = {}
local next_path = 0

function init(args)
  for _, arg in ipairs(args) do
    if string.sub(arg, 1, 1) == "/" then
      paths[#paths + 1] = arg
    end
  end
end

function request()
  next_path = next_path % #paths + 1
  return wrk.format("GET", paths[next_path])
end
