# dhcpd_exporter: an OMAPI client library, omapictl and the exporter.
#
#   make               build build/omapictl and build/dhcpd_exporter
#   make check         install missing Debian packages (as root), build, run every
#                      test: unit tests under valgrind, everything under ASan+UBSan
#   make unit          CMocka unit tests only
#   make integration   tests against a real dhcpd in a network namespace (root)
#   make asan          the whole suite built with AddressSanitizer + UBSan (in build-asan/)
#   make valgrind      the unit tests, then every integration suite with omapictl
#                      under valgrind
#   make tidy          clang-tidy over the sources
#   make fuzz          run every libFuzzer target for FUZZ_SECONDS each
#   make demo          the README's demo (root): dhcpd, perfdhcp clients filling a
#                      pool, the exporter on 127.0.0.1:9367, Prometheus on :9090
#                      (DEMO_PORT, DEMO_PROM_PORT, DEMO_NET, DEMO_RATE, DEMO_SECONDS)

BUILD	?= build
CC	?= cc
OPT	?= -O2 -g
WARN	= -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	  -Wmissing-prototypes -Wpointer-arith -Wcast-qual -Wformat=2 \
	  -Wno-unused-parameter
VERSION	= 0.1.0
NPROC	:= $(shell nproc 2>/dev/null || echo 2)
COMMIT	:= $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
CFLAGS	+= $(OPT) $(WARN) -std=c11 -D_GNU_SOURCE -Isrc/omapi -Isrc/exporter -MMD -MP \
	   -DEXPORTER_VERSION=\"$(VERSION)\" -DEXPORTER_COMMIT=\"$(COMMIT)\"
LDLIBS_OMAPI	= -lcrypto
LDLIBS_EXPORTER	= -lmicrohttpd -lgnutls -lyaml -lz -lcrypt -lpthread

