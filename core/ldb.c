/*
** ldb.c -- lcase.db: SQLite binding for Lua 5.4.
**
**   local sqlite = require "lcase.db"
**   local db = assert(sqlite.open("cases.db"))
**   for row in db:rows("SELECT * FROM cases WHERE forum = ?", "D. Del.") do ... end
**
** Objects (liolib style: metatables registered by name, methods under
** __index, one function for __gc and __close, every object created closed
** before its resource is acquired, every method refusing a closed object):
**
**   lcase.db.Connection  a sqlite3 handle. Uservalues: 1 statement cache
**                        (table sql -> internal statement), 2 path.
**   lcase.db.Statement   a statement prepared by db:prepare, owned by the
**                        user. Uservalues: 1 connection (keeps it alive),
**                        2 column names, 3 parameter names, 4 unused.
**   internal statement   a statement of the cache (or a transient one when
**                        the cached one is in use). Never handed to Lua
**                        code as a value with methods; same uservalues,
**                        4 = cache key.
**   lcase.db.Cursor      the closing value of one rows/urows loop; holds the
**                        statement it iterates (uservalue 1) and gives it
**                        back (reset, cache) on break, error, end or GC.
**   lcase.db.Blob        sqlite.blob(s): binds s as a BLOB.
**
** Reentrancy: a Lua allocation may run __gc finalizers, that is arbitrary
** Lua code that may close the connection (finalizing every statement).
** Hence code that allocates (pushes strings, creates tables) re-checks
** 's->st' before the next SQLite call, and binding never allocates.
*/

#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lua.h"
#include "lauxlib.h"

#include <sqlite3.h>

#include "lcase.h"
#include "ldb.h"

#define LDB_STMT      "lcase.db.Statement"
#define LDB_ISTMT     "lcase.db.InternalStatement"
#define LDB_CURSOR    "lcase.db.Cursor"
#define LDB_BLOB      "lcase.db.Blob"

#define LDB_CACHE_DEFAULT  64     /* statements kept per connection */
#define LDB_BUSY_DEFAULT   30000  /* busy timeout, milliseconds */
#define LDB_BUSY_NOTICE    2000   /* say so on stderr after waiting this long */
#define LDB_ERROR     "lcase.db.Error"
#define LDB_SQLSHOW        80     /* SQL shown in error messages, bytes */
#define LDB_ERRBUF         512
#define LDB_PROGRESS_OPS   1000   /* VM steps between Ctrl-C checks */

#if defined(__GNUC__)
#define ldb_likely(x)    __builtin_expect(((x) != 0), 1)
#define ldb_unlikely(x)  __builtin_expect(((x) != 0), 0)
#else
#define ldb_likely(x)    (x)
#define ldb_unlikely(x)  (x)
#endif

#if SQLITE_VERSION_NUMBER >= 3037000
#define ldb_changes(db)        sqlite3_changes64(db)
#define ldb_total_changes(db)  sqlite3_total_changes64(db)
#else
#define ldb_changes(db)        sqlite3_changes(db)
#define ldb_total_changes(db)  sqlite3_total_changes(db)
#endif

/* uservalue slots */
#define UV_CONN_CACHE   1
#define UV_CONN_PATH    2
#define UV_STMT_CONN    1
#define UV_STMT_COLS    2
#define UV_STMT_PARAMS  3
#define UV_STMT_KEY     4
#define UV_CURSOR_STMT  1

enum { LDB_USER, LDB_CACHED, LDB_TRANSIENT };

typedef struct ldb_Conn ldb_Conn;
typedef struct ldb_Stmt ldb_Stmt;

struct ldb_Conn {
  sqlite3 *db;                     /* NULL once closed */
  ldb_Stmt *stmts;                 /* every live statement of this handle */
  ldb_Stmt *lru_head, *lru_tail;   /* cached statements, most recent first */
  int ncached;                     /* entries in the cache */
  int capacity;                    /* cache capacity; 0 = no cache */
  lua_Integer hits, misses;        /* cache statistics */
  lua_Integer spseq;               /* savepoint name sequence */
  int busy_ms;                     /* how long to wait for another writer */
  int busy_noticed;                /* the waiting notice was written */
  double busy_start;               /* when this wait began (seconds) */
  int reader;                      /* restricted to reads (db:restrict_to_reads) */
  int host_tx;                     /* the host itself is beginning or ending a
                                   ** transaction (db:transaction) */
  int importer;                    /* guarded for an importer (db:guard_import) */
  int lifted;                      /* the guard's holder lifted it (lift) */
  int saved_defensive;             /* SQLITE_DBCONFIG_DEFENSIVE before the guard */
  int saved_attached;              /* SQLITE_LIMIT_ATTACHED before the guard */
  char *main_names;                /* "\nname\n..." of main's tables and views,
                                   ** which no temp object may shadow */
};

struct ldb_Stmt {
  sqlite3_stmt *st;                /* NULL once finalized */
  ldb_Conn *conn;                  /* owning connection (meaningful while st) */
  ldb_Stmt *next, **pprev;         /* conn->stmts list */
  ldb_Stmt *lru_prev, *lru_next;   /* conn LRU list, when in_cache */
  const void *owner;               /* who holds it now: a cursor, a token */
  const char *key;                 /* cache key, anchored in uservalue 4 */
  size_t keylen;
  int kind;                        /* LDB_USER, LDB_CACHED, LDB_TRANSIENT */
  int in_cache;                    /* in conn cache table and LRU list */
  int ncols;                       /* columns of the names table */
  int reprep;                      /* REPREPARE count then; -1: no names */
  int nparams;                     /* sqlite3_bind_parameter_count */
  int named;                       /* some parameter is :a, @a or $a */
  int has_row;                     /* last step returned SQLITE_ROW */
  int dbclosed;                    /* finalized by the connection's close */
};

typedef struct ldb_Cursor {
  ldb_Stmt *s;                     /* NULL when the loop is over */
} ldb_Cursor;

typedef struct ldb_Blob {
  const char *p;                   /* bytes of the string in uservalue 1 */
  size_t n;
} ldb_Blob;

/* registry keys and owner tokens (addresses only) */
static const char ldb_null_key = 0;
static const char ldb_token = 0;   /* owner: db:run/first/value */


/*
** {======================================================
** Helpers
** =======================================================
*/

static int is_sqlspace (unsigned char ch) {
  return ch == ' ' || (ch >= '\t' && ch <= '\r');
}


/* Writes SQL into out (LDB_SQLSHOW + 4 bytes) with whitespace runs
** collapsed, cut to LDB_SQLSHOW bytes ("...") on a UTF-8 boundary. */
static void shorten_sql (char *out, const char *sql, size_t len) {
  size_t i = 0, k = 0, w;
  int space = 0;
  while (i < len && is_sqlspace((unsigned char)sql[i])) i++;
  for (; i < len && sql[i] != '\0'; i++) {
    unsigned char ch = (unsigned char)sql[i];
    if (is_sqlspace(ch)) { space = 1; continue; }
    if (k + (size_t)space + 1 > LDB_SQLSHOW) break;  /* no room */
    if (space) { out[k++] = ' '; space = 0; }
    out[k++] = (char)ch;
  }
  if (i < len && sql[i] != '\0') {  /* cut: make room for "..." */
    w = k;
    if (k > LDB_SQLSHOW - 3) k = LDB_SQLSHOW - 3;
    while (k > 0 && k < w && ((unsigned char)out[k] & 0xC0) == 0x80) k--;
    memcpy(out + k, "...", 3);
    k += 3;
  }
  out[k] = '\0';
}


/* Writes "sqlite: MSG (in: SQL)" into buf (LDB_ERRBUF bytes). */
static void fmt_err (char *buf, const char *msg, const char *sql,
                     size_t len) {
  char shown[LDB_SQLSHOW + 4];
  if (sql == NULL) {
    snprintf(buf, LDB_ERRBUF, "sqlite: %s", msg);
    return;
  }
  shorten_sql(shown, sql, len);
  if (shown[0] == '\0') snprintf(buf, LDB_ERRBUF, "sqlite: %s", msg);
  else snprintf(buf, LDB_ERRBUF, "sqlite: %s (in: %s)", msg, shown);
}


static int raise_buf (lua_State *L, const char *buf) {
  lua_pushstring(L, buf);
  return lua_error(L);
}


static int raise_sql (lua_State *L, const char *msg, const char *sql,
                      size_t len) {
  char buf[LDB_ERRBUF];
  fmt_err(buf, msg, sql, len);
  return raise_buf(L, buf);
}


/* Raises 'buf', the message of a failure whose result code was 'rc'.
** Another connection's lock (SQLITE_BUSY, SQLITE_LOCKED) raises an
** lcase.db.Error object { message =, code = rc, locked = true } whose
** __tostring is the message, so callers can tell it apart (lcase exits 4);
** when a Ctrl-C ended the wait it also has interrupted = true (exit 130);
** a damaged database (SQLITE_CORRUPT, SQLITE_NOTADB) raises the same kind
** of object with corrupt = true instead of locked (exit 5);
** every other failure raises the message as a string. */
static int raise_rc (lua_State *L, const char *buf, int rc) {
  int primary = rc & 0xff;
  if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) {
    /* a damaged database: { message =, code = rc, corrupt = true }, so
    ** every command can say so in one line and exit 5 */
    lua_createtable(L, 0, 3);
    lua_pushstring(L, buf);
    lua_setfield(L, -2, "message");
    lua_pushinteger(L, primary);
    lua_setfield(L, -2, "code");
    lua_pushboolean(L, 1);
    lua_setfield(L, -2, "corrupt");
    luaL_setmetatable(L, LDB_ERROR);
    return lua_error(L);
  }
  if (primary != SQLITE_BUSY && primary != SQLITE_LOCKED)
    return raise_buf(L, buf);
  lua_createtable(L, 0, 3);
  lua_pushstring(L, buf);
  lua_setfield(L, -2, "message");
  lua_pushinteger(L, primary);
  lua_setfield(L, -2, "code");
  lua_pushboolean(L, 1);
  lua_setfield(L, -2, "locked");
  if (lcase_interrupt_pending) { /* Ctrl-C ended the wait (conn_busy) */
    lua_pushboolean(L, 1);
    lua_setfield(L, -2, "interrupted");
    /* this error reports the interrupt: it is not raised a second time
    ** (as "interrupted!", over this error, in its message handler) */
    lcase_interrupt_pending = 0;
  }
  luaL_setmetatable(L, LDB_ERROR);
  return lua_error(L);
}


static int dberror_tostring (lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_getfield(L, 1, "message");
  if (!lua_isstring(L, -1)) {
    lua_pop(L, 1);
    lua_pushliteral(L, "sqlite: database is locked");
  }
  return 1;
}


/* "text" .. err and err .. "text" keep working as with a string error. */
static int dberror_concat (lua_State *L) {
  int i;
  for (i = 1; i <= 2; i++) {
    if (lua_type(L, i) == LUA_TTABLE) {
      lua_getfield(L, i, "message");
      if (!lua_isstring(L, -1)) {
        lua_pop(L, 1);
        lua_pushliteral(L, "sqlite: database is locked");
      }
      lua_replace(L, i);
    }
    else luaL_checkstring(L, i);
  }
  lua_settop(L, 2);
  lua_concat(L, 2);
  return 1;
}


