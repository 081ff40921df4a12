/*
** lsys.c -- require "lcase.sys": the few operating-system calls the
** runtime needs and Debian 12 has no Lua 5.4 module for: child processes
** (spawn, wait, kill), advisory file locks, clocks, signals, the
** terminal's width; and the SHA-256 of a string (nettle), for the trust
** file's content hashes.
**
** Conventions: every function checks its arguments with luaL_check*;
** misuse raises a Lua error; an environment failure (a file that cannot
** be opened, a failed fork) returns nil, message, errno. No function
** leaves extra values on the stack.
*/
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <nettle/sha2.h>

#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"

#include "lcase.h"

extern char **environ;

#define LOCK_MT "lcase.sys.Lock"

/* nil, "message", errno -- the environment-failure return. */
static int push_fail(lua_State *L, int err, const char *what) {
  lua_pushnil(L);
  if (what)
    lua_pushfstring(L, "%s: %s", what, strerror(err));
  else
    lua_pushstring(L, strerror(err));
  lua_pushinteger(L, err);
  return 3;
}

/* ---------------------------------------------------------------- signals */

static const struct { const char *name; int sig; } signames[] = {
  {"HUP", SIGHUP}, {"INT", SIGINT}, {"QUIT", SIGQUIT}, {"KILL", SIGKILL},
  {"TERM", SIGTERM}, {"USR1", SIGUSR1}, {"USR2", SIGUSR2}, {"ALRM", SIGALRM},
  {"PIPE", SIGPIPE}, {"CHLD", SIGCHLD}, {"CONT", SIGCONT}, {"STOP", SIGSTOP},
  {"TSTP", SIGTSTP}, {"ABRT", SIGABRT}, {"SEGV", SIGSEGV}, {"BUS", SIGBUS},
  {"FPE", SIGFPE}, {"ILL", SIGILL}, {"XCPU", SIGXCPU}, {"XFSZ", SIGXFSZ},
  {NULL, 0}
};

static const char *signame(int sig) {
  int i;
  for (i = 0; signames[i].name; i++)
    if (signames[i].sig == sig) return signames[i].name;
  return NULL;
}

/* A signal given as "TERM", "SIGTERM" or a number. */
static int checksignal(lua_State *L, int arg, const char *def) {
  const char *name;
  int i;
  if (lua_type(L, arg) == LUA_TNUMBER) {
    lua_Integer n = luaL_checkinteger(L, arg);
    luaL_argcheck(L, n >= 0 && n < 65, arg, "signal number out of range");
    return (int)n;
  }
  name = luaL_optstring(L, arg, def);
  if (strncmp(name, "SIG", 3) == 0) name += 3;
  for (i = 0; signames[i].name; i++)
    if (strcmp(signames[i].name, name) == 0) return signames[i].sig;
  return luaL_argerror(L, arg, lua_pushfstring(L, "unknown signal '%s'", name));
}

static volatile sig_atomic_t trapped_sig = 0;

static void on_trapped(int sig) {
  trapped_sig = sig;
}

/* sys.trap({"INT", "TERM"} [, on]): with on (default true) the signals only
** set a flag that sys.trapped() reports; with on == false they get their
** default action back. */
static int sys_trap(lua_State *L) {
  lua_Integer i, n;
  int on;
  luaL_checktype(L, 1, LUA_TTABLE);
  on = lua_isnoneornil(L, 2) ? 1 : lua_toboolean(L, 2);
  n = luaL_len(L, 1);
  for (i = 1; i <= n; i++) {
    struct sigaction sa;
    int sig;
    lua_rawgeti(L, 1, i);
    sig = checksignal(L, lua_gettop(L), NULL);
    lua_pop(L, 1);
    luaL_argcheck(L, sig != SIGKILL && sig != SIGSTOP, 1, "KILL and STOP cannot be trapped");
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on ? on_trapped : SIG_DFL;
    if (sigaction(sig, &sa, NULL) != 0) return push_fail(L, errno, "sigaction");
  }
  lua_pushboolean(L, 1);
  return 1;
}

/* sys.trapped() -> name of the last trapped signal (and clears it), or nil */
static int sys_trapped(lua_State *L) {
  int sig = trapped_sig;
  trapped_sig = 0;
  if (sig == 0) {
    lua_pushnil(L);
  } else {
    const char *name = signame(sig);
    if (name) lua_pushstring(L, name); else lua_pushinteger(L, sig);
  }
  return 1;
}

