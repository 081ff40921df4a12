# lcase -- build, test, demo, bench, install.  Plain GNU make.

VERSION = 0.1.0
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
SHAREDIR ?= $(PREFIX)/share/lcase
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
DESTDIR ?=

CC ?= cc
CFLAGS ?= -O2
WARNFLAGS = -Wall -Wextra -std=c11 -pedantic
PKGS = lua5.4 sqlite3 libedit libpq
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null || echo -I/usr/include/lua5.4 -I/usr/include/editline -I/usr/include/postgresql)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -llua5.4 -lsqlite3 -ledit -lpq)
CPPFLAGS += -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -Icore \
	-DLCASE_VERSION='"$(VERSION)"' -DLCASE_SHARE_DIR='"$(SHAREDIR)"' $(PKG_CFLAGS)
LDLIBS = $(PKG_LIBS) -lm

# Debian packages lcase needs to build, test and demo (make deps).
DEPS = build-essential pkg-config liblua5.4-dev lua5.4 libsqlite3-dev sqlite3 \
	libedit-dev lua-filesystem lua-busted lua-cjson lua-lpeg lua-expat \
	lua-argparse graphviz tmux valgrind lua-check mandoc bash-completion libpq-dev
BENCH_DEPS = lua-sql-sqlite3 hyperfine time sqlite-utils python3
# A PostgreSQL server, to run the specs on PostgreSQL too (make pg-deps;
# .ci/run starts a throw-away cluster with scripts/dev/pg-cluster.sh).
PG_DEPS = postgresql
# Headless Chromium, to look at the HTML reports (large, so not in DEPS).
SCREENSHOT_DEPS = chromium

