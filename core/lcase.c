/*
** lcase.c -- the lcase host: creates the Lua state, registers the C
** modules and the embedded runtime, and hands control to the Lua side
** (lcase.cli.main), which behaves like lua5.4's interpreter or runs the CLI.
**
** Kept deliberately small: everything that can live in Lua does.
*/
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"
#include "sqlite3.h"

#include "lcase.h"

#ifndef LCASE_VERSION
#define LCASE_VERSION "0.0.0"
#endif
#ifndef LCASE_SHARE_DIR
#define LCASE_SHARE_DIR "/usr/local/share/lcase"
#endif

/* SIGINT arrived since the handler was last installed (host.interrupted). */
static volatile sig_atomic_t sigint_seen = 0;

/*
** Ctrl-C handling as in lua.c: the signal handler only sets flags and a
** hook (lcase_interrupt, llimits.c), which raise "interrupted!" at the next
** safe point; SQLite statements stop at theirs (ldb.c's progress handler).
** The handler is one-shot: a second Ctrl-C kills the process.
*/
static void laction(int sig) {
  (void)sig;
  sigint_seen = 1;
  lcase_interrupt();
  lpg_cancel_waiting();  /* a PostgreSQL query being waited for stops too */
}

/* host.catch_sigint(on) -> was_on: install or remove the interrupting
** handler; says whether it was installed before, so a caller can put
** back what it found.  Removing it forgets an interrupt not yet raised
** and an earlier Ctrl-C; installing it keeps them, so a Ctrl-C that
** arrives while a caller is re-arming (the REPL between reading a line
** and running it) still stops what runs next. */
static int host_catch_sigint(lua_State *L) {
  struct sigaction sa, prev;
  int on;
  luaL_checkany(L, 1);
  on = lua_toboolean(L, 1);
  memset(&sa, 0, sizeof sa);
  sigemptyset(&sa.sa_mask);
  if (on) {
    sa.sa_handler = laction;
    /* one-shot; system calls restart, as with signal() */
    sa.sa_flags = SA_RESETHAND | SA_RESTART;
  }
  else {
    sa.sa_handler = SIG_DFL;
    sigint_seen = 0;
    lcase_interrupt_pending = 0;
  }
  if (sigaction(SIGINT, &sa, &prev) != 0)
    return luaL_error(L, "sigaction: %s", strerror(errno));
  lua_pushboolean(L, prev.sa_handler == laction);
  return 1;
}

/* host.interrupted() -> boolean: did Ctrl-C arrive since catch_sigint(true)? */
static int host_interrupted(lua_State *L) {
  lua_pushboolean(L, sigint_seen != 0);
  return 1;
}

/* host.isatty(fd) -> boolean */
static int host_isatty(lua_State *L) {
  int fd = (int)luaL_checkinteger(L, 1);
  lua_pushboolean(L, isatty(fd));
  return 1;
}

/* host.modules() -> sorted list of the embedded runtime's module names */
static int host_modules(lua_State *L) {
  int i;
  lua_createtable(L, 64, 0);
  for (i = 0; lcase_runtime[i].name != NULL; i++) {
    lua_pushstring(L, lcase_runtime[i].name);
    lua_rawseti(L, -2, i + 1);
  }
  return 1;
}

/* Directory holding the running executable, or nil. */
static int push_exe_dir(lua_State *L) {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  char *slash;
  if (n <= 0) { lua_pushnil(L); return 1; }
  buf[n] = '\0';
  slash = strrchr(buf, '/');
  if (slash) *slash = '\0';
  lua_pushstring(L, buf);
  return 1;
}

