/*
** cloop.c -- the minimal C baselines the benchmark compares lcase with:
**   cloop import FILE.csv DB   RFC 4180 reader + one prepared INSERT, one transaction
**   cloop iterate DB           sqlite3_step over raw_entries, summing description lengths
**   cloop iterate-st DB        the same with SQLite in single-thread mode (no mutexes)
** Not part of lcase; built by scripts/bench/run.sh into the bench work folder.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

#define NCOL 6

static void die(sqlite3 *db, const char *what) {
  fprintf(stderr, "cloop: %s: %s\n", what, db ? sqlite3_errmsg(db) : "error");
  exit(1);
}

static const char *SCHEMA =
  "CREATE TABLE IF NOT EXISTS raw_entries(case_id INTEGER, entry_number INTEGER,"
  " date_filed TEXT, description TEXT, party TEXT, kind TEXT)";

static int import(const char *path, const char *dbpath) {
  sqlite3 *db;
  sqlite3_stmt *st;
  FILE *f = fopen(path, "rb");
  static char buf[1 << 16];
  char *field = malloc(1 << 20);
  size_t flen = 0;
  int col = 0, inq = 0, header = 1, c, prevq = 0;
  long rows = 0;
  if (!f || !field) { perror(path); return 1; }
  setvbuf(f, buf, _IOFBF, sizeof buf);
  if (sqlite3_open(dbpath, &db) != SQLITE_OK) die(db, "open");
  sqlite3_exec(db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;", 0, 0, 0);
  if (sqlite3_exec(db, SCHEMA, 0, 0, 0) != SQLITE_OK) die(db, "schema");
  if (sqlite3_prepare_v2(db, "INSERT INTO raw_entries VALUES(?,?,?,?,?,?)", -1, &st, 0)) die(db, "prepare");
  sqlite3_exec(db, "BEGIN", 0, 0, 0);
  while ((c = getc(f)) != EOF) {
    if (inq) {
      if (c == '"') { inq = 0; prevq = 1; continue; }
      field[flen++] = (char)c;
      continue;
    }
    if (c == '"') { if (prevq) field[flen++] = '"'; inq = 1; prevq = 0; continue; }
    prevq = 0;
    if (c == ',' || c == '\n') {
      if (!header && col < NCOL)
        sqlite3_bind_text(st, col + 1, field, (int)flen, SQLITE_TRANSIENT);
      flen = 0;
      col++;
      if (c == '\n') {
        if (!header) {
          if (sqlite3_step(st) != SQLITE_DONE) die(db, "insert");
          sqlite3_reset(st);
          rows++;
        }
        header = 0;
        col = 0;
      }
      continue;
    }
    if (c != '\r') field[flen++] = (char)c;
  }
  sqlite3_exec(db, "COMMIT", 0, 0, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  fclose(f);
  free(field);
  printf("%ld\n", rows);
  return 0;
}

static int iterate(const char *dbpath, int single_thread) {
  sqlite3 *db;
  sqlite3_stmt *st;
  long long total = 0;
  /* SQLite's default (serialized) mode, as a minimal program gets it; or
  ** single-thread mode, as lcase configures it */
  if (single_thread) sqlite3_config(SQLITE_CONFIG_SINGLETHREAD);
  if (sqlite3_open(dbpath, &db) != SQLITE_OK) die(db, "open");
  if (sqlite3_prepare_v2(db, "SELECT case_id, entry_number, date_filed, description, party, kind FROM raw_entries", -1, &st, 0))
    die(db, "prepare");
  while (sqlite3_step(st) == SQLITE_ROW) {
    int i;
    for (i = 0; i < 6; i++) {
      /* read each value as the Lua bindings must: integers as int64, text as bytes */
      if (sqlite3_column_type(st, i) == SQLITE_INTEGER) (void)sqlite3_column_int64(st, i);
      else (void)sqlite3_column_text(st, i);
    }
    total += sqlite3_column_bytes(st, 3);
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  printf("%lld\n", total);
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 4 && strcmp(argv[1], "import") == 0) return import(argv[2], argv[3]);
  if (argc == 3 && strcmp(argv[1], "iterate") == 0) return iterate(argv[2], 0);
  if (argc == 3 && strcmp(argv[1], "iterate-st") == 0) return iterate(argv[2], 1);
  fprintf(stderr, "usage: cloop import FILE DB | cloop iterate DB | cloop iterate-st DB\n");
  return 2;
}