SRCS = $(sort $(wildcard core/*.c))
RUNTIME = $(sort $(shell find core/lua -name '*.lua'))
OBJS = $(SRCS:core/%.c=build/%.o) build/runtime.o
ASAN_OBJS = $(SRCS:core/%.c=build-asan/%.o) build-asan/runtime.o
ASAN_FLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined -g -O1

BUSTED = busted
SPEC ?= spec

.PHONY: all deps bench-deps pg-deps screenshot-deps screenshot test asan valgrind lint demo bench news-score install uninstall clean

all: lcase

lcase: $(OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(LDLIBS)

build/%.o: core/%.c | build
	$(CC) $(WARNFLAGS) $(CFLAGS) $(CPPFLAGS) -MMD -MP -c -o $@ $<

# The runtime is embedded as bytecode made by the very Lua library lcase links.
build/luarun: scripts/dev/luarun.c | build
	$(CC) $(WARNFLAGS) $(CFLAGS) $(CPPFLAGS) $(LDFLAGS) -o $@ $< $(LDLIBS)

build/runtime.c: scripts/dev/embed.lua build/luarun $(RUNTIME) | build
	build/luarun scripts/dev/embed.lua core/lua $@ $(RUNTIME)

build/runtime.o: build/runtime.c
	$(CC) $(CFLAGS) $(CPPFLAGS) -c -o $@ $<

build build-asan out:
	mkdir -p $@

# Sanitizer build: the same sources, ASan + UBSan.
lcase-asan: $(ASAN_OBJS)
	$(CC) $(ASAN_FLAGS) $(LDFLAGS) -o $@ $(ASAN_OBJS) $(LDLIBS)

build-asan/%.o: core/%.c | build-asan
	$(CC) $(WARNFLAGS) $(ASAN_FLAGS) $(CPPFLAGS) -MMD -MP -c -o $@ $<

build-asan/runtime.o: build/runtime.c | build-asan
	$(CC) $(ASAN_FLAGS) $(CPPFLAGS) -c -o $@ $<

-include $(wildcard build/*.d build-asan/*.d)

# SHAREDIR is compiled into lcase.o (the fallback when the binary does not
# sit in PREFIX/bin beside PREFIX/share/lcase). The stamp's name spells
# SHAREDIR, so lcase.o is rebuilt whenever SHAREDIR differs from the build's.
SHAREDIR_STAMP = build/sharedir.$(subst /,_,$(SHAREDIR))
$(SHAREDIR_STAMP): | build
	rm -f build/sharedir.*
	echo '$(SHAREDIR)' > $@
build/lcase.o build-asan/lcase.o: $(SHAREDIR_STAMP)

# Install the Debian packages that are missing (as root, or with sudo).
deps:
	@missing=""; for p in $(DEPS); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing$$missing"; \
	  SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q $$missing; \
	else echo "make deps: all packages present"; fi

bench-deps:
	@$(MAKE) --no-print-directory deps DEPS="$(BENCH_DEPS)"

screenshot-deps:
	@$(MAKE) --no-print-directory deps DEPS="$(SCREENSHOT_DEPS)"

pg-deps:
	@$(MAKE) --no-print-directory deps DEPS="$(PG_DEPS)"

# Render out/brief.html (make demo) in headless Chromium to out/brief.png.
screenshot: screenshot-deps
	@scripts/screenshot.sh out/brief.html out/brief.png

# The specs, run inside the real host (busted re-executes itself under ./lcase).
test: lcase
	LCASE_BIN=$(CURDIR)/lcase $(BUSTED) --lua=$(CURDIR)/lcase $(SPEC)

asan: lcase-asan
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	LCASE_BIN=$(CURDIR)/lcase-asan $(BUSTED) --lua=$(CURDIR)/lcase-asan $(SPEC)

valgrind: lcase
	valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
	  ./lcase spec/support/valgrind_smoke.lua
	valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
	  ./lcase spec/support/valgrind_csv.lua

# Static checks of the Lua runtime, plugins and scripts (settings: .luacheckrc).
lint:
	luacheck -q --no-color core/lua plugins scripts

demo: deps lcase
	@scripts/demo.sh

bench: lcase
	@scripts/bench/run.sh

# The news importer on the real-article development set (data/articles/README.md):
# a table per article and per kind of fact, dev and held-out apart.
news-score: lcase
	@./lcase scripts/news-score.lua data/articles/dev data/articles/heldout

# What goes under SHAREDIR: the built-in plugins, the demo data, the
# example scripts, batches and schedules (paths relative to the checkout,
# installed at the same place under SHAREDIR).
SHARE_FILES = $(sort $(shell find plugins data -type f) \
	$(addprefix scripts/,README.md brief.lua dispute-summary.lua party-report.lua nightly.lua \
	  weekly-party.lua news-score.lua lcase.crontab) \
	$(shell find scripts/examples scripts/systemd -type f))
SHARE_DIRS = $(sort $(patsubst %/,%,$(dir $(SHARE_FILES))))

# Install as a Debian package would lay it out; `make uninstall` removes
# exactly these files, then the folders they leave empty.
install: lcase
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR) \
	  $(addprefix $(DESTDIR)$(SHAREDIR)/,$(SHARE_DIRS))
	install -m 755 lcase $(DESTDIR)$(BINDIR)/lcase
	install -m 644 core/lcase.1 $(DESTDIR)$(MANDIR)/man1/lcase.1
	install -m 644 core/lcase.bash-completion $(DESTDIR)$(BASHCOMPDIR)/lcase
	for f in $(SHARE_FILES); do install -m 644 $$f $(DESTDIR)$(SHAREDIR)/$$f || exit 1; done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/lcase $(DESTDIR)$(MANDIR)/man1/lcase.1 $(DESTDIR)$(BASHCOMPDIR)/lcase
	rm -f $(addprefix $(DESTDIR)$(SHAREDIR)/,$(SHARE_FILES))
	for d in $(SHARE_DIRS); do \
	  while [ "$$d" != . ]; do rmdir --ignore-fail-on-non-empty $(DESTDIR)$(SHAREDIR)/$$d; d=$$(dirname $$d); done; \
	done
	rmdir --ignore-fail-on-non-empty $(DESTDIR)$(SHAREDIR)

clean:
	rm -rf build build-asan lcase lcase-asan
