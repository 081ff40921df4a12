/*
** llimits.c -- state creation and per-plugin limits.
** (The instruction budget and the memory cap are filled in by the plugins work.)
*/
#include "lauxlib.h"
#include "lcase.h"

lua_State *lcase_newstate(void) {
  return luaL_newstate();
}

int luaopen_lcase_limits(lua_State *L) {
  lua_newtable(L);
  return 1;
}
