/*
** lcsv.c -- lcase.csv: a streaming RFC 4180 reader and a bulk loader.
**
**   local csv = require "lcase.csv"
**   local r <close> = csv.open("entries.csv")          -- header row read
**   for fields, line in r:rows() do ... end            -- one reused table
**   for a, b, c in r:urows() do ... end                -- fields as values
**   local n, skipped = csv.load(db, "entries.csv", { table = "raw_entries" })
**
** Reading. The file is read in large blocks into one buffer; a record is
** found in place (quoted fields with memchr), checked, and only then
** unescaped in place, so memory is one buffer as large as the longest
** record (1 MiB at least), whatever the file's size.
**   - fields are separated by opts.sep (one byte, default ","); records
**     end with LF or CRLF; a UTF-8 byte order mark is skipped;
**   - a field that starts with '"' is quoted: separators, CR and LF inside
**     it are data, "" is one quote; text after the closing quote up to the
**     next separator is kept ("ab"c -> abc); a quote inside an unquoted
**     field is data;
**   - lines that are empty (outside a quoted field) are skipped;
**   - the line of a record is the line it starts on (1-based);
**   - errors (lcase data errors naming file and line): a record whose
**     field count differs from the header's, a quoted field still open at
**     the end of the file ("unterminated quoted field (truncated file?)"),
**     bytes that are not UTF-8 (with the column), a record longer than
**     opts.max_record bytes (default 1 GiB).
**   - Empty fields. The reader gives "" for both an empty field and an
**     empty quoted field (""), unless opts.empty is given: then an empty
**     *unquoted* field is that value (e.g. lcase.db.null or false), and
**     "" stays "". The loader follows the same rule: an empty unquoted
**     field is NULL; an empty quoted field is '' in a TEXT (or untyped)
**     column and NULL in an INTEGER, REAL or NUMERIC column (an empty
**     string is not a number). This is PostgreSQL's CSV convention.
**
** Loading. csv.load binds each field straight into one prepared INSERT
** (no Lua value per row), inside a savepoint, so the load is all or
** nothing and joins the caller's transaction if one is open. Fields are
** bound typed by the column's affinity with exactly SQLite's conversion:
** plain integers (and integers written "12594.0") bind as integers in
** INTEGER and NUMERIC columns and as reals in REAL columns; anything else
** binds as text and SQLite's own affinity rules apply, so a load gives the
** same rows as binding every field as text. The page cache is enlarged
** for the load and restored afterwards.
*/
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"

#include <sqlite3.h>

#include "lcase.h"
#include "ldb.h"

#define CSV_READER     "lcase.csv.Reader"
#define CSV_LOADER     "lcase.csv.Load"
#define CSV_BLOCK      ((size_t)1 << 20)      /* read size, initial buffer */
#define CSV_MAXREC     ((size_t)1 << 30)      /* default longest record */
#define CSV_BATCH      65536                  /* rows between progress calls */
#define CSV_CACHE_KIB  32768                  /* page cache while loading */
#define CSV_MULTI      16                     /* rows per INSERT statement */
#define CSV_ARENA      ((size_t)4 << 20)      /* queued bytes before a flush */

/* uservalues of a reader */
#define UV_FIELDS  1   /* the reused fields table */
#define UV_INFO    2   /* header, index, name, size, nfields, header_line */
#define UV_HANDLE  3   /* the Lua file handle given as opts.handle */
#define UV_EMPTY   4   /* value of an empty unquoted field (opts.empty) */
#define UV_ONBAD   5   /* opts.on_bad(error): skip rows with a wrong count */

/* kinds of field */
enum { F_PLAIN, F_QUOTED, F_ESCAPED, F_MIXED };

typedef struct csv_Field {
  size_t off, len;        /* in the buffer (after unescaping: the value) */
  size_t toff, tlen;      /* F_MIXED: text after the closing quote */
  int kind;
} csv_Field;

/* A source: the file, the buffer and the current record. No Lua in here. */
typedef struct csv_Src {
  FILE *f;
  int own;                /* opened here: fclose it */
  char *buf;
  size_t cap, len, pos;   /* allocated, valid, start of unparsed bytes */
  int eof;
  long long base;         /* file offset of buf[0] */
  long long size;         /* bytes in the file (-1 if unknown) */
  long long start;        /* offset where reading began */
  lua_Integer lineno;     /* lines consumed */
  lua_Integer recline;    /* first line of the current record */
  int sep;
  int check_utf8;
  int bom_done;
  size_t max_record;
  csv_Field *fields;
  int nf, fcap;
  /* the last error */
  char err[200];
  lua_Integer errline;
} csv_Src;

typedef struct csv_Reader {
  csv_Src s;
  int nfields;            /* expected fields per record, 0 = any */
  int lastn;              /* fields in the reused table */
  int has_empty;          /* opts.empty given */
  int has_onbad;          /* opts.on_bad given */
  int closed;
} csv_Reader;


/*
** {======================================================
** The source
** =======================================================
*/

static void src_init (csv_Src *s) {
  memset(s, 0, sizeof *s);
  s->sep = ',';
  s->check_utf8 = 1;
  s->max_record = CSV_MAXREC;
  s->size = -1;
}


static void src_free (csv_Src *s) {
  if (s->f != NULL && s->own) fclose(s->f);
  s->f = NULL;
  free(s->buf);
  s->buf = NULL;
  free(s->fields);
  s->fields = NULL;
  s->cap = s->len = s->pos = 0;
  s->fcap = s->nf = 0;
}


static int src_fail (csv_Src *s, lua_Integer line, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(s->err, sizeof s->err, fmt, ap);
  va_end(ap);
  s->errline = line;
  return -1;
}


/* Starts reading f (already open). Returns 0 or -1 (s->err). */
static int src_start (csv_Src *s, FILE *f, int own, size_t block) {
  struct stat st;
  s->f = f;
  s->own = own;
  s->buf = (char *)malloc(block);
  if (s->buf == NULL) return src_fail(s, 0, "not enough memory");
  s->cap = block;
  if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode)) {
    long off = ftell(f);
    s->start = off > 0 ? off : 0;
    s->size = (long long)st.st_size;
  }
  s->base = s->start;
  return 0;
}


/* Reads more: keeps the unparsed tail, grows the buffer when the tail
** fills it. Returns 0, or -1 on error (s->err). Sets s->eof at the end. */
static int src_fill (csv_Src *s) {
  size_t n;
  if (s->eof) return 0;
  if (s->pos > 0) {
    memmove(s->buf, s->buf + s->pos, s->len - s->pos);
    s->base += (long long)s->pos;
    s->len -= s->pos;
    s->pos = 0;
  }
  if (s->len == s->cap) {  /* one record fills the buffer */
    size_t ncap = s->cap * 2;
    char *nb;
    if (s->cap >= s->max_record)
      return src_fail(s, s->lineno + 1, "record longer than %lu bytes "
                      "(an unterminated quoted field?)",
                      (unsigned long)s->max_record);
    if (ncap > s->max_record) ncap = s->max_record;
    nb = (char *)realloc(s->buf, ncap);
    if (nb == NULL) return src_fail(s, s->lineno + 1, "not enough memory");
    s->buf = nb;
    s->cap = ncap;
  }
  n = fread(s->buf + s->len, 1, s->cap - s->len, s->f);
  s->len += n;
  if (n == 0) {
    if (ferror(s->f))
      return src_fail(s, s->lineno + 1, "read error: %s", strerror(errno));
    s->eof = 1;
  }
  return 0;
}


