/*
** ledit.c -- require "lcase.edit": line editing, history and Tab
** completion for the REPL, through libedit's readline interface (BSD
** licence).
**
**   edit.readline(prompt)      -> line | nil (end of input)
**                                 | nil, "interrupted" (Ctrl-C while reading)
**   edit.add_history(line)
**   edit.read_history(path)    -> true | nil, message
**   edit.write_history(path)   -> true | nil, message
**   edit.history_size([n])     -> current limit (0: unlimited); sets it with n
**   edit.history_length()      -> number of entries held
**   edit.set_completer(fn|nil)  fn(word, line, start, stop) -> { candidates }
**                               (start/stop: 1-based byte span of `word`)
**   edit.complete(word, line, start, stop) -> what Tab would offer (for tests)
**   edit.last_error()          -> message of the last failed completion
**
** Design notes:
** - The completer lives in the registry under a private key, never in a
**   global; libedit calls it through lua_pcall, so an error in a completer
**   can never longjmp through libedit's frames (it just completes nothing;
**   the message is kept for edit.last_error()).
** - Ctrl-C while reading: libedit's own signal handling is switched off
**   (it re-raises the signal to the whole process group and leaves the
**   terminal in cooked mode). Instead, readline() installs a private SIGINT
**   handler without SA_RESTART; the key reader sees read() fail with EINTR
**   and hands libedit a ^C key bound to a function that ends the line.
**   readline() then prints "^C" and a newline and returns nil, "interrupted".
**   The caller's SIGINT disposition is restored before returning.
** - Because we supply the key reader, we also decode UTF-8 ourselves and
**   handle SIGWINCH (resize) the same way.
** - Every function leaves the Lua stack as it found it, plus its results.
*/
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <editline/readline.h>

#include "lua.h"
#include "lauxlib.h"

#include "lcase.h"

#define COMPLETER_KEY "lcase.edit.completer"
#define LASTERR_KEY "lcase.edit.completer_error"
#define INTR_KEY 3 /* ^C: what the key reader returns when SIGINT arrived */

/* The state that the completion callback runs in (set by readline()). */
static lua_State *edit_L = NULL;
static int edit_ready = 0;                     /* libedit initialised */
static volatile sig_atomic_t got_sigint = 0;   /* SIGINT while reading */
static volatile sig_atomic_t got_sigwinch = 0; /* resize while reading */
static int line_interrupted = 0;               /* set by the ^C binding */
static int history_limit = 0;                  /* 0: unlimited */

/* Word-break characters for Lua and SQL: '.' and ':' are not breaks, so
** "db:fi" and "case.fi" reach the completer whole. */
static char word_breaks[] = " \t\n\"\\'`@$><=;|&{}()[],+-*/%^~#";

static void on_signal(int sig) {
  if (sig == SIGINT) got_sigint = 1;
  else got_sigwinch = 1;
}

/* Read one UTF-8 encoded character from the terminal as a code point;
** -1 at end of input. A pending SIGINT becomes the ^C key. */
static int read_byte(int fd, unsigned char *c) {
  for (;;) {
    ssize_t n = read(fd, c, 1);
    if (n == 1) return 1;
    if (n == 0) return 0;
    if (errno != EINTR) return 0;
    if (got_sigint) return -1;
    if (got_sigwinch) {
      got_sigwinch = 0;
      rl_resize_terminal();
    }
  }
}

static int edit_getc(FILE *f) {
  int fd = fileno(f);
  unsigned char c;
  int r, cp, need, i;
  if (got_sigint) return INTR_KEY;
  r = read_byte(fd, &c);
  if (r < 0) return INTR_KEY;
  if (r == 0) return -1;
  if (c < 0x80) return c;
  if ((c & 0xE0) == 0xC0) { cp = c & 0x1F; need = 1; }
  else if ((c & 0xF0) == 0xE0) { cp = c & 0x0F; need = 2; }
  else if ((c & 0xF8) == 0xF0) { cp = c & 0x07; need = 3; }
  else return 0xFFFD; /* stray continuation byte */
  for (i = 0; i < need; i++) {
    r = read_byte(fd, &c);
    if (r < 0) return INTR_KEY;
    if (r == 0) return -1;
    if ((c & 0xC0) != 0x80) return 0xFFFD;
    cp = (cp << 6) | (c & 0x3F);
  }
  return cp;
}

/* Bound to ^C: abandon the line being edited. */
static int on_interrupt_key(int count, int key) {
  (void)count; (void)key;
  line_interrupted = 1;
  rl_done = 1;
  return 0;
}

