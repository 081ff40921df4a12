/*
** lpg.c -- lcase.pg: a PostgreSQL binding (libpq) with the API of lcase.db.
**
**   local pg = require "lcase.pg"
**   local db = assert(pg.open("postgresql:///lcase?host=/tmp/pg"))
**   for row in db:rows("SELECT * FROM cases WHERE forum = ?", "D. Del.") do ... end
**
** The store above talks to either engine through the same methods (see
** core/README.md, lcase.db); what differs is written down here:
**
** - Parameters: '?', '?N', ':name', '@name' and '$name' are translated to
**   PostgreSQL's $n before the statement is prepared (outside string
**   literals, quoted names, comments and dollar quotes; '::' is a cast).
**   Values are sent as text; the server infers each parameter's type.
** - Results are read whole (PQexecPrepared) and walked by the loop, so a
**   loop's body may run other statements on the same connection, as with
**   SQLite. Column types: int2/int4/int8/oid -> integer, float4/float8 ->
**   float, numeric -> integer when integral, else float, bool -> 1 or 0
**   (as SQLite gives a comparison), bytea -> string of its bytes, the rest
**   -> string; NULL -> nil.
** - Errors raise "postgresql: MESSAGE [SQLSTATE] (in: SQL)"; db:errcode()
**   returns the SQLSTATE of the last failure. A lock or serialization
**   failure (55P03, 40P01, 40001) raises a table { message =, code = 5,
**   sqlstate =, locked = true } like lcase.db's busy error.
** - The statement cache is keyed by the SQL text as given; an optional
**   rewrite function (open's opts.rewrite, from lcase.store.dialect) turns
**   the store's SQL into PostgreSQL's before it is prepared or executed.
** - db:copy(sql, rows) runs "COPY ... FROM STDIN" from a list (or an
**   iterator) of rows, each a list of values: the bulk path.
** - Round trips: a nested db:transaction's SAVEPOINT and RELEASE wait and
**   go with the next statement in one pipeline (none at all when nothing
**   ran inside); last_insert_rowid takes the id a one-row INSERT returned
**   as lcase_rowid (the dialect adds RETURNING id AS lcase_rowid) before
**   it asks the server for lastval().
** - Ctrl-C: lcase.c's SIGINT handler calls lpg_cancel_waiting(), which
**   cancels the query being waited for (PQcancel).
**
** Objects (liolib style): lcase.pg.Connection (uservalues: 1 statement
** cache, 2 rewrite function or nil, 3 the target it was opened with),
** lcase.pg.Statement (uservalues: 1 the
** connection, 2 column names, 3 parameter names by position, 4 bound
** values as text, 5 the SQL as given), lcase.pg.Cursor (one rows/urows loop: owns its result;
** uservalue 1 column names).
*/

#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua.h"
#include "lauxlib.h"

#include <libpq-fe.h>

#include "lcase.h"

#define LPG_CONN      "lcase.pg.Connection"
#define LPG_STMT      "lcase.pg.Statement"
#define LPG_CURSOR    "lcase.pg.Cursor"
#define LPG_ERROR     "lcase.pg.Error"

#define LPG_CACHE_DEFAULT  64
#define LPG_BUSY_DEFAULT   30000
#define LPG_SQLSHOW        80
#define LPG_PENDING        32     /* savepoint commands waiting to be sent */
#define LPG_ERRBUF         640

#define UV_CONN_CACHE    1
#define UV_CONN_REWRITE  2
#define UV_CONN_TARGET   3
#define UV_STMT_CONN     1
#define UV_STMT_COLS     2
#define UV_STMT_PARAMS   3
#define UV_STMT_VALUES   4
#define UV_STMT_SQL      5
#define UV_CURSOR_COLS   1

/* type oids (pg_type.h) */
#define OID_BOOL     16
#define OID_BYTEA    17
#define OID_INT8     20
#define OID_INT2     21
#define OID_INT4     23
#define OID_OID      26
#define OID_FLOAT4   700
#define OID_FLOAT8   701
#define OID_NUMERIC  1700

static const char lpg_null_key = 0;

/* The cancel handle of the connection waiting for the server now, or
** NULL: Ctrl-C (lcase.c's SIGINT handler) cancels that query. */
static PGcancel *volatile lpg_waiting = NULL;

typedef struct lpg_Conn {
  PGconn *pg;                  /* NULL once closed */
  int capacity, ncached;       /* statement cache */
  lua_Integer hits, misses;
  lua_Integer trips;           /* round trips to the server (stats) */
  lua_Integer epoch;           /* bumped whenever rows this session knew
                               ** by key may be gone or keyed otherwise:
                               ** transaction start and end, a rollback to
                               ** a savepoint, a statement that may delete
                               ** rows or change keys (see db:epoch) */
  lua_Integer wepoch;          /* bumped with epoch, and after any statement
                               ** that may change rows already there (all
                               ** but reads and plain INSERTs) */
  lua_Integer nexec, nprep, ncmd, ncopy;  /* of them: executions of
                               ** prepared statements, prepares (with their
                               ** describe), other commands, COPYs */
  lua_Integer seq;             /* prepared statement names */
  lua_Integer spseq;           /* savepoint names */
  lua_Integer changes, total;  /* rows changed: last statement, all */
  int busy_ms;                 /* lock_timeout */
  int readonly, reader;        /* opened read-only; restricted to reads */
  int have_lastval;            /* lastval() is known to be set */
  int rowid_known;             /* rowid holds the id the last INSERT made */
  lua_Integer rowid;           /* from its "RETURNING id AS lcase_rowid" */
  lua_Integer pend[LPG_PENDING];  /* savepoint commands not sent yet: n is
                               ** SAVEPOINT lcase_sp_n, -n RELEASE it; they
                               ** go ahead of the next statement, in the
                               ** same round trip (a pipeline) */
  int npend;
  PGcancel *cancel;            /* for Ctrl-C: see lpg_cancel_waiting */
  char sqlstate[6];            /* SQLSTATE of the last failure, "" if none */
  char errmsg[LPG_ERRBUF];     /* message of the last failure */
} lpg_Conn;

typedef struct lpg_Stmt {
  lpg_Conn *conn;              /* NULL once finalized */
  char name[32];               /* server-side prepared statement name */
  int nparams, ncols, named;
  Oid *ptypes;                 /* parameter types, as the server inferred */
  PGresult *res;               /* result of the last execution, or NULL */
  int row;                     /* current row in res; -1 before the first */
  int executed;                /* executed since the last reset */
  int cached;                  /* belongs to the connection's cache */
  int isread;                  /* the statement only reads */
  int rekeys;                  /* running it bumps the connection's epoch */
  int rewrites;                /* running it bumps the connection's wepoch */
} lpg_Stmt;

typedef struct lpg_Cursor {
  PGresult *res;               /* NULL when the loop is over */
  int row, ncols;
} lpg_Cursor;


/*
** {======================================================
** Errors
** =======================================================
*/

static void shorten_sql (char *out, const char *sql) {
  size_t i = 0, n = 0;
  int space = 0;
  while (sql[i] != '\0' && isspace((unsigned char)sql[i])) i++;
  for (; sql[i] != '\0' && n < LPG_SQLSHOW; i++) {
    if (isspace((unsigned char)sql[i])) { space = 1; continue; }
    if (space && n > 0) out[n++] = ' ';
    space = 0;
    if (n < LPG_SQLSHOW) out[n++] = sql[i];
  }
  if (sql[i] != '\0') { memcpy(out + n, "...", 3); n += 3; }
  out[n] = '\0';
}


/* Raises the failure of a result (or of the connection when res is NULL)
** and records its SQLSTATE on the connection. Frees res. */
static int raise_pg (lua_State *L, lpg_Conn *c, PGresult *res,
                     const char *sql) {
  char shown[LPG_SQLSHOW + 4], msg[LPG_ERRBUF];
  const char *m = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
  const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
  const char *detail = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL;
  size_t len;
  if (m == NULL) m = c->pg ? PQerrorMessage(c->pg) : "connection closed";
  snprintf(msg, sizeof msg, "%s", m);
  len = strlen(msg);
  while (len > 0 && isspace((unsigned char)msg[len - 1])) msg[--len] = '\0';
  snprintf(c->sqlstate, sizeof c->sqlstate, "%s", state ? state : "");
  snprintf(c->errmsg, sizeof c->errmsg, "%s", msg);
  if (detail != NULL && len + 4 < sizeof msg)
    snprintf(msg + len, sizeof msg - len, ": %s", detail);
  if (sql != NULL) shorten_sql(shown, sql);
  else shown[0] = '\0';
  if (res) PQclear(res);
  {
    char buf[LPG_ERRBUF + 128];
    if (shown[0] != '\0')
      snprintf(buf, sizeof buf, "postgresql: %s [%s] (in: %s)", msg,
               c->sqlstate[0] ? c->sqlstate : "-----", shown);
    else
      snprintf(buf, sizeof buf, "postgresql: %s [%s]", msg,
               c->sqlstate[0] ? c->sqlstate : "-----");
    if (strcmp(c->sqlstate, "55P03") == 0 || strcmp(c->sqlstate, "40P01") == 0
        || strcmp(c->sqlstate, "40001") == 0) {
      lua_createtable(L, 0, 4);
      lua_pushstring(L, buf);
      lua_setfield(L, -2, "message");
      lua_pushinteger(L, 5);
      lua_setfield(L, -2, "code");
      lua_pushstring(L, c->sqlstate);
      lua_setfield(L, -2, "sqlstate");
      lua_pushboolean(L, 1);
      lua_setfield(L, -2, "locked");
      luaL_setmetatable(L, LPG_ERROR);
      return lua_error(L);
    }
    lua_pushstring(L, buf);
  }
  return lua_error(L);
}


static int pgerror_tostring (lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_getfield(L, 1, "message");
  if (!lua_isstring(L, -1)) {
    lua_pop(L, 1);
    lua_pushliteral(L, "postgresql: lock not available");
  }
  return 1;
}


static int pgerror_concat (lua_State *L) {
  int i;
  for (i = 1; i <= 2; i++) {
    if (lua_type(L, i) == LUA_TTABLE) {
      lua_getfield(L, i, "message");
      if (!lua_isstring(L, -1)) {
        lua_pop(L, 1);
        lua_pushliteral(L, "postgresql: lock not available");
      }
      lua_replace(L, i);
    }
    else luaL_checkstring(L, i);
  }
  lua_settop(L, 2);
  lua_concat(L, 2);
  return 1;
}

/* }====================================================== */


/*
** {======================================================
** SQL text: parameters, statement kinds
** =======================================================
*/

static int is_ident_start (unsigned char ch) {
  return isalpha(ch) || ch == '_' || ch >= 0x80;
}

static int is_ident (unsigned char ch) {
  return isalnum(ch) || ch == '_' || ch >= 0x80;
}


