/*
** llinkgrammar.c -- lcase.linkgrammar: sentences parsed by link-grammar.
**
**   local lg = require "lcase.linkgrammar"
**   if lg.available() then
**     local p = lg.parse("Nokia sued Amazon in Munich.", { max_nulls = 3 })
**     -- p.words[i] = { text =, word =, s =, e = }  (s, e: 1-based bytes, e exclusive)
**     -- p.links[k] = { l =, r =, label = }         (word indices into p.words)
**   end
**
** The English dictionary is opened on first use and kept for the life of the
** state (freed by the garbage collector, so lua_close releases it). A parse
** looks for a complete linkage first and, when there is none, for one that
** leaves words out ("null links"). Its work is bounded by limits that do not
** depend on the clock, so the same sentence always gets the same parse: a
** largest sentence in words and bytes, a largest number of words left out
** (the search for null links is what grows fast: a 40-word sentence that
** needs ten of them takes seconds) and the number of linkages ranked.
** link-grammar's own timer is not used, and its random sampling of
** linkages, when there are more than it ranks, is made repeatable.
**
** Results (words and links) come from the best-ranked linkage. The walls
** link-grammar adds are dropped: links to the left wall become the word's
** `wall` field (the label, e.g. "Wd" for the subject of the main clause,
** "WV" for its head verb). Misuse raises an error; a sentence that cannot be
** parsed returns nil and a reason: "empty", "toolong", "noparse",
** or "unavailable" (no dictionary). lg.known(word) says whether
** the dictionary has a word as spelt.
**
** link-grammar may switch the C locale while it opens its dictionary; the
** program's locale is restored after every call into it.
*/
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "lua.h"
#include "lauxlib.h"

#include <link-grammar/link-includes.h>
#include <link-grammar/dict-api.h>

#include "lcase.h"

#define LG_DICT      "lcase.linkgrammar.Dictionary"
#define LG_KEY       "lcase.linkgrammar.dict"   /* registry key of the open dictionary */
#define LG_MAXWORDS  60                         /* default largest sentence, in words */
#define LG_MAXBYTES  1000                       /* default largest sentence, in bytes */
#define LG_HARDMAX   250                        /* words: never more, whatever the options */
#define LG_LINKAGES  50                         /* linkages ranked per parse */
#define LG_MAXNULLS  4                          /* default most words left out */

typedef struct {
  Dictionary dict;     /* NULL once closed, or when opening failed */
  int failed;          /* opening was tried and failed */
} LgDict;

/* link-grammar's messages (dictionary notes, locale warnings) are not ours
 * to print: keep errors quiet too, the caller gets a reason string. */
static void lg_quiet(lg_errinfo *ei, void *data) {
  (void)ei; (void)data;
}

/* Run-time locale guard: save the C locale's name, restore it after. */
typedef struct { char name[256]; int saved; } LocaleSave;

static void locale_save(LocaleSave *ls) {
  const char *cur = setlocale(LC_ALL, NULL);
  ls->saved = 0;
  if (cur && strlen(cur) < sizeof ls->name) {
    strcpy(ls->name, cur);
    ls->saved = 1;
  }
}

static void locale_restore(const LocaleSave *ls) {
  if (ls->saved) setlocale(LC_ALL, ls->name);
}

static int dict_gc(lua_State *L) {
  LgDict *d = (LgDict *)luaL_checkudata(L, 1, LG_DICT);
  if (d->dict) {
    LocaleSave ls;
    locale_save(&ls);
    dictionary_delete(d->dict);
    locale_restore(&ls);
    d->dict = NULL;
  }
  return 0;
}