/* Error for a statement whose sqlite3_stmt is gone. */
static int stmt_gone (lua_State *L, ldb_Stmt *s) {
  return luaL_error(L, s->dbclosed ? "attempt to use a closed database"
                                   : "attempt to use a finalized statement");
}


/* True if [p, end) holds only whitespace, ';' and comments. */
static int only_noise (const char *p, const char *end) {
  while (p < end) {
    unsigned char ch = (unsigned char)*p;
    if (ch == ';' || is_sqlspace(ch)) p++;
    else if (ch == '-' && p + 1 < end && p[1] == '-') {
      while (p < end && *p != '\n') p++;
    }
    else if (ch == '/' && p + 1 < end && p[1] == '*') {
      p += 2;
      while (p + 1 < end && !(p[0] == '*' && p[1] == '/')) p++;
      p = (p + 1 < end) ? p + 2 : end;
    }
    else return 0;
  }
  return 1;
}


static int is_null (lua_State *L, int idx) {
  int r;
  lua_rawgetp(L, LUA_REGISTRYINDEX, &ldb_null_key);
  r = lua_rawequal(L, idx, -1);
  lua_pop(L, 1);
  return r;
}


/* A table that is not sqlite.null: a params table. */
static int is_params (lua_State *L, int idx) {
  return lua_type(L, idx) == LUA_TTABLE && !is_null(L, idx);
}

/* }====================================================== */


/*
** {======================================================
** Statements: life cycle, cache
** =======================================================
*/

static void stmt_unlink (ldb_Stmt *s) {
  if (s->pprev) {
    *s->pprev = s->next;
    if (s->next) s->next->pprev = s->pprev;
    s->next = NULL;
    s->pprev = NULL;
  }
}


static void lru_unlink (ldb_Conn *c, ldb_Stmt *s) {
  if (s->lru_prev) s->lru_prev->lru_next = s->lru_next;
  else c->lru_head = s->lru_next;
  if (s->lru_next) s->lru_next->lru_prev = s->lru_prev;
  else c->lru_tail = s->lru_prev;
  s->lru_prev = s->lru_next = NULL;
}


static void lru_push (ldb_Conn *c, ldb_Stmt *s) {
  s->lru_prev = NULL;
  s->lru_next = c->lru_head;
  if (c->lru_head) c->lru_head->lru_prev = s;
  else c->lru_tail = s;
  c->lru_head = s;
}


/* Finalizes the statement (once); no allocation, never raises. */
static void stmt_finalize (ldb_Stmt *s) {
  if (s->st != NULL) {
    ldb_Conn *c = s->conn;
    if (s->in_cache) {
      lru_unlink(c, s);
      s->in_cache = 0;
      c->ncached--;
    }
    stmt_unlink(s);
    sqlite3_finalize(s->st);
    s->st = NULL;
  }
  s->owner = NULL;
  s->has_row = 0;
}


/* Gives a held statement back: reset it; an internal one also loses its
** bindings (they may point into Lua strings) and a transient one is
** finalized. A user statement keeps its bindings. Never raises. */
static void stmt_release (ldb_Stmt *s) {
  s->owner = NULL;
  s->has_row = 0;
  if (s->st == NULL) return;
  sqlite3_reset(s->st);
  if (s->kind == LDB_USER) return;
  sqlite3_clear_bindings(s->st);
  if (s->kind == LDB_TRANSIENT) stmt_finalize(s);
}


static ldb_Conn *check_conn (lua_State *L, int idx) {
  return (ldb_Conn *)luaL_checkudata(L, idx, LDB_CONNECTION);
}


static ldb_Conn *check_open (lua_State *L, int idx) {
  ldb_Conn *c = check_conn(L, idx);
  if (ldb_unlikely(c->db == NULL))
    luaL_error(L, "attempt to use a closed database");
  return c;
}


/* Prepares the SQL at 'sqlidx' for connection 'c' (a userdata at
** 'connidx') and pushes the new statement userdata. 'what' names the
** caller in the "takes one statement" error. */
static ldb_Stmt *stmt_new (lua_State *L, ldb_Conn *c, int connidx,
                           int sqlidx, int kind, const char *what) {
  size_t len;
  const char *sql = lua_tolstring(L, sqlidx, &len);
  const char *tail = NULL;
  sqlite3_stmt *st = NULL;
  ldb_Stmt *s;
  int rc, i;
  s = (ldb_Stmt *)lua_newuserdatauv(L, sizeof(ldb_Stmt), 4);
  memset(s, 0, sizeof(ldb_Stmt));  /* closed */
  s->kind = kind;
  s->reprep = -1;
  luaL_setmetatable(L, kind == LDB_USER ? LDB_STMT : LDB_ISTMT);
  lua_pushvalue(L, connidx);
  lua_setiuservalue(L, -2, UV_STMT_CONN);
  if (len >= (size_t)INT_MAX)
    luaL_error(L, "sqlite: SQL text too long");
  if (memchr(sql, '\0', len) != NULL)
    raise_sql(L, "SQL contains a NUL byte", sql, len);
  if (c->db == NULL)  /* a finalizer may have closed it */
    luaL_error(L, "attempt to use a closed database");
  rc = sqlite3_prepare_v3(c->db, sql, (int)len,
                          kind == LDB_CACHED ? SQLITE_PREPARE_PERSISTENT : 0,
                          &st, &tail);
  if (rc != SQLITE_OK) {
    char buf[LDB_ERRBUF];
    fmt_err(buf, sqlite3_errmsg(c->db), sql, len);
    sqlite3_finalize(st);
    raise_rc(L, buf, rc);
  }
  if (st == NULL)
    raise_sql(L, "no SQL statement", sql, len);
  if (!only_noise(tail, sql + len)) {
    char msg[64];
    sqlite3_finalize(st);
    snprintf(msg, sizeof msg, "%s takes one statement; use exec for scripts",
             what);
    raise_sql(L, msg, sql, len);
  }
  s->nparams = sqlite3_bind_parameter_count(st);
  for (i = 1; i <= s->nparams; i++) {
    const char *name = sqlite3_bind_parameter_name(st, i);
    if (name != NULL && name[0] != '?') { s->named = 1; break; }
  }
  if (s->named) {  /* names without their prefix; false for '?' ones */
    lua_createtable(L, s->nparams, 0);
    for (i = 1; i <= s->nparams; i++) {
      const char *name = sqlite3_bind_parameter_name(st, i);
      if (name != NULL && name[0] != '?') lua_pushstring(L, name + 1);
      else lua_pushboolean(L, 0);
      lua_rawseti(L, -2, i);
    }
    lua_setiuservalue(L, -2, UV_STMT_PARAMS);
    if (c->db == NULL) {  /* closed by a finalizer meanwhile */
      sqlite3_finalize(st);
      luaL_error(L, "attempt to use a closed database");
    }
  }
  /* link: from here on db:close() finalizes it */
  s->st = st;
  s->conn = c;
  s->next = c->stmts;
  s->pprev = &c->stmts;
  if (c->stmts) c->stmts->pprev = &s->next;
  c->stmts = s;
  return s;
}


/* Makes room in the cache: finalizes the least recently used idle entry.
** Returns 0 if every entry is in use. */
static int cache_evict (lua_State *L, ldb_Conn *c, int cacheidx) {
  ldb_Stmt *e;
  for (e = c->lru_tail; e != NULL; e = e->lru_prev)
    if (e->owner == NULL) break;
  if (e == NULL) return 0;
  lru_unlink(c, e);
  e->in_cache = 0;
  c->ncached--;
  stmt_finalize(e);
  /* the table still refers to 'e', so its key string stays alive */
  lua_pushlstring(L, e->key, e->keylen);
  lua_pushnil(L);
  lua_rawset(L, cacheidx);
  return 1;
}


/* Pushes a statement for the SQL at 'sqlidx' on the connection at index
** 1, held by 'owner': the cached one if idle, else a new one (cached if
** the SQL is not in the cache yet, transient otherwise). Either raises
** holding nothing or returns a held statement whose 'st' is live. */
static ldb_Stmt *stmt_acquire (lua_State *L, ldb_Conn *c, int sqlidx,
                               const void *owner, const char *what) {
  ldb_Stmt *s;
  if (c->db == NULL) luaL_error(L, "attempt to use a closed database");
  if (c->capacity > 0) {
    int cacheidx, found;
    lua_getiuservalue(L, 1, UV_CONN_CACHE);
    cacheidx = lua_gettop(L);
    lua_pushvalue(L, sqlidx);
    found = (lua_rawget(L, cacheidx) == LUA_TUSERDATA);
    if (found) {
      s = (ldb_Stmt *)lua_touserdata(L, -1);
      if (ldb_likely(s->owner == NULL && s->st != NULL)) {
        c->hits++;
        if (c->lru_head != s) { lru_unlink(c, s); lru_push(c, s); }
        s->owner = owner;
        lua_remove(L, cacheidx);
        return s;
      }
    }
    lua_pop(L, 1);
    c->misses++;
    s = stmt_new(L, c, 1, sqlidx, found ? LDB_TRANSIENT : LDB_CACHED, what);
    if (!found) {
      if (c->ncached < c->capacity || cache_evict(L, c, cacheidx)) {
        lua_pushvalue(L, sqlidx);
        s->key = lua_tolstring(L, -1, &s->keylen);
        lua_setiuservalue(L, -2, UV_STMT_KEY);
        lua_pushvalue(L, sqlidx);
        lua_pushvalue(L, -2);
        lua_rawset(L, cacheidx);
        lru_push(c, s);
        s->in_cache = 1;
        c->ncached++;
      }
      else s->kind = LDB_TRANSIENT;  /* every entry in use */
    }
    lua_remove(L, cacheidx);
  }
  else {
    c->misses++;
    s = stmt_new(L, c, 1, sqlidx, LDB_TRANSIENT, what);
  }
  if (s->st == NULL) stmt_gone(L, s);  /* closed by a finalizer */
  s->owner = owner;
  return s;
}

/* }====================================================== */


/*
** {======================================================
** Binding (never allocates: strings may be bound SQLITE_STATIC)
** =======================================================
*/

static void param_label (char *buf, size_t sz, sqlite3_stmt *st, int i) {
  const char *name = sqlite3_bind_parameter_name(st, i);
  if (name != NULL && name[0] != '?') snprintf(buf, sz, "%s", name);
  else snprintf(buf, sz, "%d", i);
}