/* Translates the parameters of 'sql' to $n. Pushes the translated SQL and
** a table { [n] = name or false } of the parameter names by position;
** returns the number of parameters. Named parameters that repeat share
** one number, as in SQLite. */
static int translate_params (lua_State *L, const char *sql, int *named) {
  luaL_Buffer b;
  const char *p = sql;
  int n = 0, tidx;
  lua_newtable(L);                        /* names by position */
  tidx = lua_gettop(L);
  lua_newtable(L);                        /* name -> position */
  luaL_buffinit(L, &b);
  *named = 0;
  while (*p) {
    unsigned char ch = (unsigned char)*p;
    if (ch == '\'' || ch == '"') {        /* literal or quoted name */
      const char *q = p + 1;
      while (*q && !(*q == (char)ch && q[1] != (char)ch)) q += (*q == (char)ch) ? 2 : 1;
      if (*q) q++;
      luaL_addlstring(&b, p, (size_t)(q - p));
      p = q;
    }
    else if (ch == '-' && p[1] == '-') {
      const char *q = p;
      while (*q && *q != '\n') q++;
      luaL_addlstring(&b, p, (size_t)(q - p));
      p = q;
    }
    else if (ch == '/' && p[1] == '*') {
      const char *q = strstr(p + 2, "*/");
      q = q ? q + 2 : p + strlen(p);
      luaL_addlstring(&b, p, (size_t)(q - p));
      p = q;
    }
    else if (ch == ':' && p[1] == ':') {  /* a cast */
      luaL_addlstring(&b, p, 2);
      p += 2;
    }
    else if (ch == '$' && (p[1] == '$' || is_ident_start((unsigned char)p[1]))) {
      /* a dollar quote $tag$...$tag$, or a $name parameter */
      const char *q = p + 1;
      while (is_ident((unsigned char)*q)) q++;
      if (*q == '$') {
        size_t taglen = (size_t)(q - p + 1);
        const char *end = q + 1;
        for (;;) {
          end = strchr(end, '$');
          if (end == NULL || strncmp(end, p, taglen) == 0) break;
          end++;
        }
        end = end ? end + taglen : p + strlen(p);
        luaL_addlstring(&b, p, (size_t)(end - p));
        p = end;
      }
      else goto named_param;
    }
    else if ((ch == ':' || ch == '@') && is_ident_start((unsigned char)p[1])) {
      const char *q;
    named_param:
      q = p + 1;
      while (is_ident((unsigned char)*q)) q++;
      {
        int pos;
        char num[24];
        lua_pushlstring(L, p + 1, (size_t)(q - p - 1));  /* name */
        /* the buffer may sit on the stack: keep the stack balanced below it */
        lua_pushvalue(L, -1);
        if (lua_rawget(L, tidx + 1) == LUA_TNUMBER) {
          pos = (int)lua_tointeger(L, -1);
          lua_pop(L, 2);
        }
        else {
          lua_pop(L, 1);
          pos = ++n;
          lua_pushvalue(L, -1);
          lua_rawseti(L, tidx, pos);
          lua_pushinteger(L, pos);
          lua_rawset(L, tidx + 1);
        }
        *named = 1;
        snprintf(num, sizeof num, "$%d", pos);
        luaL_addstring(&b, num);
      }
      p = q;
    }
    else if (ch == '?' || (ch == '$' && isdigit((unsigned char)p[1]))) {
      int pos;
      char num[24];
      p++;
      if (isdigit((unsigned char)*p)) {
        pos = 0;
        while (isdigit((unsigned char)*p) && pos < 65536) pos = pos * 10 + (*p++ - '0');
        if (pos < 1 || pos > 65535) luaL_error(L, "postgresql: bad parameter number in: %s", sql);
      }
      else pos = n + 1;
      if (pos > n) n = pos;
      snprintf(num, sizeof num, "$%d", pos);
      luaL_addstring(&b, num);
    }
    else if (is_ident_start(ch)) {        /* a word: copy whole (a$b, x:y) */
      const char *q = p;
      while (is_ident((unsigned char)*q) || *q == '$') q++;
      luaL_addlstring(&b, p, (size_t)(q - p));
      p = q;
    }
    else {
      luaL_addchar(&b, (char)ch);
      p++;
    }
  }
  luaL_pushresult(&b);                    /* tidx, map, sql */
  lua_remove(L, tidx + 1);                /* tidx, sql */
  lua_insert(L, tidx);                    /* sql, names */
  {
    int i;
    for (i = 1; i <= n; i++) {
      if (lua_rawgeti(L, -1, i) == LUA_TNIL) {
        lua_pushboolean(L, 0);
        lua_rawseti(L, -3, i);
      }
      lua_pop(L, 1);
    }
  }
  return n;
}


/* The first keyword of sql, lower-cased, into out (at most 15 chars). */
static void first_word (const char *sql, char *out) {
  const char *p = sql;
  int n = 0;
  for (;;) {
    while (isspace((unsigned char)*p) || *p == '(') p++;
    if (p[0] == '-' && p[1] == '-') { while (*p && *p != '\n') p++; continue; }
    if (p[0] == '/' && p[1] == '*') {
      const char *q = strstr(p + 2, "*/");
      p = q ? q + 2 : p + strlen(p);
      continue;
    }
    break;
  }
  while (isalpha((unsigned char)*p) && n < 15) out[n++] = (char)tolower((unsigned char)*p++);
  out[n] = '\0';
}


static int is_read_word (const char *w) {
  static const char *const reads[] = {"select", "with", "values", "table",
                                      "explain", "show", NULL};
  int i;
  for (i = 0; reads[i]; i++) if (strcmp(w, reads[i]) == 0) return 1;
  return 0;
}

/* Does sql name the identifier `word` (lower case) outside the middle of
** a longer name? */
static int names_ident (const char *sql, const char *word) {
  size_t n = strlen(word);
  const char *p;
  for (p = sql; *p; p++) {
    size_t k = 0;
    while (k < n && tolower((unsigned char)p[k]) == word[k]) k++;
    if (k == n && (p == sql || !is_ident((unsigned char)p[-1]))
        && !is_ident((unsigned char)p[n]))
      return 1;
  }
  return 0;
}

/* Does the UPDATE sql name the identifier key in its SET list (from SET
** to the WHERE, FROM or RETURNING outside parentheses)? */
static int sets_key (const char *sql) {
  const char *p = sql, *start = NULL;
  int depth = 0;
  for (; *p; p++) {
    if (*p == '(') { depth++; continue; }
    if (*p == ')') { if (depth > 0) depth--; continue; }
    if (!isalpha((unsigned char)*p) || (p > sql && is_ident((unsigned char)p[-1]))) continue;
    {
      char w[12];
      int n = 0;
      while (is_ident((unsigned char)p[n]) && n < 11) { w[n] = (char)tolower((unsigned char)p[n]); n++; }
      w[n] = '\0';
      if (is_ident((unsigned char)p[n])) { p += n - 1; continue; }  /* longer */
      if (start == NULL) {
        if (depth == 0 && strcmp(w, "set") == 0) start = p + n;
      }
      else if (depth == 0 && (strcmp(w, "where") == 0 || strcmp(w, "from") == 0
                              || strcmp(w, "returning") == 0))
        break;
      else if (strcmp(w, "key") == 0) return 1;
      p += n - 1;
    }
  }
  return start == NULL;  /* no SET found: take it to */
}

/* May running sql delete rows or change the key of one (so that a
** key -> id mapping read before is wrong after it)? Reads and plain
** INSERTs cannot; an UPDATE only when it names the column key; an
** INSERT ... DO UPDATE likewise; anything else (DELETE, TRUNCATE, MERGE,
** WITH, DDL...) is taken to. */
static int may_rekey (const char *sql, const char *word) {
  if (is_read_word(word) && strcmp(word, "with") != 0) return 0;
  if (strcmp(word, "insert") == 0)
    return names_ident(sql, "update") && names_ident(sql, "key");
  if (strcmp(word, "update") == 0) return sets_key(sql);
  return 1;
}

/* May running sql change a row already there (anything but reads and
** INSERTs without DO UPDATE)? */
static int may_rewrite (const char *sql, const char *word) {
  if (is_read_word(word) && strcmp(word, "with") != 0) return 0;
  if (strcmp(word, "insert") == 0) return names_ident(sql, "update");
  return 1;
}

/* Does a reader refuse sql: a first word that does not read, or a call
** of set_config (which could turn the session's READ ONLY off)? */
static int reader_refuses (const char *sql) {
  static const char needle[] = "set_config";
  char word[16];
  const char *p;
  first_word(sql, word);
  if (!is_read_word(word)) return 1;
  for (p = sql; *p; p++) {
    size_t k = 0;
    while (needle[k] && tolower((unsigned char)p[k]) == needle[k]) k++;
    if (needle[k] == '\0') return 1;
  }
  return 0;
}

/* }====================================================== */


/*
** {======================================================
** Connections, statements
** =======================================================
*/

static lpg_Conn *check_conn (lua_State *L, int idx) {
  return (lpg_Conn *)luaL_checkudata(L, idx, LPG_CONN);
}


static lpg_Conn *check_open (lua_State *L, int idx) {
  lpg_Conn *c = check_conn(L, idx);
  if (c->pg == NULL) luaL_error(L, "attempt to use a closed database");
  return c;
}


static int is_null (lua_State *L, int idx) {
  int r;
  lua_rawgetp(L, LUA_REGISTRYINDEX, &lpg_null_key);
  r = lua_rawequal(L, idx, -1);
  lua_pop(L, 1);
  return r;
}


static int is_params (lua_State *L, int idx) {
  return lua_type(L, idx) == LUA_TTABLE && !is_null(L, idx);
}


/* The libpq calls that wait for the server, counted (db:stats()). */
static PGresult *rt_exec (lpg_Conn *c, const char *sql) {
  c->trips++; c->ncmd++;
  return PQexec(c->pg, sql);
}

static PGresult *rt_exec_prepared (lpg_Conn *c, const char *name, int n,
                                   const char *const *values) {
  c->trips++; c->nexec++;
  return PQexecPrepared(c->pg, name, n, values, NULL, NULL, 0);
}

static PGresult *rt_prepare (lpg_Conn *c, const char *name, const char *sql,
                             int ntypes, const Oid *types) {
  c->trips++; c->nprep++;
  return PQprepare(c->pg, name, sql, ntypes, types);
}

static PGresult *rt_describe (lpg_Conn *c, const char *name) {
  c->trips++;
  return PQdescribePrepared(c->pg, name);
}


/* Runs SQL without parameters and without results; raises on failure. */
static void flush_pending (lua_State *L, lpg_Conn *c);

static void conn_command (lua_State *L, lpg_Conn *c, const char *sql) {
  PGresult *res;
  flush_pending(L, c);
  res = rt_exec(c, sql);
  ExecStatusType st = PQresultStatus(res);
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY)
    raise_pg(L, c, res, sql);
  PQclear(res);
}


/* Around every wait for the server: Ctrl-C cancels the query waited for. */
#define WAIT_BEGIN(c)  (lpg_waiting = (c)->cancel)
#define WAIT_END()     (lpg_waiting = NULL)


void lpg_cancel_waiting (void) {
  PGcancel *cancel = lpg_waiting;
  if (cancel != NULL) {
    char err[128];
    PQcancel(cancel, err, sizeof err);  /* async-signal-safe (libpq) */
  }
}


