/*
** llimits.c -- state creation and per-plugin limits.
**
** lcase_newstate() creates the Lua state with a counting allocator: every
** allocation adds to one counter of live bytes, every free subtracts, so the
** total is always known at the cost of an add and a compare.  A cap can be
** set on that counter.  Garbage not yet collected does not count against a
** plugin: an allocation that passes the cap goes through as long as it
** stays within a slack (a quarter of the run's allowance) and arms the
** hook, which at the next instruction runs a full GC and stops the run only
** if the live bytes are still past the cap.  An allocation past the slack
** is refused; Lua then runs an emergency full GC and asks again, and if the
** second request passes the slack too Lua raises its ordinary "not enough
** memory" error and the run counts as stopped by the cap.
**
** require "lcase.limits" runs a function under an instruction budget (a
** count hook, lua_sethook) and a memory cap (bytes allocated beyond what was
** live when the run started):
**
**   ok, ... = limits.run(fn, { instructions = n, memory = bytes,
**                              handler = msgh }, ...)
**   -- on failure: false, message, which   (which = "instructions" |
**   --                                      "memory" | nil)
**   limits.charge(n)  -- count n instructions the hook cannot see
**
** As in Redis' script timeout, once the budget is spent the hook fires on
** every instruction and raises each time, so a pcall inside the limited code
** cannot swallow the error: the next instruction raises again until the
** error reaches limits.run.  A memory failure likewise arms the hook, so a
** pcall that catches "not enough memory" is stopped at its next instruction.
**
** Runs nest: an inner run gets at most what is left of the outer one and is
** charged to it.  C functions, SQLite and libraries that call malloc
** directly are outside both limits (see lcase/plugin/sandbox.lua for the list).
**
** Ctrl-C shares the hook (lcase_interrupt, called by lcase.c's SIGINT
** handler): it only sets a flag, which the count hook checks; when no count
** hook is installed it sets a light hook that puts the previous hook back
** and raises "interrupted!".  Either way the interrupt is raised once, as in
** lua.c, and the budget keeps counting: a pcall that swallows the interrupt
** is still stopped by the budget.
**
** Only one state per process is created by lcase, so the accounting lives in
** file-level statics.
*/
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua.h"
#include "lauxlib.h"
#include "lcase.h"

/* Instructions between two hook calls while a budget is active. */
#define LIMITS_GRAIN 1000

/* The allocator's accounting. */
static struct {
  size_t used;     /* bytes live in the Lua heap */
  size_t peak;     /* highest `used` seen since the last reset */
  size_t cap;      /* 0 = no cap; otherwise live bytes may not pass it */
  size_t hard;     /* with a cap: `used` may never pass this (cap + slack) */
  int over;        /* `used` passed the cap: collect at the next instruction */
  int tripped;     /* an allocation was refused by the cap */
  int retrying;    /* the refused request may come again after a full GC */
  void *refused;   /* ... the refused request: block, */
  size_t refused_osize, refused_nsize; /* old size (or type tag), new size */
} mem;

/* The active run (nested runs save and restore it on the C stack). */
struct run_state {
  int active;           /* a limits.run is in progress */
  long long remaining;  /* instructions left (LLONG_MAX = no budget) */
  long long budget;     /* the budget this run started with */
  size_t memory;        /* the memory allowance of this run (0 = none) */
  int tripped;          /* the budget ran out, or the memory cap was hit */
  const char *which;    /* "instructions" or "memory" once tripped */
  lua_State *L;         /* the thread that called limits.run */
};
static struct run_state run;

/* The state's main thread: the one a Ctrl-C interrupts (NULL once closed). */
static lua_State *mainL;

volatile sig_atomic_t lcase_interrupt_pending = 0;

static void arm_memory_trip(void);

