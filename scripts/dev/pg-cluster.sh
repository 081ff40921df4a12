#!/bin/sh
# pg-cluster.sh start|stop|uri DIR -- a throw-away PostgreSQL cluster in DIR.
#
#   scripts/dev/pg-cluster.sh start /tmp/lcase-pg   # prints the libpq URI
#   export LCASE_TEST_PG="$(scripts/dev/pg-cluster.sh uri /tmp/lcase-pg)"
#   scripts/dev/pg-cluster.sh stop /tmp/lcase-pg    # stops it, removes DIR
#
# The cluster (Debian's postgresql package: initdb and pg_ctl from
# /usr/lib/postgresql/VERSION/bin) listens on no TCP port at all, only on a
# Unix socket in DIR (listen_addresses=''), with one database and one
# superuser role, both named lcase, trusted on that socket: DIR is made
# readable by its owner only. Run as root (CI), the server runs as the
# 'postgres' user (PostgreSQL refuses to run as root). Exit status: 0 done,
# 2 usage, 3 PostgreSQL is not installed, 1 anything else (the server's log
# is printed).
set -eu

usage() { echo "usage: $0 start|stop|uri DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
cmd=$1
dir=$2
case $dir in /*) ;; *) dir=$(pwd)/$dir ;; esac

bindir=
for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
  if [ -x "$d/initdb" ]; then bindir=$d; break; fi
done

uri() { printf 'postgresql:///lcase?host=%s&user=lcase\n' "$dir"; }

# as_owner CMD...: run as the cluster's owner (postgres when we are root).
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case $cmd in
  start)
    [ -n "$bindir" ] || { echo "$0: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 3; }
    if [ -f "$dir/data/postmaster.pid" ]; then
      echo "$0: a cluster already runs in $dir" >&2; exit 1
    fi
    mkdir -p "$dir"
    chmod 700 "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_owner "$bindir/initdb" -D "$dir/data" -U lcase --auth=trust -E UTF8 --locale=C.UTF-8 \
        >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    if ! as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c fsync=off" start >/dev/null; then
      cat "$dir/server.log" >&2; exit 1
    fi
    as_owner "$bindir/psql" -h "$dir" -U lcase -d postgres -Atqc \
      "SELECT 1 FROM pg_database WHERE datname = 'lcase'" | grep -q 1 ||
      as_owner "$bindir/createdb" -h "$dir" -U lcase lcase
    uri
    ;;
  stop)
    if [ -n "$bindir" ] && [ -f "$dir/data/postmaster.pid" ]; then
      as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    fi
    if [ -f "$dir/data/PG_VERSION" ]; then rm -rf "$dir"; fi
    ;;
  uri) uri ;;
  *) usage ;;
esac
