-- luacheck settings for `make lint` (Debian package lua-check).
std = "lua54"
max_line_length = false
unused_args = false
exclude_files = { "build/**", "build-asan/**", "out/**" }
-- scripts run by `lcase run` / `lcase SCRIPT.lua` get the case API as globals
files["scripts"] = { read_globals = { "case", "db", "sql", "rules", "report", "plugins", "dates" } }
files["spec"] = { std = "+busted" }
-- left for the importers' owners (work in progress there): an unused
-- constant, helper and assignment
files["core/lua/lcase/import/writer.lua"] = { ignore = { "211/ENTRY_EXT" } }
files["plugins/importers/uspto-litigation.lua"] = { ignore = { "211/need_date" } }
files["plugins/importers/csv.lua"] = { ignore = { "311/sample" } }
-- an empty `if` branch with a comment says "nothing to do here" on purpose
ignore = { "542" }