/* The state's dictionary, opened on first use; NULL when it cannot be. */
static LgDict *get_dict(lua_State *L) {
  LgDict *d;
  int top = lua_gettop(L);
  if (lua_getfield(L, LUA_REGISTRYINDEX, LG_KEY) == LUA_TUSERDATA) {
    d = (LgDict *)lua_touserdata(L, -1);
    lua_settop(L, top);
    return d;
  }
  lua_pop(L, 1);
  d = (LgDict *)lua_newuserdatauv(L, sizeof *d, 0);
  d->dict = NULL;
  d->failed = 0;
  luaL_setmetatable(L, LG_DICT);
  lua_setfield(L, LUA_REGISTRYINDEX, LG_KEY);
  {
    LocaleSave ls;
    locale_save(&ls);
    lg_error_set_handler(lg_quiet, NULL);
    d->dict = dictionary_create_lang("en");
    locale_restore(&ls);
  }
  if (!d->dict) d->failed = 1;
  lua_settop(L, top);
  return d;
}

/* lg.available() -> true | false, message */
static int lg_available(lua_State *L) {
  LgDict *d = get_dict(L);
  if (d->dict) {
    lua_pushboolean(L, 1);
    return 1;
  }
  lua_pushboolean(L, 0);
  lua_pushliteral(L, "link-grammar's English dictionary could not be opened "
                     "(install link-grammar-dictionaries-en)");
  return 2;
}

/* an integer option of opts (at index 2) between lo and hi, or def */
static int opt_int(lua_State *L, const char *name, int def, int lo, int hi) {
  int t, isnum;
  lua_Integer v;
  if (lua_isnoneornil(L, 2)) return def;
  t = lua_getfield(L, 2, name);
  if (t == LUA_TNIL) { lua_pop(L, 1); return def; }
  v = lua_tointegerx(L, -1, &isnum);
  if (t != LUA_TNUMBER || !isnum)
    return luaL_error(L, "bad option '%s' to 'parse' (integer expected, got %s)",
                      name, luaL_typename(L, -1));
  if (v < lo || v > hi)
    return luaL_error(L, "bad option '%s' to 'parse' (%d to %d expected, got %I)",
                      name, lo, hi, v);
  lua_pop(L, 1);
  return (int)v;
}

static int opt_bool(lua_State *L, const char *name, int def) {
  int t, v;
  if (lua_isnoneornil(L, 2)) return def;
  t = lua_getfield(L, 2, name);
  if (t == LUA_TNIL) { lua_pop(L, 1); return def; }
  if (t != LUA_TBOOLEAN)
    return luaL_error(L, "bad option '%s' to 'parse' (boolean expected, got %s)",
                      name, luaL_typename(L, -1));
  v = lua_toboolean(L, -1);
  lua_pop(L, 1);
  return v;
}

static int push_fail(lua_State *L, const char *reason) {
  lua_pushnil(L);
  lua_pushstring(L, reason);
  return 2;
}

/* The word a link-grammar word names, without its subscript: "sued.v-d" ->
 * "sued", "Nokia[!<CAPITALIZED-WORDS>]" -> "Nokia", "[foo]" -> "foo". */
static void push_plain_word(lua_State *L, const char *w) {
  size_t n = strlen(w);
  const char *b;
  if (n >= 2 && w[0] == '[' && w[n - 1] == ']') {   /* a word left out */
    lua_pushlstring(L, w + 1, n - 2);
    return;
  }
  b = strchr(w, '[');
  if (b && b != w) n = (size_t)(b - w);
  /* a subscript starts at the last '.' followed by a letter, not at the
   * start of the word ("Inc." and "." keep theirs) */
  {
    size_t i;
    for (i = n; i > 1; i--) {
      if (w[i - 1] == '.' && i < n && ((w[i] >= 'a' && w[i] <= 'z') || w[i] == '#')) {
        n = i - 1;
        break;
      }
    }
  }
  lua_pushlstring(L, w, n);
}