/* Offset of the first byte of [p, p+n) that is not UTF-8, or -1.
** Strict like Lua's utf8.len: no overlong forms, no surrogates, nothing
** above U+10FFFF. */
static long long utf8_bad (const unsigned char *p, size_t n) {
  size_t i = 0;
  while (i < n) {
    unsigned c;
    /* ASCII, eight bytes at a time */
    while (i + 8 <= n) {
      uint64_t w;
      memcpy(&w, p + i, 8);
      if (w & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= n) break;
    c = p[i];
    if (c < 0x80) { i++; continue; }
    if (c >= 0xC2 && c <= 0xDF) {
      if (i + 1 >= n || (p[i + 1] & 0xC0) != 0x80) return (long long)i;
      i += 2;
    }
    else if (c >= 0xE0 && c <= 0xEF) {
      unsigned c1;
      if (i + 2 >= n) return (long long)i;
      c1 = p[i + 1];
      if ((c1 & 0xC0) != 0x80 || (p[i + 2] & 0xC0) != 0x80) return (long long)i;
      if (c == 0xE0 && c1 < 0xA0) return (long long)i;   /* overlong */
      if (c == 0xED && c1 >= 0xA0) return (long long)i;  /* surrogate */
      i += 3;
    }
    else if (c >= 0xF0 && c <= 0xF4) {
      unsigned c1;
      if (i + 3 >= n) return (long long)i;
      c1 = p[i + 1];
      if ((c1 & 0xC0) != 0x80 || (p[i + 2] & 0xC0) != 0x80
          || (p[i + 3] & 0xC0) != 0x80) return (long long)i;
      if (c == 0xF0 && c1 < 0x90) return (long long)i;   /* overlong */
      if (c == 0xF4 && c1 >= 0x90) return (long long)i;  /* > U+10FFFF */
      i += 4;
    }
    else return (long long)i;
  }
  return -1;
}


/* First byte in [t, end) that is 'sep' or LF, or end. Eight bytes at a
** time where words can be read little-endian (the lowest byte that
** compares equal sets the lowest flag bit; borrows only reach above it). */
static char *find_sep_nl (char *t, char *end, int sep) {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  const uint64_t ones = 0x0101010101010101ULL;
  const uint64_t highs = 0x8080808080808080ULL;
  const uint64_t vs = ones * (unsigned char)sep, vn = ones * (unsigned char)'\n';
  while (end - t >= 8) {
    uint64_t w, a, b, m;
    memcpy(&w, t, 8);
    a = w ^ vs;
    b = w ^ vn;
    m = (((a - ones) & ~a) | ((b - ones) & ~b)) & highs;
    if (m != 0) return t + (__builtin_ctzll(m) >> 3);
    t += 8;
  }
#endif
  while (t < end && *t != sep && *t != '\n') t++;
  return t;
}


static lua_Integer count_nl (const char *p, const char *end) {
  lua_Integer n = 0;
  while (p < end && (p = (const char *)memchr(p, '\n', (size_t)(end - p)))) {
    n++;
    p++;
  }
  return n;
}


static int add_field (csv_Src *s) {
  if (s->nf == s->fcap) {
    int ncap = s->fcap ? s->fcap * 2 : 32;
    csv_Field *nf;
    if (ncap > INT_MAX / 2 || (size_t)ncap > SIZE_MAX / sizeof(csv_Field))
      return src_fail(s, s->lineno + 1, "too many fields");
    nf = (csv_Field *)realloc(s->fields, (size_t)ncap * sizeof(csv_Field));
    if (nf == NULL) return src_fail(s, s->lineno + 1, "not enough memory");
    s->fields = nf;
    s->fcap = ncap;
  }
  s->nf++;
  return 0;
}

/* Results of scan */
#define SCAN_OK     1
#define SCAN_MORE   0
#define SCAN_ERR   (-1)

/*
** Finds the record starting at s->pos without changing the buffer.
** Fills s->fields (raw spans). On SCAN_OK, *recend is the offset just
** after the record (its line end included) and *nl the line ends inside
** quoted fields.
*/
static int scan (csv_Src *s, size_t *recend, lua_Integer *nl) {
  char *b = s->buf;
  char *q = b + s->pos, *end = b + s->len;
  const int sep = s->sep;
  const int eof = s->eof;
  lua_Integer lines = 0;
  s->nf = 0;
  for (;;) {
    csv_Field *f;
    if (add_field(s) < 0) return SCAN_ERR;
    f = &s->fields[s->nf - 1];
    if (q < end && *q == '"') {
      char *c = q + 1;
      int escaped = 0;
      for (;;) {
        char *x = (char *)memchr(c, '"', (size_t)(end - c));
        if (x == NULL) return SCAN_MORE;           /* at EOF: unterminated */
        if (x + 1 == end && !eof) return SCAN_MORE;  /* "" or closing? */
        if (x + 1 < end && x[1] == '"') { escaped = 1; c = x + 2; continue; }
        c = x;
        break;
      }
      lines += count_nl(q + 1, c);
      f->off = (size_t)(q + 1 - b);
      f->len = (size_t)(c - (q + 1));
      f->kind = escaped ? F_ESCAPED : F_QUOTED;
      q = c + 1;
      if (q == end) { *recend = s->len; break; }   /* EOF */
      if (*q == sep) { q++; continue; }
      if (*q == '\n') { *recend = (size_t)(q + 1 - b); break; }
      if (*q == '\r') {
        if (q + 1 == end) {
          if (!eof) return SCAN_MORE;
          *recend = s->len;
          break;
        }
        if (q[1] == '\n') { *recend = (size_t)(q + 2 - b); break; }
      }
      {  /* text after the closing quote: kept, up to the separator */
        char *t = find_sep_nl(q, end, sep);
        size_t tl;
        if (t == end && !eof) return SCAN_MORE;
        tl = (size_t)(t - q);
        if ((t == end || *t == '\n') && tl > 0 && t[-1] == '\r') tl--;
        f->toff = (size_t)(q - b);
        f->tlen = tl;
        f->kind = F_MIXED;
        if (t == end) { *recend = s->len; break; }
        if (*t == sep) { q = t + 1; continue; }
        *recend = (size_t)(t + 1 - b);
        break;
      }
    }
    else {
      /* the hot path: most fields are unquoted */
      char *t = find_sep_nl(q, end, sep);
      size_t fl;
      if (t == end && !eof) return SCAN_MORE;
      fl = (size_t)(t - q);
      if ((t == end || *t == '\n') && fl > 0 && t[-1] == '\r') fl--;
      f->off = (size_t)(q - b);
      f->len = fl;
      f->kind = F_PLAIN;
      if (t == end) { *recend = s->len; break; }
      if (*t == sep) { q = t + 1; continue; }
      *recend = (size_t)(t + 1 - b);
      break;
    }
  }
  *nl = lines;
  return SCAN_OK;
}


/* Unescapes the quoted fields of the current record in place. */
static void unescape (csv_Src *s) {
  int i;
  for (i = 0; i < s->nf; i++) {
    csv_Field *f = &s->fields[i];
    if (f->kind == F_ESCAPED || f->kind == F_MIXED) {
      char *p = s->buf + f->off, *e = p + f->len, *w = p;
      while (p < e) {  /* "" -> " */
        char *x = (char *)memchr(p, '"', (size_t)(e - p));
        size_t n = x ? (size_t)(x - p) + 1 : (size_t)(e - p);
        if (w != p) memmove(w, p, n);
        w += n;
        p += n;
        if (x) p++;  /* the second quote of the pair */
      }
      f->len = (size_t)(w - (s->buf + f->off));
      if (f->kind == F_MIXED) {
        memmove(w, s->buf + f->toff, f->tlen);
        f->len += f->tlen;
      }
    }
  }
}


/* Line and column of the bad byte at offset 'bad' of the record at
** 'start' (physical lines, as a line-by-line reader would count). */
static void bad_position (csv_Src *s, size_t start, size_t bad,
                          lua_Integer *line, size_t *col) {
  const char *b = s->buf;
  size_t ls = start, i;
  lua_Integer l = s->recline;
  for (i = start; i < bad; i++)
    if (b[i] == '\n') { l++; ls = i + 1; }
  *line = l;
  *col = bad - ls + 1;
}


/*
** Reads the next record into s->fields. Returns 1, 0 at the end, -1 on
** error (s->err, s->errline). Blank lines are skipped.
*/
static int src_next (csv_Src *s) {
  for (;;) {
    char *p = s->buf + s->pos, *end = s->buf + s->len;
    size_t recend;
    lua_Integer nl;
    int r;
    if (!s->bom_done) {
      if (end - p < 3 && !s->eof) {
        if (src_fill(s) < 0) return -1;
        continue;
      }
      s->bom_done = 1;
      if (end - p >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
        s->pos += 3;
        continue;
      }
    }
    if (p == end) {
      if (s->eof) return 0;
      if (src_fill(s) < 0) return -1;
      continue;
    }
    if (*p == '\n') { s->pos++; s->lineno++; continue; }   /* blank line */
    if (*p == '\r') {
      if (p + 1 == end) {
        if (!s->eof) {
          if (src_fill(s) < 0) return -1;
          continue;
        }
        s->pos++;
        s->lineno++;
        continue;
      }
      if (p[1] == '\n') { s->pos += 2; s->lineno++; continue; }
    }
    r = scan(s, &recend, &nl);
    if (r == SCAN_ERR) return -1;
    if (r == SCAN_MORE) {
      if (s->eof)
        return src_fail(s, s->lineno + 1,
                        "unterminated quoted field (truncated file?)");
      if (src_fill(s) < 0) return -1;
      continue;
    }
    s->recline = s->lineno + 1;
    if (s->check_utf8) {
      long long bad = utf8_bad((const unsigned char *)s->buf + s->pos,
                               recend - s->pos);
      if (bad >= 0) {
        lua_Integer line;
        size_t col;
        bad_position(s, s->pos, s->pos + (size_t)bad, &line, &col);
        s->lineno += 1 + nl;
        s->pos = recend;
        return src_fail(s, line, "not UTF-8 (bad byte at column %lu)",
                        (unsigned long)col);
      }
    }
    unescape(s);
    s->lineno += 1 + nl;
    s->pos = recend;
    return 1;
  }
}


/* Bytes consumed so far (up to the end of the last record read). */
static long long src_tell (const csv_Src *s) {
  return s->base + (long long)s->pos - s->start;
}

/* }====================================================== */


/*
** {======================================================
** Errors
** =======================================================
*/

/* Pushes an lcase data error (lcase.base.errors) for file:line[: field]: msg,
** or a plain string when lcase.base.errors cannot be loaded. */
static void push_data_error (lua_State *L, const char *file, lua_Integer line,
                             const char *field, const char *msg) {
  int top = lua_gettop(L);
  int ok = 0;
  luaL_checkstack(L, 8, NULL);
  lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  if (lua_getfield(L, -1, "lcase.base.errors") != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
    lua_getfield(L, -1, "require");
    lua_remove(L, -2);
    lua_pushliteral(L, "lcase.base.errors");
    if (lua_pcall(L, 1, 1, 0) != LUA_OK || !lua_istable(L, -1)) {
      lua_pop(L, 1);
      lua_pushnil(L);
    }
  }
  if (lua_istable(L, -1) && lua_getfield(L, -1, "new") == LUA_TFUNCTION) {
    lua_pushliteral(L, "data");
    lua_pushstring(L, msg);
    lua_createtable(L, 0, 3);
    lua_pushstring(L, file);
    lua_setfield(L, -2, "file");
    if (line > 0) {
      lua_pushinteger(L, line);
      lua_setfield(L, -2, "line");
    }
    if (field != NULL) {
      lua_pushstring(L, field);
      lua_setfield(L, -2, "field");
    }
    ok = lua_pcall(L, 3, 1, 0) == LUA_OK;
  }
  if (ok) {
    lua_replace(L, top + 1);
    lua_settop(L, top + 1);
    return;
  }
  lua_settop(L, top);
  if (line > 0 && field) lua_pushfstring(L, "%s:%I: %s: %s", file, line, field, msg);
  else if (line > 0) lua_pushfstring(L, "%s:%I: %s", file, line, msg);
  else lua_pushfstring(L, "%s: %s", file, msg);
}


static int raise_data (lua_State *L, const char *file, lua_Integer line,
                       const char *field, const char *msg) {
  push_data_error(L, file, line, field, msg);
  return lua_error(L);
}

/* }====================================================== */


/*
** {======================================================
** Options
** =======================================================
*/

typedef struct csv_Opts {
  int sep, check_utf8, header;
  lua_Integer fields;
  size_t max_record, block;
} csv_Opts;


static int opt_type (lua_State *L, int t, const char *k, int type,
                     const char *fn) {
  int ty = lua_getfield(L, t, k);
  if (ty != LUA_TNIL && ty != type)
    luaL_error(L, "bad option '%s' to '%s' (%s expected, got %s)", k, fn,
               lua_typename(L, type), luaL_typename(L, -1));
  return ty != LUA_TNIL;
}


static int opt_boolean (lua_State *L, int t, const char *k, int dflt,
                        const char *fn) {
  int r = dflt;
  if (opt_type(L, t, k, LUA_TBOOLEAN, fn)) r = lua_toboolean(L, -1);
  lua_pop(L, 1);
  return r;
}


static lua_Integer opt_integer (lua_State *L, int t, const char *k,
                                lua_Integer dflt, lua_Integer min,
                                const char *fn) {
  lua_Integer r = dflt;
  if (opt_type(L, t, k, LUA_TNUMBER, fn)) {
    int isint;
    r = lua_tointegerx(L, -1, &isint);
    if (!isint || r < min)
      luaL_error(L, "bad option '%s' to '%s' (integer >= %I expected)", k, fn,
                 min);
  }
  lua_pop(L, 1);
  return r;
}


/* Reads the options every reader takes (the table at t, or none). */
static void read_opts (lua_State *L, int t, csv_Opts *o, const char *fn) {
  o->sep = ',';
  o->check_utf8 = 1;
  o->header = 1;
  o->fields = 0;
  o->max_record = CSV_MAXREC;
  o->block = CSV_BLOCK;
  if (t == 0) return;
  if (opt_type(L, t, "sep", LUA_TSTRING, fn)) {
    size_t l;
    const char *sep = lua_tolstring(L, -1, &l);
    if (l != 1 || sep[0] == '"' || sep[0] == '\n' || sep[0] == '\r')
      luaL_error(L, "bad option 'sep' to '%s' (one byte, not a quote or "
                 "line end)", fn);
    o->sep = (unsigned char)sep[0];
  }
  lua_pop(L, 1);
  o->check_utf8 = opt_boolean(L, t, "check_utf8", 1, fn);
  o->header = opt_boolean(L, t, "header", 1, fn);
  o->fields = opt_integer(L, t, "fields", 0, 0, fn);
  /* block: the read size (for specs that cross block boundaries often) */
  o->block = (size_t)opt_integer(L, t, "block", (lua_Integer)CSV_BLOCK, 8, fn);
  o->max_record = (size_t)opt_integer(L, t, "max_record", (lua_Integer)CSV_MAXREC,
                                      (lua_Integer)o->block, fn);
  if (o->fields > INT_MAX) luaL_error(L, "bad option 'fields' to '%s'", fn);
}


/* Opens the source for a path or opts.handle (a Lua file). Pushes the name
** used in messages. Raises a data error when the file cannot be opened. */
static void open_src (lua_State *L, csv_Src *s, int pathidx, int t,
                      const csv_Opts *o, const char *fn) {
  FILE *f = NULL;
  int own = 1;
  const char *path = lua_tostring(L, pathidx);
  if (t != 0 && lua_getfield(L, t, "name") != LUA_TNIL) {
    if (!lua_isstring(L, -1))
      luaL_error(L, "bad option 'name' to '%s' (string expected)", fn);
  }
  else {
    if (t != 0) lua_pop(L, 1);
    if (path) lua_pushstring(L, path);
    else lua_pushliteral(L, "(handle)");
  }
  s->sep = o->sep;
  s->check_utf8 = o->check_utf8;
  s->max_record = o->max_record;
  if (t != 0) {
    if (lua_getfield(L, t, "handle") != LUA_TNIL) {
      luaL_Stream *h = (luaL_Stream *)luaL_testudata(L, -1, LUA_FILEHANDLE);
      if (h == NULL || h->closef == NULL)
        luaL_error(L, "bad option 'handle' to '%s' (open file expected)", fn);
      f = h->f;
      own = 0;
    }
    lua_pop(L, 1);
  }
  if (f == NULL) {
    if (path == NULL) luaL_error(L, "bad argument #1 to '%s' (path or opts.handle expected)", fn);
    f = fopen(path, "rb");
    if (f == NULL) {
      char msg[160];
      snprintf(msg, sizeof msg, "cannot open: %s: %s", path, strerror(errno));
      raise_data(L, lua_tostring(L, -1), 0, NULL, msg);
    }
  }
  if (src_start(s, f, own, o->block) < 0) {
    if (own) fclose(f);
    s->f = NULL;
    luaL_error(L, "%s", s->err);
  }
}

/* }====================================================== */


/*
** {======================================================
** Reader objects
** =======================================================
*/

static csv_Reader *check_reader (lua_State *L, int idx) {
  csv_Reader *r = (csv_Reader *)luaL_checkudata(L, idx, CSV_READER);
  if (r->closed) luaL_error(L, "attempt to use a closed CSV reader");
  return r;
}


/* Raises the source's error as a data error (name from the info table). */
static int reader_error (lua_State *L, csv_Reader *r, int idx) {
  const char *name;
  lua_getiuservalue(L, idx, UV_INFO);
  lua_getfield(L, -1, "name");
  name = lua_tostring(L, -1);
  return raise_data(L, name ? name : "?", r->s.errline, NULL, r->s.err);
}


/* Reads one record; raises on errors and on a wrong field count, or, with
** opts.on_bad, hands a wrong field count to on_bad(error) and reads on. */
static int reader_read (lua_State *L, csv_Reader *r, int idx) {
  for (;;) {
    int rc = src_next(&r->s);
    if (rc < 0) return reader_error(L, r, idx);
    if (rc == 0 || r->nfields == 0 || r->s.nf == r->nfields) return rc;
    snprintf(r->s.err, sizeof r->s.err, "expected %d fields, found %d",
             r->nfields, r->s.nf);
    r->s.errline = r->s.recline;
    if (!r->has_onbad) return reader_error(L, r, idx);
    lua_getiuservalue(L, idx, UV_ONBAD);
    lua_getiuservalue(L, idx, UV_INFO);
    lua_getfield(L, -1, "name");
    push_data_error(L, lua_tostring(L, -1), r->s.errline, NULL, r->s.err);
    lua_replace(L, -3);   /* error object in place of the info table */
    lua_pop(L, 1);        /* the name */
    lua_call(L, 1, 0);    /* on_bad(error) */
    if (r->closed) luaL_error(L, "attempt to use a closed CSV reader");
  }
}


static void push_field (lua_State *L, csv_Reader *r, int i, int idx) {
  const csv_Field *f = &r->s.fields[i];
  if (f->len == 0 && f->kind == F_PLAIN && r->has_empty)
    lua_getiuservalue(L, idx, UV_EMPTY);
  else
    lua_pushlstring(L, r->s.buf + f->off, f->len);
}


/* r:next() -> fields (the same table every time), line | nil */
static int reader_next (lua_State *L) {
  csv_Reader *r = check_reader(L, 1);
  int i, n;
  lua_settop(L, 1);
  if (reader_read(L, r, 1) == 0) {
    lua_pushnil(L);
    return 1;
  }
  lua_getiuservalue(L, 1, UV_FIELDS);
  n = r->s.nf;
  for (i = 0; i < n; i++) {
    push_field(L, r, i, 1);
    lua_rawseti(L, 2, i + 1);
  }
  for (i = n + 1; i <= r->lastn; i++) {
    lua_pushnil(L);
    lua_rawseti(L, 2, i);
  }
  r->lastn = n;
  lua_pushinteger(L, r->s.recline);
  return 2;
}


/* r:next_values() -> field1, field2, ... | nothing at the end */
static int reader_next_values (lua_State *L) {
  csv_Reader *r = check_reader(L, 1);
  int i, n;
  lua_settop(L, 1);
  if (reader_read(L, r, 1) == 0) return 0;
  n = r->s.nf;
  luaL_checkstack(L, n, "too many fields");
  for (i = 0; i < n; i++) push_field(L, r, i, 1);
  return n;
}


static int rows_iter (lua_State *L) {
  lua_settop(L, 0);
  lua_pushvalue(L, lua_upvalueindex(1));
  return reader_next(L);
}


static int urows_iter (lua_State *L) {
  lua_settop(L, 0);
  lua_pushvalue(L, lua_upvalueindex(1));
  return reader_next_values(L);
}


/* r:rows() -> iterator of fields, line */
static int reader_rows (lua_State *L) {
  check_reader(L, 1);
  lua_settop(L, 1);
  lua_pushcclosure(L, rows_iter, 1);
  return 1;
}


/* r:urows() -> iterator of field values */
static int reader_urows (lua_State *L) {
  check_reader(L, 1);
  lua_settop(L, 1);
  lua_pushcclosure(L, urows_iter, 1);
  return 1;
}


/* r:line() -> first line of the last record read */
static int reader_line (lua_State *L) {
  csv_Reader *r = check_reader(L, 1);
  lua_pushinteger(L, r->s.recline);
  return 1;
}


/* r:pos() -> bytes read so far (to the end of the last record) */
static int reader_pos (lua_State *L) {
  csv_Reader *r = check_reader(L, 1);
  lua_pushinteger(L, (lua_Integer)src_tell(&r->s));
  return 1;
}


/* r:record(fields) -> table header name -> field */
static int reader_record (lua_State *L) {
  int n, i;
  check_reader(L, 1);
  luaL_checktype(L, 2, LUA_TTABLE);
  lua_settop(L, 2);
  lua_getiuservalue(L, 1, UV_INFO);
  if (lua_getfield(L, 3, "header") != LUA_TTABLE)
    return luaL_error(L, "record: the reader has no header");
  n = (int)lua_rawlen(L, 4);
  lua_createtable(L, 0, n);
  for (i = 1; i <= n; i++) {
    lua_rawgeti(L, 4, i);
    lua_rawgeti(L, 2, i);
    lua_rawset(L, 5);
  }
  return 1;
}


/* r:require(names): a data error unless every name is in the header */
static int reader_require (lua_State *L) {
  lua_Integer n, i;
  check_reader(L, 1);
  luaL_checktype(L, 2, LUA_TTABLE);
  lua_settop(L, 2);
  lua_getiuservalue(L, 1, UV_INFO);
  lua_getfield(L, 3, "index");
  lua_getfield(L, 3, "header");
  lua_getfield(L, 3, "name");
  if (!lua_istable(L, 4)) return luaL_error(L, "require: the reader has no header");
  n = luaL_len(L, 2);
  for (i = 1; i <= n; i++) {
    lua_rawgeti(L, 2, i);
    lua_pushvalue(L, -1);
    if (lua_rawget(L, 4) == LUA_TNIL) {
      luaL_Buffer b;
      lua_Integer k, hn = (lua_Integer)lua_rawlen(L, 5);
      const char *name = lua_tostring(L, 6);
      const char *col = lua_tostring(L, -2);
      char *msg;
      luaL_buffinit(L, &b);
      luaL_addstring(&b, "missing required column (header has: ");
      for (k = 1; k <= hn; k++) {
        if (k > 1) luaL_addstring(&b, ", ");
        lua_rawgeti(L, 5, k);
        luaL_addvalue(&b);
      }
      luaL_addchar(&b, ')');
      luaL_pushresult(&b);
      msg = (char *)lua_tostring(L, -1);
      return raise_data(L, name ? name : "?", 1, col ? col : "?", msg);
    }
    lua_pop(L, 2);
  }
  return 0;
}


/* Closes the file or the handle given; frees the buffer. */
static int reader_close (lua_State *L) {
  csv_Reader *r = (csv_Reader *)luaL_checkudata(L, 1, CSV_READER);
  if (!r->closed) {
    r->closed = 1;
    src_free(&r->s);
    if (lua_getiuservalue(L, 1, UV_HANDLE) == LUA_TUSERDATA) {
      luaL_Stream *h = (luaL_Stream *)luaL_testudata(L, -1, LUA_FILEHANDLE);
      if (h != NULL && h->closef != NULL) {  /* as the Lua reader: close it */
        lua_getfield(L, -1, "close");
        lua_pushvalue(L, -2);
        lua_call(L, 1, 0);
      }
    }
    lua_pushnil(L);
    lua_setiuservalue(L, 1, UV_HANDLE);
  }
  return 0;
}


/* __gc: frees C resources only (a handle closes itself when collected). */
static int reader_gc (lua_State *L) {
  csv_Reader *r = (csv_Reader *)luaL_checkudata(L, 1, CSV_READER);
  if (!r->closed) {
    r->closed = 1;
    src_free(&r->s);
  }
  return 0;
}


static int reader_tostring (lua_State *L) {
  csv_Reader *r = (csv_Reader *)luaL_checkudata(L, 1, CSV_READER);
  lua_getiuservalue(L, 1, UV_INFO);
  lua_getfield(L, -1, "name");
  lua_pushfstring(L, "lcase.csv.Reader (%s%s)", lua_tostring(L, -1),
                  r->closed ? ", closed" : "");
  return 1;
}


/* __index: methods, then the info table (header, index, size, ...). */
static int reader_index (lua_State *L) {
  csv_Reader *r = (csv_Reader *)luaL_checkudata(L, 1, CSV_READER);
  lua_settop(L, 2);
  lua_pushvalue(L, 2);
  if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL) return 1;
  lua_pop(L, 1);
  if (lua_type(L, 2) == LUA_TSTRING && strcmp(lua_tostring(L, 2), "lineno") == 0) {
    lua_pushinteger(L, r->s.lineno);
    return 1;
  }
  lua_getiuservalue(L, 1, UV_INFO);
  lua_pushvalue(L, 2);
  lua_rawget(L, -2);
  return 1;
}


