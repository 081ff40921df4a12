/*
** ldb.h -- lcase.db, the SQLite binding: C API for other host modules.
** See ldb.c for the Lua API.
*/
#ifndef LDB_H
#define LDB_H

#include "lua.h"
#include <sqlite3.h>

/* Metatable name of connection userdata (luaL_checkudata). */
#define LDB_CONNECTION "lcase.db.Connection"

/* Returns the handle of the open connection at 'idx'; raises a Lua error
** if that value is not a connection or the connection is closed. The
** handle stays owned by the connection: never close it; finalize any
** statement prepared on it before returning to Lua code that may close
** the connection. */
sqlite3 *ldb_checkdb(lua_State *L, int idx);

/* Opens the module (package.preload["lcase.db"]). */
int luaopen_lcase_db(lua_State *L);

#endif
