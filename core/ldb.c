/* placeholder until the binding lands */
#include "lauxlib.h"
#include "ldb.h"
void ldb_interrupt_all(void) {}
sqlite3 *ldb_checkdb(lua_State *L, int idx) { (void)idx; luaL_error(L, "no db"); return NULL; }
int luaopen_lcase_db(lua_State *L) { lua_newtable(L); return 1; }