static void *l_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  size_t old = ptr ? osize : 0; /* with ptr NULL, osize is a type tag */
  void *p;
  (void)ud;
  if (nsize == 0) {
    free(ptr);
    mem.used -= old;
    return NULL;
  }
  if (mem.retrying) { /* the first request since a refusal */
    mem.retrying = 0;
    /* Lua's emergency GC freed enough for the very request it refused:
    ** nothing is stopped */
    if (ptr == mem.refused && osize == mem.refused_osize && nsize == mem.refused_nsize &&
        !(mem.cap && nsize > old && mem.used + (nsize - old) > mem.hard))
      mem.tripped = 0;
  }
  if (mem.cap && nsize > old && mem.used + (nsize - old) > mem.hard) {
    if (!mem.tripped) {
      /* Lua now runs a full GC and asks again with the same arguments
      ** (luaM_realloc_'s tryagain); a refusal it cannot retry, or a
      ** second one, leaves `tripped` set */
      mem.tripped = 1;
      mem.retrying = 1;
      mem.refused = ptr;
      mem.refused_osize = osize;
      mem.refused_nsize = nsize;
      arm_memory_trip();
    }
    return NULL;
  }
  p = realloc(ptr, nsize);
  if (p == NULL) return NULL;
  mem.used = mem.used - old + nsize;
  if (mem.used > mem.peak) mem.peak = mem.used;
  if (mem.cap && mem.used > mem.cap && !mem.over && !mem.tripped) {
    mem.over = 1; /* maybe garbage: the hook collects and decides */
    arm_memory_trip();
  }
  return p;
}

/* Panic and warning functions as in lauxlib.c's luaL_newstate. */
static int l_panic(lua_State *L) {
  const char *msg = lua_tostring(L, -1);
  if (msg == NULL) msg = "error object is not a string";
  fprintf(stderr, "lcase: PANIC: unprotected error in call to Lua API (%s)\n", msg);
  fflush(stderr);
  return 0;
}

static void warnfoff(void *ud, const char *message, int tocont);
static void warnfon(void *ud, const char *message, int tocont);
static void warnfcont(void *ud, const char *message, int tocont);

static int checkcontrol(lua_State *L, const char *message, int tocont) {
  if (tocont || *(message++) != '@') return 0;
  if (strcmp(message, "off") == 0) lua_setwarnf(L, warnfoff, L);
  else if (strcmp(message, "on") == 0) lua_setwarnf(L, warnfon, L);
  return 1;
}

static void warnfoff(void *ud, const char *message, int tocont) {
  checkcontrol((lua_State *)ud, message, tocont);
}

static void warnfcont(void *ud, const char *message, int tocont) {
  lua_State *L = (lua_State *)ud;
  fputs(message, stderr);
  fflush(stderr);
  if (tocont) lua_setwarnf(L, warnfcont, L);
  else {
    fputs("\n", stderr);
    fflush(stderr);
    lua_setwarnf(L, warnfon, L);
  }
}

static void warnfon(void *ud, const char *message, int tocont) {
  if (checkcontrol((lua_State *)ud, message, tocont)) return;
  fputs("Lua warning: ", stderr);
  warnfcont(ud, message, tocont);
}

lua_State *lcase_newstate(void) {
  lua_State *L;
  memset(&mem, 0, sizeof mem);
  memset(&run, 0, sizeof run);
  L = lua_newstate(l_alloc, NULL);
  if (L != NULL) {
    lua_atpanic(L, l_panic);
    lua_setwarnf(L, warnfoff, L);
  }
  mainL = L;
  return L;
}

void lcase_closestate(lua_State *L) {
  mainL = NULL;
  lua_close(L);
}

/* ---------------------------------------------------------------- hook */

static void count_hook(lua_State *L, lua_Debug *ar);

/* ----------------------------------------------------------- interrupt */

/* The hook the interrupt hook replaced, put back when it fires. */
static struct { lua_Hook hook; int mask, count; } before_interrupt;

static void raise_interrupt(lua_State *L) {
  lcase_interrupt_pending = 0;
  luaL_error(L, "interrupted!");
}

static void interrupt_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  lua_sethook(L, before_interrupt.hook, before_interrupt.mask, before_interrupt.count);
  if (lcase_interrupt_pending) raise_interrupt(L);
}

