/*
** fuzz_target.c -- libFuzzer targets for lcase's C modules, driven the way
** the runtime drives them: through their Lua API, in one Lua state made by
** lcase_newstate (the counting allocator) with the modules preloaded.
**
**   FUZZ_CSV  the CSV reader (core/lcsv.c): every input is a CSV file read
**             with options taken from its first byte (separator, empty
**             value, record size cap), then loaded into an in-memory table.
**   FUZZ_DB   the SQLite binding's bind and step paths (core/ldb.c): the
**             input is a program of binds (integers, reals, text and blobs
**             with NULs, nil, booleans, named tables, too many or too few
**             values) and steps over fixed statements, and SQL text of its
**             own run on a connection restricted to reads (so it cannot
**             ATTACH or write files).
**
** The driver for each target is a Lua chunk (scripts/fuzz/csv_driver.lua,
** db_driver.lua; embedded at build time into the header FUZZ_DRIVER_H)
** returning function(bytes). A Lua error is
** an expected outcome (bad input is refused); a crash, a sanitizer report
** or a leak is a bug. Build and run: make fuzz (see the Makefile).
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"

#include "lcase.h"

#ifndef FUZZ_DRIVER_H
#error "FUZZ_DRIVER_H (the header embed.lua made of the Lua driver) must be defined"
#endif
#include FUZZ_DRIVER_H
static lua_State *L;
static int fn_ref = LUA_NOREF;

static void setup(void) {
  L = lcase_newstate();
  if (L == NULL) abort();
  luaL_openlibs(L);
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
  lua_pushcfunction(L, luaopen_lcase_db);
  lua_setfield(L, -2, "lcase.db");
  lua_pushcfunction(L, luaopen_lcase_csv);
  lua_setfield(L, -2, "lcase.csv");
  lua_pop(L, 1);
  if (luaL_loadbuffer(L, driver, sizeof driver - 1, "=fuzz driver") != LUA_OK ||
      lua_pcall(L, 0, 1, 0) != LUA_OK || !lua_isfunction(L, -1)) {
    fprintf(stderr, "fuzz driver: %s\n", lua_tostring(L, -1));
    abort();
  }
  fn_ref = luaL_ref(L, LUA_REGISTRYINDEX);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (L == NULL) setup();
  lua_rawgeti(L, LUA_REGISTRYINDEX, fn_ref);
  lua_pushlstring(L, (const char *)data, size);
  /* the driver protects what it calls; an error escaping it is a bug of
  ** the driver itself, which must not pass silently */
  if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
    fprintf(stderr, "fuzz driver failed: %s\n", lua_tostring(L, -1));
    abort();
  }
  lua_gc(L, LUA_GCCOLLECT, 0); /* finalizers run now: leaks show per input */
  return 0;
}
