# SpeakUp: report a concern at a terminal.
#   make run     open the reporter form on your own embedded store
#   make test    build and run every test (unit, snapshot, store, end-to-end in tmux)
#   make bench   run the benchmarks (writes figures to stdout; see docs/performance.md);
#                one part: make bench BENCH_ARGS="--only subjects"
#   make torture the release binary through kill -9, injected faults, a stopped writer, a full disk
#                and hostile files (docs/reliability.md); before each stop: make torture TORTURE_ARGS=--short;
#                replay a run: make torture TORTURE_ARGS="--seed N"
#   make install PREFIX=/usr/local   a release build with the Swift runtime linked in, for one person
#   sudo make install PREFIX=/usr/local STORE=/var/lib/speakup   for a shared host (docs/deployment.md)

SHELL := /bin/bash
PREFIX ?= /usr/local
# A shared store's folder; empty installs for one person (each user gets their own store).
STORE ?=
GROUP ?= speakup
SWIFT ?= swift
# postgresql: initdb and pg_ctl for the throwaway cluster the PostgreSQL tests start (Tests/TestPostgres).
APT_PACKAGES = libncurses-dev libsqlite3-dev tmux ncurses-base sqlite3 openssh-server openssh-client strace postgresql openssl

.PHONY: all deps build run test bench torture install install-built clean

all: build

# Installs the system packages SpeakUp builds and tests with, if any are missing.
deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  if [ "$$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build

run: build
	@$$($(SWIFT) build --show-bin-path)/speakup

# Tests that need root (real users, an SSH server) skip themselves elsewhere; the summary
# then says so loudly, rather than let a green run look like a whole one. CI runs as root.
test: build
	@set -o pipefail; SPEAKUP_BIN=$$($(SWIFT) build --show-bin-path)/speakup $(SWIFT) test 2>&1 | tee .build/test-output.txt \
	  || { echo; echo "FAILED. What failed, again at the end so that a log's tail shows it:"; \
	       grep -a -E '✘|error: Exited|Fatal error' .build/test-output.txt | grep -a -v 'Test run with' | cut -c1-600 | tail -n 40 | sed 's/^/    /'; exit 1; }
	@skipped=$$(grep -E '(Test|Suite) ".*" skipped' .build/test-output.txt || true); \
	if [ -n "$$skipped" ]; then \
	  echo; echo "NOT EVERYTHING RAN. These were skipped, with why (CI runs them as root):"; \
	  echo "$$skipped" | sed 's/^/    /'; echo; \
	fi

# The release build is the one `make install` ships: Swift runtime linked in.
RELEASE = $(SWIFT) build -c release --static-swift-stdlib

bench: deps
	$(RELEASE)
	$$($(SWIFT) build -c release --show-bin-path)/speakup-bench --speakup $$($(SWIFT) build -c release --show-bin-path)/speakup $(BENCH_ARGS)

# Proves no acknowledged report is lost or altered through faults; exits 1 if any is (docs/reliability.md).
torture: deps
	$(RELEASE) --product speakup
	$(RELEASE) --product speakup-torture
	$$($(SWIFT) build -c release --show-bin-path)/speakup-torture --speakup $$($(SWIFT) build -c release --show-bin-path)/speakup $(TORTURE_ARGS)

install: deps
	$(RELEASE) --product speakup
	@$(MAKE) --no-print-directory install-built BIN="$$($(SWIFT) build -c release --show-bin-path)/speakup"

# Installs an already built binary (BIN=path). With STORE, for a shared host: the
# binary setgid $(GROUP), the store folder 2770 root:$(GROUP), and the settings
# and rules in $(PREFIX)/etc/speakup (kept if they exist). Needs root.
install-built:
	@test -x "$(BIN)" || { echo "install-built needs BIN=the path of a built speakup binary."; exit 1; }
	@if [ -z "$(STORE)" ]; then \
	  install -d $(DESTDIR)$(PREFIX)/bin && install -m 0755 "$(BIN)" $(DESTDIR)$(PREFIX)/bin/speakup && \
	  echo "Installed $(PREFIX)/bin/speakup for one person: each user who runs it gets their own store." && \
	  echo "For one store shared by everyone on this host, see docs/deployment.md (sudo make install STORE=/var/lib/speakup)."; \
	else \
	  case "$(STORE)$(PREFIX)" in *[!A-Za-z0-9/._-]*) echo "PREFIX and STORE must be plain paths (letters, digits, / . _ -)."; exit 1;; esac; \
	  case "$(STORE)" in /*) ;; *) echo "STORE must be a full path, such as /var/lib/speakup."; exit 1;; esac; \
	  if [ "$$(id -u)" -ne 0 ]; then echo "A shared install sets up a group and a protected folder: please run it as root (sudo make install STORE=$(STORE))."; exit 1; fi; \
	  set -e; \
	  if [ -e "$(STORE)" ] && [ "$$(stat -c %U:%G "$(STORE)")" != "root:$(GROUP)" ] && [ -n "$$(ls -A "$(STORE)" 2>/dev/null)" ]; then \
	    echo "$(STORE) already exists, is not empty and does not belong to root:$(GROUP): it will not be taken over. Please give a new folder as STORE."; exit 1; fi; \
	  getent group $(GROUP) >/dev/null || groupadd --system $(GROUP); \
	  install -d -m 0755 $(PREFIX)/bin $(PREFIX)/etc/speakup; \
	  install -o root -g $(GROUP) -m 2755 "$(BIN)" $(PREFIX)/bin/speakup; \
	  install -d -o root -g $(GROUP) -m 2770 $(STORE); \
	  if [ ! -e $(PREFIX)/etc/speakup/rules.yaml ]; then install -o root -g root -m 0644 docs/rules/default.yaml $(PREFIX)/etc/speakup/rules.yaml; fi; \
	  if [ ! -e $(PREFIX)/etc/speakup/subject-key ]; then \
	    (umask 077; od -An -tx1 -N32 /dev/urandom | tr -d ' \n' > $(PREFIX)/etc/speakup/subject-key.new; echo >> $(PREFIX)/etc/speakup/subject-key.new); \
	    chown root:$(GROUP) $(PREFIX)/etc/speakup/subject-key.new; chmod 0640 $(PREFIX)/etc/speakup/subject-key.new; \
	    mv $(PREFIX)/etc/speakup/subject-key.new $(PREFIX)/etc/speakup/subject-key; \
	  fi; \
	  if [ ! -e $(PREFIX)/etc/speakup/config.yaml ]; then \
	    sed -e "s|@STORE@|$(STORE)|" -e "s|@PREFIX@|$(PREFIX)|" docs/config.example.yaml > $(PREFIX)/etc/speakup/config.yaml.new; \
	    chown root:root $(PREFIX)/etc/speakup/config.yaml.new; chmod 0644 $(PREFIX)/etc/speakup/config.yaml.new; \
	    mv $(PREFIX)/etc/speakup/config.yaml.new $(PREFIX)/etc/speakup/config.yaml; \
	  fi; \
	  if ! grep -q "^store: $(STORE)/speakup.sqlite$$" $(PREFIX)/etc/speakup/config.yaml; then \
	    echo "Note: $(PREFIX)/etc/speakup/config.yaml was kept, and names another store than $(STORE)/speakup.sqlite; edit its store: line if it should."; fi; \
	  echo "Installed $(PREFIX)/bin/speakup (setgid $(GROUP)) with its store in $(STORE)."; \
	  echo "Settings: $(PREFIX)/etc/speakup/config.yaml. Next steps: docs/deployment.md."; \
	fi

clean:
	rm -rf .build