/* Writes pending command i into buf. */
static void pending_sql (lpg_Conn *c, int i, char *buf, size_t n) {
  lua_Integer sp = c->pend[i];
  if (sp > 0) snprintf(buf, n, "SAVEPOINT lcase_sp_%lld", (long long)sp);
  else snprintf(buf, n, "RELEASE SAVEPOINT lcase_sp_%lld", (long long)-sp);
}


/* Sends the pending savepoint commands now (one round trip); raises
** their failure. */
static void flush_pending (lua_State *L, lpg_Conn *c) {
  char sql[LPG_PENDING * 48];
  size_t len = 0;
  int i;
  PGresult *res;
  if (c->npend == 0) return;
  for (i = 0; i < c->npend; i++) {
    if (i > 0) { memcpy(sql + len, "; ", 2); len += 2; }
    pending_sql(c, i, sql + len, sizeof sql - len);
    len += strlen(sql + len);
  }
  c->npend = 0;
  res = rt_exec(c, sql);
  if (PQresultStatus(res) != PGRES_COMMAND_OK) raise_pg(L, c, res, sql);
  PQclear(res);
}


/* Queues savepoint command sp (see lpg_Conn.pend). */
static void push_pending (lua_State *L, lpg_Conn *c, lua_Integer sp) {
  if (c->npend == LPG_PENDING) flush_pending(L, c);
  c->pend[c->npend++] = sp;
}


static void stmt_free (lpg_Stmt *s) {
  if (s->res) { PQclear(s->res); s->res = NULL; }
  free(s->ptypes);
  s->ptypes = NULL;
}


/* Finalizes s: forgets its result, and deallocates it on the server
** when the connection can take a command (not inside a failed
** transaction; the server forgets it at the end of the session anyway). */
static void stmt_finalize (lpg_Stmt *s) {
  lpg_Conn *c = s->conn;
  if (c == NULL) return;
  if (c->pg != NULL && PQtransactionStatus(c->pg) != PQTRANS_INERROR
      && PQtransactionStatus(c->pg) != PQTRANS_ACTIVE) {
    char sql[64];
    snprintf(sql, sizeof sql, "DEALLOCATE %s", s->name);
    PQclear(rt_exec(c, sql));
  }
  stmt_free(s);
  s->conn = NULL;
}


/* Applies the connection's rewrite function (if any) to the string at
** 'idx'; pushes the SQL to run. */
static const char *push_rewritten (lua_State *L, int connidx, int idx) {
  if (lua_getiuservalue(L, connidx, UV_CONN_REWRITE) == LUA_TFUNCTION) {
    lua_pushvalue(L, idx);
    lua_call(L, 1, 1);
    if (lua_type(L, -1) != LUA_TSTRING)
      luaL_error(L, "postgresql: the rewrite function returned a %s",
                 luaL_typename(L, -1));
  }
  else {
    lua_pop(L, 1);
    lua_pushvalue(L, idx);
  }
  return lua_tostring(L, -1);
}


/* The type a value asks for when the server cannot infer a parameter's
** ("SELECT ? + ?"): int8, float8, text, or unknown. */
static Oid value_type (lua_State *L, int idx) {
  switch (lua_type(L, idx)) {
    case LUA_TNUMBER: return lua_isinteger(L, idx) ? OID_INT8 : OID_FLOAT8;
    case LUA_TBOOLEAN: return OID_INT8;
    case LUA_TSTRING: return 25;
    default: return 0;
  }
}


/* Ends a pipeline whose commands' results were read: reads up to the sync
** (when it was sent) and leaves pipeline mode. Returns out, or a failure
** result when no command gave one. */
static PGresult *pipeline_end (lpg_Conn *c, int synced, PGresult *out) {
  PGresult *res;
  while (synced && (res = PQgetResult(c->pg)) != NULL) {
    ExecStatusType st = PQresultStatus(res);
    PQclear(res);
    if (st == PGRES_PIPELINE_SYNC) break;
  }
  PQexitPipelineMode(c->pg);
  return out != NULL ? out : PQmakeEmptyPGresult(c->pg, PGRES_FATAL_ERROR);
}


/* PQprepare that leaves the transaction usable when it fails (a savepoint
** around it inside a transaction), and describes the statement: the
** savepoint, the prepare, the describe and the savepoint's release go in
** one round trip (libpq's pipeline mode; a failed prepare costs one more,
** the rollback to the savepoint). Returns the prepare's result; *desc the
** describe's when the prepare succeeded (else NULL: describe it apart). */
static PGresult *prepare_safely (lpg_Conn *c, const char *name, const char *sql,
                                 int ntypes, const Oid *types, PGresult **desc) {
  int intx = PQtransactionStatus(c->pg) == PQTRANS_INTRANS;
  PGresult *res, *out = NULL;
  int i, n = 0, sent = 0, synced = 0, prep = -1, des = -1;
  *desc = NULL;
  if (!PQenterPipelineMode(c->pg)) {    /* cannot: one command at a time */
    if (intx) PQclear(rt_exec(c, "SAVEPOINT lcase_prepare"));
    res = rt_prepare(c, name, sql, ntypes, types);
    if (intx) {
      if (PQresultStatus(res) == PGRES_COMMAND_OK)
        PQclear(rt_exec(c, "RELEASE SAVEPOINT lcase_prepare"));
      else
        PQclear(rt_exec(c, "ROLLBACK TO SAVEPOINT lcase_prepare; "
                              "RELEASE SAVEPOINT lcase_prepare"));
    }
    return res;
  }
  /* the commands sent, in order: [savepoint], prepare, describe, [release] */
  if (intx) {
    n++;
    if (PQsendQueryParams(c->pg, "SAVEPOINT lcase_prepare", 0, NULL, NULL, NULL, NULL, 0)) sent++;
  }
  prep = n++;
  if (sent == prep && PQsendPrepare(c->pg, name, sql, ntypes, types)) sent++;
  des = n++;
  if (sent == des && PQsendDescribePrepared(c->pg, name)) sent++;
  if (intx) {
    n++;
    if (sent == n - 1 && PQsendQueryParams(c->pg, "RELEASE SAVEPOINT lcase_prepare", 0, NULL, NULL,
                                           NULL, NULL, 0)) sent++;
  }
  if (PQpipelineSync(c->pg)) synced = 1;
  c->trips++; c->nprep++;
  /* each command's results, each run ended by NULL, then the sync */
  for (i = 0; i < sent; i++) {
    while ((res = PQgetResult(c->pg)) != NULL) {
      ExecStatusType st = PQresultStatus(res);
      if (i == prep && out == NULL) out = res;
      else if (i == des && st == PGRES_COMMAND_OK && *desc == NULL) *desc = res;
      else if (out == NULL && st == PGRES_FATAL_ERROR) out = res;  /* the savepoint failed */
      else PQclear(res);
    }
  }
  out = pipeline_end(c, synced, out);
  if (PQresultStatus(out) != PGRES_COMMAND_OK) {
    if (*desc != NULL) { PQclear(*desc); *desc = NULL; }
    if (intx && PQtransactionStatus(c->pg) == PQTRANS_INERROR)
      PQclear(rt_exec(c, "ROLLBACK TO SAVEPOINT lcase_prepare; RELEASE SAVEPOINT lcase_prepare"));
  }
  return out;
}


/* Prepares the SQL at 'sqlidx' on the connection at 'connidx'; pushes a new
** statement userdata. The values argfirst..arglast (none when argfirst >
** arglast) give the parameters' types when the server cannot infer them. */
static lpg_Stmt *stmt_new (lua_State *L, int connidx, int sqlidx, int argfirst,
                           int arglast) {
  lpg_Conn *c = check_open(L, connidx);
  lpg_Stmt *s;
  const char *pgsql;
  int n, named, i, sidx, top = lua_gettop(L);
  PGresult *res, *desc = NULL;
  char word[16];
  s = (lpg_Stmt *)lua_newuserdatauv(L, sizeof *s, 5);
  memset(s, 0, sizeof *s);
  s->row = -1;
  luaL_setmetatable(L, LPG_STMT);
  sidx = lua_gettop(L);
  lua_pushvalue(L, sqlidx);
  lua_setiuservalue(L, sidx, UV_STMT_SQL);
  lua_pushvalue(L, connidx);
  lua_setiuservalue(L, sidx, UV_STMT_CONN);
  push_rewritten(L, connidx, sqlidx);               /* sidx+1 */
  n = translate_params(L, lua_tostring(L, -1), &named);  /* sql', names */
  lua_setiuservalue(L, sidx, UV_STMT_PARAMS);
  pgsql = lua_tostring(L, -1);
  first_word(pgsql, word);
  if (c->reader && reader_refuses(pgsql)) {
    char msg[LPG_ERRBUF];
    char shown[LPG_SQLSHOW + 4];
    shorten_sql(shown, lua_tostring(L, sqlidx));
    snprintf(msg, sizeof msg, "postgresql: not authorized (in: %s)", shown);
    lua_pushstring(L, msg);
    lua_error(L);
  }
  snprintf(s->name, sizeof s->name, "lcase_%lld", (long long)++c->seq);
  flush_pending(L, c);
  res = prepare_safely(c, s->name, pgsql, 0, NULL, &desc);
  if (PQresultStatus(res) != PGRES_COMMAND_OK && n > 0 && argfirst <= arglast) {
    const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    if (state && (strcmp(state, "42725") == 0 || strcmp(state, "42P18") == 0
                  || strcmp(state, "42883") == 0)) {
      Oid *types = (Oid *)lua_newuserdatauv(L, sizeof(Oid) * (size_t)n, 0);
      int t = argfirst;
      PQclear(res);
      for (i = 0; i < n; i++) {
        if (is_params(L, argfirst)) {
          lua_getiuservalue(L, sidx, UV_STMT_PARAMS);
          if (lua_rawgeti(L, -1, i + 1) == LUA_TSTRING) lua_rawget(L, t);
          else { lua_pop(L, 1); lua_rawgeti(L, t, i + 1); }
          types[i] = value_type(L, -1);
          lua_pop(L, 2);
        }
        else types[i] = (argfirst + i <= arglast) ? value_type(L, argfirst + i) : 0;
      }
      res = prepare_safely(c, s->name, pgsql, n, types, &desc);
      lua_pop(L, 1);
    }
  }
  if (PQresultStatus(res) != PGRES_COMMAND_OK) {
    if (desc != NULL) PQclear(desc);
    raise_pg(L, c, res, lua_tostring(L, sqlidx));
  }
  PQclear(res);
  s->conn = c;          /* from now on, finalizing deallocates it */
  res = desc != NULL ? desc : rt_describe(c, s->name);
  if (PQresultStatus(res) != PGRES_COMMAND_OK)
    raise_pg(L, c, res, lua_tostring(L, sqlidx));
  s->nparams = PQnparams(res);
  if (s->nparams < n) s->nparams = n;
  s->ncols = PQnfields(res);
  s->named = named;
  s->isread = is_read_word(word);
  s->rekeys = may_rekey(pgsql, word);
  s->rewrites = may_rewrite(pgsql, word);
  if (s->nparams > 0) {
    s->ptypes = (Oid *)calloc((size_t)s->nparams, sizeof(Oid));
    if (s->ptypes == NULL) { PQclear(res); luaL_error(L, "not enough memory"); }
    for (i = 0; i < PQnparams(res); i++) s->ptypes[i] = PQparamtype(res, i);
  }
  lua_createtable(L, s->ncols, 0);
  for (i = 0; i < s->ncols; i++) {
    lua_pushstring(L, PQfname(res, i));
    lua_rawseti(L, -2, i + 1);
  }
  PQclear(res);
  lua_setiuservalue(L, sidx, UV_STMT_COLS);
  lua_createtable(L, s->nparams, 0);
  lua_setiuservalue(L, sidx, UV_STMT_VALUES);
  lua_settop(L, sidx);
  (void)top;
  return s;
}