/* ------------------------------------------------------------- processes */

/*
** A NULL-terminated vector of C strings in one userdata (pointers followed
** by the bytes), built from the list at stack index idx; the userdata is
** left on the top of the stack. Strictly strings: no silent conversion.
*/
static char **push_strvec(lua_State *L, int idx, const char *what) {
  lua_Integer i, n;
  size_t bytes = 0, len;
  char **vec, *p;
  idx = lua_absindex(L, idx);
  n = luaL_len(L, idx);
  for (i = 1; i <= n; i++) {
    if (lua_rawgeti(L, idx, i) != LUA_TSTRING)
      luaL_error(L, "%s[%d] must be a string (got %s)", what, (int)i, luaL_typename(L, -1));
    lua_tolstring(L, -1, &len);
    if (strlen(lua_tostring(L, -1)) != len)
      luaL_error(L, "%s[%d] contains a zero byte", what, (int)i);
    bytes += len + 1;
    lua_pop(L, 1);
  }
  vec = (char **)lua_newuserdatauv(L, (size_t)(n + 1) * sizeof(char *) + bytes, 0);
  p = (char *)(vec + n + 1);
  for (i = 1; i <= n; i++) {
    const char *s;
    lua_rawgeti(L, idx, i);
    s = lua_tolstring(L, -1, &len);
    memcpy(p, s, len + 1);
    vec[i - 1] = p;
    p += len + 1;
    lua_pop(L, 1);
  }
  vec[n] = NULL;
  return vec;
}

/*
** Push the list of "NAME=value" strings for the child: the current
** environment with the overrides of table idx (value string = set,
** false = unset).
*/
static void push_envlist(lua_State *L, int idx) {
  char **e;
  int merged, list;
  lua_Integer n = 0;
  idx = lua_absindex(L, idx);
  lua_newtable(L);
  merged = lua_gettop(L);
  for (e = environ; e && *e; e++) {
    const char *eq = strchr(*e, '=');
    if (!eq) continue;
    lua_pushlstring(L, *e, (size_t)(eq - *e));
    lua_pushstring(L, *e);
    lua_rawset(L, merged);
  }
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    const char *k;
    if (lua_type(L, -2) != LUA_TSTRING)
      luaL_error(L, "env: names must be strings");
    k = lua_tostring(L, -2);
    if (*k == '\0' || strchr(k, '='))
      luaL_error(L, "env: bad variable name '%s'", k);
    lua_pushvalue(L, -2);
    if (lua_type(L, -2) == LUA_TSTRING) {
      lua_pushfstring(L, "%s=%s", k, lua_tostring(L, -2));
    } else if (lua_type(L, -2) == LUA_TBOOLEAN && !lua_toboolean(L, -2)) {
      lua_pushnil(L);
    } else {
      luaL_error(L, "env.%s must be a string or false", k);
    }
    lua_rawset(L, merged);
    lua_pop(L, 1);
  }
  lua_newtable(L);
  list = lua_gettop(L);
  lua_pushnil(L);
  while (lua_next(L, merged)) {
    lua_rawseti(L, list, ++n);
  }
  lua_remove(L, merged);
}

/* Find an executable on PATH for a name without a slash (into buf). */
static const char *search_path(const char *name, char *buf, size_t size) {
  const char *path = getenv("PATH");
  const char *p;
  if (strchr(name, '/')) return name;
  if (!path) path = "/usr/local/bin:/usr/bin:/bin";
  for (p = path; ; ) {
    const char *colon = strchr(p, ':');
    size_t dl = colon ? (size_t)(colon - p) : strlen(p);
    int n = snprintf(buf, size, "%.*s%s%s", (int)dl, p, dl ? "/" : "", name);
    if (n > 0 && (size_t)n < size && access(buf, X_OK) == 0) return buf;
    if (!colon) break;
    p = colon + 1;
  }
  return name; /* execve will report ENOENT */
}

/* Open fd for a redirection; -1 with errno on failure. */
static int open_out(const char *path) {
  return open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
}

/* What went wrong in the child before exec, sent back over a pipe. */
struct child_err { int stage; int err; };
enum { STAGE_DUP = 1, STAGE_CWD, STAGE_EXEC };