/* Binds the value at 'idx' (absolute) to parameter i. Returns 0, or
** writes an error into err and returns 1. */
static int bind_one (lua_State *L, ldb_Stmt *s, int i, int idx, int copy,
                     char *err) {
  sqlite3_stmt *st = s->st;
  sqlite3_destructor_type how = copy ? SQLITE_TRANSIENT : SQLITE_STATIC;
  int rc;
  switch (lua_type(L, idx)) {
    case LUA_TNONE: case LUA_TNIL:
      rc = sqlite3_bind_null(st, i);
      break;
    case LUA_TBOOLEAN:
      rc = sqlite3_bind_int(st, i, lua_toboolean(L, idx));
      break;
    case LUA_TNUMBER:
      if (lua_isinteger(L, idx))
        rc = sqlite3_bind_int64(st, i, (sqlite3_int64)lua_tointeger(L, idx));
      else
        rc = sqlite3_bind_double(st, i, (double)lua_tonumber(L, idx));
      break;
    case LUA_TSTRING: {
      size_t len;
      const char *p = lua_tolstring(L, idx, &len);
      rc = sqlite3_bind_text64(st, i, p, (sqlite3_uint64)len, how,
                               SQLITE_UTF8);
      break;
    }
    case LUA_TUSERDATA: {
      ldb_Blob *b = (ldb_Blob *)luaL_testudata(L, idx, LDB_BLOB);
      if (b == NULL) goto badtype;
      rc = sqlite3_bind_blob64(st, i, b->p, (sqlite3_uint64)b->n, how);
      break;
    }
    case LUA_TTABLE:
      if (!is_null(L, idx)) goto badtype;
      rc = sqlite3_bind_null(st, i);
      break;
    default: goto badtype;
  }
  if (ldb_likely(rc == SQLITE_OK)) return 0;
  {
    char label[64], msg[160];
    param_label(label, sizeof label, st, i);
    snprintf(msg, sizeof msg, "cannot bind parameter %s: %s", label,
             sqlite3_errstr(rc));
    fmt_err(err, msg, sqlite3_sql(st), strlen(sqlite3_sql(st)));
    return 1;
  }
badtype: {
    char label[64], msg[160];
    param_label(label, sizeof label, st, i);
    snprintf(msg, sizeof msg, "cannot bind a %s to parameter %s",
             lua_typename(L, lua_type(L, idx)), label);
    fmt_err(err, msg, sqlite3_sql(st), strlen(sqlite3_sql(st)));
    return 1;
  }
}


static int bind_fail (char *err, ldb_Stmt *s, const char *msg) {
  const char *sql = sqlite3_sql(s->st);
  fmt_err(err, msg, sql, strlen(sql));
  return 1;
}


/* Binds every parameter of s from the arguments first..last: a params
** table (positional values at 1..n, named ones by name without prefix),
** or positional values. A missing positional value binds NULL; a missing
** named value is an error. Returns 0, or fills err and returns 1. The
** statement at 'sidx' must be reset. Only reads raw: no metamethod runs,
** nothing is allocated. */
static int bind_args (lua_State *L, ldb_Stmt *s, int sidx, int first,
                      int last, int copy, char *err) {
  int n = s->nparams, i;
  char msg[160];
  if (first <= last && is_params(L, first)) {
    int t = first, pn = 0;
    lua_Unsigned len = lua_rawlen(L, t);
    if (last > first)
      return bind_fail(err, s, "extra arguments after the params table");
    if (len > (lua_Unsigned)n) {
      snprintf(msg, sizeof msg, "too many values (statement takes %d, got %llu)",
               n, (unsigned long long)len);
      return bind_fail(err, s, msg);
    }
    if (s->named) {
      lua_getiuservalue(L, sidx, UV_STMT_PARAMS);
      pn = lua_gettop(L);
    }
    for (i = 1; i <= n; i++) {
      if (pn && lua_rawgeti(L, pn, i) == LUA_TSTRING) {
        if (lua_rawget(L, t) == LUA_TNIL) {
          lua_pop(L, pn ? 2 : 1);
          snprintf(msg, sizeof msg, "missing named parameter %s",
                   sqlite3_bind_parameter_name(s->st, i));
          return bind_fail(err, s, msg);
        }
      }
      else {
        if (pn) lua_pop(L, 1);
        lua_rawgeti(L, t, i);
      }
      if (bind_one(L, s, i, lua_gettop(L), copy, err)) {
        lua_pop(L, pn ? 2 : 1);
        return 1;
      }
      lua_pop(L, 1);
    }
    if (pn) lua_pop(L, 1);
    return 0;
  }
  else {
    int nvals = (first <= last) ? last - first + 1 : 0;
    if (nvals > n) {
      snprintf(msg, sizeof msg, "too many values (statement takes %d, got %d)",
               n, nvals);
      return bind_fail(err, s, msg);
    }
    for (i = 1; i <= n; i++) {
      if (s->named) {
        const char *name = sqlite3_bind_parameter_name(s->st, i);
        if (name != NULL && name[0] != '?') {
          snprintf(msg, sizeof msg, "missing named parameter %s "
                   "(named parameters take a table)", name);
          return bind_fail(err, s, msg);
        }
      }
      if (i <= nvals) {
        if (bind_one(L, s, i, first + i - 1, copy, err)) return 1;
      }
      else if (sqlite3_bind_null(s->st, i) != SQLITE_OK)
        return bind_fail(err, s, sqlite3_errmsg(s->conn->db));
    }
    return 0;
  }
}

/* }====================================================== */


/*
** {======================================================
** Reading rows
** =======================================================
*/

/* Pushes a column value. The value comes from sqlite3_column_value: one
** call per column instead of three (type, text, bytes), each of which
** would check for a malloc failure. Such "unprotected" values are fine
** to read in a single thread, and a connection here lives in one. */
static void push_value (lua_State *L, sqlite3_value *v) {
  int ty = sqlite3_value_type(v);
  switch (ty) {
    case SQLITE_INTEGER:
      lua_pushinteger(L, (lua_Integer)sqlite3_value_int64(v));
      break;
    case SQLITE_FLOAT:
      lua_pushnumber(L, (lua_Number)sqlite3_value_double(v));
      break;
    case SQLITE_TEXT: case SQLITE_BLOB: {
      const char *p = (ty == SQLITE_TEXT)
                      ? (const char *)sqlite3_value_text(v)
                      : (const char *)sqlite3_value_blob(v);
      int n = sqlite3_value_bytes(v);
      if (ldb_unlikely(p == NULL)) {  /* empty, or out of memory */
        if (n > 0) luaL_error(L, "sqlite: out of memory");
        p = "", n = 0;
      }
      lua_pushlstring(L, p, (size_t)n);
      break;
    }
    default:
      lua_pushnil(L);
      break;
  }
}


#define push_column(L, st, i)  push_value(L, sqlite3_column_value(st, i))


/* (Re)reads the column names of s (userdata at 'sidx') into uservalue 2. */
static void refresh_names (lua_State *L, ldb_Stmt *s, int sidx) {
  int n = sqlite3_column_count(s->st);
  int rep = sqlite3_stmt_status(s->st, SQLITE_STMTSTATUS_REPREPARE, 0);
  int i;
  sidx = lua_absindex(L, sidx);
  lua_createtable(L, n, 0);
  for (i = 0; i < n; i++) {
    const char *name;
    if (s->st == NULL) stmt_gone(L, s);
    name = sqlite3_column_name(s->st, i);
    if (name == NULL) luaL_error(L, "sqlite: out of memory");
    lua_pushstring(L, name);
    lua_rawseti(L, -2, i + 1);
  }
  if (s->st == NULL) stmt_gone(L, s);
  lua_setiuservalue(L, sidx, UV_STMT_COLS);
  s->ncols = n;
  s->reprep = rep;
}


/* Pushes the names table of s, reading names once per (re)preparation. */
static void push_names (lua_State *L, ldb_Stmt *s, int sidx) {
  if (ldb_unlikely(sqlite3_stmt_status(s->st, SQLITE_STMTSTATUS_REPREPARE, 0)
                   != s->reprep))
    refresh_names(L, s, sidx);
  lua_getiuservalue(L, sidx, UV_STMT_COLS);
}


/* Pushes the current row of s as a table keyed by column name. */
static void push_row (lua_State *L, ldb_Stmt *s, int sidx) {
  int n, i, names;
  push_names(L, s, sidx);
  names = lua_gettop(L);
  n = s->ncols;
  lua_createtable(L, 0, n);
  for (i = 0; i < n; i++) {
    sqlite3_stmt *st = s->st;
    sqlite3_value *v;
    if (ldb_unlikely(st == NULL)) stmt_gone(L, s);
    v = sqlite3_column_value(st, i);
    if (sqlite3_value_type(v) == SQLITE_NULL) continue;
    lua_rawgeti(L, names, i + 1);
    push_value(L, v);
    lua_rawset(L, -3);
  }
  lua_remove(L, names);
}


/* Pushes the n columns of the current row from column 'from' on. */
static int push_values (lua_State *L, ldb_Stmt *s, int from, int n) {
  int i;
  if (n > LUA_MINSTACK - 4) luaL_checkstack(L, n, "too many columns");
  for (i = from; i < n; i++) {
    if (ldb_unlikely(s->st == NULL)) stmt_gone(L, s);
    push_column(L, s->st, i);
  }
  return n;
}

/* }====================================================== */


/*
** {======================================================
** Cursors: rows and urows loops
** =======================================================
*/

/* __gc and __close: give the statement back. */
static int cursor_close (lua_State *L) {
  ldb_Cursor *cur = (ldb_Cursor *)luaL_checkudata(L, 1, LDB_CURSOR);
  ldb_Stmt *s = cur->s;
  if (s != NULL) {
    cur->s = NULL;
    if (s->owner == cur) stmt_release(s);
  }
  return 0;
}


static int cursor_lost (lua_State *L, ldb_Cursor *cur) {
  ldb_Stmt *s = cur->s;
  cur->s = NULL;
  if (s->st == NULL) return stmt_gone(L, s);
  return luaL_error(L, "statement was reset during iteration");
}


/* The step did not give a row: end of loop or error. */
static int cursor_end (lua_State *L, ldb_Cursor *cur, int rc) {
  ldb_Stmt *s = cur->s;
  char buf[LDB_ERRBUF];
  if (rc != SQLITE_DONE) {
    const char *sql = sqlite3_sql(s->st);
    fmt_err(buf, sqlite3_errmsg(s->conn->db), sql, strlen(sql));
  }
  cur->s = NULL;
  stmt_release(s);
  if (rc == SQLITE_DONE) return 0;
  return raise_rc(L, buf, rc);
}


/* Iterator of urows: upvalue 1 cursor, 2 statement. */
static int cursor_urows (lua_State *L) {
  ldb_Cursor *cur = (ldb_Cursor *)lua_touserdata(L, lua_upvalueindex(1));
  ldb_Stmt *s = cur->s;
  int rc;
  if (s == NULL) return 0;
  if (ldb_unlikely(s->st == NULL || s->owner != cur))
    return cursor_lost(L, cur);
  rc = sqlite3_step(s->st);
  if (ldb_likely(rc == SQLITE_ROW)) {
    int n = sqlite3_column_count(s->st);
    sqlite3_value *first;
    s->has_row = 1;
    if (ldb_unlikely(n == 0)) return 0;
    first = sqlite3_column_value(s->st, 0);
    if (ldb_unlikely(sqlite3_value_type(first) == SQLITE_NULL)) {
      char buf[LDB_ERRBUF];
      const char *sql = sqlite3_sql(s->st);
      fmt_err(buf, "urows: first column is NULL, which would end the loop "
              "early (use rows, or COALESCE)", sql, strlen(sql));
      cur->s = NULL;
      stmt_release(s);
      return raise_buf(L, buf);
    }
    if (n > LUA_MINSTACK - 4) luaL_checkstack(L, n, "too many columns");
    push_value(L, first);
    return push_values(L, s, 1, n);
  }
  return cursor_end(L, cur, rc);
}


/* Iterator of rows: upvalue 1 cursor, 2 statement. */
static int cursor_rows (lua_State *L) {
  ldb_Cursor *cur = (ldb_Cursor *)lua_touserdata(L, lua_upvalueindex(1));
  ldb_Stmt *s = cur->s;
  int rc;
  if (s == NULL) return 0;
  if (ldb_unlikely(s->st == NULL || s->owner != cur))
    return cursor_lost(L, cur);
  rc = sqlite3_step(s->st);
  if (ldb_likely(rc == SQLITE_ROW)) {
    s->has_row = 1;
    push_row(L, s, lua_upvalueindex(2));
    return 1;
  }
  return cursor_end(L, cur, rc);
}