OMAPI_SRC	= $(wildcard src/omapi/*.c)
EXPORTER_SRC	= $(filter-out src/exporter/main.c,$(wildcard src/exporter/*.c))
CLI_SRC		= $(wildcard src/cli/*.c)
UNIT_SRC	= $(wildcard tests/unit/test_*.c)

OMAPI_OBJ	= $(OMAPI_SRC:%.c=$(BUILD)/%.o)
EXPORTER_OBJ	= $(EXPORTER_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ		= $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN	= $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

PROGRAMS	= $(BUILD)/omapictl
ifneq ($(wildcard src/exporter/main.c),)
PROGRAMS	+= $(BUILD)/dhcpd_exporter
endif

.PHONY: all check deps unit integration asan valgrind tidy fuzz bench demo clean install \
	programs-and-tests

all: $(PROGRAMS)

# Everything check runs, built in parallel first (the suites then run one
# at a time).
programs-and-tests: $(PROGRAMS) $(UNIT_BIN)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/libomapi.a: $(OMAPI_OBJ)
	$(AR) rcs $@ $^

$(BUILD)/libexporter.a: $(EXPORTER_OBJ)
	@mkdir -p $(dir $@)
	$(AR) rcs $@ $^

$(BUILD)/omapictl: $(CLI_OBJ) $(BUILD)/libomapi.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS_OMAPI)

$(BUILD)/dhcpd_exporter: $(BUILD)/src/exporter/main.o $(BUILD)/libexporter.a $(BUILD)/libomapi.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS_EXPORTER) $(LDLIBS_OMAPI)

# Every unit test links against both libraries; the linker takes what it needs.
$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libexporter.a $(BUILD)/libomapi.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ -lcmocka $(LDLIBS_EXPORTER) $(LDLIBS_OMAPI)

deps:
	@tests/deps.sh

unit: $(UNIT_BIN)
	@tests/run_unit.sh $(UNIT_BIN)

integration: all
	@BUILD=$(BUILD) tests/integration/run.sh

# What CI runs. The unit tests under valgrind (leaks, uninitialised reads);
# then everything, the integration suites against real dhcpds included,
# built with AddressSanitizer + UBSan; then, on the release build, the
# checks that only mean something there or cost too much under ASan: a
# core's contents, the exporter (TLS, auth, polls, sweeps, reload) and
# omapictl under valgrind, omapictl against pypureomapi on every address
# (ASan samples every 7th), and the installed exporter's system calls
# against the systemd unit's filter (traced on the release build only).
check: deps
	$(MAKE) -j$(NPROC) programs-and-tests
	@VALGRIND=1 tests/run_unit.sh $(UNIT_BIN)
	$(MAKE) asan
	@BUILD=$(BUILD) TESTS="test_secrets.sh test_valgrind.sh test_compare.sh test_install.sh" tests/integration/run.sh

ASAN_FLAGS = OPT="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all" \
	LDFLAGS="-fsanitize=address,undefined"

asan:
	$(MAKE) -j$(NPROC) BUILD=build-asan $(ASAN_FLAGS) programs-and-tests
	$(MAKE) BUILD=build-asan $(ASAN_FLAGS) unit integration

valgrind: all $(UNIT_BIN)
	@VALGRIND=1 tests/run_unit.sh $(UNIT_BIN)
	@BUILD=$(BUILD) VALGRIND=1 tests/integration/run.sh

tidy:
	clang-tidy --quiet $(OMAPI_SRC) $(EXPORTER_SRC) $(CLI_SRC) src/exporter/main.c -- $(CFLAGS)

fuzz:
	@tests/fuzz/run.sh $${FUZZ_SECONDS:-60}

bench: all
	@BUILD=$(BUILD) tests/bench/run.sh

demo: deps
	$(MAKE) all
	@BUILD=$(BUILD) tests/lab/demo.sh

clean:
	rm -rf build build-asan build-fuzz build-fuzz-smoke build-fuzz-long

# make install [DESTDIR=...] [PREFIX=/usr/local]: the programs, the manual
# pages, the example configuration (never over a configuration of yours),
# the dhcpd snippet, the Prometheus rules, the dashboard and the systemd
# unit.  make uninstall removes them and leaves your configuration and keys.
PREFIX		?= /usr/local
BINDIR		= $(PREFIX)/bin
MANDIR		= $(PREFIX)/share/man
DOCDIR		= $(PREFIX)/share/doc/dhcpd_exporter
DATADIR		= $(PREFIX)/share/dhcpd_exporter
SYSCONFDIR	?= /etc
SYSTEMDUNITDIR	?= /lib/systemd/system
INSTALL		?= install
PROM_FILES	= $(wildcard deploy/prometheus/*.yml)
UNIT		= dhcpd_exporter.service

.PHONY: uninstall

install: all
	$(INSTALL) -d -m 0755 $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(DOCDIR) $(DESTDIR)$(DATADIR) \
		$(DESTDIR)$(SYSCONFDIR)/dhcpd_exporter $(DESTDIR)$(SYSTEMDUNITDIR)
	$(INSTALL) -m 0755 $(BUILD)/dhcpd_exporter $(BUILD)/omapictl $(DESTDIR)$(BINDIR)/
	$(INSTALL) -m 0644 deploy/man/omapictl.1 $(DESTDIR)$(MANDIR)/man1/
	$(INSTALL) -m 0644 deploy/man/dhcpd_exporter.8 $(DESTDIR)$(MANDIR)/man8/
	$(INSTALL) -m 0644 conf/dhcpd_exporter.yml \
		$(DESTDIR)$(SYSCONFDIR)/dhcpd_exporter/dhcpd_exporter.yml.example
	$(INSTALL) -m 0644 conf/dhcpd-omapi.conf $(DESTDIR)$(DOCDIR)/
	$(INSTALL) -m 0644 $(PROM_FILES) dashboards/dhcpd.json $(DESTDIR)$(DATADIR)/
	sed 's|@BINDIR@|$(BINDIR)|g' deploy/systemd/$(UNIT) >$(BUILD)/$(UNIT)
	$(INSTALL) -m 0644 $(BUILD)/$(UNIT) $(DESTDIR)$(SYSTEMDUNITDIR)/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/dhcpd_exporter $(DESTDIR)$(BINDIR)/omapictl \
		$(DESTDIR)$(MANDIR)/man1/omapictl.1 \
		$(DESTDIR)$(MANDIR)/man8/dhcpd_exporter.8 \
		$(DESTDIR)$(SYSCONFDIR)/dhcpd_exporter/dhcpd_exporter.yml.example \
		$(DESTDIR)$(DOCDIR)/dhcpd-omapi.conf \
		$(addprefix $(DESTDIR)$(DATADIR)/,$(notdir $(PROM_FILES)) dhcpd.json) \
		$(DESTDIR)$(SYSTEMDUNITDIR)/$(UNIT)
	rmdir $(DESTDIR)$(DOCDIR) $(DESTDIR)$(DATADIR) \
		$(DESTDIR)$(SYSCONFDIR)/dhcpd_exporter 2>/dev/null || true

-include $(OMAPI_OBJ:.o=.d) $(EXPORTER_OBJ:.o=.d) $(CLI_OBJ:.o=.d)