/* Make L raise the pending interrupt at its next instruction.  The count
** hook checks the flag itself, so it stays; any other hook is kept aside
** until the interrupt hook fires.  lua_sethook only sets fields, which is
** what lets lua.c call it from a signal handler; so does lcase_interrupt. */
static void arm_interrupt(lua_State *L) {
  lua_Hook h = lua_gethook(L);
  if (h == count_hook) return;
  if (h != interrupt_hook) {
    before_interrupt.hook = h;
    before_interrupt.mask = lua_gethookmask(L);
    before_interrupt.count = lua_gethookcount(L);
  }
  lua_sethook(L, interrupt_hook, LUA_MASKCALL | LUA_MASKRET | LUA_MASKLINE | LUA_MASKCOUNT, 1);
}

void lcase_interrupt(void) {
  lcase_interrupt_pending = 1;
  if (mainL != NULL) arm_interrupt(mainL);
}

/* lua_sethook for any hook but the count hook: an interrupt still pending
** (raised by no hook yet) gets the interrupt hook on the main thread. */
static void set_hook_or_interrupt(lua_State *L, lua_Hook h, int mask, int count) {
  lua_sethook(L, h, mask, count);
  if (lcase_interrupt_pending && L == mainL) arm_interrupt(L);
}

/* Raise the limit error at the running function's line. Once tripped, the
** hook fires on every instruction, so each further instruction raises again
** until the error leaves the limited function. */
static int raise_limit(lua_State *L) {
  lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
  luaL_where(L, 0);
  if (strcmp(run.which, "memory") == 0)
    lua_pushfstring(L, "memory limit exceeded (%I bytes)", (lua_Integer)run.memory);
  else
    lua_pushfstring(L, "instruction limit exceeded (%I instructions)",
                    (lua_Integer)run.budget);
  lua_concat(L, 2);
  return lua_error(L);
}

static void count_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  if (!run.active) { /* a coroutine outlived its run: drop the hook */
    lua_sethook(L, NULL, 0, 0);
    if (lcase_interrupt_pending) raise_interrupt(L);
    return;
  }
  if (!run.tripped) {
    if (mem.over && !mem.tripped) {
      mem.over = 0;
      lua_gc(L, LUA_GCCOLLECT, 0);
      if (mem.cap && mem.used > mem.cap) mem.tripped = 1;
    }
    if (mem.tripped) {
      run.tripped = 1;
      run.which = "memory";
    } else if (run.remaining != LLONG_MAX) {
      int grain = lua_gethookcount(L);
      run.remaining -= grain;
      if (run.remaining <= 0) {
        run.remaining = 0;
        run.tripped = 1;
        run.which = "instructions";
      } else if (run.remaining < grain) {
        lua_sethook(L, count_hook, LUA_MASKCOUNT, (int)run.remaining);
      }
    }
    if (!run.tripped) {
      /* armed by the cap, and a full GC brought the live bytes back under
      ** it: back to the grain */
      if (lua_gethookcount(L) == 1) {
        if (run.remaining == LLONG_MAX) lua_sethook(L, NULL, 0, 0);
        else if (run.remaining > LIMITS_GRAIN) lua_sethook(L, count_hook, LUA_MASKCOUNT, LIMITS_GRAIN);
      }
      /* Ctrl-C: raised once; the hook stays, so the budget still counts */
      if (lcase_interrupt_pending) raise_interrupt(L);
      return;
    }
  }
  raise_limit(L);
}

/* Called by the allocator when the cap first refuses: make the hook fire
** at the next instruction of the limited thread, so that code swallowing
** the memory error with pcall is stopped.  lua_sethook only sets fields, so
** it is safe here. */
static void arm_memory_trip(void) {
  if (run.active && run.L) lua_sethook(run.L, count_hook, LUA_MASKCOUNT, 1);
}

/* ----------------------------------------------------------------- run */

/* Message handler of limits.run: the error is on its way out, so switch
** the limits off first, then call the caller's handler if there is one. */
static int run_msgh(lua_State *L) {
  lua_sethook(L, NULL, 0, 0);
  mem.cap = 0;
  if (!lua_isnil(L, lua_upvalueindex(1))) {
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
  }
  return 1;
}

static lua_Integer optfield(lua_State *L, int t, const char *k) {
  lua_Integer v = 0;
  if (lua_getfield(L, t, k) != LUA_TNIL) {
    int isnum;
    v = lua_tointegerx(L, -1, &isnum);
    if (!isnum || v < 0)
      luaL_error(L, "limits.run: '%s' must be a non-negative integer", k);
  }
  lua_pop(L, 1);
  return v;
}

