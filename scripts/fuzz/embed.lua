-- embed.lua DRIVER.lua OUT.h: write OUT.h defining `driver`, the text of
-- DRIVER.lua as a C string (included by fuzz_target.c).
local src, out = arg[1], arg[2]
local f = assert(io.open(src, "rb"))
local s = f:read("a")
f:close()
local lit = s:gsub('[\\"%c\127-\255]', function(c)
  if c == "\n" then return '\\n"\n"' end
  return string.format("\\%03o", c:byte())
end)
local o = assert(io.open(out, "wb"))
o:write("/* generated from ", src, " by scripts/fuzz/embed.lua */\nstatic const char driver[] = \"", lit, "\";\n")
assert(o:close())