/* Pushes the cached statement for the SQL at 'sqlidx' (preparing it on a
** miss). */
static lpg_Stmt *stmt_cached (lua_State *L, int connidx, int sqlidx,
                              int argfirst, int arglast) {
  lpg_Conn *c = check_open(L, connidx);
  lpg_Stmt *s;
  int cache;
  lua_getiuservalue(L, connidx, UV_CONN_CACHE);
  cache = lua_gettop(L);
  lua_pushvalue(L, sqlidx);
  if (lua_rawget(L, cache) == LUA_TUSERDATA) {
    s = (lpg_Stmt *)lua_touserdata(L, -1);
    if (s->conn != NULL) {
      c->hits++;
      lua_remove(L, cache);
      return s;
    }
  }
  lua_pop(L, 1);
  c->misses++;
  s = stmt_new(L, connidx, sqlidx, argfirst, arglast);
  if (c->capacity > 0) {
    if (c->ncached >= c->capacity) {        /* full: start over */
      lua_pushnil(L);
      while (lua_next(L, cache) != 0) {
        lpg_Stmt *old = (lpg_Stmt *)lua_touserdata(L, -1);
        if (old && old != s) { old->cached = 0; stmt_finalize(old); }
        lua_pop(L, 1);
      }
      lua_newtable(L);
      lua_setiuservalue(L, connidx, UV_CONN_CACHE);
      lua_getiuservalue(L, connidx, UV_CONN_CACHE);
      lua_replace(L, cache);
      c->ncached = 0;
    }
    lua_pushvalue(L, sqlidx);
    lua_pushvalue(L, -2);
    lua_rawset(L, cache);
    s->cached = 1;
    c->ncached++;
  }
  lua_remove(L, cache);
  return s;
}


/* The text form of the Lua value at idx for parameter i of s: pushes a
** string, or returns 0 (pushing nothing) for NULL. Raises on a value no
** column can hold. */
static int push_param (lua_State *L, lpg_Stmt *s, int i, int idx) {
  Oid ty = (s->ptypes && i < s->nparams) ? s->ptypes[i] : 0;
  switch (lua_type(L, idx)) {
    case LUA_TNONE: case LUA_TNIL: return 0;
    case LUA_TBOOLEAN:
      if (ty == OID_BOOL) lua_pushstring(L, lua_toboolean(L, idx) ? "t" : "f");
      else lua_pushstring(L, lua_toboolean(L, idx) ? "1" : "0");
      return 1;
    case LUA_TNUMBER:
      if (lua_isinteger(L, idx)) {
        char buf[32];
        snprintf(buf, sizeof buf, "%lld", (long long)lua_tointeger(L, idx));
        lua_pushstring(L, buf);
      }
      else {
        double d = (double)lua_tonumber(L, idx);
        char buf[40];
        if (isnan(d)) snprintf(buf, sizeof buf, "NaN");
        else if (isinf(d)) snprintf(buf, sizeof buf, d > 0 ? "Infinity" : "-Infinity");
        else snprintf(buf, sizeof buf, "%.17g", d);
        lua_pushstring(L, buf);
      }
      return 1;
    case LUA_TSTRING:
      if (ty == OID_BYTEA) {
        size_t len, k;
        const char *p = lua_tolstring(L, idx, &len);
        luaL_Buffer b;
        static const char hex[] = "0123456789abcdef";
        luaL_buffinit(L, &b);
        luaL_addstring(&b, "\\x");
        for (k = 0; k < len; k++) {
          luaL_addchar(&b, hex[((unsigned char)p[k]) >> 4]);
          luaL_addchar(&b, hex[((unsigned char)p[k]) & 15]);
        }
        luaL_pushresult(&b);
      }
      else lua_pushvalue(L, idx);
      return 1;
    case LUA_TTABLE:
      if (is_null(L, idx)) return 0;
      /* FALLTHROUGH */
    default:
      return luaL_error(L, "postgresql: cannot bind a %s to parameter %d",
                        luaL_typename(L, idx), i + 1);
  }
}


/* Binds the values first..last (a params table, or positional values) to
** the statement at sidx: fills its values table. */
static void bind_args (lua_State *L, lpg_Stmt *s, int sidx, int first,
                       int last) {
  int n = s->nparams, i, vals, names;
  lua_getiuservalue(L, sidx, UV_STMT_VALUES);
  vals = lua_gettop(L);
  lua_getiuservalue(L, sidx, UV_STMT_PARAMS);
  names = lua_gettop(L);
  if (first <= last && is_params(L, first)) {
    int t = first;
    if (last > first) luaL_error(L, "postgresql: extra arguments after the params table");
    if (lua_rawlen(L, t) > (lua_Unsigned)n)
      luaL_error(L, "postgresql: too many values (statement takes %d, got %d)",
                 n, (int)lua_rawlen(L, t));
    for (i = 1; i <= n; i++) {
      if (lua_rawgeti(L, names, i) == LUA_TSTRING) {
        lua_pushvalue(L, -1);
        if (lua_rawget(L, t) == LUA_TNIL)
          luaL_error(L, "postgresql: missing named parameter :%s", lua_tostring(L, -2));
        lua_remove(L, -2);
      }
      else {
        lua_pop(L, 1);
        lua_rawgeti(L, t, i);
      }
      if (push_param(L, s, i - 1, lua_gettop(L))) lua_rawseti(L, vals, i);
      else { lua_pushboolean(L, 0); lua_rawseti(L, vals, i); }
      lua_pop(L, 1);
    }
  }
  else {
    int nvals = (first <= last) ? last - first + 1 : 0;
    if (nvals > n)
      luaL_error(L, "postgresql: too many values (statement takes %d, got %d)", n, nvals);
    for (i = 1; i <= n; i++) {
      if (lua_rawgeti(L, names, i) == LUA_TSTRING)
        luaL_error(L, "postgresql: missing named parameter :%s "
                   "(named parameters take a table)", lua_tostring(L, -1));
      lua_pop(L, 1);
      if (i <= nvals && push_param(L, s, i - 1, first + i - 1)) lua_rawseti(L, vals, i);
      else { lua_pushboolean(L, 0); lua_rawseti(L, vals, i); }
    }
  }
  lua_settop(L, vals - 1);
}


static int starts_with (const char *s, const char *prefix) {
  return strncmp(s, prefix, strlen(prefix)) == 0;
}


/* Runs the pending savepoint commands and then statement s in one round
** trip (libpq's pipeline mode). Returns the statement's result, or the
** first failure (of a pending command, or of the statement). */
static PGresult *exec_pipelined (lpg_Conn *c, lpg_Stmt *s, const char **values) {
  PGresult *res, *out = NULL;
  int i, n = c->npend, sent = 0, synced = 0;
  char sql[48];
  c->npend = 0;
  if (!PQenterPipelineMode(c->pg)) {    /* cannot: send them one by one */
    for (i = 0; i < n; i++) {
      pending_sql(c, i, sql, sizeof sql);
      res = rt_exec(c, sql);
      if (PQresultStatus(res) != PGRES_COMMAND_OK) return res;
      PQclear(res);
    }
    return rt_exec_prepared(c, s->name, s->nparams, values);
  }
  for (i = 0; i < n; i++) {
    pending_sql(c, i, sql, sizeof sql);
    if (PQsendQueryParams(c->pg, sql, 0, NULL, NULL, NULL, NULL, 0)) sent++;
  }
  if (sent == n && PQsendQueryPrepared(c->pg, s->name, s->nparams, values, NULL, NULL, 0)) sent++;
  if (PQpipelineSync(c->pg)) synced = 1;
  c->trips++; c->nexec++;
  /* every command's results, each run ended by NULL, then the sync */
  for (i = 0; i < sent; i++) {
    while ((res = PQgetResult(c->pg)) != NULL) {
      ExecStatusType st = PQresultStatus(res);
      int last = (i == sent - 1) && sent == n + 1;
      if (out == NULL && (st == PGRES_FATAL_ERROR || last)) out = res;
      else PQclear(res);
    }
  }
  out = pipeline_end(c, synced, out);
  return out;
}


/* Executes the statement at sidx with its bound values; returns its
** result (owned by the caller). */
static PGresult *stmt_exec (lua_State *L, lpg_Stmt *s, int sidx) {
  lpg_Conn *c = s->conn;
  const char **values = NULL;
  PGresult *res;
  ExecStatusType st;
  int i, vals;
  if (c == NULL || c->pg == NULL) luaL_error(L, "attempt to use a finalized statement");
  lua_getiuservalue(L, sidx, UV_STMT_VALUES);
  vals = lua_gettop(L);
  if (s->nparams > 0) {
    values = (const char **)lua_newuserdatauv(L, sizeof(char *) * (size_t)s->nparams, 0);
    for (i = 0; i < s->nparams; i++) {
      lua_rawgeti(L, vals, i + 1);
      values[i] = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
      lua_pop(L, 1);  /* the values table keeps the string alive */
    }
  }
  WAIT_BEGIN(c);
  if (c->npend > 0) res = exec_pipelined(c, s, values);
  else res = rt_exec_prepared(c, s->name, s->nparams, values);
  WAIT_END();
  st = PQresultStatus(res);
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY) {
    lua_getiuservalue(L, sidx, UV_STMT_SQL);
    raise_pg(L, c, res, lua_tostring(L, -1));
  }
  if (s->rekeys) c->epoch++;
  if (s->rekeys || s->rewrites) c->wepoch++;
  {
    const char *tag = PQcmdStatus(res);
    if (starts_with(tag, "INSERT") || starts_with(tag, "UPDATE")
        || starts_with(tag, "DELETE") || starts_with(tag, "MERGE")) {
      c->changes = (lua_Integer)strtoll(PQcmdTuples(res), NULL, 10);
      c->total += c->changes;
    }
    if (starts_with(tag, "INSERT")) {
      /* the id a one-row INSERT returned (lcase.store.dialect adds
      ** RETURNING id AS lcase_rowid): last_insert_rowid needs no query */
      if (PQnfields(res) == 1 && strcmp(PQfname(res, 0), "lcase_rowid") == 0) {
        if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 0)) {
          c->rowid = (lua_Integer)strtoll(PQgetvalue(res, 0, 0), NULL, 10);
          c->rowid_known = 1;
        }
      }
      else if (c->changes > 0) c->rowid_known = 0;
    }
  }
  lua_settop(L, vals - 1);
  return res;
}


