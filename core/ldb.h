#ifndef LDB_H
#define LDB_H
#include "lua.h"
#include "sqlite3.h"
sqlite3 *ldb_checkdb(lua_State *L, int idx);
void ldb_interrupt_all(void);
int luaopen_lcase_db(lua_State *L);
#endif
