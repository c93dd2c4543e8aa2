# SpeakUp: report a concern at a terminal.
#   make run     open the reporter form on your own embedded store
#   make test    build and run every test (unit, snapshot, store, end-to-end in tmux)
#   make bench   run the benchmarks (writes figures to stdout; see docs/performance.md)
#   make install PREFIX=/usr/local   a release build with the Swift runtime linked in

PREFIX ?= /usr/local
SWIFT ?= swift
APT_PACKAGES = libncurses-dev libsqlite3-dev tmux ncurses-base

.PHONY: all deps build run test bench install clean

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

test: build
	SPEAKUP_BIN=$$($(SWIFT) build --show-bin-path)/speakup $(SWIFT) test

# The release build is the one `make install` ships: Swift runtime linked in.
RELEASE = $(SWIFT) build -c release --static-swift-stdlib

bench: deps
	$(RELEASE)
	$$($(SWIFT) build -c release --show-bin-path)/speakup-bench --speakup $$($(SWIFT) build -c release --show-bin-path)/speakup

install: deps
	$(RELEASE) --product speakup
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $$($(SWIFT) build -c release --show-bin-path)/speakup $(DESTDIR)$(PREFIX)/bin/speakup

clean:
	rm -rf .build