/* Pushes column j of row r of res as a Lua value. */
static void push_cell (lua_State *L, const PGresult *res, int r, int j) {
  const char *v;
  if (PQgetisnull(res, r, j)) { lua_pushnil(L); return; }
  v = PQgetvalue(res, r, j);
  switch (PQftype(res, j)) {
    case OID_BOOL:
      lua_pushinteger(L, v[0] == 't' ? 1 : 0);
      break;
    case OID_INT2: case OID_INT4: case OID_INT8: case OID_OID:
      lua_pushinteger(L, (lua_Integer)strtoll(v, NULL, 10));
      break;
    case OID_FLOAT4: case OID_FLOAT8:
      lua_pushnumber(L, (lua_Number)strtod(v, NULL));
      break;
    case OID_NUMERIC:  /* integral (sum of integers): an integer */
      if (strpbrk(v, ".eEN") == NULL && strlen(v) < 19)
        lua_pushinteger(L, (lua_Integer)strtoll(v, NULL, 10));
      else
        lua_pushnumber(L, (lua_Number)strtod(v, NULL));
      break;
    case OID_BYTEA: {
      size_t len;
      unsigned char *raw = PQunescapeBytea((const unsigned char *)v, &len);
      if (raw == NULL) { lua_pushnil(L); break; }
      lua_pushlstring(L, (const char *)raw, len);
      PQfreemem(raw);
      break;
    }
    default:
      lua_pushlstring(L, v, (size_t)PQgetlength(res, r, j));
  }
}


/* Pushes row r of res as a table keyed by the names at 'names'. */
static void push_row (lua_State *L, const PGresult *res, int r, int names) {
  int j, n = PQnfields(res);
  lua_createtable(L, 0, n);
  for (j = 0; j < n; j++) {
    if (PQgetisnull(res, r, j)) continue;
    lua_rawgeti(L, names, j + 1);
    push_cell(L, res, r, j);
    lua_rawset(L, -3);
  }
}


/* Pushes the column names of res. */
static void push_names (lua_State *L, const PGresult *res) {
  int j, n = PQnfields(res);
  lua_createtable(L, n, 0);
  for (j = 0; j < n; j++) {
    lua_pushstring(L, PQfname(res, j));
    lua_rawseti(L, -2, j + 1);
  }
}

/* }====================================================== */


/*
** {======================================================
** Cursors: one rows/urows loop over a whole result
** =======================================================
*/

static int cursor_close (lua_State *L) {
  lpg_Cursor *cur = (lpg_Cursor *)luaL_checkudata(L, 1, LPG_CURSOR);
  if (cur->res) { PQclear(cur->res); cur->res = NULL; }
  return 0;
}


static int cursor_next (lua_State *L, int asrow) {
  lpg_Cursor *cur = (lpg_Cursor *)luaL_checkudata(L, 1, LPG_CURSOR);
  if (cur->res == NULL || cur->row >= PQntuples(cur->res)) {
    if (cur->res) { PQclear(cur->res); cur->res = NULL; }
    lua_pushnil(L);
    return 1;
  }
  if (asrow) {
    lua_getiuservalue(L, 1, UV_CURSOR_COLS);
    push_row(L, cur->res, cur->row++, lua_gettop(L));
    return 1;
  }
  else {
    int j, n = cur->ncols, r = cur->row++;
    if (n > 0 && PQgetisnull(cur->res, r, 0))
      return luaL_error(L, "postgresql: urows: the first column is NULL in row %d "
                        "(a for loop would end here; use rows)", r + 1);
    luaL_checkstack(L, n, "too many columns");
    for (j = 0; j < n; j++) push_cell(L, cur->res, r, j);
    return n;
  }
}


static int cursor_rows (lua_State *L) { return cursor_next(L, 1); }
static int cursor_urows (lua_State *L) { return cursor_next(L, 0); }


/* Pushes the four values of a generic for over res (taken over). */
static int cursor_return (lua_State *L, PGresult *res, int asrow) {
  lpg_Cursor *cur = (lpg_Cursor *)lua_newuserdatauv(L, sizeof *cur, 1);
  cur->res = NULL;
  cur->row = 0;
  cur->ncols = PQnfields(res);
  luaL_setmetatable(L, LPG_CURSOR);
  cur->res = res;
  push_names(L, res);
  lua_setiuservalue(L, -2, UV_CURSOR_COLS);
  lua_pushcfunction(L, asrow ? cursor_rows : cursor_urows);
  lua_insert(L, -2);
  lua_pushnil(L);
  lua_pushvalue(L, -2);   /* the cursor again: the closing value */
  return 4;
}

/* }====================================================== */


/*
** {======================================================
** Connection methods
** =======================================================
*/

