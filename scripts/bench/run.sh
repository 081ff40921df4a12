#!/bin/sh
# make bench: builds the C baseline, installs the peers if missing, and runs
# the benchmark driver under ./lcase. Data goes to $BENCH_DIR (outside the
# repo, default /tmp/lcase-bench); the report to out/bench.md.
set -eu
cd "$(dirname "$0")/../.."
BENCH_DIR=${BENCH_DIR:-/tmp/lcase-bench}
mkdir -p "$BENCH_DIR" out
make --no-print-directory bench-deps >/dev/null
cc -O2 -o "$BENCH_DIR/cloop" scripts/bench/cloop.c -lsqlite3
exec ./lcase scripts/bench/bench.lua "$BENCH_DIR" out/bench.md "$@"