/* The linkage as { words = {...}, links = {...} } on top of the stack. */
static void push_linkage(lua_State *L, Linkage lk, size_t len) {
  int nw = linkage_get_num_words(lk);
  int nl = linkage_get_num_links(lk);
  int i, k, out;
  int *index = (int *)lua_newuserdatauv(L, sizeof(int) * (size_t)(nw > 0 ? nw : 1), 0);
  int scratch = lua_gettop(L);
  lua_createtable(L, 0, 4);                    /* result */
  lua_createtable(L, nw, 0);                   /* words */
  out = 0;
  for (i = 0; i < nw; i++) {
    const char *w = linkage_get_word(lk, i);
    int s = linkage_get_word_byte_start(lk, i);
    int e = linkage_get_word_byte_end(lk, i);
    index[i] = 0;
    if (!w || strcmp(w, "LEFT-WALL") == 0 || strcmp(w, "RIGHT-WALL") == 0) continue;
    if (s < 0) s = 0;
    if (e < s) e = s;
    if ((size_t)e > len) e = (int)len;
    if ((size_t)s > len) s = (int)len;
    index[i] = ++out;
    lua_createtable(L, 0, 5);
    lua_pushstring(L, w);
    lua_setfield(L, -2, "word");
    push_plain_word(L, w);
    lua_setfield(L, -2, "text");
    lua_pushinteger(L, s + 1);
    lua_setfield(L, -2, "s");
    lua_pushinteger(L, e + 1);
    lua_setfield(L, -2, "e");
    lua_rawseti(L, -2, out);
  }
  lua_createtable(L, nl, 0);                   /* links (words below it) */
  out = 0;
  for (k = 0; k < nl; k++) {
    int l = linkage_get_link_lword(lk, k), r = linkage_get_link_rword(lk, k);
    const char *label = linkage_get_link_label(lk, k);
    if (l < 0 || r < 0 || l >= nw || r >= nw || !label) continue;
    if (index[l] == 0 || index[r] == 0) {
      /* a link to the left wall marks the word it reaches */
      if (index[l] == 0 && index[r] != 0 && l == 0) {
        lua_rawgeti(L, -2, index[r]);          /* words[r] */
        lua_pushstring(L, label);
        lua_setfield(L, -2, "wall");
        lua_pop(L, 1);
      }
      continue;
    }
    lua_createtable(L, 0, 3);
    lua_pushinteger(L, index[l]);
    lua_setfield(L, -2, "l");
    lua_pushinteger(L, index[r]);
    lua_setfield(L, -2, "r");
    lua_pushstring(L, label);
    lua_setfield(L, -2, "label");
    lua_rawseti(L, -2, ++out);
  }
  lua_setfield(L, -3, "links");
  lua_setfield(L, -2, "words");
  lua_remove(L, scratch);
}

/* lg.parse(sentence [, opts]) -> { words, links, nulls, linkages } | nil, reason
 * opts: max_words (1..250, default 60), max_bytes (1..100000, default 1000),
 * nulls (allow words left out, default true), max_nulls (most words left out,
 * 1..250, default 4). */