/* Trims Lua whitespace (%s) off both ends. */
static void push_trimmed (lua_State *L, const char *p, size_t n) {
  while (n > 0 && (*p == ' ' || (*p >= '\t' && *p <= '\r'))) { p++; n--; }
  while (n > 0 && (p[n - 1] == ' ' || (p[n - 1] >= '\t' && p[n - 1] <= '\r'))) n--;
  lua_pushlstring(L, p, n);
}


/*
** csv.open(path [, opts]) -> reader
** opts: sep, header (default true), name, check_utf8 (default true),
** fields (expected count without a header), handle (an open Lua file to
** read instead of path; closed by r:close()), empty (value of empty
** unquoted fields), on_bad (function(error) called for a record with the
** wrong number of fields, which is then skipped), max_record, block.
*/
static int csv_open (lua_State *L) {
  csv_Opts o;
  csv_Reader *r;
  int t = 0, info;
  if (!lua_isnoneornil(L, 2)) {
    luaL_checktype(L, 2, LUA_TTABLE);
    t = 2;
  }
  if (t == 0 || lua_getfield(L, t, "handle") == LUA_TNIL)
    luaL_checkstring(L, 1);   /* a path, unless opts.handle is given */
  lua_settop(L, 2);
  read_opts(L, t, &o, "open");
  r = (csv_Reader *)lua_newuserdatauv(L, sizeof(csv_Reader), 5);   /* 3 */
  memset(r, 0, sizeof *r);
  r->closed = 1;  /* until the source is open */
  src_init(&r->s);
  luaL_setmetatable(L, CSV_READER);
  lua_createtable(L, 8, 0);
  lua_setiuservalue(L, 3, UV_FIELDS);
  lua_createtable(L, 0, 8);                                         /* 4 */
  info = 4;
  lua_pushvalue(L, info);
  lua_setiuservalue(L, 3, UV_INFO);
  if (t) {
    if (lua_getfield(L, t, "empty") != LUA_TNIL) {
      r->has_empty = 1;
      lua_setiuservalue(L, 3, UV_EMPTY);
    }
    else lua_pop(L, 1);
    if (lua_getfield(L, t, "handle") != LUA_TNIL)
      lua_setiuservalue(L, 3, UV_HANDLE);
    else lua_pop(L, 1);
    if (opt_type(L, t, "on_bad", LUA_TFUNCTION, "open")) {
      r->has_onbad = 1;
      lua_setiuservalue(L, 3, UV_ONBAD);
    }
    else lua_pop(L, 1);
  }
  open_src(L, &r->s, 1, t, &o, "open");                           /* 5 name */
  r->closed = 0;
  lua_setfield(L, info, "name");
  lua_pushinteger(L, r->s.size >= 0 ? (lua_Integer)(r->s.size - r->s.start) : 0);
  lua_setfield(L, info, "size");
  lua_pushstring(L, lua_tostring(L, 1) ? lua_tostring(L, 1) : "");
  lua_setfield(L, info, "path");
  r->nfields = (int)o.fields;
  if (o.header) {
    int i, n, rc = src_next(&r->s);
    if (rc < 0) return reader_error(L, r, 3);
    if (rc == 0) {
      lua_getfield(L, info, "name");
      return raise_data(L, lua_tostring(L, -1), 1, NULL, "empty file: no header row");
    }
    n = r->s.nf;
    lua_createtable(L, n, 0);                                      /* 5 */
    lua_createtable(L, 0, n);                                      /* 6 */
    for (i = 0; i < n; i++) {
      const csv_Field *f = &r->s.fields[i];
      push_trimmed(L, r->s.buf + f->off, f->len);
      lua_pushvalue(L, -1);
      lua_rawseti(L, 5, i + 1);
      if (lua_rawget(L, 6) == LUA_TNIL) {  /* first column of that name */
        lua_rawgeti(L, 5, i + 1);
        lua_pushinteger(L, i + 1);
        lua_rawset(L, 6);
      }
      lua_pop(L, 1);
    }
    lua_setfield(L, info, "index");
    lua_setfield(L, info, "header");
    lua_pushinteger(L, r->s.recline);
    lua_setfield(L, info, "header_line");
    r->nfields = n;
  }
  if (r->nfields > 0) {
    lua_pushinteger(L, r->nfields);
    lua_setfield(L, info, "nfields");
  }
  lua_settop(L, 3);
  return 1;
}