/* What the last finished run used (limits.last()). */
static struct { long long instructions; size_t memory; } last;

/*
** limits.run(fn, opts, ...) -> true, ... | false, message, which
** opts: instructions (budget, 0/nil = none), memory (bytes beyond what is
** live now, 0/nil = none), handler (message handler, as in xpcall).
*/
static int l_run(lua_State *L) {
  int nargs = lua_gettop(L) - 2, status;
  lua_Integer instr = 0, memory = 0;
  size_t saved_cap = mem.cap, saved_hard = mem.hard, saved_peak = mem.peak, start_used;
  int saved_memtripped = mem.tripped;
  lua_Hook saved_hook = lua_gethook(L);
  int saved_mask = lua_gethookmask(L), saved_count = lua_gethookcount(L);
  struct run_state saved_run = run;
  luaL_checktype(L, 1, LUA_TFUNCTION);
  if (nargs < 0) { lua_settop(L, 2); nargs = 0; }
  if (!lua_isnil(L, 2)) {
    luaL_checktype(L, 2, LUA_TTABLE);
    instr = optfield(L, 2, "instructions");
    memory = optfield(L, 2, "memory");
    lua_getfield(L, 2, "handler");
  } else lua_pushnil(L);
  lua_pushcclosure(L, run_msgh, 1);
  lua_replace(L, 2);   /* fn handler args... */
  lua_pushvalue(L, 1);
  lua_copy(L, 2, 1);
  lua_replace(L, 2);   /* handler fn args... */

  run.active = 1;
  run.L = L;
  run.tripped = 0;
  run.which = NULL;
  run.memory = (size_t)memory;
  run.remaining = instr > 0 ? (long long)instr : LLONG_MAX;
  if (saved_run.active && saved_run.remaining < run.remaining)
    run.remaining = saved_run.remaining; /* never more than the outer run has */
  run.budget = run.remaining;
  start_used = mem.used;
  if (memory > 0) {
    size_t cap = start_used + (size_t)memory;
    if (cap < start_used) cap = (size_t)-1;
    size_t hard;
    if (saved_cap && saved_cap < cap) cap = saved_cap;
    hard = cap + (cap - start_used) / 4;
    if (hard < cap) hard = (size_t)-1;
    if (saved_cap && saved_hard < hard) hard = saved_hard;
    mem.cap = cap;
    mem.hard = hard;
  }
  mem.tripped = 0;
  mem.retrying = 0;
  mem.over = 0;
  mem.peak = start_used;
  /* Only a budget needs the hook: with any hook set, Lua 5.4 checks it on
  ** every instruction (about 2-3x slower tight loops).  A memory error that
  ** a pcall inside fn swallows is reported when fn returns. */
  if (run.remaining != LLONG_MAX)
    lua_sethook(L, count_hook, LUA_MASKCOUNT,
                run.remaining < LIMITS_GRAIN ? (int)run.remaining : LIMITS_GRAIN);
  else if (lua_gethook(L) != interrupt_hook) /* a pending Ctrl-C keeps its hook */
    set_hook_or_interrupt(L, NULL, 0, 0);

  status = lua_pcall(L, nargs, LUA_MULTRET, 1);
  if (status == LUA_OK && mem.over && !mem.tripped) {
    /* passed the cap after its last instruction: what is live now? */
    lua_gc(L, LUA_GCCOLLECT, 0);
    if (mem.used > mem.cap) mem.tripped = 1;
  }

  set_hook_or_interrupt(L, saved_hook, saved_mask, saved_count);
  {
    int tripped = run.tripped || mem.tripped;
    const char *which = run.which ? run.which : (mem.tripped ? "memory" : NULL);
    long long used = run.budget == LLONG_MAX ? 0 : run.budget - run.remaining;
    long long budget = run.budget;
    last.instructions = used;
    last.memory = mem.peak > start_used ? mem.peak - start_used : 0;
    if (mem.peak < saved_peak) mem.peak = saved_peak;
    run = saved_run;
    if (run.active && run.remaining != LLONG_MAX) {
      run.remaining -= used;
      if (run.remaining <= 0) { /* the outer budget is spent too */
        run.remaining = 0;
        run.tripped = 1;
        run.which = "instructions";
        lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
      }
    }
    mem.cap = saved_cap;
    mem.hard = saved_hard;
    mem.tripped = saved_memtripped;
    mem.retrying = 0;
    mem.over = 0;
    if (status == LUA_OK && tripped) { /* fn swallowed a limit error */
      lua_settop(L, 1);
      lua_pushnil(L);
      status = LUA_ERRRUN;
    }
    if (status == LUA_OK) {
      lua_pushboolean(L, 1);
      lua_replace(L, 1); /* true in place of the handler */
      return lua_gettop(L);
    }
    /* stack: handler error; make sure the message names the limit */
    if (tripped && (lua_type(L, -1) == LUA_TSTRING || lua_isnil(L, -1))) {
      /* (an error value the caller's handler made is left alone) */
      int memlimit = strcmp(which, "memory") == 0;
      const char *e = lua_tostring(L, -1);
      const char *phrase = memlimit ? "memory limit exceeded" : "instruction limit exceeded";
      if (e == NULL || strstr(e, phrase) == NULL) {
        lua_pop(L, 1);
        if (memlimit)
          lua_pushfstring(L, "memory limit exceeded (%I bytes)", memory);
        else
          lua_pushfstring(L, "instruction limit exceeded (%I instructions)",
                          (lua_Integer)budget);
      }
    }
    lua_pushboolean(L, 0);
    lua_insert(L, -2);
    if (tripped) lua_pushstring(L, which);
    else lua_pushnil(L);
    return 3;
  }
}