/* Longest common prefix of the candidates at the top of the stack (a list
** of n strings), pushed as a string. */
static void push_common_prefix(lua_State *L, int list, int n) {
  size_t len, i;
  int k;
  const char *first;
  lua_rawgeti(L, list, 1);
  first = lua_tolstring(L, -1, &len);
  for (k = 2; k <= n; k++) {
    size_t l2;
    const char *s;
    lua_rawgeti(L, list, k);
    s = lua_tolstring(L, -1, &l2);
    for (i = 0; i < len && i < l2 && s[i] == first[i]; i++) {}
    len = i;
    lua_pop(L, 1);
  }
  lua_pushlstring(L, first, len);
  lua_remove(L, -2);
}

/* Called in protected mode: calls the completer and leaves a list of
** string candidates on the stack. Args: word, line, start, stop. */
static int call_completer(lua_State *L) {
  int n, i, out;
  lua_getfield(L, LUA_REGISTRYINDEX, COMPLETER_KEY);
  if (!lua_isfunction(L, -1)) { lua_newtable(L); return 1; }
  lua_insert(L, 1);
  lua_call(L, 4, 1);
  if (!lua_istable(L, -1)) { lua_newtable(L); return 1; }
  lua_newtable(L);
  out = lua_gettop(L);
  n = (int)luaL_len(L, out - 1);
  for (i = 1; i <= n; i++) {
    lua_geti(L, out - 1, i);
    if (lua_type(L, -1) == LUA_TSTRING) lua_rawseti(L, out, (lua_Integer)luaL_len(L, out) + 1);
    else lua_pop(L, 1);
  }
  return 1;
}

/* Run the completer: pushes a list of candidates (possibly empty). On an
** error, keeps its message under LASTERR_KEY and pushes an empty list. */
static void run_completer(lua_State *L, const char *word, const char *line, int start, int stop) {
  lua_pushcfunction(L, call_completer);
  lua_pushstring(L, word);
  lua_pushstring(L, line);
  lua_pushinteger(L, start);
  lua_pushinteger(L, stop);
  if (lua_pcall(L, 4, 1, 0) != LUA_OK) {
    lua_setfield(L, LUA_REGISTRYINDEX, LASTERR_KEY);
    lua_newtable(L);
  }
}

static char *dup_string(lua_State *L, int idx) {
  size_t len;
  const char *s = lua_tolstring(L, idx, &len);
  char *d = malloc(len + 1);
  if (d) memcpy(d, s, len + 1);
  return d;
}

/* libedit's completion hook: matches[0] is what replaces the word (the
** common prefix), then the candidates, then NULL. */
static char **attempted_completion(const char *text, int start, int end) {
  lua_State *L = edit_L;
  char **matches = NULL;
  int top, list, n, i;
  rl_attempted_completion_over = 1; /* never fall back to file names */
  if (L == NULL || !lua_checkstack(L, 8)) return NULL;
  top = lua_gettop(L);
  run_completer(L, text, rl_line_buffer ? rl_line_buffer : "", start + 1, end);
  list = lua_gettop(L);
  n = (int)lua_rawlen(L, list);
  if (n > 0 && (matches = calloc((size_t)n + 2, sizeof *matches)) != NULL) {
    int ok = 1;
    if (n == 1) {
      lua_rawgeti(L, list, 1);
    } else {
      push_common_prefix(L, list, n);
    }
    matches[0] = dup_string(L, -1);
    lua_pop(L, 1);
    ok = matches[0] != NULL;
    for (i = 1; ok && n > 1 && i <= n; i++) {
      lua_rawgeti(L, list, i);
      matches[i] = dup_string(L, -1);
      lua_pop(L, 1);
      ok = matches[i] != NULL;
    }
    if (!ok) {
      for (i = 0; i <= n; i++) free(matches[i]);
      free(matches);
      matches = NULL;
    }
  }
  lua_settop(L, top);
  return matches;
}

/* Pick a UTF-8 character type when the environment does not give one, so
** libedit can show non-ASCII text. Only LC_CTYPE is touched (Lua's number
** formatting depends on LC_NUMERIC, which stays "C"). */
static void set_ctype(void) {
  const char *loc = setlocale(LC_CTYPE, "");
  if (loc == NULL || strcmp(loc, "C") == 0 || strcmp(loc, "POSIX") == 0)
    if (setlocale(LC_CTYPE, "C.UTF-8") == NULL) setlocale(LC_CTYPE, "C");
}

static void edit_init(void) {
  if (edit_ready) return;
  set_ctype();
  rl_readline_name = "lcase";
  rl_catch_signals = 0;           /* we handle SIGINT ourselves */
  rl_getc_function = edit_getc;   /* must be set before rl_initialize */
  rl_initialize();
  rl_basic_word_break_characters = word_breaks;
  rl_completer_word_break_characters = word_breaks;
  rl_attempted_completion_function = attempted_completion;
  rl_completion_append_character = '\0';
  rl_add_defun("lcase-interrupt", on_interrupt_key, INTR_KEY);
  using_history();
  if (history_limit > 0) stifle_history(history_limit);
  edit_ready = 1;
}

