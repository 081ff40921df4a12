/*
** lcase.h -- what the host's C files share.
*/
#ifndef LCASE_H
#define LCASE_H

#include <signal.h>
#include <stddef.h>
#include "lua.h"

/* One module of the embedded Lua runtime (generated build/runtime.c). */
struct lcase_module {
  const char *name;      /* "lcase.cli.main" */
  const char *chunkname; /* "@lcase/cli/main.lua" */
  const char *source;
  size_t size;
};
extern const struct lcase_module lcase_runtime[]; /* ends with a NULL name */

/* State creation (llimits.c: counting allocator with an optional cap). */
lua_State *lcase_newstate(void);
void lcase_closestate(lua_State *L); /* lua_close; Ctrl-C leaves it alone */

/* Ctrl-C (llimits.c, which owns the Lua hook).  lcase_interrupt() is
** async-signal-safe: it marks an interrupt pending and makes the main
** thread raise "interrupted!" at its next instruction; raising it clears
** the flag.  While it is pending, running SQLite statements stop
** (ldb.c's progress handler). */
extern volatile sig_atomic_t lcase_interrupt_pending;
void lcase_interrupt(void);
/* lpg.c: cancels the PostgreSQL query being waited for, if any
** (async-signal-safe: PQcancel). */
void lpg_cancel_waiting(void);

/* C modules, preloaded by name. */
int luaopen_lcase_db(lua_State *L);     /* ldb.c: SQLite binding */
int luaopen_lcase_sys(lua_State *L);    /* lsys.c: processes, locks, clocks */
int luaopen_lcase_limits(lua_State *L); /* llimits.c: instruction and memory limits */
int luaopen_lcase_edit(lua_State *L);   /* ledit.c: libedit line editing */
int luaopen_lcase_csv(lua_State *L);    /* lcsv.c: streaming CSV reader, bulk load */
int luaopen_lcase_pg(lua_State *L);     /* lpg.c: PostgreSQL binding (libpq) */

#endif