static void conn_close (lua_State *L, int idx) {
  lpg_Conn *c = check_conn(L, idx);
  if (c->pg == NULL) return;
  if (lua_getiuservalue(L, idx, UV_CONN_CACHE) == LUA_TTABLE) {
    lua_pushnil(L);
    while (lua_next(L, -2) != 0) {
      lpg_Stmt *s = (lpg_Stmt *)lua_touserdata(L, -1);
      if (s) { stmt_free(s); s->conn = NULL; }
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
  if (c->cancel) { PQfreeCancel(c->cancel); c->cancel = NULL; }
  PQfinish(c->pg);
  c->pg = NULL;
}


static int db_close (lua_State *L) {
  conn_close(L, 1);
  return 0;
}


static int db_isopen (lua_State *L) {
  lua_pushboolean(L, check_conn(L, 1)->pg != NULL);
  return 1;
}


static int db_tostring (lua_State *L) {
  lpg_Conn *c = check_conn(L, 1);
  if (c->pg == NULL) lua_pushliteral(L, "lcase.pg.Connection (closed)");
  else lua_pushfstring(L, "lcase.pg.Connection (%s)", PQdb(c->pg));
  return 1;
}


/* db:exec(sql): a script of statements, no parameters. */
static int db_exec (lua_State *L) {
  lpg_Conn *c = check_open(L, 1);
  const char *sql;
  PGresult *res, *failed = NULL;
  luaL_checkstring(L, 2);
  lua_settop(L, 2);
  sql = push_rewritten(L, 1, 2);
  flush_pending(L, c);
  if (c->reader) {
    if (reader_refuses(sql) || strchr(sql, ';') != NULL) {
      char shown[LPG_SQLSHOW + 4];
      shorten_sql(shown, lua_tostring(L, 2));
      return luaL_error(L, "postgresql: not authorized (in: %s)", shown);
    }
  }
  c->trips++; c->ncmd++;
  c->epoch++;   /* any SQL at all */
  c->wepoch++;
  if (!PQsendQuery(c->pg, sql)) return raise_pg(L, c, NULL, lua_tostring(L, 2));
  WAIT_BEGIN(c);
  while ((res = PQgetResult(c->pg)) != NULL) {
    ExecStatusType st = PQresultStatus(res);
    if (st == PGRES_FATAL_ERROR && failed == NULL) failed = res;
    else {
      if (st == PGRES_COMMAND_OK) {
        const char *tag = PQcmdStatus(res);
        if (starts_with(tag, "INSERT") || starts_with(tag, "UPDATE")
            || starts_with(tag, "DELETE")) {
          c->changes = (lua_Integer)strtoll(PQcmdTuples(res), NULL, 10);
          c->total += c->changes;
        }
        if (starts_with(tag, "INSERT")) c->rowid_known = 0;
      }
      PQclear(res);
    }
  }
  WAIT_END();
  if (failed) return raise_pg(L, c, failed, lua_tostring(L, 2));
  return 0;
}


static int db_prepare (lua_State *L) {
  check_open(L, 1);
  luaL_checkstring(L, 2);
  lua_settop(L, 2);
  stmt_new(L, 1, 2, 1, 0);
  return 1;
}


/* Runs the statement for sql at index 2 with args 3..top; returns the result. */
static PGresult *conn_query (lua_State *L) {
  lpg_Stmt *s;
  int top = lua_gettop(L), sidx;
  check_open(L, 1);
  luaL_checkstring(L, 2);
  s = stmt_cached(L, 1, 2, 3, top);
  sidx = lua_gettop(L);
  if (!s->cached) {   /* no cache: a statement of its own, finalized below */
    PGresult *res;
    bind_args(L, s, sidx, 3, top);
    res = stmt_exec(L, s, sidx);
    stmt_finalize(s);
    lua_settop(L, top);
    return res;
  }
  bind_args(L, s, sidx, 3, top);
  {
    PGresult *res = stmt_exec(L, s, sidx);
    lua_settop(L, top);
    return res;
  }
}


static int db_rows (lua_State *L) {
  return cursor_return(L, conn_query(L), 1);
}


static int db_urows (lua_State *L) {
  return cursor_return(L, conn_query(L), 0);
}


static int db_run (lua_State *L) {
  PGresult *res = conn_query(L);
  const char *n = PQcmdTuples(res);
  lua_Integer changed = (n && *n) ? (lua_Integer)strtoll(n, NULL, 10) : 0;
  PQclear(res);
  lua_pushinteger(L, changed);
  return 1;
}


static int db_first (lua_State *L) {
  PGresult *res = conn_query(L);
  if (PQntuples(res) == 0) { PQclear(res); lua_pushnil(L); return 1; }
  {
    /* keep res safe across allocations: hand it to a cursor first */
    lpg_Cursor *cur = (lpg_Cursor *)lua_newuserdatauv(L, sizeof *cur, 1);
    int cidx = lua_gettop(L);
    cur->res = NULL;
    luaL_setmetatable(L, LPG_CURSOR);
    cur->res = res;
    cur->row = 0;
    cur->ncols = PQnfields(res);
    push_names(L, res);
    push_row(L, res, 0, lua_gettop(L));
    PQclear(cur->res);
    cur->res = NULL;
    lua_replace(L, cidx);
    lua_settop(L, cidx);
  }
  return 1;
}


static int db_value (lua_State *L) {
  PGresult *res = conn_query(L);
  lpg_Cursor *cur = (lpg_Cursor *)lua_newuserdatauv(L, sizeof *cur, 1);
  cur->res = NULL;
  luaL_setmetatable(L, LPG_CURSOR);
  cur->res = res;
  if (PQntuples(res) == 0 || PQnfields(res) == 0) lua_pushnil(L);
  else push_cell(L, res, 0, 0);
  PQclear(cur->res);
  cur->res = NULL;
  return 1;
}


static void tx_rollback (lpg_Conn *c, lua_Integer sp) {
  char sql[96];
  int i;
  if (c->pg == NULL) return;
  c->epoch++; c->wepoch++;
  for (i = 0; i < c->npend; i++) {
    if (c->pend[i] == sp && sp > 0) {   /* never sent: nothing to undo */
      c->npend = i;
      return;
    }
  }
  c->npend = 0;  /* what is pending lies inside sp (or the transaction) */
  if (sp == 0) {
    if (PQtransactionStatus(c->pg) != PQTRANS_IDLE) PQclear(rt_exec(c, "ROLLBACK"));
  }
  else {
    snprintf(sql, sizeof sql, "ROLLBACK TO SAVEPOINT lcase_sp_%lld; RELEASE SAVEPOINT lcase_sp_%lld",
             (long long)sp, (long long)sp);
    PQclear(rt_exec(c, sql));
  }
}


static int tx_finish (lua_State *L, int status, lua_KContext ctx) {
  lpg_Conn *c = (lpg_Conn *)lua_touserdata(L, 1);
  lua_Integer sp = (lua_Integer)(ctx >> 1);
  int base = (ctx & 1) ? 2 : 1;
  if (status == LUA_OK || status == LUA_YIELD) {
    char sql[64];
    PGresult *res;
    if (c->pg == NULL)
      return luaL_error(L, "postgresql: database closed inside transaction");
    if (sp > 0 && PQtransactionStatus(c->pg) != PQTRANS_INERROR) {
      /* the release waits for the next statement (or goes nowhere when
      ** the savepoint itself was never sent) */
      if (c->npend > 0 && c->pend[c->npend - 1] == sp) c->npend--;
      else push_pending(L, c, -sp);
      return lua_gettop(L) - base;
    }
    if (sp == 0) {
      snprintf(sql, sizeof sql, "COMMIT");
      c->epoch++; c->wepoch++;
      c->npend = 0;   /* COMMIT releases every savepoint */
    }
    else {
      flush_pending(L, c);
      snprintf(sql, sizeof sql, "RELEASE SAVEPOINT lcase_sp_%lld", (long long)sp);
    }
    res = rt_exec(c, sql);
    if (PQresultStatus(res) != PGRES_COMMAND_OK
        || (sp == 0 && strcmp(PQcmdStatus(res), "ROLLBACK") == 0)) {
      if (PQresultStatus(res) == PGRES_COMMAND_OK) {
        /* COMMIT of a failed transaction rolls back: say so */
        PQclear(res);
        return luaL_error(L, "postgresql: the transaction failed and was rolled back "
                          "(an error inside it was caught)");
      }
      tx_rollback(c, sp);
      return raise_pg(L, c, res, sql);
    }
    PQclear(res);
    return lua_gettop(L) - base;
  }
  tx_rollback(c, sp);
  return lua_error(L);
}


/* db:transaction([mode,] fn, ...) -> fn's results */
static int db_transaction (lua_State *L) {
  static const char *const modes[] = {"deferred", "immediate", "exclusive", NULL};
  lpg_Conn *c = check_open(L, 1);
  int fidx = 2, rc, mode = 1;
  lua_Integer sp = 0;
  char sql[64];
  lua_KContext ctx;
  PGresult *res;
  if (lua_type(L, 2) == LUA_TSTRING) {
    mode = luaL_checkoption(L, 2, NULL, modes);
    fidx = 3;
  }
  luaL_checktype(L, fidx, LUA_TFUNCTION);
  if (PQtransactionStatus(c->pg) == PQTRANS_IDLE) {
    snprintf(sql, sizeof sql, "%s", mode == 2 ? "BEGIN ISOLATION LEVEL SERIALIZABLE" : "BEGIN");
    c->npend = 0;
    c->epoch++; c->wepoch++;
    res = rt_exec(c, sql);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) return raise_pg(L, c, res, sql);
    PQclear(res);
  }
  else {  /* a savepoint, sent ahead of the next statement */
    sp = ++c->spseq;
    push_pending(L, c, sp);
  }
  ctx = (lua_KContext)((sp << 1) | (fidx == 3));
  rc = lua_pcallk(L, lua_gettop(L) - fidx, LUA_MULTRET, 0, ctx, tx_finish);
  return tx_finish(L, rc, ctx);
}


static int db_in_transaction (lua_State *L) {
  lpg_Conn *c = check_open(L, 1);
  lua_pushboolean(L, PQtransactionStatus(c->pg) != PQTRANS_IDLE);
  return 1;
}


/* The id the last INSERT into a table with an identity column made in
** this session: the one a one-row INSERT returned as lcase_rowid, else
** lastval(), or 0 when none has been made yet. */
static int db_last_insert_rowid (lua_State *L) {
  lpg_Conn *c = check_open(L, 1);
  PGresult *res;
  int intx;
  if (c->rowid_known) {
    lua_pushinteger(L, c->rowid);
    return 1;
  }
  flush_pending(L, c);
  intx = PQtransactionStatus(c->pg) == PQTRANS_INTRANS;
  if (!c->have_lastval && intx) PQclear(rt_exec(c, "SAVEPOINT lcase_lastval"));
  res = rt_exec(c, "SELECT lastval()");
  if (PQresultStatus(res) != PGRES_TUPLES_OK) {
    PQclear(res);
    if (intx) PQclear(rt_exec(c, "ROLLBACK TO SAVEPOINT lcase_lastval; "
                                    "RELEASE SAVEPOINT lcase_lastval"));
    lua_pushinteger(L, 0);
    return 1;
  }
  if (!c->have_lastval && intx) PQclear(rt_exec(c, "RELEASE SAVEPOINT lcase_lastval"));
  c->have_lastval = 1;
  lua_pushinteger(L, (lua_Integer)strtoll(PQgetvalue(res, 0, 0), NULL, 10));
  PQclear(res);
  return 1;
}


static int db_changes (lua_State *L) {
  lua_pushinteger(L, check_open(L, 1)->changes);
  return 1;
}


static int db_total_changes (lua_State *L) {
  lua_pushinteger(L, check_open(L, 1)->total);
  return 1;
}


/* t[name] = n, t on the top of the stack (the stats tables below) */
static void set_count (lua_State *L, const char *name, lua_Integer n) {
  lua_pushinteger(L, n);
  lua_setfield(L, -2, name);
}


static int db_cache_stats (lua_State *L) {
  lpg_Conn *c = check_open(L, 1);
  lua_createtable(L, 0, 4);
  set_count(L, "hits", c->hits);
  set_count(L, "misses", c->misses);
  set_count(L, "size", c->ncached);
  set_count(L, "capacity", c->capacity);
  return 1;
}


/* db:stats() -> { round_trips =, executes =, prepares =, commands =,
** copies =, cache_hits =, cache_misses = }: what this connection asked
** of the server so far; each count only grows. */
static int db_stats (lua_State *L) {
  lpg_Conn *c = check_open(L, 1);
  lua_createtable(L, 0, 7);
  set_count(L, "round_trips", c->trips);
  set_count(L, "executes", c->nexec);
  set_count(L, "prepares", c->nprep);
  set_count(L, "commands", c->ncmd);
  set_count(L, "copies", c->ncopy);
  set_count(L, "cache_hits", c->hits);
  set_count(L, "cache_misses", c->misses);
  return 1;
}


/* db:epoch() -> keys, rows: two integers. keys changes whenever what
** this session knows of keys may have become wrong: at the start and end
** of a transaction, at a rollback to a savepoint, and after a statement
** that may delete a row or change a key (anything but reads, plain
** INSERTs and UPDATEs that leave the column key alone; every db:exec).
** rows changes with it, and after any statement that may change a row
** already there (anything but reads and INSERTs without DO UPDATE), by
** one for each such statement. The store's caches (lcase.store.case.read:
** key -> id; lcase.store.case.write: the rows it wrote) are valid while
** they stay the same. */
static int db_epoch (lua_State *L) {
  lpg_Conn *c = check_open(L, 1);
  lua_pushinteger(L, c->epoch);
  lua_pushinteger(L, c->wepoch);
  return 2;
}


static int db_interrupt (lua_State *L) {
  lpg_Conn *c = check_open(L, 1);
  PGcancel *cancel = PQgetCancel(c->pg);
  if (cancel) {
    char err[256];
    PQcancel(cancel, err, sizeof err);
    PQfreeCancel(cancel);
  }
  return 0;
}


static void set_lock_timeout (lua_State *L, lpg_Conn *c, int ms) {
  char sql[64];
  snprintf(sql, sizeof sql, "SET lock_timeout = %d", ms);
  conn_command(L, c, sql);
  c->busy_ms = ms;
}


static int db_busy_timeout (lua_State *L) {
  lpg_Conn *c = check_open(L, 1);
  if (lua_isnoneornil(L, 2)) {
    lua_pushinteger(L, c->busy_ms);
    return 1;
  }
  {
    lua_Integer ms = luaL_checkinteger(L, 2);
    luaL_argcheck(L, ms >= 0 && ms <= 0x7fffffff, 2, "out of range");
    set_lock_timeout(L, c, (int)ms);
  }
  lua_settop(L, 1);
  return 1;
}


/* db:filename() -> the target the connection was opened with, so that
** another connection (a reader's) reaches the same database, schema and
** options. lcase.store.engine refuses a target holding a password. */
static int db_filename (lua_State *L) {
  check_open(L, 1);
  lua_getiuservalue(L, 1, UV_CONN_TARGET);
  return 1;
}


/* db:errcode() -> SQLSTATE of the last failure (a string), or nil. */
static int db_errcode (lua_State *L) {
  lpg_Conn *c = check_open(L, 1);
  if (c->sqlstate[0] == '\0') lua_pushnil(L);
  else lua_pushstring(L, c->sqlstate);
  return 1;
}


static int db_errmsg (lua_State *L) {
  lpg_Conn *c = check_open(L, 1);
  lua_pushstring(L, c->errmsg[0] ? c->errmsg : "not an error");
  return 1;
}


static int db_readonly (lua_State *L) {
  lpg_Conn *c = check_open(L, 1);
  lua_pushboolean(L, c->readonly);
  return 1;
}


/* db:restrict_to_reads() -> db: from now on only statements whose first
** word reads (SELECT, WITH, VALUES, TABLE, EXPLAIN, SHOW) are prepared,
** every transaction is READ ONLY, and exec takes one reading statement.
** A statement naming set_config is refused too (it could turn the
** session's READ ONLY off). Escape routes left, written down: a function
** already in the database that runs SET or writes in its own way (dblink,
** a SECURITY DEFINER function). Unlike SQLite's authorizer, this fences
** off mistakes, not a hostile plugin; the server's privileges are the real
** fence: connect rules and reports as a role that may only SELECT. */
static int db_restrict_to_reads (lua_State *L) {
  lpg_Conn *c = check_open(L, 1);
  if (!c->readonly)
    return luaL_error(L, "postgresql: restrict_to_reads needs a connection opened readonly");
  if (!c->reader) {
    conn_command(L, c, "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
    c->reader = 1;
  }
  lua_settop(L, 1);
  return 1;
}


static int db_is_reader (lua_State *L) {
  lua_pushboolean(L, check_open(L, 1)->reader);
  return 1;
}


/* Pushes the Lua value at idx (absolute) in COPY's text format. */
static void copy_value (lua_State *L, int idx, lua_Integer row, int col) {
  switch (lua_type(L, idx)) {
    case LUA_TNIL: lua_pushliteral(L, "\\N"); return;
    case LUA_TBOOLEAN: lua_pushstring(L, lua_toboolean(L, idx) ? "1" : "0"); return;
    case LUA_TNUMBER: {
      char buf[40];
      if (lua_isinteger(L, idx))
        snprintf(buf, sizeof buf, "%lld", (long long)lua_tointeger(L, idx));
      else
        snprintf(buf, sizeof buf, "%.17g", (double)lua_tonumber(L, idx));
      lua_pushstring(L, buf);
      return;
    }
    case LUA_TSTRING: {
      size_t len, k;
      const char *p = lua_tolstring(L, idx, &len);
      luaL_Buffer b;
      if (strpbrk(p, "\\\t\n\r") == NULL && strlen(p) == len) {
        lua_pushvalue(L, idx);
        return;
      }
      luaL_buffinit(L, &b);
      for (k = 0; k < len; k++) {
        switch (p[k]) {
          case '\\': luaL_addstring(&b, "\\\\"); break;
          case '\t': luaL_addstring(&b, "\\t"); break;
          case '\n': luaL_addstring(&b, "\\n"); break;
          case '\r': luaL_addstring(&b, "\\r"); break;
          case '\0':
            luaL_error(L, "postgresql: copy: row %I, column %d: a NUL byte", (LUAI_UACINT)row, col);
            break;
          default: luaL_addchar(&b, p[k]);
        }
      }
      luaL_pushresult(&b);
      return;
    }
    case LUA_TTABLE:
      if (is_null(L, idx)) { lua_pushliteral(L, "\\N"); return; }
      /* FALLTHROUGH */
    default:
      luaL_error(L, "postgresql: copy: row %I, column %d: cannot copy a %s", (LUAI_UACINT)row,
                 col, luaL_typename(L, idx));
  }
}


/* copy_line(row, ncols, rowno) -> the row as one line of COPY text. Run
** protected: an error must not leave the connection inside COPY. */
static int copy_line (lua_State *L) {
  int ncols = (int)lua_tointeger(L, 2), k;
  lua_Integer rowno = lua_tointeger(L, 3);
  if (lua_type(L, 1) != LUA_TTABLE)
    return luaL_error(L, "postgresql: copy: row %I is a %s, not a list of values",
                      (LUAI_UACINT)rowno, luaL_typename(L, 1));
  lua_settop(L, 3);
  luaL_checkstack(L, 2 * ncols + 4, "too many columns");
  for (k = 1; k <= ncols; k++) {
    int v;
    if (k > 1) lua_pushliteral(L, "\t");
    lua_rawgeti(L, 1, k);
    v = lua_gettop(L);
    copy_value(L, v, rowno, k);
    lua_remove(L, v);
  }
  lua_pushliteral(L, "\n");
  lua_concat(L, lua_gettop(L) - 3);
  return 1;
}


/* db:copy(sql, rows [, ncols]) -> rows copied. sql is "COPY t (cols) FROM
** STDIN"; rows a list of rows, or a function returning the next row (nil
** at the end); each row a list of ncols values (default: the first row's
** length). nil and lcase.db.null are NULL. */
static int db_copy (lua_State *L) {
  lpg_Conn *c = check_open(L, 1);
  const char *sql = luaL_checkstring(L, 2);
  int isfn = lua_type(L, 3) == LUA_TFUNCTION, ncols;
  lua_Integer count = 0;
  PGresult *res;
  if (!isfn) luaL_checktype(L, 3, LUA_TTABLE);
  ncols = (int)luaL_optinteger(L, 4, 0);
  luaL_argcheck(L, ncols >= 0 && ncols <= 1600, 4, "out of range");
  if (c->reader) return luaL_error(L, "postgresql: not authorized (copy)");
  lua_settop(L, 4);
  flush_pending(L, c);
  res = rt_exec(c, sql);
  if (PQresultStatus(res) != PGRES_COPY_IN) {
    if (PQresultStatus(res) != PGRES_FATAL_ERROR) {
      PQclear(res);
      while ((res = PQgetResult(c->pg)) != NULL) PQclear(res);
      return luaL_error(L, "postgresql: copy takes one COPY ... FROM STDIN");
    }
    return raise_pg(L, c, res, sql);
  }
  PQclear(res);
  for (;;) {
    if (isfn) {
      lua_pushvalue(L, 3);
      if (lua_pcall(L, 0, 1, 0) != LUA_OK) goto failed;
    }
    else lua_rawgeti(L, 3, (lua_Integer)(count + 1));
    if (lua_isnil(L, -1)) { lua_pop(L, 1); break; }
    if (ncols == 0 && lua_type(L, -1) == LUA_TTABLE) ncols = (int)lua_rawlen(L, -1);
    lua_pushcfunction(L, copy_line);
    lua_insert(L, -2);
    lua_pushinteger(L, ncols);
    lua_pushinteger(L, count + 1);
    if (lua_pcall(L, 3, 1, 0) != LUA_OK) goto failed;
    {
      size_t len;
      const char *line = lua_tolstring(L, -1, &len);
      if (PQputCopyData(c->pg, line, (int)len) != 1) {
        lua_pushfstring(L, "postgresql: copy: %s", PQerrorMessage(c->pg));
        goto failed;
      }
    }
    lua_pop(L, 1);
    count++;
  }
  c->trips++; c->ncopy++;
  if (PQputCopyEnd(c->pg, NULL) != 1) return raise_pg(L, c, NULL, sql);
  res = PQgetResult(c->pg);
  if (PQresultStatus(res) != PGRES_COMMAND_OK) {
    PGresult *more;
    while ((more = PQgetResult(c->pg)) != NULL) PQclear(more);
    return raise_pg(L, c, res, sql);
  }
  PQclear(res);
  while ((res = PQgetResult(c->pg)) != NULL) PQclear(res);
  c->changes = count;
  c->total += count;
  if (count > 0) c->rowid_known = 0;
  lua_pushinteger(L, count);
  return 1;
failed:   /* the error is on top: end the COPY, then raise it */
  PQputCopyEnd(c->pg, "lcase: copy aborted");
  while ((res = PQgetResult(c->pg)) != NULL) PQclear(res);
  return lua_error(L);
}


static int db_server_version (lua_State *L) {
  lpg_Conn *c = check_open(L, 1);
  lua_pushinteger(L, PQserverVersion(c->pg));
  return 1;
}


static int db_engine (lua_State *L) {
  check_conn(L, 1);
  lua_pushliteral(L, "postgresql");
  return 1;
}

/* }====================================================== */


/*
** {======================================================
** Statement methods
** =======================================================
*/

static lpg_Stmt *check_stmt (lua_State *L, int idx) {
  lpg_Stmt *s = (lpg_Stmt *)luaL_checkudata(L, idx, LPG_STMT);
  if (s->conn == NULL || s->conn->pg == NULL)
    luaL_error(L, s->conn == NULL ? "attempt to use a finalized statement"
                                  : "attempt to use a closed database");
  return s;
}


static int stmt_gc (lua_State *L) {
  lpg_Stmt *s = (lpg_Stmt *)luaL_checkudata(L, 1, LPG_STMT);
  if (s->conn != NULL && !s->cached) {
    if (s->conn->pg == NULL) { stmt_free(s); s->conn = NULL; }
    else stmt_finalize(s);
  }
  return 0;
}


static int stmt_finalize_m (lua_State *L) {
  lpg_Stmt *s = (lpg_Stmt *)luaL_checkudata(L, 1, LPG_STMT);
  if (s->conn != NULL) {
    if (s->conn->pg == NULL) { stmt_free(s); s->conn = NULL; }
    else stmt_finalize(s);
  }
  return 0;
}


static int stmt_isopen (lua_State *L) {
  lpg_Stmt *s = (lpg_Stmt *)luaL_checkudata(L, 1, LPG_STMT);
  lua_pushboolean(L, s->conn != NULL && s->conn->pg != NULL);
  return 1;
}


static int stmt_tostring (lua_State *L) {
  lpg_Stmt *s = (lpg_Stmt *)luaL_checkudata(L, 1, LPG_STMT);
  lua_pushfstring(L, "lcase.pg.Statement (%s)", s->conn ? s->name : "finalized");
  return 1;
}


static void stmt_clear_result (lpg_Stmt *s) {
  if (s->res) { PQclear(s->res); s->res = NULL; }
  s->row = -1;
  s->executed = 0;
}


/* stmt:bind(t) or stmt:bind(i_or_name, v) -> stmt */
static int stmt_bind (lua_State *L) {
  lpg_Stmt *s = check_stmt(L, 1);
  stmt_clear_result(s);
  if (lua_gettop(L) == 2 && is_params(L, 2)) {
    bind_args(L, s, 1, 2, 2);
  }
  else {
    int i;
    if (lua_type(L, 2) == LUA_TSTRING) {
      const char *name = lua_tostring(L, 2);
      if (*name == ':' || *name == '@' || *name == '$') name++;
      lua_getiuservalue(L, 1, UV_STMT_PARAMS);
      for (i = 1; i <= s->nparams; i++) {
        int found;
        lua_rawgeti(L, -1, i);
        found = lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), name) == 0;
        lua_pop(L, 1);
        if (found) break;
      }
      lua_pop(L, 1);
      if (i > s->nparams) return luaL_error(L, "postgresql: no parameter named %s", name);
    }
    else {
      i = (int)luaL_checkinteger(L, 2);
      luaL_argcheck(L, i >= 1 && i <= s->nparams, 2, "parameter index out of range");
    }
    lua_getiuservalue(L, 1, UV_STMT_VALUES);
    if (push_param(L, s, i - 1, 3)) lua_rawseti(L, -2, i);
    else { lua_pushboolean(L, 0); lua_rawseti(L, -2, i); }
    lua_pop(L, 1);
  }
  lua_settop(L, 1);
  return 1;
}


