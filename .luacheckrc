-- luacheck settings for `make lint` (Debian package lua-check).
std = "lua54"
max_line_length = false
unused_args = false
exclude_files = { "build/**", "build-asan/**", "out/**" }
-- scripts run by `lcase run` / `lcase SCRIPT.lua` get the case API as globals
files["scripts"] = { read_globals = { "case", "db", "sql", "rules", "report", "plugins", "dates" } }
files["spec"] = { std = "+busted" }
-- an empty `if` branch with a comment says "nothing to do here" on purpose
ignore = { "542" }