static int lg_parse(lua_State *L) {
  size_t len;
  const char *text = luaL_checklstring(L, 1, &len);
  int max_words, max_bytes, nulls, max_nulls, n, nwords, ok;
  LgDict *d;
  Parse_Options po;
  Sentence sent;
  LocaleSave ls;
  if (!lua_isnoneornil(L, 2)) luaL_checktype(L, 2, LUA_TTABLE);
  max_words = opt_int(L, "max_words", LG_MAXWORDS, 1, LG_HARDMAX);
  max_bytes = opt_int(L, "max_bytes", LG_MAXBYTES, 1, 100000);
  nulls = opt_bool(L, "nulls", 1);
  max_nulls = opt_int(L, "max_nulls", LG_MAXNULLS, 1, LG_HARDMAX);
  if (strlen(text) != len) return luaL_argerror(L, 1, "sentence holds a NUL byte");
  {
    size_t i;
    int blank = 1;
    for (i = 0; i < len; i++)
      if (text[i] != ' ' && text[i] != '\t' && text[i] != '\n' && text[i] != '\r') { blank = 0; break; }
    if (blank) return push_fail(L, "empty");
  }
  if (len > (size_t)max_bytes) return push_fail(L, "toolong");
  d = get_dict(L);
  if (!d->dict) return push_fail(L, "unavailable");
  locale_save(&ls);
  po = parse_options_create();
  if (!po) {
    locale_restore(&ls);
    return push_fail(L, "noparse");
  }
  parse_options_set_verbosity(po, 0);
  parse_options_set_linkage_limit(po, LG_LINKAGES);
  parse_options_set_repeatable_rand(po, 1);
  parse_options_set_min_null_count(po, 0);
  parse_options_set_max_null_count(po, 0);
  sent = sentence_create(text, d->dict);
  if (!sent) {
    parse_options_delete(po);
    locale_restore(&ls);
    return push_fail(L, "noparse");
  }
  ok = sentence_split(sent, po) == 0;
  nwords = ok ? sentence_length(sent) : 0;
  if (!ok || nwords <= 2) {
    sentence_delete(sent);
    parse_options_delete(po);
    locale_restore(&ls);
    return push_fail(L, ok ? "empty" : "noparse");
  }
  if (nwords - 2 > max_words) {   /* the walls are not words */
    sentence_delete(sent);
    parse_options_delete(po);
    locale_restore(&ls);
    return push_fail(L, "toolong");
  }
  n = sentence_parse(sent, po);
  if (n <= 0 && nulls) {
    parse_options_set_min_null_count(po, 1);
    parse_options_set_max_null_count(po, max_nulls < nwords ? max_nulls : nwords);
    n = sentence_parse(sent, po);
  }
  if (n <= 0) {
    sentence_delete(sent);
    parse_options_delete(po);
    locale_restore(&ls);
    return push_fail(L, "noparse");
  }
  {
    Linkage lk = linkage_create(0, sent, po);
    int nullc = sentence_null_count(sent);
    if (!lk) {
      sentence_delete(sent);
      parse_options_delete(po);
      locale_restore(&ls);
      return push_fail(L, "noparse");
    }
    locale_restore(&ls);
    push_linkage(L, lk, len);
    lua_pushinteger(L, nullc);
    lua_setfield(L, -2, "nulls");
    lua_pushinteger(L, n);
    lua_setfield(L, -2, "linkages");
    linkage_delete(lk);
  }
  sentence_delete(sent);
  parse_options_delete(po);
  return 1;
}

/* lg.known(word) -> whether the English dictionary has the word as spelt
 * (false when there is no dictionary) */
static int lg_known(lua_State *L) {
  size_t len;
  const char *w = luaL_checklstring(L, 1, &len);
  LgDict *d;
  int known = 0;
  if (len == 0 || len > 200 || strlen(w) != len || strchr(w, ' ')) {
    lua_pushboolean(L, 0);
    return 1;
  }
  d = get_dict(L);
  if (d->dict) {
    LocaleSave ls;
    locale_save(&ls);
    known = dictionary_word_is_known(d->dict, w) ? 1 : 0;
    locale_restore(&ls);
  }
  lua_pushboolean(L, known);
  return 1;
}

/* lg.version() -> link-grammar's version string */
static int lg_version(lua_State *L) {
  lua_pushstring(L, linkgrammar_get_version());
  return 1;
}

static const luaL_Reg funcs[] = {
  {"available", lg_available},
  {"known", lg_known},
  {"parse", lg_parse},
  {"version", lg_version},
  {NULL, NULL}
};

int luaopen_lcase_linkgrammar(lua_State *L) {
  if (luaL_newmetatable(L, LG_DICT)) {
    lua_pushcfunction(L, dict_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, dict_gc);
    lua_setfield(L, -2, "__close");
  }
  lua_pop(L, 1);
  luaL_newlib(L, funcs);
  return 1;
}