static int stmt_step (lua_State *L) {
  lpg_Stmt *s = check_stmt(L, 1);
  if (!s->executed) {
    s->res = stmt_exec(L, s, 1);
    s->executed = 1;
    s->row = -1;
  }
  if (s->res && s->row + 1 < PQntuples(s->res)) {
    s->row++;
    lua_pushboolean(L, 1);
  }
  else {
    if (s->res) s->row = PQntuples(s->res);
    lua_pushboolean(L, 0);
  }
  return 1;
}


static int has_row (lpg_Stmt *s) {
  return s->res != NULL && s->row >= 0 && s->row < PQntuples(s->res);
}


static int stmt_get (lua_State *L) {
  lpg_Stmt *s = check_stmt(L, 1);
  int j;
  if (!has_row(s)) return luaL_error(L, "postgresql: no row (call step first)");
  if (lua_type(L, 2) == LUA_TSTRING) {
    j = PQfnumber(s->res, lua_tostring(L, 2));
    if (j < 0) {
      /* PQfnumber folds unquoted names to lower case: try it quoted */
      lua_pushfstring(L, "\"%s\"", lua_tostring(L, 2));
      j = PQfnumber(s->res, lua_tostring(L, -1));
      lua_pop(L, 1);
    }
    if (j < 0) return luaL_error(L, "postgresql: no column named %s", lua_tostring(L, 2));
  }
  else {
    j = (int)luaL_checkinteger(L, 2) - 1;
    luaL_argcheck(L, j >= 0 && j < PQnfields(s->res), 2, "column index out of range");
  }
  push_cell(L, s->res, s->row, j);
  return 1;
}


static int stmt_row (lua_State *L) {
  lpg_Stmt *s = check_stmt(L, 1);
  if (!has_row(s)) return luaL_error(L, "postgresql: no row (call step first)");
  lua_getiuservalue(L, 1, UV_STMT_COLS);
  push_row(L, s->res, s->row, lua_gettop(L));
  return 1;
}