/* edit.readline(prompt) -> line | nil | nil, "interrupted" */
static int l_readline(lua_State *L) {
  const char *prompt = luaL_optstring(L, 1, "");
  struct sigaction sa, old_int, old_winch;
  lua_State *saved = edit_L;
  char *line;
  edit_init();
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0; /* no SA_RESTART: read() must see EINTR */
  got_sigint = got_sigwinch = 0;
  line_interrupted = 0;
  sigaction(SIGINT, &sa, &old_int);
  sigaction(SIGWINCH, &sa, &old_winch);
  edit_L = L;
  fflush(stdout);
  line = readline(prompt);
  edit_L = saved;
  sigaction(SIGINT, &old_int, NULL);
  sigaction(SIGWINCH, &old_winch, NULL);
  if (line_interrupted || got_sigint) {
    free(line);
    got_sigint = 0;
    line_interrupted = 0;
    fputs("^C\n", rl_outstream ? rl_outstream : stdout);
    fflush(rl_outstream ? rl_outstream : stdout);
    lua_pushnil(L);
    lua_pushliteral(L, "interrupted");
    return 2;
  }
  if (line == NULL) {
    lua_pushnil(L);
    return 1;
  }
  lua_pushstring(L, line);
  free(line);
  return 1;
}

/* edit.add_history(line) */
static int l_add_history(lua_State *L) {
  const char *line = luaL_checkstring(L, 1);
  edit_init();
  add_history(line);
  if (history_limit > 0) stifle_history(history_limit);
  return 0;
}

static int history_result(lua_State *L, int err, const char *what, const char *path) {
  if (err == 0) {
    lua_pushboolean(L, 1);
    return 1;
  }
  lua_pushnil(L);
  lua_pushfstring(L, "cannot %s history file %s: %s", what, path, strerror(err));
  return 2;
}

/* edit.read_history(path) -> true | nil, message */
static int l_read_history(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  int r;
  edit_init();
  errno = 0;
  r = read_history(path);
  if (history_limit > 0) stifle_history(history_limit);
  return history_result(L, r, "read", path);
}

/* edit.write_history(path) -> true | nil, message */
static int l_write_history(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  int r;
  edit_init();
  errno = 0;
  r = write_history(path);
  return history_result(L, r, "write", path);
}

/* edit.history_size([n]) -> limit (0 = unlimited) */
static int l_history_size(lua_State *L) {
  if (!lua_isnoneornil(L, 1)) {
    lua_Integer n = luaL_checkinteger(L, 1);
    luaL_argcheck(L, n >= 0 && n <= 1000000, 1, "history size out of range");
    history_limit = (int)n;
    edit_init();
    if (history_limit > 0) stifle_history(history_limit);
    else unstifle_history();
  }
  lua_pushinteger(L, history_limit);
  return 1;
}

/* edit.history_length() -> entries held */
static int l_history_length(lua_State *L) {
  edit_init();
  lua_pushinteger(L, history_length);
  return 1;
}

/* edit.set_completer(fn | nil) */
static int l_set_completer(lua_State *L) {
  if (!lua_isnoneornil(L, 1)) luaL_checktype(L, 1, LUA_TFUNCTION);
  lua_settop(L, 1);
  lua_setfield(L, LUA_REGISTRYINDEX, COMPLETER_KEY);
  return 0;
}

/* edit.complete(word, line, start, stop) -> list: the completer run the
** way Tab runs it (protected), for specs and for the REPL's own use. */
static int l_complete(lua_State *L) {
  const char *word = luaL_checkstring(L, 1);
  const char *line = luaL_optstring(L, 2, word);
  lua_Integer stop = luaL_optinteger(L, 4, (lua_Integer)strlen(line));
  lua_Integer start = luaL_optinteger(L, 3, stop - (lua_Integer)strlen(word) + 1);
  run_completer(L, word, line, (int)start, (int)stop);
  return 1;
}

/* edit.last_error() -> message of the last failed completion, or nil */
static int l_last_error(lua_State *L) {
  lua_getfield(L, LUA_REGISTRYINDEX, LASTERR_KEY);
  lua_pushnil(L);
  lua_setfield(L, LUA_REGISTRYINDEX, LASTERR_KEY);
  return 1;
}

static const luaL_Reg editfuncs[] = {
  {"readline", l_readline},
  {"add_history", l_add_history},
  {"read_history", l_read_history},
  {"write_history", l_write_history},
  {"history_size", l_history_size},
  {"history_length", l_history_length},
  {"set_completer", l_set_completer},
  {"complete", l_complete},
  {"last_error", l_last_error},
  {NULL, NULL}
};

int luaopen_lcase_edit(lua_State *L) {
  luaL_newlib(L, editfuncs);
  lua_pushstring(L, rl_library_version ? rl_library_version : "libedit");
  lua_setfield(L, -2, "library");
  return 1;
}
