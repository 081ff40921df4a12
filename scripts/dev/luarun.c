/*
** luarun.c -- the build's own Lua interpreter: runs a script with the
** Lua library lcase links, so that bytecode it dumps (string.dump) is
** exactly what the host's loader expects.
**   luarun SCRIPT [ARGS...]   (arg[0] = SCRIPT, arg[1..] = ARGS)
*/
#include <stdio.h>
#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"

int main(int argc, char **argv) {
  lua_State *L;
  int i, status;
  if (argc < 2) {
    fprintf(stderr, "usage: luarun SCRIPT [ARGS...]\n");
    return 2;
  }
  L = luaL_newstate();
  if (L == NULL) return 1;
  luaL_openlibs(L);
  lua_createtable(L, argc, 0);
  for (i = 1; i < argc; i++) {
    lua_pushstring(L, argv[i]);
    lua_rawseti(L, -2, i - 1);
  }
  lua_setglobal(L, "arg");
  status = luaL_dofile(L, argv[1]);
  if (status != LUA_OK) fprintf(stderr, "luarun: %s\n", lua_tostring(L, -1));
  lua_close(L);
  return status == LUA_OK ? 0 : 1;
}