/* }====================================================== */


/*
** {======================================================
** Bulk load
** =======================================================
*/

/* column classes for binding */
enum { C_TEXT, C_INTEGER, C_REAL, C_NUMERIC, C_NONE };

/* a field of a queued row: in the loader's arena */
typedef struct csv_Cell {
  size_t off, len;
  int kind;
} csv_Cell;

typedef struct csv_Load {
  csv_Src s;
  sqlite3 *db;
  sqlite3_stmt *q;          /* a query of the table's columns, while read */
  sqlite3_stmt *st;         /* INSERT of one row */
  sqlite3_stmt *stm;        /* INSERT of `multi` rows (NULL: one at a time) */
  int multi;
  int pending;              /* rows queued for stm */
  csv_Cell *cells;          /* multi * ncols */
  lua_Integer *lines;       /* first line of each queued row */
  char *arena;              /* the queued rows' field bytes */
  size_t acap, alen;
  int in_savepoint;
  int restore_cache;        /* cache_size to restore, when changed */
  int old_cache;
  int active;
  int ncols;                /* columns loaded, fields per record */
  const int *cls;           /* their classes (C_TEXT...), in LOAD_CLASSES */
  int skip_header, skip_bad;
  lua_Integer batch;        /* rows between on_progress calls */
  lua_Integer rows, skipped;
} csv_Load;

