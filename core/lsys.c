/*
** lsys.c -- placeholder; filled in by its own issue.
*/
#include "lauxlib.h"
#include "lcase.h"

int luaopen_lcase_sys(lua_State *L) {
  lua_newtable(L);
  return 1;
}