/*
** The share folder (plugins, demo data, example scripts): PREFIX/share/lcase
** beside the PREFIX/bin holding the binary, when that folder exists, so an
** installed tree can move (and a DESTDIR staging tree works as it is);
** else the folder compiled in (the Makefile's SHAREDIR).
*/
static void push_share_dir(lua_State *L) {
  static const char rel[] = "/share/lcase";
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  char *slash;
  struct stat st;
  if (n > 0) {
    buf[n] = '\0';
    slash = strrchr(buf, '/');
    if (slash) *slash = '\0';                  /* PREFIX/bin */
    slash = strrchr(buf, '/');
    if (slash && strcmp(slash, "/bin") == 0 &&
        (size_t)(slash - buf) + sizeof rel <= sizeof buf) {
      memcpy(slash, rel, sizeof rel);          /* PREFIX/share/lcase */
      if (stat(buf, &st) == 0 && S_ISDIR(st.st_mode)) {
        lua_pushstring(L, buf);
        return;
      }
    }
  }
  lua_pushliteral(L, LCASE_SHARE_DIR);
}

/*
** Searcher for the runtime: with LCASE_RUNTIME_PATH set, modules are read
** from that source tree (for developers); otherwise from the copy compiled
** into the binary. Files are loaded as text only; the embedded copy is
** bytecode compiled at build time (scripts/dev/embed.lua) and is loaded
** as binary only.
*/
static int searcher_runtime(lua_State *L) {
  const char *name = luaL_checkstring(L, 1);
  const char *dev = getenv("LCASE_RUNTIME_PATH");
  int i;
  if (strncmp(name, "lcase", 5) != 0 || (name[5] != '\0' && name[5] != '.')) {
    lua_pushfstring(L, "no runtime module '%s'", name);
    return 1;
  }
  if (dev && *dev) {
    const char *rel = luaL_gsub(L, name, ".", "/");
    const char *file = lua_pushfstring(L, "%s/%s.lua", dev, rel);
    struct stat st;
    if (stat(file, &st) == 0) {
      if (luaL_loadfilex(L, file, "t") != LUA_OK)
        return luaL_error(L, "error loading module '%s' from file '%s':\n\t%s",
                          name, file, lua_tostring(L, -1));
      lua_pushstring(L, file);
      return 2;
    }
    lua_settop(L, 1);
  }
  for (i = 0; lcase_runtime[i].name != NULL; i++) {
    const struct lcase_module *m = &lcase_runtime[i];
    if (strcmp(m->name, name) == 0) {
      if (luaL_loadbufferx(L, m->source, m->size, m->chunkname, "b") != LUA_OK)
        return luaL_error(L, "error loading runtime module '%s':\n\t%s",
                          name, lua_tostring(L, -1));
      lua_pushstring(L, m->chunkname + 1);
      return 2;
    }
  }
  lua_pushfstring(L, "no runtime module '%s'", name);
  return 1;
}

/* The C modules every lcase state can require. */
static const luaL_Reg cmodules[] = {
  {"lcase.db", luaopen_lcase_db},
  {"lcase.sys", luaopen_lcase_sys},
  {"lcase.limits", luaopen_lcase_limits},
  {"lcase.edit", luaopen_lcase_edit},
  {"lcase.csv", luaopen_lcase_csv},
  {"lcase.pg", luaopen_lcase_pg},
  {NULL, NULL}
};

static const luaL_Reg hostfuncs[] = {
  {"catch_sigint", host_catch_sigint},
  {"interrupted", host_interrupted},
  {"isatty", host_isatty},
  {"modules", host_modules},
  {NULL, NULL}
};

/* Build the table behind require "lcase.host". */
static void push_host(lua_State *L, int argc, char **argv) {
  int i;
  luaL_newlib(L, hostfuncs);
  lua_pushliteral(L, LCASE_VERSION);
  lua_setfield(L, -2, "version");
  lua_pushliteral(L, LUA_RELEASE);
  lua_setfield(L, -2, "lua_version");
  lua_pushstring(L, sqlite3_libversion());
  lua_setfield(L, -2, "sqlite_version");
  push_share_dir(L);
  lua_setfield(L, -2, "share_dir");
  push_exe_dir(L);
  lua_setfield(L, -2, "exe_dir");
  lua_createtable(L, argc, 0);
  for (i = 0; i < argc; i++) {
    lua_pushstring(L, argv[i]);
    lua_rawseti(L, -2, i);
  }
  lua_setfield(L, -2, "argv");
}