/* csv.load's stack */
#define LOAD_TABLE     4   /* opts.table */
#define LOAD_PROGRESS  5   /* opts.on_progress or nil */
#define LOAD_ONBAD     6   /* opts.on_bad or nil */
#define LOAD_GUARD     7   /* the csv_Load, to-be-closed */
#define LOAD_COLUMNS   8   /* column names */
#define LOAD_CLASSES   9   /* their classes (userdata) */
#define LOAD_INSERT    10  /* the one-row INSERT */
#define LOAD_NAME      11  /* the source's name in messages */


/* Undoes everything: rolls the savepoint back (if still open), restores
** the pragmas, finalizes, frees. Safe to call twice; never raises. */
static void load_cleanup (csv_Load *ld) {
  if (!ld->active) return;
  ld->active = 0;
  /* the statement goes last: if Lua code closed the connection meanwhile,
  ** it is a zombie that finalizing the statement frees (sqlite3_exec on a
  ** zombie only returns SQLITE_MISUSE) */
  if (ld->q != NULL) sqlite3_reset(ld->q);
  if (ld->st != NULL) sqlite3_reset(ld->st);
  if (ld->stm != NULL) sqlite3_reset(ld->stm);
  if (ld->in_savepoint) {
    sqlite3_exec(ld->db, "ROLLBACK TO lcase_csv_load; RELEASE lcase_csv_load",
                 NULL, NULL, NULL);
    ld->in_savepoint = 0;
  }
  if (ld->restore_cache) {
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA cache_size=%d", ld->old_cache);
    sqlite3_exec(ld->db, sql, NULL, NULL, NULL);
    ld->restore_cache = 0;
  }
  if (ld->q != NULL) {
    sqlite3_finalize(ld->q);
    ld->q = NULL;
  }
  if (ld->st != NULL) {
    sqlite3_finalize(ld->st);
    ld->st = NULL;
  }
  if (ld->stm != NULL) {
    sqlite3_finalize(ld->stm);
    ld->stm = NULL;
  }
  free(ld->cells); ld->cells = NULL;
  free(ld->lines); ld->lines = NULL;
  free(ld->arena); ld->arena = NULL;
  src_free(&ld->s);
}


static int load_gc (lua_State *L) {
  csv_Load *ld = (csv_Load *)luaL_checkudata(L, 1, CSV_LOADER);
  load_cleanup(ld);
  return 0;
}


/* SQLite's affinity of a declared type (section 3.1 of "Datatypes"). */
static int affinity_of (const char *decl) {
  char up[128];
  size_t i, n = decl ? strlen(decl) : 0;
  if (n == 0) return C_NONE;
  if (n >= sizeof up) n = sizeof up - 1;
  for (i = 0; i < n; i++) {
    char c = decl[i];
    up[i] = (c >= 'a' && c <= 'z') ? (char)(c - 32) : c;
  }
  up[n] = '\0';
  if (strstr(up, "INT")) return C_INTEGER;
  if (strstr(up, "CHAR") || strstr(up, "CLOB") || strstr(up, "TEXT")) return C_TEXT;
  if (strstr(up, "BLOB")) return C_NONE;
  if (strstr(up, "REAL") || strstr(up, "FLOA") || strstr(up, "DOUB")) return C_REAL;
  return C_NUMERIC;
}