/* Pushes a closed cursor. */
static ldb_Cursor *cursor_new (lua_State *L) {
  ldb_Cursor *cur = (ldb_Cursor *)lua_newuserdatauv(L, sizeof(ldb_Cursor), 1);
  cur->s = NULL;
  luaL_setmetatable(L, LDB_CURSOR);
  return cur;
}


/* Returns the generic-for quadruple: iterator, nil, nil, cursor. The
** cursor is at 'curidx', the statement (held by it) at 'sidx'. */
static int cursor_return (lua_State *L, lua_CFunction iter, int curidx,
                          int sidx) {
  lua_pushvalue(L, sidx);
  lua_setiuservalue(L, curidx, UV_CURSOR_STMT);
  lua_pushvalue(L, curidx);
  lua_pushvalue(L, sidx);
  lua_pushcclosure(L, iter, 2);
  lua_pushnil(L);
  lua_pushnil(L);
  lua_pushvalue(L, curidx);
  return 4;
}

/* }====================================================== */


/*
** {======================================================
** Connection methods
** =======================================================
*/

/* Ctrl-C reaches a running statement here, every LDB_PROGRESS_OPS virtual
** machine steps, rather than in the signal handler (sqlite3_interrupt is
** not documented as async-signal-safe): while an interrupt is pending the
** statement stops with SQLITE_INTERRUPT ("interrupted"). */
static int conn_progress (void *ud) {
  (void)ud;
  return lcase_interrupt_pending != 0;
}


static double mono_seconds (void) {
  struct timespec ts;
  if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) return 0.0;
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}


/* The busy handler: while another connection holds the lock, wait up to
** c->busy_ms in growing steps (as sqlite3_busy_timeout does), writing one
** line on stderr once the wait passes LDB_BUSY_NOTICE ms. It runs inside
** an SQLite call, never in a signal handler; a pending Ctrl-C ends the
** wait. Returning 0 makes the statement fail with SQLITE_BUSY. */
static int conn_busy (void *ud, int count) {
  static const int delays[] = {1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100};
  ldb_Conn *c = (ldb_Conn *)ud;
  double waited;
  int step;
  struct timespec ts;
  if (lcase_interrupt_pending) return 0;
  if (count == 0) {
    c->busy_start = mono_seconds();
    c->busy_noticed = 0;
  }
  waited = (mono_seconds() - c->busy_start) * 1000.0;
  if (waited >= (double)c->busy_ms) return 0;
  if (!c->busy_noticed && waited >= LDB_BUSY_NOTICE) {
    const char *f = c->db ? sqlite3_db_filename(c->db, "main") : NULL;
    c->busy_noticed = 1;
    fprintf(stderr, "lcase: waiting for another lcase writing to %s (up to "
            "%d s; LCASE_BUSY_TIMEOUT_MS sets it)\n",
            (f && f[0]) ? f : "the database", c->busy_ms / 1000);
    fflush(stderr);
  }
  step = count < (int)(sizeof delays / sizeof delays[0]) ? delays[count] : 100;
  if ((double)step > (double)c->busy_ms - waited)
    step = (int)((double)c->busy_ms - waited) + 1;
  ts.tv_sec = step / 1000;
  ts.tv_nsec = (long)(step % 1000) * 1000000L;
  nanosleep(&ts, NULL);
  return 1;
}


static void conn_set_busy (ldb_Conn *c, int ms) {
  c->busy_ms = ms;
  if (ms > 0) sqlite3_busy_handler(c->db, conn_busy, c);
  else sqlite3_busy_handler(c->db, NULL, NULL);
}


/* Is 'name' one of the NULL-terminated 'list' (ASCII, any case)? */
static int name_in (const char *name, const char *const *list) {
  int i;
  if (name == NULL) return 0;
  for (i = 0; list[i] != NULL; i++) {
    const char *a = name, *b = list[i];
    while (*a && *b && tolower((unsigned char)*a) == *b) { a++; b++; }
    if (*a == '\0' && *b == '\0') return 1;
  }
  return 0;
}


static void check_unguarded (lua_State *L, ldb_Conn *c, const char *what);


/* The authorizer of a connection restricted to reads (db:restrict_to_reads):
** SELECT and reads of any table; the functions but load_extension and
** fts3_tokenizer; PRAGMAs that only describe the schema (with a table or
** index name) and a read of user_version or foreign_keys; BEGIN, COMMIT,
** ROLLBACK and SAVEPOINT only from db:transaction. Anything else (writes,
** schema changes, ATTACH, DETACH, VACUUM, ANALYZE, REINDEX, other PRAGMAs,
** SQL transaction control) is refused: "not authorized". */
static int conn_authorize (void *ud, int action, const char *a1,
                           const char *a2, const char *a3, const char *a4) {
  static const char *const described[] = {"table_info", "table_xinfo",
      "index_list", "index_info", "index_xinfo", "foreign_key_list", NULL};
  static const char *const readable[] = {"user_version", "foreign_keys",
                                         "data_version", NULL};
  static const char *const banned[] = {"load_extension", "fts3_tokenizer",
                                       NULL};
  ldb_Conn *c = (ldb_Conn *)ud;
  (void)a3; (void)a4;
  switch (action) {
    case SQLITE_SELECT: case SQLITE_READ: case SQLITE_RECURSIVE:
      return SQLITE_OK;
    case SQLITE_FUNCTION:
      return name_in(a2, banned) ? SQLITE_DENY : SQLITE_OK;
    case SQLITE_PRAGMA:
      if (a2 == NULL) return name_in(a1, readable) ? SQLITE_OK : SQLITE_DENY;
      return name_in(a1, described) ? SQLITE_OK : SQLITE_DENY;
    case SQLITE_TRANSACTION: case SQLITE_SAVEPOINT:
      return c->host_tx ? SQLITE_OK : SQLITE_DENY;
    case SQLITE_UPDATE:
      /* SQLite asks this when a virtual table (FTS5) is connected and
      ** declares its columns; on a read-only, defensive connection no
      ** write of the schema table can happen anyway */
      if (a1 != NULL && (strcmp(a1, "sqlite_master") == 0
                         || strcmp(a1, "sqlite_schema") == 0))
        return SQLITE_OK;
      return SQLITE_DENY;
    default:
      return SQLITE_DENY;
  }
}