static void child_fail(int fd, int stage) {
  struct child_err ce;
  ssize_t w;
  ce.stage = stage;
  ce.err = errno;
  do { w = write(fd, &ce, sizeof ce); } while (w < 0 && errno == EINTR);
  _exit(127);
}

/* Make fd become target in the child (clearing close-on-exec). */
static int move_fd(int fd, int target) {
  if (fd < 0) return 0;
  if (fd == target) {
    int fl = fcntl(fd, F_GETFD);
    return fl < 0 ? -1 : fcntl(fd, F_SETFD, fl & ~FD_CLOEXEC);
  }
  return dup2(fd, target) < 0 ? -1 : 0;
}

/*
** In the child: no descriptor but 0, 1 and 2 survives exec (Lua's io.open
** files, for one, are not close-on-exec). close_range where the kernel has
** it, else one fcntl per possible descriptor.
*/
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif
static void cloexec_from_3(void) {
  long fd, max;
#ifdef SYS_close_range
  if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) == 0) return;
#endif
  max = sysconf(_SC_OPEN_MAX);
  if (max < 0 || max > 65536) max = 65536;
  for (fd = 3; fd < max; fd++) {
    int fl = fcntl((int)fd, F_GETFD);
    if (fl >= 0 && !(fl & FD_CLOEXEC)) fcntl((int)fd, F_SETFD, fl | FD_CLOEXEC);
  }
}

static void close_fds(int in, int out, int err) {
  if (in >= 0) close(in);
  if (out >= 0) close(out);
  if (err >= 0 && err != out) close(err);
}

/*
** sys.spawn{argv = {prog, args...}, stdout = path, stderr = path|"stdout",
**           stdin = path, env = {NAME = value|false}, cwd = dir} -> pid
** The child runs in a new process group (its pid), so kill(-pid) reaches
** everything it starts. Output files are opened for appending (0644).
** Omitted redirections are inherited.
*/
static int sys_spawn(lua_State *L) {
  int top = lua_gettop(L);
  char **argv, **envp = NULL;
  const char *outp, *errp, *inp, *cwd, *prog;
  char progbuf[PATH_MAX];
  int fdin = -1, fdout = -1, fderr = -1, pfd[2];
  pid_t pid;
  struct child_err ce;
  ssize_t r;

  luaL_checktype(L, 1, LUA_TTABLE);
  if (lua_getfield(L, 1, "argv") != LUA_TTABLE)
    return luaL_argerror(L, 1, "field 'argv' must be a list of strings");
  if (luaL_len(L, -1) < 1)
    return luaL_argerror(L, 1, "field 'argv' is empty");
  argv = push_strvec(L, -1, "argv");
  if (lua_getfield(L, 1, "env") == LUA_TTABLE) {
    push_envlist(L, -1);
    envp = push_strvec(L, -1, "env");
  } else if (!lua_isnil(L, -1)) {
    return luaL_argerror(L, 1, "field 'env' must be a table");
  }
  lua_getfield(L, 1, "stdout");
  lua_getfield(L, 1, "stderr");
  lua_getfield(L, 1, "stdin");
  lua_getfield(L, 1, "cwd");
  outp = lua_isnil(L, -4) ? NULL : lua_tostring(L, -4);
  errp = lua_isnil(L, -3) ? NULL : lua_tostring(L, -3);
  inp = lua_isnil(L, -2) ? NULL : lua_tostring(L, -2);
  cwd = lua_isnil(L, -1) ? NULL : lua_tostring(L, -1);
  if ((!outp && !lua_isnil(L, -4)) || (!errp && !lua_isnil(L, -3)) ||
      (!inp && !lua_isnil(L, -2)) || (!cwd && !lua_isnil(L, -1)))
    return luaL_argerror(L, 1, "stdout, stderr, stdin and cwd must be strings");
  if (errp && strcmp(errp, "stdout") == 0 && !outp)
    return luaL_argerror(L, 1, "stderr = \"stdout\" needs a stdout path");

  prog = search_path(argv[0], progbuf, sizeof progbuf);

  if (outp && (fdout = open_out(outp)) < 0) {
    int e = errno;
    lua_settop(L, top);
    return push_fail(L, e, outp);
  }
  if (errp) {
    fderr = strcmp(errp, "stdout") == 0 ? fdout : open_out(errp);
    if (fderr < 0) {
      int e = errno;
      close_fds(-1, fdout, -1);
      lua_settop(L, top);
      return push_fail(L, e, errp);
    }
  }
  if (inp && (fdin = open(inp, O_RDONLY | O_CLOEXEC)) < 0) {
    int e = errno;
    close_fds(-1, fdout, fderr);
    lua_settop(L, top);
    return push_fail(L, e, inp);
  }
  if (pipe(pfd) != 0 || fcntl(pfd[0], F_SETFD, FD_CLOEXEC) < 0 ||
      fcntl(pfd[1], F_SETFD, FD_CLOEXEC) < 0) {
    int e = errno;
    close_fds(fdin, fdout, fderr);
    lua_settop(L, top);
    return push_fail(L, e, "pipe");
  }
  fflush(NULL);
  pid = fork();
  if (pid < 0) {
    int e = errno;
    close(pfd[0]); close(pfd[1]);
    close_fds(fdin, fdout, fderr);
    lua_settop(L, top);
    return push_fail(L, e, "fork");
  }
  if (pid == 0) {
    /* child: async-signal-safe calls only */
    sigset_t none;
    struct sigaction sa;
    int s;
    close(pfd[0]);
    setpgid(0, 0);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sigemptyset(&sa.sa_mask);
    for (s = 1; s < 32; s++)
      if (s != SIGKILL && s != SIGSTOP) sigaction(s, &sa, NULL);
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    cloexec_from_3();
    if (move_fd(fdin, 0) < 0 || move_fd(fdout, 1) < 0 || move_fd(fderr, 2) < 0)
      child_fail(pfd[1], STAGE_DUP);
    if (cwd && chdir(cwd) != 0) child_fail(pfd[1], STAGE_CWD);
    if (envp) execve(prog, argv, envp); else execv(prog, argv);
    child_fail(pfd[1], STAGE_EXEC);
  }
  /* parent */
  setpgid(pid, pid); /* also done by the child: whichever runs first */
  close(pfd[1]);
  close_fds(fdin, fdout, fderr);
  do { r = read(pfd[0], &ce, sizeof ce); } while (r < 0 && errno == EINTR);
  close(pfd[0]);
  if (r == (ssize_t)sizeof ce) {
    int st;
    const char *what = ce.stage == STAGE_CWD ? cwd : argv[0];
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
    lua_settop(L, top);
    return push_fail(L, ce.err, what);
  }
  lua_settop(L, top);
  lua_pushinteger(L, (lua_Integer)pid);
  return 1;
}