/* Parses a plain integer: -?[0-9]{1,18} optionally followed by ".0...".
** Returns 1 and *v, or 0 (then the text is bound and SQLite converts).
** "-0" forms are left to SQLite. */
static int plain_integer (const char *p, size_t n, int *fraction,
                          sqlite3_int64 *v) {
  size_t i = 0, digits = 0;
  int neg = 0;
  sqlite3_int64 x = 0;
  *fraction = 0;
  if (n == 0) return 0;
  if (p[0] == '-') { neg = 1; i = 1; }
  for (; i < n && p[i] >= '0' && p[i] <= '9'; i++) {
    if (++digits > 18) return 0;  /* 18 digits always fit in 63 bits */
    x = x * 10 + (p[i] - '0');
  }
  if (digits == 0) return 0;
  if (i < n) {
    if (p[i] != '.' || i + 1 == n) return 0;
    for (i++; i < n; i++) if (p[i] != '0') return 0;
    *fraction = 1;
  }
  if (neg) {
    if (x == 0) return 0;
    x = -x;
  }
  *v = x;
  return 1;
}


/* Binds a field (len bytes at p, of kind `kind`) to parameter i for a
** column of class cls. */
static int bind_field (sqlite3_stmt *st, int i, const char *p, size_t len,
                       int kind, int cls) {
  sqlite3_int64 v;
  int fraction;
  if (len == 0) {
    if (kind == F_PLAIN || (cls != C_TEXT && cls != C_NONE))
      return sqlite3_bind_null(st, i);
    return sqlite3_bind_text(st, i, "", 0, SQLITE_STATIC);
  }
  switch (cls) {
    case C_INTEGER: case C_NUMERIC:
      if (plain_integer(p, len, &fraction, &v))
        return sqlite3_bind_int64(st, i, v);
      break;
    case C_REAL:
      if (plain_integer(p, len, &fraction, &v) && !fraction
          && v > -(1LL << 53) && v < (1LL << 53))
        return sqlite3_bind_double(st, i, (double)v);
      break;
    default: break;
  }
  return sqlite3_bind_text64(st, i, p, (sqlite3_uint64)len, SQLITE_STATIC,
                             SQLITE_UTF8);
}


/*
** Several rows per INSERT statement ("VALUES (...), (...), ...") take
** about a third less of SQLite's time per row than one statement per row
** (the statement's own work: opening the table, the transaction checks,
** halting). The rows of a batch are queued (their fields copied out of the
** read buffer, which moves) and inserted when CSV_MULTI are there; the last
** few, and any row before a callback, go one at a time. A statement that
** fails has undone its rows; they are then inserted one at a time to find
** the row that fails, so errors name the same line as before. Queued
** bytes beyond CSV_ARENA flush the rows queued so far. Only for
** tables where that is the same as one statement per row: no triggers, no
** FAIL or ROLLBACK conflict clause (FAIL keeps a failed statement's earlier
** rows, ROLLBACK ends the transaction), not virtual.
*/
static int multi_safe (sqlite3 *db, const char *tname) {
  static const char *const sql[] = {
    "SELECT type, upper(sql) FROM sqlite_schema WHERE tbl_name = ?1 COLLATE NOCASE",
    "SELECT type, upper(sql) FROM sqlite_temp_schema WHERE tbl_name = ?1 COLLATE NOCASE",
  };
  int k, ok = 1;
  for (k = 0; k < 2 && ok; k++) {
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db, sql[k], -1, &q, NULL) != SQLITE_OK) return 0;
    sqlite3_bind_text(q, 1, tname, -1, SQLITE_STATIC);
    while (ok && sqlite3_step(q) == SQLITE_ROW) {
      const char *type = (const char *)sqlite3_column_text(q, 0);
      const char *text = (const char *)sqlite3_column_text(q, 1);
      if (type == NULL || strcmp(type, "trigger") == 0) ok = 0;
      else if (text != NULL && (strstr(text, "FAIL") || strstr(text, "ROLLBACK")
                                || strstr(text, "VIRTUAL")))
        ok = 0;
    }
    sqlite3_finalize(q);
  }
  return ok;
}


/* Queues the current record for the multi-row INSERT. 0, or -1 when out
** of memory. */
static int queue_row (csv_Load *ld, int ncols) {
  const csv_Src *s = &ld->s;
  csv_Cell *c = ld->cells + (size_t)ld->pending * (size_t)ncols;
  size_t need = 0;
  int i;
  for (i = 0; i < ncols; i++) need += s->fields[i].len;
  if (need > ld->acap - ld->alen) {
    size_t ncap = ld->acap ? ld->acap : 65536;
    char *na;
    while (ncap - ld->alen < need) {
      if (ncap > SIZE_MAX / 2) return -1;
      ncap *= 2;
    }
    na = (char *)realloc(ld->arena, ncap);
    if (na == NULL) return -1;
    ld->arena = na;
    ld->acap = ncap;
  }
  for (i = 0; i < ncols; i++) {
    const csv_Field *f = &s->fields[i];
    if (f->len > 0) memcpy(ld->arena + ld->alen, s->buf + f->off, f->len);
    c[i].off = ld->alen;
    c[i].len = f->len;
    c[i].kind = f->kind;
    ld->alen += f->len;
  }
  ld->lines[ld->pending++] = s->recline;
  return 0;
}


/* Inserts one queued row with the one-row statement. */
static int insert_cells (csv_Load *ld, const csv_Cell *c, int ncols,
                         const int *cls) {
  int i, rc = SQLITE_OK;
  for (i = 0; i < ncols && rc == SQLITE_OK; i++)
    rc = bind_field(ld->st, i + 1, ld->arena + c[i].off, c[i].len, c[i].kind,
                    cls[i]);
  if (rc == SQLITE_OK) {
    rc = sqlite3_step(ld->st);
    if (rc == SQLITE_DONE) rc = sqlite3_reset(ld->st);
    else sqlite3_reset(ld->st);
  }
  return rc;
}


/* Inserts the queued rows: all in one statement when there are `multi`
** of them, else one at a time. SQLITE_OK, or the error with *line set to
** the line of the row that failed (errmsg on the connection). */
static int flush_rows (csv_Load *ld, int ncols, const int *cls,
                       lua_Integer *line) {
  int j, rc = SQLITE_OK, n = ld->pending;
  ld->pending = 0;
  if (n == 0) return SQLITE_OK;
  if (n == ld->multi && ld->stm != NULL) {
    int i, k = 0;
    for (j = 0; j < n && rc == SQLITE_OK; j++) {
      const csv_Cell *c = ld->cells + (size_t)j * (size_t)ncols;
      for (i = 0; i < ncols && rc == SQLITE_OK; i++)
        rc = bind_field(ld->stm, ++k, ld->arena + c[i].off, c[i].len,
                        c[i].kind, cls[i]);
    }
    if (rc == SQLITE_OK) {
      rc = sqlite3_step(ld->stm);
      if (rc == SQLITE_DONE) rc = sqlite3_reset(ld->stm);
      else sqlite3_reset(ld->stm);
    }
    if (rc == SQLITE_OK) { ld->alen = 0; return SQLITE_OK; }
    if (sqlite3_get_autocommit(ld->db)) {  /* the error ended the transaction */
      *line = ld->lines[0];
      ld->alen = 0;
      return rc;
    }
  }
  for (j = 0; j < n; j++) {
    rc = insert_cells(ld, ld->cells + (size_t)j * (size_t)ncols, ncols, cls);
    if (rc != SQLITE_OK) {
      *line = ld->lines[j];
      break;
    }
  }
  ld->alen = 0;
  return rc;
}


static void push_quoted_ident (luaL_Buffer *b, const char *s) {
  luaL_addchar(b, '"');
  for (; *s; s++) {
    if (*s == '"') luaL_addchar(b, '"');
    luaL_addchar(b, *s);
  }
  luaL_addchar(b, '"');
}


/* Calls the function pushed with nargs values after it; on error cleans up
** and re-raises. */
static void call_back (lua_State *L, csv_Load *ld, int nargs) {
  if (lua_pcall(L, nargs, 0, 0) != LUA_OK) {
    load_cleanup(ld);
    lua_error(L);
  }
}


/* Raises a data error for the load at `line` after cleanup. */
static int load_fail (lua_State *L, csv_Load *ld, lua_Integer line,
                      const char *msg) {
  /* the message may point into the buffer: copy it first */
  lua_pushstring(L, msg);
  load_cleanup(ld);
  return raise_data(L, lua_tostring(L, LOAD_NAME), line, NULL,
                    lua_tostring(L, -1));
}