/* db:restrict_to_reads(): from now on this connection, which must have been
** opened read-only, only reads (see conn_authorize), with SQLITE_DBCONFIG_DEFENSIVE on, extension loading
** and untrusted schema functions off, and no ATTACH. For the handles
** plugins that only read are given. There is no way back. */
static int db_restrict_to_reads (lua_State *L) {
  ldb_Conn *c = check_open(L, 1);
  int rc = SQLITE_OK;
  lua_settop(L, 1);
  check_unguarded(L, c, "restrict_to_reads");
  if (sqlite3_db_readonly(c->db, "main") != 1)
    return luaL_error(L, "restrict_to_reads: the connection must be opened "
                      "read-only (sqlite.open(path, { readonly = true }))");
#ifdef SQLITE_DBCONFIG_DEFENSIVE
  if (rc == SQLITE_OK)
    rc = sqlite3_db_config(c->db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
#endif
  if (rc == SQLITE_OK)
    rc = sqlite3_db_config(c->db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0,
                           (int *)NULL);
#ifdef SQLITE_DBCONFIG_TRUSTED_SCHEMA
  if (rc == SQLITE_OK)
    rc = sqlite3_db_config(c->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0,
                           (int *)NULL);
#endif
  if (rc != SQLITE_OK)
    return luaL_error(L, "sqlite: cannot restrict the connection: %s",
                      sqlite3_errstr(rc));
  sqlite3_limit(c->db, SQLITE_LIMIT_ATTACHED, 0);
  sqlite3_set_authorizer(c->db, conn_authorize, c);
  c->reader = 1;
  lua_pushvalue(L, 1);
  return 1;
}


/* Is 'name' (any case) one of the lines of 'names' ("\nA\nB\n")? */
static int name_listed (const char *names, const char *name) {
  const char *p;
  size_t n;
  if (names == NULL || name == NULL) return 0;
  n = strlen(name);
  for (p = names; (p = strchr(p, '\n')) != NULL && p[1] != '\0'; p++) {
    if (sqlite3_strnicmp(p + 1, name, (int)n) == 0 && p[1 + n] == '\n')
      return 1;
  }
  return 0;
}


/* The authorizer of a connection guarded for an importer (db:guard_import),
** while the guard is on and not lifted by its holder: reads; INSERT,
** UPDATE and DELETE of the case tables (not lcase's own runs and findings,
** not sqlite_*) and of temp tables; temp tables and indexes whose names
** shadow no table of main; the functions but load_extension and
** fts3_tokenizer; the PRAGMAs a reader may run; the host's own transaction
** control (db:transaction) and the C CSV loader's savepoint. Refused:
** ATTACH, DETACH, VACUUM (it attaches), schema changes outside temp, temp
** triggers and views, ANALYZE, REINDEX, PRAGMA writes, BEGIN, COMMIT,
** ROLLBACK, SAVEPOINT and RELEASE in SQL. */
static int import_decide (ldb_Conn *c, int action, const char *a1,
                             const char *a2, const char *a3, const char *a4);
static int import_authorize (void *ud, int action, const char *a1,
                             const char *a2, const char *a3, const char *a4) {
  ldb_Conn *c = (ldb_Conn *)ud;
  if (!c->importer || c->lifted) return SQLITE_OK;
  return import_decide(c, action, a1, a2, a3, a4);
}


static int import_decide (ldb_Conn *c, int action, const char *a1,
                             const char *a2, const char *a3, const char *a4) {
  static const char *const described[] = {"table_info", "table_xinfo",
      "index_list", "index_info", "index_xinfo", "foreign_key_list", NULL};
  static const char *const readable[] = {"user_version", "foreign_keys",
                                         "data_version", "page_size", NULL};
  static const char *const banned[] = {"load_extension", "fts3_tokenizer",
                                       NULL};
  static const char *const host_tables[] = {"runs", "findings", NULL};
  static const char *const tuning[] = {"cache_size", NULL};
  (void)a4;
  switch (action) {
    case SQLITE_SELECT: case SQLITE_READ: case SQLITE_RECURSIVE:
      return SQLITE_OK;
    case SQLITE_FUNCTION:
      return name_in(a2, banned) ? SQLITE_DENY : SQLITE_OK;
    case SQLITE_INSERT: case SQLITE_UPDATE: case SQLITE_DELETE:
      if (a3 != NULL && strcmp(a3, "temp") == 0) return SQLITE_OK;
      /* asked when a virtual table (FTS5) is connected and declares its
      ** columns; with SQLITE_DBCONFIG_DEFENSIVE on, no SQL writes the
      ** schema table (writable_schema is refused too) */
      if (action == SQLITE_UPDATE && a1 != NULL
          && (strcmp(a1, "sqlite_master") == 0 || strcmp(a1, "sqlite_schema") == 0))
        return SQLITE_OK;
      if (a1 == NULL || sqlite3_strnicmp(a1, "sqlite_", 7) == 0)
        return SQLITE_DENY;
      return name_in(a1, host_tables) ? SQLITE_DENY : SQLITE_OK;
    case SQLITE_CREATE_TEMP_TABLE:
      return name_listed(c->main_names, a1) ? SQLITE_DENY : SQLITE_OK;
    case SQLITE_CREATE_TEMP_INDEX: case SQLITE_DROP_TEMP_TABLE:
    case SQLITE_DROP_TEMP_INDEX:
      return SQLITE_OK;
    case SQLITE_REINDEX:  /* asked for an index made in temp */
      return (a3 != NULL && strcmp(a3, "temp") == 0) ? SQLITE_OK : SQLITE_DENY;
    case SQLITE_PRAGMA:
      /* the size of this connection's page cache: the bulk loader raises
      ** it for a load (lcase.store.csv_tables) */
      if (name_in(a1, tuning)) return SQLITE_OK;
      if (a2 == NULL) return name_in(a1, readable) ? SQLITE_OK : SQLITE_DENY;
      return name_in(a1, described) ? SQLITE_OK : SQLITE_DENY;
    case SQLITE_TRANSACTION:
      return c->host_tx ? SQLITE_OK : SQLITE_DENY;
    case SQLITE_SAVEPOINT:
      if (c->host_tx) return SQLITE_OK;
      /* the C CSV loader's own savepoint, nested in the host's transaction:
      ** it can neither commit nor undo anything outside itself */
      return (a2 != NULL && strcmp(a2, "lcase_csv_load") == 0
              && !sqlite3_get_autocommit(c->db)) ? SQLITE_OK : SQLITE_DENY;
    default:
      return SQLITE_DENY;
  }
}


/* Ends the importer guard of 'c' (if on): the authorizer off, the
** connection's settings as they were. */
static void guard_release (ldb_Conn *c) {
  if (!c->importer) return;
  c->importer = 0;
  c->lifted = 0;
  free(c->main_names);
  c->main_names = NULL;
  if (c->db == NULL) return;
  sqlite3_set_authorizer(c->db, NULL, NULL);
#ifdef SQLITE_DBCONFIG_DEFENSIVE
  sqlite3_db_config(c->db, SQLITE_DBCONFIG_DEFENSIVE, c->saved_defensive,
                    (int *)NULL);
#endif
  sqlite3_limit(c->db, SQLITE_LIMIT_ATTACHED, c->saved_attached);
}


static ldb_Conn *guard_conn (lua_State *L) {
  ldb_Conn *c = (ldb_Conn *)lua_touserdata(L, lua_upvalueindex(1));
  if (!c->importer || c->db == NULL)
    luaL_error(L, "the importer guard is no longer on");
  return c;
}


/* release(): the guard's end (see db_guard_import) */
static int guard_release_fn (lua_State *L) {
  ldb_Conn *c = (ldb_Conn *)lua_touserdata(L, lua_upvalueindex(1));
  guard_release(c);
  return 0;
}


/* lift(fn, ...): fn(...) with the guard lifted (the host's own schema
** changes for an importer: an analysis table); its results or its error. */
static int guard_lift_fn (lua_State *L) {
  ldb_Conn *c = guard_conn(L);
  int status, was = c->lifted;
  luaL_checktype(L, 1, LUA_TFUNCTION);
  c->lifted = 1;
  status = lua_pcall(L, lua_gettop(L) - 1, LUA_MULTRET, 0);
  c->lifted = was;
  if (status != LUA_OK) return lua_error(L);
  return lua_gettop(L);
}


/* db:guard_import() -> release, lift: from now until release() this
** connection does for an importer only what import_authorize allows, with
** SQLITE_DBCONFIG_DEFENSIVE on and no ATTACH; close, busy_timeout,
** restrict_to_reads and guard_import refuse. Only the holder of release
** and lift ends or lifts it. */
static int db_guard_import (lua_State *L) {
  ldb_Conn *c = check_open(L, 1);
  sqlite3_stmt *st = NULL;
  luaL_Buffer b;
  lua_settop(L, 1);
  if (c->importer)
    return luaL_error(L, "sqlite: the host is using this connection for an import");
  if (c->reader)
    return luaL_error(L, "guard_import: the connection is restricted to reads");
  luaL_buffinit(L, &b);
  luaL_addchar(&b, '\n');
  if (sqlite3_prepare_v2(c->db, "SELECT name FROM main.sqlite_schema WHERE "
                         "type IN ('table', 'view')", -1, &st, NULL) == SQLITE_OK) {
    while (sqlite3_step(st) == SQLITE_ROW) {
      const char *n = (const char *)sqlite3_column_text(st, 0);
      if (n) { luaL_addstring(&b, n); luaL_addchar(&b, '\n'); }
    }
  }
  sqlite3_finalize(st);
  luaL_pushresult(&b);
  {
    size_t len;
    const char *s = lua_tolstring(L, -1, &len);
    c->main_names = (char *)malloc(len + 1);
    if (c->main_names == NULL) return luaL_error(L, "not enough memory");
    memcpy(c->main_names, s, len + 1);
  }
  lua_pop(L, 1);
  c->saved_defensive = 0;
#ifdef SQLITE_DBCONFIG_DEFENSIVE
  sqlite3_db_config(c->db, SQLITE_DBCONFIG_DEFENSIVE, -1, &c->saved_defensive);
  sqlite3_db_config(c->db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
#endif
  c->saved_attached = sqlite3_limit(c->db, SQLITE_LIMIT_ATTACHED, 0);
  c->importer = 1;
  c->lifted = 0;
  sqlite3_set_authorizer(c->db, import_authorize, c);
  lua_pushvalue(L, 1);
  lua_pushcclosure(L, guard_release_fn, 1);
  lua_pushvalue(L, 1);
  lua_pushcclosure(L, guard_lift_fn, 1);
  return 2;
}


/* Raises when an importer's guard is on: the host owns the connection. */
static void check_unguarded (lua_State *L, ldb_Conn *c, const char *what) {
  if (c->importer)
    luaL_error(L, "sqlite: not authorized (%s: the host owns this connection "
               "during the import)", what);
}


static int db_is_reader (lua_State *L) {
  lua_pushboolean(L, check_open(L, 1)->reader);
  return 1;
}


sqlite3 *ldb_checkdb (lua_State *L, int idx) {
  return check_open(L, idx)->db;
}


/* Closes the handle: finalizes every statement first. No allocation. */
static void conn_close (ldb_Conn *c) {
  ldb_Stmt *s, *next;
  if (c->db == NULL) return;
  for (s = c->stmts; s != NULL; s = next) {
    next = s->next;
    sqlite3_finalize(s->st);
    s->st = NULL;
    s->dbclosed = 1;
    s->next = NULL;
    s->pprev = NULL;
    s->lru_prev = s->lru_next = NULL;
    s->in_cache = 0;
    s->has_row = 0;
  }
  c->stmts = NULL;
  c->lru_head = c->lru_tail = NULL;
  c->ncached = 0;
  sqlite3_close_v2(c->db);
  c->db = NULL;
}


/* close, __gc and __close */
static int db_close (lua_State *L) {
  ldb_Conn *c = check_conn(L, 1);
  guard_release(c);
  conn_close(c);
  lua_pushnil(L);
  lua_setiuservalue(L, 1, UV_CONN_CACHE);  /* drop the cache */
  lua_pushboolean(L, 1);
  return 1;
}


/* db:close() and <close>: refused while an importer's guard is on */
static int db_close_m (lua_State *L) {
  ldb_Conn *c = check_conn(L, 1);
  check_unguarded(L, c, "close");
  return db_close(L);
}


static int db_isopen (lua_State *L) {
  lua_pushboolean(L, check_conn(L, 1)->db != NULL);
  return 1;
}


static int db_tostring (lua_State *L) {
  ldb_Conn *c = check_conn(L, 1);
  if (c->db == NULL) lua_pushliteral(L, "lcase.db.Connection (closed)");
  else {
    lua_getiuservalue(L, 1, UV_CONN_PATH);
    lua_pushfstring(L, "lcase.db.Connection (%s)", lua_tostring(L, -1));
  }
  return 1;
}


/* db:exec(sql): runs every statement of a script; no parameters. */
static int db_exec (lua_State *L) {
  ldb_Conn *c = check_open(L, 1);
  size_t len;
  const char *sql = luaL_checklstring(L, 2, &len);
  const char *p = sql, *end = sql + len;
  if (len >= (size_t)INT_MAX) luaL_argerror(L, 2, "SQL text too long");
  if (memchr(sql, '\0', len) != NULL)
    luaL_argerror(L, 2, "SQL contains a NUL byte");
  while (p < end) {
    sqlite3_stmt *st = NULL;
    const char *tail = NULL;
    int rc = sqlite3_prepare_v2(c->db, p, (int)(end - p), &st, &tail);
    if (rc != SQLITE_OK) {
      char buf[LDB_ERRBUF];
      fmt_err(buf, sqlite3_errmsg(c->db), p, (size_t)(end - p));
      sqlite3_finalize(st);
      return raise_rc(L, buf, rc);
    }
    if (st == NULL) break;  /* only whitespace or comments left */
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {}
    if (rc != SQLITE_DONE) {
      char buf[LDB_ERRBUF];
      fmt_err(buf, sqlite3_errmsg(c->db), p, (size_t)(tail - p));
      sqlite3_finalize(st);
      return raise_rc(L, buf, rc);
    }
    sqlite3_finalize(st);
    if (tail <= p) break;
    p = tail;
  }
  return 0;
}


/* db:prepare(sql) -> statement owned by the caller. */
static int db_prepare (lua_State *L) {
  ldb_Conn *c = check_open(L, 1);
  luaL_checkstring(L, 2);
  stmt_new(L, c, 1, 2, LDB_USER, "prepare");
  return 1;
}


static int db_iter (lua_State *L, lua_CFunction iter, const char *what) {
  ldb_Conn *c = check_open(L, 1);
  int top, curidx;
  ldb_Cursor *cur;
  ldb_Stmt *s;
  char err[LDB_ERRBUF];
  luaL_checkstring(L, 2);
  top = lua_gettop(L);
  cur = cursor_new(L);
  curidx = top + 1;
  s = stmt_acquire(L, c, 2, cur, what);
  cur->s = s;
  if (bind_args(L, s, top + 2, 3, top, 1, err)) {
    cur->s = NULL;
    stmt_release(s);
    return raise_buf(L, err);
  }
  return cursor_return(L, iter, curidx, top + 2);
}


/* db:rows(sql, ...) -> iterator of row tables keyed by column name */
static int db_rows (lua_State *L) {
  return db_iter(L, cursor_rows, "rows");
}


/* db:urows(sql, ...) -> iterator of column values */
static int db_urows (lua_State *L) {
  return db_iter(L, cursor_urows, "urows");
}


/* db:run(sql, ...) -> number of rows changed */
static int db_run (lua_State *L) {
  ldb_Conn *c = check_open(L, 1);
  size_t len;
  const char *sql = luaL_checklstring(L, 2, &len);
  int top = lua_gettop(L), rc;
  char err[LDB_ERRBUF];
  sqlite3_int64 before, changes = 0;
  ldb_Stmt *s = stmt_acquire(L, c, 2, &ldb_token, "run");
  /* From here to stmt_release nothing allocates: no finalizer can run,
  ** so strings can be bound without a copy (SQLITE_STATIC). */
  if (bind_args(L, s, top + 1, 3, top, 0, err)) {
    stmt_release(s);
    return raise_buf(L, err);
  }
  before = ldb_total_changes(c->db);
  while ((rc = sqlite3_step(s->st)) == SQLITE_ROW) {}
  if (rc != SQLITE_DONE) {
    fmt_err(err, sqlite3_errmsg(c->db), sql, len);
    stmt_release(s);
    return raise_rc(L, err, rc);
  }
  if (ldb_total_changes(c->db) != before) changes = ldb_changes(c->db);
  stmt_release(s);
  lua_pushinteger(L, (lua_Integer)changes);
  return 1;
}


/* __close of internal statements: the guard of db:first and db:value. */
static int istmt_guard (lua_State *L) {
  ldb_Stmt *s = (ldb_Stmt *)luaL_checkudata(L, 1, LDB_ISTMT);
  if (s->owner == &ldb_token) stmt_release(s);
  return 0;
}


static int db_fetch (lua_State *L, int value) {
  ldb_Conn *c = check_open(L, 1);
  size_t len;
  const char *sql = luaL_checklstring(L, 2, &len);
  int top = lua_gettop(L), rc;
  char err[LDB_ERRBUF];
  ldb_Stmt *s = stmt_acquire(L, c, 2, &ldb_token, value ? "value" : "first");
  lua_toclose(L, top + 1);  /* releases s on any error */
  if (bind_args(L, s, top + 1, 3, top, 1, err)) return raise_buf(L, err);
  rc = sqlite3_step(s->st);
  if (rc == SQLITE_ROW) {
    s->has_row = 1;
    if (!value) push_row(L, s, top + 1);
    else if (sqlite3_column_count(s->st) > 0) push_column(L, s->st, 0);
    else lua_pushnil(L);
  }
  else if (rc == SQLITE_DONE) lua_pushnil(L);
  else {
    fmt_err(err, sqlite3_errmsg(c->db), sql, len);
    return raise_rc(L, err, rc);
  }
  stmt_release(s);
  return 1;
}


/* db:first(sql, ...) -> first row as a table, or nil */
static int db_first (lua_State *L) {
  return db_fetch(L, 0);
}


/* db:value(sql, ...) -> first column of the first row, or nil */
static int db_value (lua_State *L) {
  return db_fetch(L, 1);
}


static void tx_rollback (ldb_Conn *c, lua_Integer sp) {
  char sql[96];
  if (c->db == NULL) return;
  c->host_tx = 1;
  if (sp == 0) {
    if (!sqlite3_get_autocommit(c->db))
      sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
  }
  else {
    snprintf(sql, sizeof sql, "ROLLBACK TO lcase_sp_%lld; RELEASE lcase_sp_%lld",
             (long long)sp, (long long)sp);
    sqlite3_exec(c->db, sql, NULL, NULL, NULL);
  }
  c->host_tx = 0;
}


/* Continuation of db:transaction: commit or roll back. ctx encodes the
** savepoint number (0: outermost BEGIN) and where the results start. */
static int tx_finish (lua_State *L, int status, lua_KContext ctx) {
  ldb_Conn *c = (ldb_Conn *)lua_touserdata(L, 1);
  lua_Integer sp = (lua_Integer)(ctx >> 1);
  int base = (ctx & 1) ? 2 : 1;  /* results start after this index */
  if (status == LUA_OK || status == LUA_YIELD) {
    char sql[64];
    int rc;
    if (c->db == NULL)
      return luaL_error(L, "sqlite: database closed inside transaction");
    if (sp == 0) snprintf(sql, sizeof sql, "COMMIT");
    else snprintf(sql, sizeof sql, "RELEASE lcase_sp_%lld", (long long)sp);
    c->host_tx = 1;
    rc = sqlite3_exec(c->db, sql, NULL, NULL, NULL);
    c->host_tx = 0;
    if (rc != SQLITE_OK) {
      char buf[LDB_ERRBUF];
      fmt_err(buf, sqlite3_errmsg(c->db), sql, strlen(sql));
      tx_rollback(c, sp);
      return raise_rc(L, buf, rc);
    }
    return lua_gettop(L) - base;
  }
  tx_rollback(c, sp);
  return lua_error(L);  /* the original error object, unchanged */
}


/* db:transaction([mode,] fn, ...) -> fn's results */
static int db_transaction (lua_State *L) {
  static const char *const modes[] = {"deferred", "immediate", "exclusive",
                                      NULL};
  static const char *const begins[] = {"BEGIN DEFERRED", "BEGIN IMMEDIATE",
                                       "BEGIN EXCLUSIVE"};
  ldb_Conn *c = check_open(L, 1);
  int fidx = 2, rc;
  const char *begin = NULL;
  lua_Integer sp = 0;
  char sql[64];
  lua_KContext ctx;
  if (lua_type(L, 2) == LUA_TSTRING) {
    begin = begins[luaL_checkoption(L, 2, NULL, modes)];
    fidx = 3;
  }
  luaL_checktype(L, fidx, LUA_TFUNCTION);
  if (sqlite3_get_autocommit(c->db)) {
    if (begin == NULL)  /* a read-only handle cannot take the write lock */
      begin = sqlite3_db_readonly(c->db, "main") == 1 ? "BEGIN DEFERRED"
                                                      : "BEGIN IMMEDIATE";
    snprintf(sql, sizeof sql, "%s", begin);
  }
  else {
    sp = ++c->spseq;
    snprintf(sql, sizeof sql, "SAVEPOINT lcase_sp_%lld", (long long)sp);
  }
  c->host_tx = 1;
  rc = sqlite3_exec(c->db, sql, NULL, NULL, NULL);
  c->host_tx = 0;
  if (rc != SQLITE_OK) {
    char buf[LDB_ERRBUF];
    fmt_err(buf, sqlite3_errmsg(c->db), sql, strlen(sql));
    return raise_rc(L, buf, rc);
  }
  ctx = (lua_KContext)((sp << 1) | (fidx == 3));
  rc = lua_pcallk(L, lua_gettop(L) - fidx, LUA_MULTRET, 0, ctx, tx_finish);
  return tx_finish(L, rc, ctx);
}


static int db_in_transaction (lua_State *L) {
  lua_pushboolean(L, !sqlite3_get_autocommit(check_open(L, 1)->db));
  return 1;
}


static int db_last_insert_rowid (lua_State *L) {
  lua_pushinteger(L,
      (lua_Integer)sqlite3_last_insert_rowid(check_open(L, 1)->db));
  return 1;
}


static int db_changes (lua_State *L) {
  lua_pushinteger(L, (lua_Integer)ldb_changes(check_open(L, 1)->db));
  return 1;
}


static int db_total_changes (lua_State *L) {
  lua_pushinteger(L, (lua_Integer)ldb_total_changes(check_open(L, 1)->db));
  return 1;
}


static int db_cache_stats (lua_State *L) {
  ldb_Conn *c = check_conn(L, 1);
  lua_createtable(L, 0, 4);
  lua_pushinteger(L, c->hits);
  lua_setfield(L, -2, "hits");
  lua_pushinteger(L, c->misses);
  lua_setfield(L, -2, "misses");
  lua_pushinteger(L, c->ncached);
  lua_setfield(L, -2, "size");
  lua_pushinteger(L, c->capacity);
  lua_setfield(L, -2, "capacity");
  return 1;
}


static int db_interrupt (lua_State *L) {
  sqlite3_interrupt(check_open(L, 1)->db);
  return 0;
}


/* db:busy_timeout([ms]): sets how long to wait for another writer's lock;
** without ms, returns it. (lcase waits in its own busy handler, which
** "PRAGMA busy_timeout" does not see: it reads 0.) */
static int db_busy_timeout (lua_State *L) {
  ldb_Conn *c = check_open(L, 1);
  lua_Integer ms;
  if (!lua_isnoneornil(L, 2)) check_unguarded(L, c, "busy_timeout");
  if (lua_isnoneornil(L, 2)) {
    lua_pushinteger(L, c->busy_ms);
    return 1;
  }
  ms = luaL_checkinteger(L, 2);
  luaL_argcheck(L, ms >= 0 && ms <= INT_MAX, 2, "out of range");
  conn_set_busy(c, (int)ms);
  return 0;
}


static int db_filename (lua_State *L) {
  const char *name = sqlite3_db_filename(check_open(L, 1)->db, "main");
  lua_pushstring(L, name ? name : "");
  return 1;
}


static int db_errcode (lua_State *L) {
  ldb_Conn *c = check_open(L, 1);
  lua_pushinteger(L, sqlite3_errcode(c->db));
  lua_pushinteger(L, sqlite3_extended_errcode(c->db));
  return 2;
}


static int db_errmsg (lua_State *L) {
  lua_pushstring(L, sqlite3_errmsg(check_open(L, 1)->db));
  return 1;
}


static int db_readonly (lua_State *L) {
  lua_pushboolean(L, sqlite3_db_readonly(check_open(L, 1)->db, "main") == 1);
  return 1;
}

/* }====================================================== */


/*
** {======================================================
** Statement methods (user statements from db:prepare)
** =======================================================
*/

static ldb_Stmt *check_stmt (lua_State *L, int idx) {
  ldb_Stmt *s = (ldb_Stmt *)luaL_checkudata(L, idx, LDB_STMT);
  if (ldb_unlikely(s->st == NULL)) stmt_gone(L, s);
  return s;
}


static ldb_Stmt *check_row (lua_State *L, int idx) {
  ldb_Stmt *s = check_stmt(L, idx);
  if (!s->has_row) luaL_error(L, "no row available (call step first)");
  return s;
}


/* Error of a failed step on a user statement: reset it, raise. */
static int stmt_fail (lua_State *L, ldb_Stmt *s) {
  char buf[LDB_ERRBUF];
  const char *sql = sqlite3_sql(s->st);
  int rc = sqlite3_errcode(s->conn->db);
  fmt_err(buf, sqlite3_errmsg(s->conn->db), sql, strlen(sql));
  s->has_row = 0;
  sqlite3_reset(s->st);
  return raise_rc(L, buf, rc);
}


/* finalize, __gc and __close (for internal statements: __gc) */
static int stmt_gc (lua_State *L) {
  ldb_Stmt *s = (ldb_Stmt *)lua_touserdata(L, 1);
  if (s != NULL && (luaL_testudata(L, 1, LDB_STMT) != NULL
                    || luaL_testudata(L, 1, LDB_ISTMT) != NULL))
    stmt_finalize(s);
  return 0;
}


static int stmt_finalize_m (lua_State *L) {
  ldb_Stmt *s = (ldb_Stmt *)luaL_checkudata(L, 1, LDB_STMT);
  stmt_finalize(s);
  lua_pushboolean(L, 1);
  return 1;
}


static int stmt_isopen (lua_State *L) {
  ldb_Stmt *s = (ldb_Stmt *)luaL_checkudata(L, 1, LDB_STMT);
  lua_pushboolean(L, s->st != NULL);
  return 1;
}


static int stmt_tostring (lua_State *L) {
  ldb_Stmt *s = (ldb_Stmt *)luaL_checkudata(L, 1, LDB_STMT);
  if (s->st == NULL) lua_pushliteral(L, "lcase.db.Statement (finalized)");
  else {
    char shown[LDB_SQLSHOW + 4];
    const char *sql = sqlite3_sql(s->st);
    shorten_sql(shown, sql, strlen(sql));
    lua_pushfstring(L, "lcase.db.Statement (%s)", shown);
  }
  return 1;
}


static void stmt_detach (ldb_Stmt *s) {
  s->owner = NULL;  /* a running loop will stop with an error */
  s->has_row = 0;
  sqlite3_reset(s->st);
}


/* stmt:bind(params) or stmt:bind(i|name, value) -> stmt */
static int stmt_bind (lua_State *L) {
  ldb_Stmt *s = check_stmt(L, 1);
  char err[LDB_ERRBUF];
  if (lua_gettop(L) <= 2) {
    if (!is_params(L, 2))
      luaL_typeerror(L, 2, "table");
    stmt_detach(s);
    if (bind_args(L, s, 1, 2, 2, 1, err)) return raise_buf(L, err);
  }
  else {
    int i;
    if (lua_type(L, 2) == LUA_TSTRING) {
      const char *name = lua_tostring(L, 2);
      i = sqlite3_bind_parameter_index(s->st, name);
      if (i == 0 && name[0] != ':' && name[0] != '@' && name[0] != '$') {
        static const char prefixes[] = ":@$";
        int k;
        for (k = 0; i == 0 && k < 3; k++) {
          char full[256];
          snprintf(full, sizeof full, "%c%s", prefixes[k], name);
          i = sqlite3_bind_parameter_index(s->st, full);
        }
      }
      if (i == 0)
        return luaL_error(L, "sqlite: no parameter named '%s'", name);
    }
    else {
      lua_Integer n = luaL_checkinteger(L, 2);
      luaL_argcheck(L, n >= 1 && n <= s->nparams, 2,
                    "parameter index out of range");
      i = (int)n;
    }
    stmt_detach(s);
    lua_settop(L, 3);
    if (bind_one(L, s, i, 3, 1, err)) return raise_buf(L, err);
  }
  lua_settop(L, 1);
  return 1;
}


static int stmt_step (lua_State *L) {
  ldb_Stmt *s = check_stmt(L, 1);
  int rc = sqlite3_step(s->st);
  if (rc == SQLITE_ROW) {
    s->has_row = 1;
    lua_pushboolean(L, 1);
    return 1;
  }
  s->has_row = 0;
  if (rc == SQLITE_DONE) {
    lua_pushboolean(L, 0);
    return 1;
  }
  return stmt_fail(L, s);
}


/* stmt:get(i | name) -> value of a column of the current row */
static int stmt_get (lua_State *L) {
  ldb_Stmt *s = check_row(L, 1);
  int i;
  if (lua_type(L, 2) == LUA_TSTRING) {
    int names, n;
    push_names(L, s, 1);
    names = lua_gettop(L);
    n = s->ncols;
    for (i = 0; i < n; i++) {
      lua_rawgeti(L, names, i + 1);
      if (lua_rawequal(L, -1, 2)) break;
      lua_pop(L, 1);
    }
    if (i == n)
      return luaL_error(L, "sqlite: no column named '%s'", lua_tostring(L, 2));
  }
  else {
    lua_Integer k = luaL_checkinteger(L, 2);
    luaL_argcheck(L, k >= 1 && k <= sqlite3_column_count(s->st), 2,
                  "column index out of range");
    i = (int)k - 1;
  }
  if (s->st == NULL) stmt_gone(L, s);
  push_column(L, s->st, i);
  return 1;
}


static int stmt_row (lua_State *L) {
  ldb_Stmt *s = check_row(L, 1);
  push_row(L, s, 1);
  return 1;
}


static int stmt_urow (lua_State *L) {
  ldb_Stmt *s = check_row(L, 1);
  return push_values(L, s, 0, sqlite3_column_count(s->st));
}


static int stmt_reset (lua_State *L) {
  ldb_Stmt *s = check_stmt(L, 1);
  stmt_detach(s);
  lua_settop(L, 1);
  return 1;
}


static int stmt_clear_bindings (lua_State *L) {
  ldb_Stmt *s = check_stmt(L, 1);
  stmt_detach(s);
  sqlite3_clear_bindings(s->st);
  lua_settop(L, 1);
  return 1;
}


/* Resets s and, when arguments follow it, binds them. */
static void stmt_rebind (lua_State *L, ldb_Stmt *s) {
  int top = lua_gettop(L);
  char err[LDB_ERRBUF];
  stmt_detach(s);
  if (top > 1 && bind_args(L, s, 1, 2, top, 1, err)) raise_buf(L, err);
}


static int stmt_iter (lua_State *L, lua_CFunction iter) {
  ldb_Stmt *s = check_stmt(L, 1);
  int top = lua_gettop(L);
  ldb_Cursor *cur;
  stmt_rebind(L, s);
  cur = cursor_new(L);
  if (s->st == NULL) stmt_gone(L, s);  /* a finalizer may have run */
  s->owner = cur;
  cur->s = s;
  return cursor_return(L, iter, top + 1, 1);
}


static int stmt_rows (lua_State *L) {
  return stmt_iter(L, cursor_rows);
}


static int stmt_urows (lua_State *L) {
  return stmt_iter(L, cursor_urows);
}


/* stmt:run(...) -> rows changed; runs to completion, then resets */
static int stmt_run (lua_State *L) {
  ldb_Stmt *s = check_stmt(L, 1);
  sqlite3 *db = s->conn->db;
  sqlite3_int64 before, changes = 0;
  int rc;
  stmt_rebind(L, s);
  before = ldb_total_changes(db);
  while ((rc = sqlite3_step(s->st)) == SQLITE_ROW) {}
  if (rc != SQLITE_DONE) return stmt_fail(L, s);
  if (ldb_total_changes(db) != before) changes = ldb_changes(db);
  sqlite3_reset(s->st);
  s->has_row = 0;
  lua_pushinteger(L, (lua_Integer)changes);
  return 1;
}


/* stmt:columns() -> list of column names (a fresh table) */
static int stmt_columns (lua_State *L) {
  ldb_Stmt *s = check_stmt(L, 1);
  int n, i;
  push_names(L, s, 1);
  n = s->ncols;
  lua_createtable(L, n, 0);
  for (i = 1; i <= n; i++) {
    lua_rawgeti(L, -2, i);
    lua_rawseti(L, -2, i);
  }
  return 1;
}


static int stmt_column_count (lua_State *L) {
  lua_pushinteger(L, sqlite3_column_count(check_stmt(L, 1)->st));
  return 1;
}


static int stmt_param_count (lua_State *L) {
  lua_pushinteger(L, check_stmt(L, 1)->nparams);
  return 1;
}


/* stmt:param_name(i) -> the name of parameter i with its prefix (":a"),
** or nil for an anonymous '?' or '?NNN' one */
static int stmt_param_name (lua_State *L) {
  ldb_Stmt *s = check_stmt(L, 1);
  lua_Integer i = luaL_checkinteger(L, 2);
  const char *name;
  luaL_argcheck(L, i >= 1 && i <= s->nparams, 2, "no such parameter");
  name = sqlite3_bind_parameter_name(s->st, (int)i);
  if (name != NULL && name[0] != '?') lua_pushstring(L, name);
  else lua_pushnil(L);
  return 1;
}


static int stmt_sql (lua_State *L) {
  lua_pushstring(L, sqlite3_sql(check_stmt(L, 1)->st));
  return 1;
}


static int stmt_readonly (lua_State *L) {
  lua_pushboolean(L, sqlite3_stmt_readonly(check_stmt(L, 1)->st) != 0);
  return 1;
}

/* }====================================================== */


/*
** {======================================================
** Module functions
** =======================================================
*/

static int opt_bool (lua_State *L, int t, const char *k, int dflt) {
  int r = dflt;
  int ty = lua_getfield(L, t, k);
  if (ty == LUA_TBOOLEAN) r = lua_toboolean(L, -1);
  else if (ty != LUA_TNIL)
    luaL_error(L, "bad option '%s' to 'open' (boolean expected, got %s)",
               k, luaL_typename(L, -1));
  lua_pop(L, 1);
  return r;
}


static int opt_int (lua_State *L, int t, const char *k, int dflt) {
  lua_Integer r = dflt;
  int ty = lua_getfield(L, t, k);
  if (ty != LUA_TNIL) {
    int isint;
    r = lua_tointegerx(L, -1, &isint);
    if (!isint || ty != LUA_TNUMBER || r < 0 || r > INT_MAX)
      luaL_error(L, "bad option '%s' to 'open' (non-negative integer "
                 "expected)", k);
  }
  lua_pop(L, 1);
  return (int)r;
}


/* Can this process create files in the folder holding `path`? */
static int folder_writable (const char *path) {
  char dir[PATH_MAX];
  const char *slash = strrchr(path, '/');
  size_t n;
  if (slash == NULL) return access(".", W_OK) == 0;
  n = (size_t)(slash - path);
  if (n == 0) return access("/", W_OK) == 0;
  if (n >= sizeof dir) return 1;  /* cannot tell: say nothing */
  memcpy(dir, path, n);
  dir[n] = '\0';
  return access(dir, W_OK) == 0;
}

/* Is the file at 'fname' an SQLite database already in WAL mode (header
** bytes 18 and 19 both 2)? The mode is persistent, and "PRAGMA
** journal_mode=WAL" has to read the whole schema, which is most of the
** cost of opening a case database; so an open skips it when it would
** change nothing. */
static int is_wal_file (const char *fname) {
  unsigned char h[100];
  size_t n;
  FILE *f = fopen(fname, "rb");
  if (f == NULL) return 0;
  n = fread(h, 1, sizeof h, f);
  fclose(f);
  return n == sizeof h && memcmp(h, "SQLite format 3", 16) == 0
         && h[18] == 2 && h[19] == 2;
}


/* The default busy timeout: $LCASE_BUSY_TIMEOUT_MS when it is a
** non-negative integer, else LDB_BUSY_DEFAULT. */
static int busy_default (void) {
  const char *v = getenv("LCASE_BUSY_TIMEOUT_MS");
  char *end;
  long ms;
  if (v == NULL || *v == '\0') return LDB_BUSY_DEFAULT;
  errno = 0;
  ms = strtol(v, &end, 10);
  if (errno != 0 || *end != '\0' || ms < 0 || ms > INT_MAX)
    return LDB_BUSY_DEFAULT;
  return (int)ms;
}


/* sqlite.open(path [, opts]) -> db | nil, message, code */
static int ldb_open (lua_State *L) {
  static const char *const known[] = {"readonly", "create", "busy_timeout_ms",
      "wal", "foreign_keys", "cache_size", NULL};
  size_t plen;
  const char *path = luaL_checklstring(L, 1, &plen);
  int readonly = 0, create = 1, wal = 1, fk = 1;
  int busy = busy_default(), cache = LDB_CACHE_DEFAULT;
  int uri = (strncmp(path, "file:", 5) == 0);
  int flags, rc;
  sqlite3 *db = NULL;
  ldb_Conn *c;
  const char *fname;
  char buf[LDB_ERRBUF];
  if (memchr(path, '\0', plen) != NULL)
    luaL_argerror(L, 1, "path contains a NUL byte");
  if (!lua_isnoneornil(L, 2)) {
    luaL_checktype(L, 2, LUA_TTABLE);
    lua_pushnil(L);
    while (lua_next(L, 2)) {
      int k;
      lua_pop(L, 1);
      if (lua_type(L, -1) != LUA_TSTRING)
        return luaL_error(L, "bad option to 'open' (string key expected)");
      for (k = 0; known[k]; k++)
        if (strcmp(known[k], lua_tostring(L, -1)) == 0) break;
      if (known[k] == NULL)
        return luaL_error(L, "unknown option '%s' to 'open'",
                          lua_tostring(L, -1));
    }
    readonly = opt_bool(L, 2, "readonly", 0);
    create = opt_bool(L, 2, "create", 1);
    wal = opt_bool(L, 2, "wal", 1);
    fk = opt_bool(L, 2, "foreign_keys", 1);
    busy = opt_int(L, 2, "busy_timeout_ms", busy);
    cache = opt_int(L, 2, "cache_size", LDB_CACHE_DEFAULT);
  }
  lua_settop(L, 1);
  c = (ldb_Conn *)lua_newuserdatauv(L, sizeof(ldb_Conn), 2);
  memset(c, 0, sizeof(ldb_Conn));  /* closed */
  c->capacity = cache;
  luaL_setmetatable(L, LDB_CONNECTION);
  lua_newtable(L);
  lua_setiuservalue(L, 2, UV_CONN_CACHE);
  lua_pushvalue(L, 1);
  lua_setiuservalue(L, 2, UV_CONN_PATH);
  flags = readonly ? SQLITE_OPEN_READONLY
                   : SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
  flags |= SQLITE_OPEN_NOMUTEX;  /* one Lua state, one thread */
  if (uri) flags |= SQLITE_OPEN_URI;
  {  /* a folder: SQLite's own answer is a disk I/O error on first read */
    struct stat sd;
    if (!uri && path[0] != '\0' && stat(path, &sd) == 0 && S_ISDIR(sd.st_mode)) {
      snprintf(buf, sizeof buf, "sqlite: cannot open %s: it is a directory",
               path);
      lua_pushnil(L);
      lua_pushstring(L, buf);
      lua_pushinteger(L, SQLITE_CANTOPEN);
      return 3;
    }
  }
  rc = sqlite3_open_v2(path, &db, flags, NULL);
  if (rc != SQLITE_OK) {
    const char *msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    int syserr = db ? sqlite3_system_errno(db) : 0;
    struct stat sb;
    if (rc == SQLITE_CANTOPEN && !uri && (readonly || !create)
        && stat(path, &sb) != 0 && errno == ENOENT)
      snprintf(buf, sizeof buf, "sqlite: cannot open %s: file does not exist",
               path);
    else if (rc == SQLITE_CANTOPEN && !uri && !readonly && create
             && stat(path, &sb) != 0 && errno == ENOENT
             && !folder_writable(path))
      snprintf(buf, sizeof buf, "sqlite: cannot open %s: its folder is "
               "missing or not writable", path);
    else if (rc == SQLITE_CANTOPEN && syserr != 0)
      snprintf(buf, sizeof buf, "sqlite: cannot open %s: %s (%s)", path, msg,
               strerror(syserr));
    else
      snprintf(buf, sizeof buf, "sqlite: cannot open %s: %s", path, msg);
    sqlite3_close(db);
    lua_pushnil(L);
    lua_pushstring(L, buf);
    lua_pushinteger(L, rc);
    return 3;
  }
  c->db = db;
  if (!readonly && sqlite3_db_readonly(db, "main") == 1) {
    /* asked to write, but SQLite fell back to reading (a write-protected
    ** file or folder): say so now rather than at the first write */
    snprintf(buf, sizeof buf, "sqlite: cannot open %s for writing: "
             "attempt to write a readonly database", path);
    sqlite3_close_v2(db);
    c->db = NULL;
    lua_pushnil(L);
    lua_pushstring(L, buf);
    lua_pushinteger(L, SQLITE_READONLY);
    return 3;
  }
  conn_set_busy(c, busy);
  sqlite3_progress_handler(db, LDB_PROGRESS_OPS, conn_progress, NULL);
  rc = sqlite3_exec(db, fk ? "PRAGMA foreign_keys=ON" : "PRAGMA foreign_keys=OFF",
                    NULL, NULL, NULL);
  fname = sqlite3_db_filename(db, "main");
  if (rc == SQLITE_OK && wal && !readonly && fname != NULL && fname[0] != '\0'
      && !is_wal_file(fname))
    rc = sqlite3_exec(db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
  if (rc != SQLITE_OK) {
    snprintf(buf, sizeof buf, "sqlite: cannot open %s: %s", path,
             sqlite3_errmsg(db));
    sqlite3_close_v2(db);
    c->db = NULL;
    lua_pushnil(L);
    lua_pushstring(L, buf);
    lua_pushinteger(L, rc);
    return 3;
  }
  return 1;
}


static int ldb_version (lua_State *L) {
  lua_pushstring(L, sqlite3_libversion());
  return 1;
}


static int ldb_complete (lua_State *L) {
  size_t len;
  const char *sql = luaL_checklstring(L, 1, &len);
  /* sqlite3_complete stops at a NUL; text after one is never whole */
  lua_pushboolean(L, memchr(sql, '\0', len) == NULL && sqlite3_complete(sql));
  return 1;
}


/* sqlite.blob(s) -> value that binds s as a BLOB */
static int ldb_blob (lua_State *L) {
  ldb_Blob *b;
  luaL_checktype(L, 1, LUA_TSTRING);
  b = (ldb_Blob *)lua_newuserdatauv(L, sizeof(ldb_Blob), 1);
  b->p = NULL;
  b->n = 0;
  luaL_setmetatable(L, LDB_BLOB);
  lua_pushvalue(L, 1);
  lua_setiuservalue(L, -2, 1);
  b->p = lua_tolstring(L, 1, &b->n);  /* anchored by the uservalue */
  return 1;
}


static int blob_len (lua_State *L) {
  ldb_Blob *b = (ldb_Blob *)luaL_checkudata(L, 1, LDB_BLOB);
  lua_pushinteger(L, (lua_Integer)b->n);
  return 1;
}


static int blob_tostring (lua_State *L) {
  ldb_Blob *b = (ldb_Blob *)luaL_checkudata(L, 1, LDB_BLOB);
  lua_pushfstring(L, "lcase.db.Blob (%I bytes)", (lua_Integer)b->n);
  return 1;
}


/* blob:data() -> the bytes */
static int blob_data (lua_State *L) {
  luaL_checkudata(L, 1, LDB_BLOB);
  lua_getiuservalue(L, 1, 1);
  return 1;
}


static int null_tostring (lua_State *L) {
  lua_pushliteral(L, "lcase.db.null");
  return 1;
}


static int null_newindex (lua_State *L) {
  return luaL_error(L, "attempt to modify lcase.db.null");
}

/* }====================================================== */


static const luaL_Reg db_methods[] = {
  {"close", db_close_m},
  {"isopen", db_isopen},
  {"exec", db_exec},
  {"prepare", db_prepare},
  {"rows", db_rows},
  {"urows", db_urows},
  {"first", db_first},
  {"value", db_value},
  {"run", db_run},
  {"transaction", db_transaction},
  {"in_transaction", db_in_transaction},
  {"last_insert_rowid", db_last_insert_rowid},
  {"changes", db_changes},
  {"total_changes", db_total_changes},
  {"cache_stats", db_cache_stats},
  {"interrupt", db_interrupt},
  {"busy_timeout", db_busy_timeout},
  {"filename", db_filename},
  {"errcode", db_errcode},
  {"errmsg", db_errmsg},
  {"readonly", db_readonly},
  {"restrict_to_reads", db_restrict_to_reads},
  {"is_reader", db_is_reader},
  {"guard_import", db_guard_import},
  {NULL, NULL}
};

static const luaL_Reg db_meta[] = {
  {"__index", NULL},  /* placeholder */
  {"__gc", db_close},
  {"__close", db_close_m},
  {"__tostring", db_tostring},
  {NULL, NULL}
};

static const luaL_Reg stmt_methods[] = {
  {"bind", stmt_bind},
  {"step", stmt_step},
  {"get", stmt_get},
  {"row", stmt_row},
  {"urow", stmt_urow},
  {"reset", stmt_reset},
  {"clear_bindings", stmt_clear_bindings},
  {"rows", stmt_rows},
  {"urows", stmt_urows},
  {"run", stmt_run},
  {"columns", stmt_columns},
  {"column_count", stmt_column_count},
  {"param_count", stmt_param_count},
  {"param_name", stmt_param_name},
  {"sql", stmt_sql},
  {"readonly", stmt_readonly},
  {"finalize", stmt_finalize_m},
  {"isopen", stmt_isopen},
  {NULL, NULL}
};

static const luaL_Reg stmt_meta[] = {
  {"__index", NULL},  /* placeholder */
  {"__gc", stmt_gc},
  {"__close", stmt_gc},
  {"__tostring", stmt_tostring},
  {NULL, NULL}
};

static const luaL_Reg istmt_meta[] = {
  {"__gc", stmt_gc},
  {"__close", istmt_guard},
  {NULL, NULL}
};

static const luaL_Reg cursor_meta[] = {
  {"__gc", cursor_close},
  {"__close", cursor_close},
  {NULL, NULL}
};

static const luaL_Reg blob_methods[] = {
  {"data", blob_data},
  {NULL, NULL}
};

static const luaL_Reg blob_meta[] = {
  {"__index", NULL},  /* placeholder */
  {"__len", blob_len},
  {"__tostring", blob_tostring},
  {NULL, NULL}
};

static const luaL_Reg dberror_meta[] = {
  {"__tostring", dberror_tostring},
  {"__concat", dberror_concat},
  {NULL, NULL}
};

static const luaL_Reg ldb_funcs[] = {
  {"open", ldb_open},
  {"version", ldb_version},
  {"complete", ldb_complete},
  {"blob", ldb_blob},
  {NULL, NULL}
};


/* Creates metatable 'name' with 'meta' and, if given, 'methods' as
** __index; 'locked' hides an internal one from getmetatable. */
static void create_meta (lua_State *L, const char *name, const luaL_Reg *meta,
                         const luaL_Reg *methods, int locked) {
  luaL_newmetatable(L, name);
  luaL_setfuncs(L, meta, 0);
  if (methods != NULL) {
    lua_newtable(L);
    luaL_setfuncs(L, methods, 0);
    lua_setfield(L, -2, "__index");
  }
  if (locked) {
    lua_pushliteral(L, "locked");
    lua_setfield(L, -2, "__metatable");
  }
  lua_pop(L, 1);
}


int luaopen_lcase_db (lua_State *L) {
  luaL_checkversion(L);
  create_meta(L, LDB_CONNECTION, db_meta, db_methods, 0);
  create_meta(L, LDB_STMT, stmt_meta, stmt_methods, 0);
  create_meta(L, LDB_ISTMT, istmt_meta, NULL, 1);
  create_meta(L, LDB_CURSOR, cursor_meta, NULL, 1);
  create_meta(L, LDB_BLOB, blob_meta, blob_methods, 0);
  create_meta(L, LDB_ERROR, dberror_meta, NULL, 0);
  luaL_newlib(L, ldb_funcs);
  /* sqlite.null: one per Lua state, kept across reloads of the module */
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &ldb_null_key) != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_newtable(L);
    lua_createtable(L, 0, 4);
    lua_pushcfunction(L, null_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pushcfunction(L, null_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushliteral(L, "lcase.db.null");
    lua_setfield(L, -2, "__name");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &ldb_null_key);
  }
  lua_setfield(L, -2, "null");
  return 1;
}