/*
** sys.wait(pid [, nohang]) -> true, "exit", code | true, "signal", signo, name
**                          | false (still running, with nohang)
**                          | nil, msg, errno
*/
static int sys_wait(lua_State *L) {
  lua_Integer pid = luaL_checkinteger(L, 1);
  int nohang = lua_toboolean(L, 2);
  int st = 0;
  pid_t r;
  luaL_argcheck(L, pid > 0, 1, "pid must be positive");
  do {
    r = waitpid((pid_t)pid, &st, nohang ? WNOHANG : 0);
  } while (r < 0 && errno == EINTR);
  if (r < 0) return push_fail(L, errno, "waitpid");
  if (r == 0) { lua_pushboolean(L, 0); return 1; }
  lua_pushboolean(L, 1);
  if (WIFEXITED(st)) {
    lua_pushliteral(L, "exit");
    lua_pushinteger(L, WEXITSTATUS(st));
    return 3;
  } else {
    int sig = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
    const char *name = signame(sig);
    lua_pushliteral(L, "signal");
    lua_pushinteger(L, sig);
    if (name) lua_pushstring(L, name); else lua_pushinteger(L, sig);
    return 4;
  }
}

/* sys.kill(pid_or_minus_pgid [, signal = "TERM"]) -> true | nil, msg, errno */
static int sys_kill(lua_State *L) {
  lua_Integer target = luaL_checkinteger(L, 1);
  int sig = checksignal(L, 2, "TERM");
  luaL_argcheck(L, target != 0 && target != -1, 1,
                "refusing to signal the own process group or every process");
  if (kill((pid_t)target, sig) != 0) return push_fail(L, errno, "kill");
  lua_pushboolean(L, 1);
  return 1;
}