/* Raises SQLite's message after cleanup. */
static int load_sqlite_fail (lua_State *L, csv_Load *ld) {
  char errbuf[256];
  snprintf(errbuf, sizeof errbuf, "sqlite: %s", sqlite3_errmsg(ld->db));
  load_cleanup(ld);
  return luaL_error(L, "%s", errbuf);
}


/* Pushes the list of column names (LOAD_COLUMNS): opts.columns, or the
** table's columns in order. The query is the guard's, so a failed
** allocation while reading it leaks nothing. */
static void push_columns (lua_State *L, csv_Load *ld, const char *tname) {
  int i, n = 0;
  if (opt_type(L, 3, "columns", LUA_TTABLE, "load")) {
    n = (int)luaL_len(L, LOAD_COLUMNS);
    for (i = 1; i <= n; i++) {
      if (lua_rawgeti(L, LOAD_COLUMNS, i) != LUA_TSTRING)
        luaL_error(L, "bad option 'columns' to 'load' (list of names expected)");
      lua_pop(L, 1);
    }
  }
  else {
    lua_pop(L, 1);
    lua_newtable(L);
    if (sqlite3_prepare_v2(ld->db, "SELECT name FROM pragma_table_info(?1) ORDER BY cid",
                           -1, &ld->q, NULL) != SQLITE_OK)
      luaL_error(L, "sqlite: %s", sqlite3_errmsg(ld->db));
    sqlite3_bind_text(ld->q, 1, tname, -1, SQLITE_STATIC);
    while (sqlite3_step(ld->q) == SQLITE_ROW) {
      lua_pushstring(L, (const char *)sqlite3_column_text(ld->q, 0));
      lua_rawseti(L, LOAD_COLUMNS, ++n);
    }
    sqlite3_finalize(ld->q);
    ld->q = NULL;
  }
  if (n == 0) luaL_error(L, "load: no table '%s' (or no columns)", tname);
  ld->ncols = n;
}


/* Pushes the columns' classes for binding (LOAD_CLASSES): from opts.types,
** or from the declared types. */
static void push_classes (lua_State *L, csv_Load *ld, const char *tname) {
  int i, ncols = ld->ncols;
  int *cls = (int *)lua_newuserdatauv(L, sizeof(int) * (size_t)ncols, 0);
  if (opt_type(L, 3, "types", LUA_TTABLE, "load")) {
    int types = lua_gettop(L);
    for (i = 1; i <= ncols; i++) {
      if (lua_rawgeti(L, types, i) != LUA_TSTRING)
        luaL_error(L, "bad option 'types' to 'load' (one type name per column)");
      cls[i - 1] = affinity_of(lua_tostring(L, -1));
      lua_pop(L, 1);
    }
  }
  else {
    if (sqlite3_prepare_v2(ld->db, "SELECT type FROM pragma_table_info(?1) WHERE name = ?2",
                           -1, &ld->q, NULL) != SQLITE_OK)
      luaL_error(L, "sqlite: %s", sqlite3_errmsg(ld->db));
    for (i = 1; i <= ncols; i++) {
      lua_rawgeti(L, LOAD_COLUMNS, i);
      sqlite3_bind_text(ld->q, 1, tname, -1, SQLITE_STATIC);
      sqlite3_bind_text(ld->q, 2, lua_tostring(L, -1), -1, SQLITE_TRANSIENT);
      cls[i - 1] = sqlite3_step(ld->q) == SQLITE_ROW
                   ? affinity_of((const char *)sqlite3_column_text(ld->q, 0)) : C_NONE;
      sqlite3_reset(ld->q);
      lua_pop(L, 1);
    }
    sqlite3_finalize(ld->q);
    ld->q = NULL;
  }
  lua_settop(L, LOAD_CLASSES);
  ld->cls = cls;
}


/* Pushes the one-row INSERT (LOAD_INSERT). */
static void push_insert (lua_State *L, const char *tname, int ncols) {
  luaL_Buffer b;
  int i;
  luaL_buffinit(L, &b);
  luaL_addstring(&b, "INSERT INTO ");
  push_quoted_ident(&b, tname);
  luaL_addstring(&b, " (");
  for (i = 1; i <= ncols; i++) {
    const char *c;
    lua_rawgeti(L, LOAD_COLUMNS, i);
    c = lua_tostring(L, -1);
    lua_pop(L, 1);   /* the name stays anchored in the columns table */
    if (i > 1) luaL_addchar(&b, ',');
    push_quoted_ident(&b, c);
  }
  luaL_addstring(&b, ") VALUES (");
  for (i = 1; i <= ncols; i++) luaL_addstring(&b, i > 1 ? ",?" : "?");
  luaL_addchar(&b, ')');
  luaL_pushresult(&b);
}


/* Prepares the one-row INSERT and, where it is the same as one row at a
** time, the multi-row one with its queue. */
static void prepare_inserts (lua_State *L, csv_Load *ld, const char *tname) {
  sqlite3 *db = ld->db;
  const char *one = lua_tostring(L, LOAD_INSERT);
  int i, ncols = ld->ncols;
  if (sqlite3_prepare_v2(db, one, -1, &ld->st, NULL) != SQLITE_OK)
    load_sqlite_fail(L, ld);
  ld->multi = CSV_MULTI;
  if (ld->multi > sqlite3_limit(db, SQLITE_LIMIT_VARIABLE_NUMBER, -1) / ncols)
    ld->multi = sqlite3_limit(db, SQLITE_LIMIT_VARIABLE_NUMBER, -1) / ncols;
  if (ld->multi > 1 && multi_safe(db, tname)) {
    size_t n1 = strlen(one), more = (size_t)ncols * 2 + 2;
    char *sql = (char *)malloc(n1 + (size_t)(ld->multi - 1) * more + 1);
    ld->cells = (csv_Cell *)malloc(sizeof(csv_Cell) * (size_t)ld->multi * (size_t)ncols);
    ld->lines = (lua_Integer *)malloc(sizeof(lua_Integer) * (size_t)ld->multi);
    if (sql != NULL && ld->cells != NULL && ld->lines != NULL) {
      char *e = sql + n1;
      int k;
      memcpy(sql, one, n1);
      for (k = 1; k < ld->multi; k++) {
        *e++ = ',';
        *e++ = '(';
        for (i = 0; i < ncols; i++) {
          if (i > 0) *e++ = ',';
          *e++ = '?';
        }
        *e++ = ')';
      }
      *e = '\0';
      if (sqlite3_prepare_v2(db, sql, -1, &ld->stm, NULL) != SQLITE_OK) ld->stm = NULL;
    }
    free(sql);
  }
  if (ld->stm == NULL) ld->multi = 1;
}


/* Bulk-load settings (restored by load_cleanup) and the savepoint that
** makes the load all or nothing. */
static void begin_load (lua_State *L, csv_Load *ld) {
  sqlite3_stmt *q;
  if (sqlite3_prepare_v2(ld->db, "PRAGMA cache_size", -1, &q, NULL) == SQLITE_OK) {
    if (sqlite3_step(q) == SQLITE_ROW) {
      int old = sqlite3_column_int(q, 0);
      if (old > -CSV_CACHE_KIB && old < CSV_CACHE_KIB / 4) {  /* pages or KiB */
        char sql[64];
        ld->old_cache = old;
        ld->restore_cache = 1;
        snprintf(sql, sizeof sql, "PRAGMA cache_size=-%d", CSV_CACHE_KIB);
        sqlite3_finalize(q);
        q = NULL;
        sqlite3_exec(ld->db, sql, NULL, NULL, NULL);
      }
    }
    sqlite3_finalize(q);
  }
  if (sqlite3_exec(ld->db, "SAVEPOINT lcase_csv_load", NULL, NULL, NULL) != SQLITE_OK)
    load_sqlite_fail(L, ld);
  ld->in_savepoint = 1;
}


/* Inserts the queued rows. They go in before anything else happens: an
** error of an earlier row comes first, and callbacks see every row read
** so far. */
static void flush_or_fail (lua_State *L, csv_Load *ld) {
  lua_Integer line = 0;
  if (ld->pending > 0 && flush_rows(ld, ld->ncols, ld->cls, &line) != SQLITE_OK) {
    char errbuf[256];
    snprintf(errbuf, sizeof errbuf, "%s", sqlite3_errmsg(ld->db));
    load_fail(L, ld, line, errbuf);
  }
}