/* Does the command line ask for -E before its script or command? */
static int wants_noenv(int argc, char **argv) {
  int i;
  for (i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (a[0] != '-' || strcmp(a, "--") == 0 || strcmp(a, "-") == 0) return 0;
    if (strcmp(a, "-E") == 0) return 1;
    if ((strcmp(a, "-e") == 0 || strcmp(a, "-l") == 0) && i + 1 < argc) i++;
  }
  return 0;
}

static int msghandler(lua_State *L) {
  const char *msg = lua_tostring(L, 1);
  if (msg == NULL) {
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
      return 1;
    msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  luaL_traceback(L, L, msg, 1);
  return 1;
}

/* Protected main: everything after state creation runs here. */
static int pmain(lua_State *L) {
  int argc = (int)lua_tointeger(L, 1);
  char **argv = (char **)lua_touserdata(L, 2);
  const luaL_Reg *m;
  if (wants_noenv(argc, argv)) {
    lua_pushboolean(L, 1);
    lua_setfield(L, LUA_REGISTRYINDEX, "LUA_NOENV");
  }
  luaL_checkversion(L);
  luaL_openlibs(L);
  lua_gc(L, LUA_GCRESTART);
  lua_gc(L, LUA_GCGEN, 0, 0);

  /* package.preload for the C modules */
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
  for (m = cmodules; m->name; m++) {
    lua_pushcfunction(L, m->func);
    lua_setfield(L, -2, m->name);
  }
  lua_pop(L, 1);

  /* the runtime searcher goes right after the preload searcher */
  lua_getglobal(L, "package");
  lua_getfield(L, -1, "searchers");
  {
    lua_Integer n = luaL_len(L, -1), k;
    for (k = n; k >= 2; k--) {
      lua_rawgeti(L, -1, k);
      lua_rawseti(L, -2, k + 1);
    }
    lua_pushcfunction(L, searcher_runtime);
    lua_rawseti(L, -2, 2);
  }
  lua_pop(L, 2);

  /* require "lcase.host" */
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  push_host(L, argc, argv);
  lua_setfield(L, -2, "lcase.host");
  lua_pop(L, 1);

  /* status = require("lcase.cli.main").main() */
  lua_getglobal(L, "require");
  lua_pushliteral(L, "lcase.cli.main");
  lua_call(L, 1, 1);
  lua_getfield(L, -1, "main");
  lua_call(L, 0, 1);
  return 1;
}

int main(int argc, char **argv) {
  int status, result = EXIT_FAILURE;
  lua_State *L;
  /* lcase runs one thread: SQLite needs no mutexes, and no global memory
  ** statistics (each allocation would take a lock to count itself) */
  sqlite3_config(SQLITE_CONFIG_SINGLETHREAD);
  sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  L = lcase_newstate();
  if (L == NULL) {
    fprintf(stderr, "%s: cannot create state: not enough memory\n", argv[0]);
    return EXIT_FAILURE;
  }
  lua_gc(L, LUA_GCSTOP);
  lua_pushcfunction(L, msghandler);
  lua_pushcfunction(L, pmain);
  lua_pushinteger(L, argc);
  lua_pushlightuserdata(L, argv);
  status = lua_pcall(L, 2, 1, 1);
  if (status != LUA_OK) {
    const char *msg = lua_tostring(L, -1);
    fprintf(stderr, "%s: %s\n", argv[0], msg ? msg : "(error object is not a string)");
    fflush(stderr);
    result = 70; /* internal error */
  } else {
    result = lua_isinteger(L, -1) ? (int)lua_tointeger(L, -1)
           : (lua_toboolean(L, -1) ? EXIT_SUCCESS : EXIT_FAILURE);
  }
  lcase_closestate(L);
  return result;
}