static int sys_getpid(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)getpid());
  return 1;
}

/* ------------------------------------------------------------------ locks */

typedef struct { int fd; } Lock;

/*
** sys.lock(path) -> lock | nil, "held" | nil, msg, errno
** An exclusive flock on the file (created 0644); released by lock:close(),
** garbage collection, or a to-be-closed variable. The holder's pid is
** written into the file so a refused caller can name it.
*/
static int sys_lock(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  Lock *lk;
  int fd;
  char buf[32];
  int n;
  ssize_t w;
  fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return push_fail(L, errno, path);
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int e = errno;
    close(fd);
    if (e == EWOULDBLOCK) {
      lua_pushnil(L);
      lua_pushliteral(L, "held");
      return 2;
    }
    return push_fail(L, e, path);
  }
  n = snprintf(buf, sizeof buf, "%ld\n", (long)getpid());
  if (ftruncate(fd, 0) == 0) {
    do { w = pwrite(fd, buf, (size_t)n, 0); } while (w < 0 && errno == EINTR);
  }
  lk = (Lock *)lua_newuserdatauv(L, sizeof(Lock), 0);
  lk->fd = fd;
  luaL_setmetatable(L, LOCK_MT);
  return 1;
}

static int lock_close(lua_State *L) {
  Lock *lk = (Lock *)luaL_checkudata(L, 1, LOCK_MT);
  if (lk->fd >= 0) {
    flock(lk->fd, LOCK_UN);
    close(lk->fd);
    lk->fd = -1;
  }
  return 0;
}

static int lock_held(lua_State *L) {
  Lock *lk = (Lock *)luaL_checkudata(L, 1, LOCK_MT);
  lua_pushboolean(L, lk->fd >= 0);
  return 1;
}

static int lock_tostring(lua_State *L) {
  Lock *lk = (Lock *)luaL_checkudata(L, 1, LOCK_MT);
  if (lk->fd >= 0) lua_pushfstring(L, "lcase.sys.Lock (fd %d)", lk->fd);
  else lua_pushliteral(L, "lcase.sys.Lock (released)");
  return 1;
}

static const luaL_Reg lock_methods[] = {
  {"close", lock_close},
  {"unlock", lock_close},
  {"held", lock_held},
  {NULL, NULL}
};

static const luaL_Reg lock_meta[] = {
  {"__gc", lock_close},
  {"__close", lock_close},
  {"__tostring", lock_tostring},
  {"__index", NULL},
  {NULL, NULL}
};

/* ----------------------------------------------------------------- clocks */