/* The current record has the wrong number of fields or is not UTF-8 (rc
** < 0): fail, or with skip_bad count it as skipped and tell on_bad. */
static void skip_or_fail (lua_State *L, csv_Load *ld, int rc) {
  csv_Src *s = &ld->s;
  flush_or_fail(L, ld);
  if (rc < 0 && (!ld->skip_bad || strncmp(s->err, "not UTF-8", 9) != 0))
    load_fail(L, ld, s->errline, s->err);
  if (rc > 0) {
    snprintf(s->err, sizeof s->err, "expected %d fields, found %d", ld->ncols,
             s->nf);
    s->errline = s->recline;
  }
  if (!ld->skip_bad) load_fail(L, ld, s->errline, s->err);
  ld->skipped++;
  if (lua_isfunction(L, LOAD_ONBAD)) {
    lua_Integer line = s->errline;
    lua_pushvalue(L, LOAD_ONBAD);
    lua_pushinteger(L, line);
    lua_pushstring(L, s->err);
    call_back(L, ld, 2);
    ldb_checkdb(L, 1);  /* still open? */
  }
}


/* Inserts the current record: queued for the multi-row INSERT, or at once. */
static void insert_record (lua_State *L, csv_Load *ld) {
  const csv_Src *s = &ld->s;
  int i, rc = SQLITE_OK, ncols = ld->ncols;
  if (ld->multi > 1) {
    size_t need = 0;
    /* long records: fewer at a time (memory stays near the longest one) */
    for (i = 0; i < ncols; i++) need += s->fields[i].len;
    if (ld->pending > 0 && ld->alen + need > CSV_ARENA) flush_or_fail(L, ld);
    if (queue_row(ld, ncols) != 0) {
      load_cleanup(ld);
      luaL_error(L, "load: not enough memory");
    }
    if (ld->pending == ld->multi) flush_or_fail(L, ld);
    return;
  }
  for (i = 0; i < ncols && rc == SQLITE_OK; i++) {
    const csv_Field *f = &s->fields[i];
    rc = bind_field(ld->st, i + 1, s->buf + f->off, f->len, f->kind, ld->cls[i]);
  }
  if (rc == SQLITE_OK) {
    rc = sqlite3_step(ld->st);
    if (rc == SQLITE_DONE) rc = sqlite3_reset(ld->st);
    else sqlite3_reset(ld->st);
  }
  if (rc != SQLITE_OK) {
    char errbuf[256];
    snprintf(errbuf, sizeof errbuf, "%s", sqlite3_errmsg(ld->db));
    load_fail(L, ld, s->recline, errbuf);
  }
}


/* Calls on_progress(rows, bytes, total_bytes). */
static void report_progress (lua_State *L, csv_Load *ld) {
  const csv_Src *s = &ld->s;
  lua_pushvalue(L, LOAD_PROGRESS);
  lua_pushinteger(L, ld->rows);
  lua_pushinteger(L, (lua_Integer)src_tell(s));
  lua_pushinteger(L, (lua_Integer)(s->size >= 0 ? s->size - s->start : 0));
  call_back(L, ld, 3);
}


/* Reads and inserts every record. */
static void load_records (lua_State *L, csv_Load *ld) {
  int rc;
  if (ld->skip_header) {
    rc = src_next(&ld->s);
    if (rc < 0) load_fail(L, ld, ld->s.errline, ld->s.err);
  }
  while ((rc = src_next(&ld->s)) != 0) {
    if (rc < 0 || ld->s.nf != ld->ncols) {
      skip_or_fail(L, ld, rc);
      continue;
    }
    insert_record(L, ld);
    ld->rows++;
    if (ld->rows % ld->batch == 0 && lua_isfunction(L, LOAD_PROGRESS)) {
      flush_or_fail(L, ld);
      report_progress(L, ld);
      if (ldb_checkdb(L, 1) != ld->db) {
        load_cleanup(ld);
        luaL_error(L, "load: the connection changed during the load");
      }
    }
  }
  flush_or_fail(L, ld);
}


/* Finalizes the INSERTs and releases the savepoint: the rows are in. */
static void end_load (lua_State *L, csv_Load *ld) {
  sqlite3_finalize(ld->st);
  ld->st = NULL;
  if (ld->stm != NULL) {
    sqlite3_finalize(ld->stm);
    ld->stm = NULL;
  }
  if (sqlite3_exec(ld->db, "RELEASE lcase_csv_load", NULL, NULL, NULL) != SQLITE_OK)
    load_sqlite_fail(L, ld);
  ld->in_savepoint = 0;
  if (lua_isfunction(L, LOAD_PROGRESS)) report_progress(L, ld);
}


/*
** csv.load(db, path, opts) -> rows loaded, rows skipped
** opts: table (required), columns (list; default the table's columns in
** order), types (list of INTEGER, REAL, NUMERIC, TEXT or BLOB per column;
** default the declared types), skip_header (default true), batch (rows
** between on_progress calls, default 65536), on_progress(rows, bytes,
** total_bytes), skip_bad (skip rows with a wrong field count or bad UTF-8
** instead of failing), on_bad(line, message), sep, name, handle,
** check_utf8, max_record. The file's records must have one field per
** column.
**
** Every step below runs with the guard (a to-be-closed csv_Load) on the
** stack, which finalizes, rolls back and frees whatever was done when a
** step raises, an allocation under the memory cap included.
*/
static int csv_load (lua_State *L) {
  csv_Opts o;
  csv_Load *ld;
  sqlite3 *db = ldb_checkdb(L, 1);
  const char *tname;
  int skip_header, skip_bad;
  lua_Integer batch;
  if (lua_type(L, 2) != LUA_TSTRING && lua_type(L, 2) != LUA_TNIL)
    luaL_typeerror(L, 2, "string");
  luaL_checktype(L, 3, LUA_TTABLE);
  lua_settop(L, 3);
  read_opts(L, 3, &o, "load");
  if (lua_getfield(L, 3, "table") != LUA_TSTRING)                  /* 4 */
    return luaL_error(L, "bad option 'table' to 'load' (string expected)");
  tname = lua_tostring(L, LOAD_TABLE);
  skip_header = opt_boolean(L, 3, "skip_header", 1, "load");
  skip_bad = opt_boolean(L, 3, "skip_bad", 0, "load");
  batch = opt_integer(L, 3, "batch", CSV_BATCH, 1, "load");
  opt_type(L, 3, "on_progress", LUA_TFUNCTION, "load");            /* 5 */
  opt_type(L, 3, "on_bad", LUA_TFUNCTION, "load");                 /* 6 */
  ld = (csv_Load *)lua_newuserdatauv(L, sizeof(csv_Load), 0);      /* 7 */
  memset(ld, 0, sizeof *ld);
  src_init(&ld->s);
  luaL_setmetatable(L, CSV_LOADER);
  lua_toclose(L, LOAD_GUARD);
  ld->db = db;
  ld->active = 1;
  ld->skip_header = skip_header;
  ld->skip_bad = skip_bad;
  ld->batch = batch;
  push_columns(L, ld, tname);                                      /* 8 */
  push_classes(L, ld, tname);                                      /* 9 */
  push_insert(L, tname, ld->ncols);                                /* 10 */
  open_src(L, &ld->s, 2, 3, &o, "load");                           /* 11 */
  prepare_inserts(L, ld, tname);
  begin_load(L, ld);
  load_records(L, ld);
  end_load(L, ld);
  load_cleanup(ld);
  lua_pushinteger(L, ld->rows);
  lua_pushinteger(L, ld->skipped);
  return 2;
}

/* }====================================================== */


static const luaL_Reg reader_methods[] = {
  {"next", reader_next},
  {"next_values", reader_next_values},
  {"rows", reader_rows},
  {"urows", reader_urows},
  {"line", reader_line},
  {"pos", reader_pos},
  {"record", reader_record},
  {"require", reader_require},
  {"close", reader_close},
  {NULL, NULL}
};

static const luaL_Reg csv_funcs[] = {
  {"open", csv_open},
  {"load", csv_load},
  {NULL, NULL}
};


int luaopen_lcase_csv (lua_State *L) {
  luaL_checkversion(L);
  if (luaL_newmetatable(L, CSV_READER)) {
    luaL_newlib(L, reader_methods);
    lua_pushcclosure(L, reader_index, 1);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, reader_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, reader_close);
    lua_setfield(L, -2, "__close");
    lua_pushcfunction(L, reader_tostring);
    lua_setfield(L, -2, "__tostring");
  }
  lua_pop(L, 1);
  if (luaL_newmetatable(L, CSV_LOADER)) {
    lua_pushcfunction(L, load_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, load_gc);
    lua_setfield(L, -2, "__close");
    lua_pushliteral(L, "locked");
    lua_setfield(L, -2, "__metatable");
  }
  lua_pop(L, 1);
  luaL_newlib(L, csv_funcs);
  return 1;
}