static int stmt_urow (lua_State *L) {
  lpg_Stmt *s = check_stmt(L, 1);
  int j, n;
  if (!has_row(s)) return luaL_error(L, "postgresql: no row (call step first)");
  n = PQnfields(s->res);
  luaL_checkstack(L, n, "too many columns");
  for (j = 0; j < n; j++) push_cell(L, s->res, s->row, j);
  return n;
}


static int stmt_reset (lua_State *L) {
  lpg_Stmt *s = check_stmt(L, 1);
  stmt_clear_result(s);
  lua_settop(L, 1);
  return 1;
}


static int stmt_clear_bindings (lua_State *L) {
  lpg_Stmt *s = check_stmt(L, 1);
  stmt_clear_result(s);
  lua_createtable(L, s->nparams, 0);
  lua_setiuservalue(L, 1, UV_STMT_VALUES);
  lua_settop(L, 1);
  return 1;
}


/* With values, rebind; then execute and return the result. */
static PGresult *stmt_run_result (lua_State *L) {
  lpg_Stmt *s = check_stmt(L, 1);
  int top = lua_gettop(L);
  stmt_clear_result(s);
  if (top >= 2) bind_args(L, s, 1, 2, top);
  return stmt_exec(L, s, 1);
}


static int stmt_rows (lua_State *L) {
  return cursor_return(L, stmt_run_result(L), 1);
}


static int stmt_urows (lua_State *L) {
  return cursor_return(L, stmt_run_result(L), 0);
}


static int stmt_run (lua_State *L) {
  PGresult *res = stmt_run_result(L);
  const char *n = PQcmdTuples(res);
  lua_Integer changed = (n && *n) ? (lua_Integer)strtoll(n, NULL, 10) : 0;
  PQclear(res);
  lua_pushinteger(L, changed);
  return 1;
}


static int stmt_columns (lua_State *L) {
  lpg_Stmt *s = check_stmt(L, 1);
  int j;
  lua_getiuservalue(L, 1, UV_STMT_COLS);
  lua_createtable(L, s->ncols, 0);
  for (j = 1; j <= s->ncols; j++) {
    lua_rawgeti(L, -2, j);
    lua_rawseti(L, -2, j);
  }
  return 1;
}


static int stmt_column_count (lua_State *L) {
  lua_pushinteger(L, check_stmt(L, 1)->ncols);
  return 1;
}


static int stmt_param_count (lua_State *L) {
  lua_pushinteger(L, check_stmt(L, 1)->nparams);
  return 1;
}


static int stmt_param_name (lua_State *L) {
  lpg_Stmt *s = check_stmt(L, 1);
  lua_Integer i = luaL_checkinteger(L, 2);
  luaL_argcheck(L, i >= 1 && i <= s->nparams, 2, "parameter index out of range");
  lua_getiuservalue(L, 1, UV_STMT_PARAMS);
  if (lua_rawgeti(L, -1, i) == LUA_TSTRING) lua_pushfstring(L, ":%s", lua_tostring(L, -1));
  else lua_pushnil(L);
  return 1;
}


static int stmt_sql (lua_State *L) {
  check_stmt(L, 1);
  lua_getiuservalue(L, 1, UV_STMT_SQL);
  return 1;
}


static int stmt_readonly (lua_State *L) {
  lua_pushboolean(L, check_stmt(L, 1)->isread);
  return 1;
}

/* }====================================================== */


/*
** {======================================================
** Module
** =======================================================
*/

static int opt_field (lua_State *L, int t, const char *k, int type) {
  int ty = lua_getfield(L, t, k);
  if (ty != LUA_TNIL && ty != type)
    return luaL_error(L, "pg.open: option '%s' must be a %s", k, lua_typename(L, type));
  return ty != LUA_TNIL;
}


static void discard_notice (void *arg, const char *message) {
  (void)arg;
  (void)message;
}


/* pg.open(conninfo [, opts]) -> db, or nil, message, "connect" */
static int lpg_open (lua_State *L) {
  static const char *const known[] = {"readonly", "create", "busy_timeout_ms", "wal",
                                      "foreign_keys", "cache_size", "rewrite", NULL};
  const char *conninfo = luaL_checkstring(L, 1);
  const char *keys[4], *vals[4];
  lpg_Conn *c;
  int cidx, readonly = 0, capacity = LPG_CACHE_DEFAULT, busy = LPG_BUSY_DEFAULT;
  const char *env = getenv("LCASE_BUSY_TIMEOUT_MS");
  if (env && *env) {
    char *end;
    long v = strtol(env, &end, 10);
    if (*end == '\0' && v >= 0 && v <= 0x7fffffff) busy = (int)v;
  }
  if (!lua_isnoneornil(L, 2)) {
    int i;
    luaL_checktype(L, 2, LUA_TTABLE);
    lua_pushnil(L);
    while (lua_next(L, 2) != 0) {
      int ok = 0;
      if (lua_type(L, -2) == LUA_TSTRING)
        for (i = 0; known[i]; i++) if (strcmp(lua_tostring(L, -2), known[i]) == 0) ok = 1;
      if (!ok)
        return luaL_error(L, "pg.open: unknown option '%s'",
                          lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?");
      lua_pop(L, 1);
    }
    if (opt_field(L, 2, "readonly", LUA_TBOOLEAN)) readonly = lua_toboolean(L, -1);
    lua_pop(L, 1);
    if (opt_field(L, 2, "cache_size", LUA_TNUMBER)) {
      lua_Integer v = luaL_checkinteger(L, -1);
      if (v < 0 || v > 100000) return luaL_error(L, "pg.open: cache_size out of range");
      capacity = (int)v;
    }
    lua_pop(L, 1);
    if (opt_field(L, 2, "busy_timeout_ms", LUA_TNUMBER)) {
      lua_Integer v = luaL_checkinteger(L, -1);
      if (v < 0 || v > 0x7fffffff) return luaL_error(L, "pg.open: busy_timeout_ms out of range");
      busy = (int)v;
    }
    lua_pop(L, 1);
    opt_field(L, 2, "create", LUA_TBOOLEAN); lua_pop(L, 1);
    opt_field(L, 2, "wal", LUA_TBOOLEAN); lua_pop(L, 1);
    opt_field(L, 2, "foreign_keys", LUA_TBOOLEAN); lua_pop(L, 1);
    opt_field(L, 2, "rewrite", LUA_TFUNCTION); lua_pop(L, 1);
  }
  c = (lpg_Conn *)lua_newuserdatauv(L, sizeof *c, 3);
  memset(c, 0, sizeof *c);   /* created closed */
  luaL_setmetatable(L, LPG_CONN);
  cidx = lua_gettop(L);
  lua_newtable(L);
  lua_setiuservalue(L, cidx, UV_CONN_CACHE);
  lua_pushvalue(L, 1);
  lua_setiuservalue(L, cidx, UV_CONN_TARGET);
  if (!lua_isnoneornil(L, 2)) {
    lua_getfield(L, 2, "rewrite");
    lua_setiuservalue(L, cidx, UV_CONN_REWRITE);
  }
  keys[0] = "dbname"; vals[0] = conninfo;
  keys[1] = "client_encoding"; vals[1] = "UTF8";
  keys[2] = "fallback_application_name"; vals[2] = "lcase";
  keys[3] = NULL; vals[3] = NULL;
  c->pg = PQconnectdbParams(keys, vals, 1);
  if (c->pg == NULL) {
    lua_pushnil(L);
    lua_pushliteral(L, "postgresql: out of memory");
    lua_pushliteral(L, "connect");
    return 3;
  }
  if (PQstatus(c->pg) != CONNECTION_OK) {
    char msg[LPG_ERRBUF];
    size_t len;
    snprintf(msg, sizeof msg, "postgresql: %s", PQerrorMessage(c->pg));
    len = strlen(msg);
    while (len > 0 && isspace((unsigned char)msg[len - 1])) msg[--len] = '\0';
    {  /* one line: libpq's line breaks and tabs become one space each */
      char *r = msg, *w = msg;
      for (; *r; r++) {
        char ch = (*r == '\n' || *r == '\t') ? ' ' : *r;
        if (ch == ' ' && w > msg && w[-1] == ' ') continue;
        *w++ = ch;
      }
      *w = '\0';
    }
    PQfinish(c->pg);
    c->pg = NULL;
    lua_pushnil(L);
    lua_pushstring(L, msg);
    lua_pushliteral(L, "connect");
    return 3;
  }
  PQsetNoticeProcessor(c->pg, discard_notice, NULL);
  c->cancel = PQgetCancel(c->pg);
  c->capacity = capacity;
  c->readonly = readonly;
  conn_command(L, c, "SET client_min_messages = warning");
  set_lock_timeout(L, c, busy);
  if (readonly) conn_command(L, c, "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
  lua_settop(L, cidx);
  return 1;
}


static int lpg_version (lua_State *L) {
  int v = PQlibVersion();
  lua_pushfstring(L, "%d.%d", v / 10000, v % 10000);
  return 1;
}


static const luaL_Reg db_methods[] = {
  {"close", db_close},
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
  {"stats", db_stats},
  {"epoch", db_epoch},
  {"interrupt", db_interrupt},
  {"busy_timeout", db_busy_timeout},
  {"filename", db_filename},
  {"errcode", db_errcode},
  {"errmsg", db_errmsg},
  {"readonly", db_readonly},
  {"restrict_to_reads", db_restrict_to_reads},
  {"is_reader", db_is_reader},
  {"copy", db_copy},
  {"server_version", db_server_version},
  {"engine", db_engine},
  {NULL, NULL}
};

static const luaL_Reg db_meta[] = {
  {"__index", NULL},
  {"__gc", db_close},
  {"__close", db_close},
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
  {"__index", NULL},
  {"__gc", stmt_gc},
  {"__close", stmt_finalize_m},
  {"__tostring", stmt_tostring},
  {NULL, NULL}
};

static const luaL_Reg cursor_meta[] = {
  {"__gc", cursor_close},
  {"__close", cursor_close},
  {NULL, NULL}
};

static const luaL_Reg pgerror_meta[] = {
  {"__tostring", pgerror_tostring},
  {"__concat", pgerror_concat},
  {NULL, NULL}
};

static const luaL_Reg lpg_funcs[] = {
  {"open", lpg_open},
  {"version", lpg_version},
  {NULL, NULL}
};


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


int luaopen_lcase_pg (lua_State *L) {
  luaL_checkversion(L);
  create_meta(L, LPG_CONN, db_meta, db_methods, 0);
  create_meta(L, LPG_STMT, stmt_meta, stmt_methods, 0);
  create_meta(L, LPG_CURSOR, cursor_meta, NULL, 1);
  create_meta(L, LPG_ERROR, pgerror_meta, NULL, 0);
  luaL_newlib(L, lpg_funcs);
  /* pg.null is lcase.db.null: the store binds one sentinel for both */
  luaL_requiref(L, "lcase.db", luaopen_lcase_db, 0);
  lua_getfield(L, -1, "null");
  lua_rawsetp(L, LUA_REGISTRYINDEX, &lpg_null_key);
  lua_getfield(L, -1, "null");
  lua_setfield(L, -3, "null");
  lua_pop(L, 1);
  return 1;
}

/* }====================================================== */