static double clock_seconds(clockid_t id) {
  struct timespec ts;
  clock_gettime(id, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* sys.now() -> wall-clock seconds since the epoch (float) */
static int sys_now(lua_State *L) {
  lua_pushnumber(L, clock_seconds(CLOCK_REALTIME));
  return 1;
}

/* sys.monotonic() -> seconds on a clock that never jumps (float) */
static int sys_monotonic(lua_State *L) {
  lua_pushnumber(L, clock_seconds(CLOCK_MONOTONIC));
  return 1;
}

/* sys.timegm(year, month, day [, hour, min, sec]) -> integer seconds since
** the epoch of that UTC time (out-of-range fields carry over, as in
** timegm(3): day 32 of January is 1 February) */
static int sys_timegm(lua_State *L) {
  static const int lo[6] = {-9999, -9999, -99999, -99999, -99999, -99999};
  static const int hi[6] = {9999, 9999, 99999, 99999, 99999, 99999};
  int f[6] = {0, 1, 1, 0, 0, 0};
  struct tm tm;
  time_t t;
  int i;
  for (i = 0; i < 6; i++) {
    lua_Integer v;
    if (i >= 3 && lua_isnoneornil(L, i + 1)) continue;
    v = luaL_checkinteger(L, i + 1);
    luaL_argcheck(L, v >= lo[i] && v <= hi[i], i + 1, "out of range");
    f[i] = (int)v;
  }
  memset(&tm, 0, sizeof tm);
  tm.tm_year = f[0] - 1900;
  tm.tm_mon = f[1] - 1;
  tm.tm_mday = f[2];
  tm.tm_hour = f[3];
  tm.tm_min = f[4];
  tm.tm_sec = f[5];
  t = timegm(&tm);
  lua_pushinteger(L, (lua_Integer)t);
  return 1;
}

/* sys.sleep(seconds): returns early (false) when a trapped signal arrives */
static int sys_sleep(lua_State *L) {
  lua_Number s = luaL_checknumber(L, 1);
  struct timespec req, rem;
  luaL_argcheck(L, s >= 0 && s < 1e9, 1, "seconds out of range");
  req.tv_sec = (time_t)s;
  req.tv_nsec = (long)((s - (lua_Number)req.tv_sec) * 1e9);
  if (req.tv_nsec > 999999999L) req.tv_nsec = 999999999L;
  while (nanosleep(&req, &rem) != 0) {
    if (errno != EINTR) return push_fail(L, errno, "nanosleep");
    if (trapped_sig) { lua_pushboolean(L, 0); return 1; }
    req = rem;
  }
  lua_pushboolean(L, 1);
  return 1;
}

/* ------------------------------------------------------------------ files */

/* sys.realpath(path) -> absolute path | nil, msg, errno */
static int sys_realpath(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  char *r = realpath(path, NULL);
  if (!r) return push_fail(L, errno, path);
  lua_pushstring(L, r);
  free(r);
  return 1;
}

/* The descriptor of argument arg: a number or an open Lua file. */
static int checkfd(lua_State *L, int arg) {
  luaL_Stream *p = (luaL_Stream *)luaL_testudata(L, arg, LUA_FILEHANDLE);
  if (p) {
    luaL_argcheck(L, p->closef != NULL && p->f != NULL, arg, "closed file");
    return fileno(p->f);
  }
  return (int)luaL_checkinteger(L, arg);
}

/* sys.isatty(fd | file) -> boolean */
static int sys_isatty(lua_State *L) {
  int fd = checkfd(L, 1);
  lua_pushboolean(L, fd >= 0 && isatty(fd));
  return 1;
}

/* sys.term_width(fd | file) -> columns of the terminal on fd, or nil when
** fd is no terminal (or the terminal reports no size) */
static int sys_term_width(lua_State *L) {
  int fd = checkfd(L, 1);
  struct winsize ws;
  if (fd < 0 || ioctl(fd, TIOCGWINSZ, &ws) != 0 || ws.ws_col == 0)
    lua_pushnil(L);
  else
    lua_pushinteger(L, ws.ws_col);
  return 1;
}

/* ----------------------------------------------------------------- digest */

/* sys.sha256(s) -> the SHA-256 of string s as 64 lowercase hex digits */
static int sys_sha256(lua_State *L) {
  static const char hex[] = "0123456789abcdef";
  size_t len, i;
  const char *s = luaL_checklstring(L, 1, &len);
  struct sha256_ctx ctx;
  uint8_t digest[SHA256_DIGEST_SIZE];
  char out[2 * SHA256_DIGEST_SIZE];
  sha256_init(&ctx);
  /* nettle takes a size_t length: any Lua string in one call */
  sha256_update(&ctx, len, (const uint8_t *)s);
  sha256_digest(&ctx, SHA256_DIGEST_SIZE, digest);
  for (i = 0; i < SHA256_DIGEST_SIZE; i++) {
    out[2 * i] = hex[digest[i] >> 4];
    out[2 * i + 1] = hex[digest[i] & 15];
  }
  lua_pushlstring(L, out, sizeof out);
  return 1;
}

static const luaL_Reg sysfuncs[] = {
  {"spawn", sys_spawn},
  {"wait", sys_wait},
  {"kill", sys_kill},
  {"getpid", sys_getpid},
  {"lock", sys_lock},
  {"now", sys_now},
  {"timegm", sys_timegm},
  {"monotonic", sys_monotonic},
  {"sleep", sys_sleep},
  {"trap", sys_trap},
  {"trapped", sys_trapped},
  {"realpath", sys_realpath},
  {"isatty", sys_isatty},
  {"term_width", sys_term_width},
  {"sha256", sys_sha256},
  {NULL, NULL}
};

int luaopen_lcase_sys(lua_State *L) {
  if (luaL_newmetatable(L, LOCK_MT)) {
    luaL_setfuncs(L, lock_meta, 0);
    luaL_newlib(L, lock_methods);
    lua_setfield(L, -2, "__index");
  }
  lua_pop(L, 1);
  luaL_newlib(L, sysfuncs);
  return 1;
}