/* limits.usage() -> { used = bytes, peak = bytes, cap = bytes|nil } */
static int l_usage(lua_State *L) {
  lua_createtable(L, 0, 3);
  lua_pushinteger(L, (lua_Integer)mem.used);
  lua_setfield(L, -2, "used");
  lua_pushinteger(L, (lua_Integer)mem.peak);
  lua_setfield(L, -2, "peak");
  if (mem.cap) {
    lua_pushinteger(L, (lua_Integer)mem.cap);
    lua_setfield(L, -2, "cap");
  }
  return 1;
}

/* limits.last() -> { instructions = n, memory = bytes } used by the last
** finished run (instructions to within the hook's grain of 1000). */
static int l_last(lua_State *L) {
  lua_createtable(L, 0, 2);
  lua_pushinteger(L, (lua_Integer)last.instructions);
  lua_setfield(L, -2, "instructions");
  lua_pushinteger(L, (lua_Integer)last.memory);
  lua_setfield(L, -2, "memory");
  return 1;
}

/* limits.charge(n): count n instructions against the active run's budget
** (nothing outside a run or without a budget); when that spends it, the
** run stops at its next instruction.  For work the count hook cannot see:
** a coroutine that dies before the hook's grain is never charged, so the
** sandbox charges a grain for each one it creates. */
static int l_charge(lua_State *L) {
  lua_Integer n = luaL_checkinteger(L, 1);
  luaL_argcheck(L, n >= 0, 1, "must be non-negative");
  if (run.active && run.remaining != LLONG_MAX && !run.tripped) {
    run.remaining -= (long long)n;
    if (run.remaining <= 0) {
      run.remaining = 0;
      run.tripped = 1;
      run.which = "instructions";
      lua_sethook(run.L, count_hook, LUA_MASKCOUNT, 1);
      if (L != run.L) lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
    }
  }
  return 0;
}

/* limits.active() -> boolean: inside a limits.run? */
static int l_active(lua_State *L) {
  lua_pushboolean(L, run.active);
  return 1;
}

static const luaL_Reg funcs[] = {
  {"run", l_run},
  {"usage", l_usage},
  {"last", l_last},
  {"active", l_active},
  {"charge", l_charge},
  {NULL, NULL}
};

int luaopen_lcase_limits(lua_State *L) {
  luaL_newlib(L, funcs);
  lua_pushinteger(L, LIMITS_GRAIN);
  lua_setfield(L, -2, "grain");
  return 1;
}
