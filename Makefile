# dhcpd_exporter: an OMAPI client library, omapictl and the exporter.
#
#   make               build build/omapictl and build/dhcpd_exporter
#   make check         install missing Debian packages (as root), build, run every
#                      test: unit tests under valgrind, everything under ASan+UBSan
#   make unit          CMocka unit tests only
#   make integration   tests against a real dhcpd in a network namespace (root)
#   make asan          the whole suite built with AddressSanitizer + UBSan (in build-asan/)
#   make tsan          the unit tests and the exporter's suites built with
#                      ThreadSanitizer (in build-tsan/); any report fails
#   make valgrind      the unit tests, then every integration suite with omapictl
#                      under valgrind
#   make layers        no include or call circle in a folder, and the
#                      exporter's stages layered (tests/check_includes.sh)
#   make deb-check     the Debian packages end to end, in a fresh Debian 12
#                      root too (test_deb.sh; minutes, Debian's mirror)
#   make tidy          clang-tidy over the sources
#   make fuzz          run every libFuzzer target for FUZZ_SECONDS each
#   make deb           Debian packages in build/deb/ (deploy/debian/)
#   make demo          the demo (root; tests/lab/README.md): dhcpd, perfdhcp clients filling a
#                      pool, the exporter on 127.0.0.1:9367, Prometheus on :9090
#                      (DEMO_PORT, DEMO_PROM_PORT, DEMO_NET, DEMO_RATE, DEMO_SECONDS)

BUILD	?= build
CC	?= cc
OPT	?= -O2 -g
WARN	= -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	  -Wmissing-prototypes -Wpointer-arith -Wcast-qual -Wformat=2 \
	  -Wno-unused-parameter
# The one version number: --version of both programs, libomapi's file name
# and libomapi.pc, the man pages' headers (filled in by make install) and
# the Debian package's version (make deb).  `make -s version` prints it.
VERSION	= 0.1.0
NPROC	:= $(shell nproc 2>/dev/null || echo 2)
COMMIT	:= $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
CFLAGS	+= $(OPT) $(WARN) -std=c11 -D_GNU_SOURCE -Isrc/omapi -Isrc/exporter -Isrc/dhcpdconf -Isrc/leases -Isrc/dhcplog -MMD -MP \
	   -DEXPORTER_VERSION=\"$(VERSION)\" -DEXPORTER_COMMIT=\"$(COMMIT)\"
LDLIBS_OMAPI	= -lcrypto
LDLIBS_EXPORTER	= -lmicrohttpd -lgnutls -lyaml -lz -lcrypt -lpthread -lsystemd

OMAPI_SRC	= $(wildcard src/omapi/*.c)
# The exporter's stages, each a folder (src/README.md): config, then
# metrics, then poll and web; main.c and log.c on top.
EXPORTER_STAGES	= config metrics poll web
EXPORTER_SRC	= src/exporter/log.c \
		  $(foreach s,$(EXPORTER_STAGES),$(wildcard src/exporter/$(s)/*.c))
DHCPDCONF_SRC	= $(wildcard src/dhcpdconf/*.c)
LEASES_SRC	= $(wildcard src/leases/*.c)
DHCPLOG_SRC	= $(wildcard src/dhcplog/*.c)
CLI_SRC		= $(wildcard src/cli/*.c)
UNIT_SRC	= $(wildcard tests/unit/test_*.c)
# Other .c files under tests/unit are helpers (the fake OMAPI server),
# linked into every unit test.
UNIT_HELPER_SRC	= $(filter-out $(UNIT_SRC),$(wildcard tests/unit/*.c))

OMAPI_OBJ	= $(OMAPI_SRC:%.c=$(BUILD)/%.o)
EXPORTER_OBJ	= $(EXPORTER_SRC:%.c=$(BUILD)/%.o)
DHCPDCONF_OBJ	= $(DHCPDCONF_SRC:%.c=$(BUILD)/%.o)
LEASES_OBJ	= $(LEASES_SRC:%.c=$(BUILD)/%.o)
DHCPLOG_OBJ	= $(DHCPLOG_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ		= $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_HELPER_OBJ	= $(UNIT_HELPER_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN	= $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

PROGRAMS	= $(BUILD)/omapictl $(BUILD)/tests/dhcpdconf_dump $(BUILD)/tests/leases_dump
# libomapi for other programs (make install): see "libomapi" below.
LIB_SOVERSION	= 0
LIB_SO		= libomapi.so.$(LIB_SOVERSION)
LIB_REAL	= libomapi.so.$(VERSION)
OMAPI_PIC_OBJ	= $(OMAPI_SRC:%.c=$(BUILD)/pic/%.o)
LIBS_OMAPI	= $(BUILD)/$(LIB_REAL)
ifneq ($(wildcard src/exporter/main.c),)
PROGRAMS	+= $(BUILD)/dhcpd_exporter
endif

.PHONY: all check deps unit integration asan tsan valgrind layers tidy fuzz bench demo clean install deb-check \
	programs-and-tests

all: $(PROGRAMS) $(LIBS_OMAPI)

# Everything check runs, built in parallel first (the suites then run one
# at a time).
programs-and-tests: $(PROGRAMS) $(LIBS_OMAPI) $(UNIT_BIN)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/libomapi.a: $(OMAPI_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

# libomapi: the shared library has position-independent objects of its
# own, a versioned soname and a version script that exports only omapi_*
# (what omapi.h declares).  omapictl and the exporter link the static
# library above.
$(BUILD)/pic/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fPIC -c -o $@ $<

$(BUILD)/$(LIB_REAL): $(OMAPI_PIC_OBJ) src/omapi/libomapi.map
	$(CC) $(CFLAGS) $(LDFLAGS) -shared -Wl,-soname,$(LIB_SO) \
		-Wl,--version-script=src/omapi/libomapi.map -o $@ \
		$(OMAPI_PIC_OBJ) $(LDLIBS_OMAPI)

$(BUILD)/libexporter.a: $(EXPORTER_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/libdhcpdconf.a: $(DHCPDCONF_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

# dhcpd's log: syslog framing, dhcpd's messages, counters and the sources
# (src/dhcplog/dhcplog.h).
$(BUILD)/libdhcplog.a: $(DHCPLOG_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

# The dhcpd.leases reader; it tokenizes with libdhcpdconf's lexer.
$(BUILD)/libleases.a: $(LEASES_OBJ)
	@mkdir -p $(dir $@)
	$(AR) rcs $@ $^

# The parser's view of a dhcpd.conf, for the integration test and the
# benchmark (tests/dhcpdconf/).
$(BUILD)/tests/dhcpdconf_dump: $(BUILD)/tests/dhcpdconf/dhcpdconf_dump.o $(BUILD)/libdhcpdconf.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^

# The reader's view of a dhcpd.leases, for the integration tests and the
# benchmark (tests/leases/).
$(BUILD)/tests/leases_dump: $(BUILD)/tests/leases/leases_dump.o $(BUILD)/libleases.a $(BUILD)/libdhcpdconf.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^

$(BUILD)/omapictl: $(CLI_OBJ) $(BUILD)/libomapi.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS_OMAPI)

$(BUILD)/dhcpd_exporter: $(BUILD)/src/exporter/main.o $(BUILD)/libexporter.a $(BUILD)/libleases.a $(BUILD)/libdhcplog.a $(BUILD)/libdhcpdconf.a $(BUILD)/libomapi.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS_EXPORTER) $(LDLIBS_OMAPI)

$(BUILD)/libunit.a: $(UNIT_HELPER_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

# Every unit test links against the test helpers and both libraries; the
# linker takes what it needs.  (Its .d file adds the headers it includes
# as prerequisites: they rebuild it, and stay off the command line.)
$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libunit.a $(BUILD)/libexporter.a \
    $(BUILD)/libleases.a $(BUILD)/libdhcplog.a $(BUILD)/libdhcpdconf.a $(BUILD)/libomapi.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(filter %.a,$^) -lcmocka $(LDLIBS_EXPORTER) $(LDLIBS_OMAPI)

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
# against the systemd unit's filter (traced on the release build only);
# and the threads: the unit tests and the exporter's suites under
# ThreadSanitizer.
check: deps
	$(MAKE) -j$(NPROC) programs-and-tests
	@BUILD=$(BUILD) tests/check_includes.sh
	@VALGRIND=1 tests/run_unit.sh $(UNIT_BIN)
	$(MAKE) SKIP="$(RELEASE_ONLY) $(TSAN_ONLY) $(PRELOAD_SUITES)" asan
	@DEB_FRESH=0 BUILD=$(BUILD) TESTS="$(RELEASE_ONLY)" tests/integration/run.sh \
		>$(BUILD)/slow-suites.log 2>&1 & slow=$$!; \
	$(MAKE) tsan; t=$$?; wait $$slow; s=$$?; cat $(BUILD)/slow-suites.log; \
	[ $$t -eq 0 ] && [ $$s -eq 0 ]
	@BUILD=$(BUILD) TESTS="test_secrets.sh test_valgrind.sh test_compare.sh test_install.sh $(PRELOAD_SUITES)" tests/integration/run.sh

# Suites that check scripts and Prometheus end to end at real timing (the
# demo waits for its alert to fire, federation for two Prometheus, the slow
# path for a sweep's rate to come back), and the Debian packages (built and
# installed in a fresh root: the packaging, not the code, is under test):
# run on the release build only, in the background while make tsan runs
# (on their own ports and namespaces), so their minutes are not added to
# make check's.
RELEASE_ONLY = test_demo.sh test_federation.sh test_deb.sh test_sweep_slow_path.sh
# Suites that LD_PRELOAD a library into the exporter (libfaketime steps
# its wall clock): the sanitizers' runtimes must be loaded first and refuse
# that, so these run on the release build only.
PRELOAD_SUITES = test_clock.sh
# Run under ThreadSanitizer only: three servers under kill cycles is about
# threads, and it is a minute either way.
TSAN_ONLY = test_servers.sh

ASAN_FLAGS = OPT="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all" \
	LDFLAGS="-fsanitize=address,undefined"

asan:
	$(MAKE) -j$(NPROC) BUILD=build-asan $(ASAN_FLAGS) programs-and-tests
	$(MAKE) BUILD=build-asan $(ASAN_FLAGS) unit
	@BUILD=build-asan SKIP="$(SKIP)" tests/integration/run.sh

# ThreadSanitizer: the unit tests, then the integration suites where the
# exporter's threads meet (lib.sh gives each its own report folder, and a
# report fails the suite).  The others add time, not threads: omapictl has
# one, test_valgrind does not mix with TSan, test_install traces the
# release build, and the rest poll one server without reloads.
# halt_on_error=0: every race of a run is reported, not only the first;
# exitcode=66: a program with a report exits 66, which fails its check.
TSAN_FLAGS = OPT="-O1 -g -fno-omit-frame-pointer -fsanitize=thread" \
	LDFLAGS="-fsanitize=thread"
TSAN_OPTS = suppressions=$(CURDIR)/tests/tsan.supp halt_on_error=0 exitcode=66 \
	second_deadlock_stack=1
# The suites where threads meet: several workers at once (servers),
# reloads and stops under load (lifecycle), the HTTP threads and the
# bcrypt checker (http_abuse, web).  (hostile and failover were clean
# under TSan too; they cost 1.5 minutes.)
TSAN_SUITES = test_exporter.sh test_servers.sh test_lifecycle.sh \
	test_http_abuse.sh test_web.sh

tsan:
	$(MAKE) -j$(NPROC) BUILD=build-tsan $(TSAN_FLAGS) programs-and-tests
	TSAN_OPTIONS="$(TSAN_OPTS)" $(MAKE) BUILD=build-tsan $(TSAN_FLAGS) unit
	@TSAN_OPTIONS="$(TSAN_OPTS)" BUILD=build-tsan TESTS="$(TSAN_SUITES)" \
		tests/integration/run.sh

valgrind: all $(UNIT_BIN)
	@VALGRIND=1 tests/run_unit.sh $(UNIT_BIN)
	@BUILD=$(BUILD) VALGRIND=1 tests/integration/run.sh

layers: programs-and-tests
	@BUILD=$(BUILD) tests/check_includes.sh

tidy:
	clang-tidy --quiet -checks=-clang-analyzer-security.insecureAPI.DeprecatedOrUnsafeBufferHandling $(OMAPI_SRC) $(EXPORTER_SRC) $(DHCPDCONF_SRC) $(LEASES_SRC) $(CLI_SRC) src/exporter/main.c -- $(CFLAGS)

fuzz:
	@tests/fuzz/run.sh $${FUZZ_SECONDS:-60}

bench: all
	@BUILD=$(BUILD) tests/bench/run.sh

demo: deps
	$(MAKE) all
	@BUILD=$(BUILD) tests/lab/demo.sh

clean:
	rm -rf build build-asan build-tsan build-fuzz build-fuzz-smoke build-fuzz-long

# make install [DESTDIR=...] [PREFIX=/usr/local]: the programs, libomapi
# (shared and static, omapi.h, libomapi.pc, omapi(3)), the manual pages
# (dhcpd_exporter(8), dhcpd_exporter.yml(5), omapictl(1)), the example configuration (never over a configuration of yours),
# the dhcpd snippet, the Prometheus rules, the dashboard and the systemd
# unit.  make uninstall removes them and leaves your configuration and keys.
PREFIX		?= /usr/local
BINDIR		= $(PREFIX)/bin
MANDIR		= $(PREFIX)/share/man
DOCDIR		= $(PREFIX)/share/doc/dhcpd_exporter
DATADIR		= $(PREFIX)/share/dhcpd_exporter
LIBDIR		?= $(PREFIX)/lib
INCLUDEDIR	?= $(PREFIX)/include
PKGCONFIGDIR	?= $(LIBDIR)/pkgconfig
SYSCONFDIR	?= /etc
SYSTEMDUNITDIR	?= /lib/systemd/system
INSTALL		?= install
PROM_FILES	= $(wildcard deploy/prometheus/*.yml)
UNIT		= dhcpd_exporter.service

.PHONY: uninstall version deb

version:
	@echo $(VERSION)

# A man page with the version of this build in its .TH line.
MAN_VERSION	= sed 's/"dhcpd_exporter [0-9][0-9.]*"/"dhcpd_exporter $(VERSION)"/'

install: all
	$(INSTALL) -d -m 0755 $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(DOCDIR) $(DESTDIR)$(DATADIR) \
		$(DESTDIR)$(SYSCONFDIR)/dhcpd_exporter $(DESTDIR)$(SYSTEMDUNITDIR)
	$(INSTALL) -m 0755 $(BUILD)/dhcpd_exporter $(BUILD)/omapictl $(DESTDIR)$(BINDIR)/
	for m in omapictl.1 dhcpd_exporter.yml.5 dhcpd_exporter.8 omapi.3; do \
		$(MAN_VERSION) deploy/man/$$m >$(BUILD)/$$m || exit 1; done
	$(INSTALL) -m 0644 $(BUILD)/omapictl.1 $(DESTDIR)$(MANDIR)/man1/
	$(INSTALL) -m 0644 $(BUILD)/dhcpd_exporter.yml.5 $(DESTDIR)$(MANDIR)/man5/
	$(INSTALL) -m 0644 $(BUILD)/dhcpd_exporter.8 $(DESTDIR)$(MANDIR)/man8/
	$(INSTALL) -m 0644 conf/dhcpd_exporter.yml \
		$(DESTDIR)$(SYSCONFDIR)/dhcpd_exporter/dhcpd_exporter.yml.example
	$(INSTALL) -m 0644 conf/dhcpd-omapi.conf $(DESTDIR)$(DOCDIR)/
	$(INSTALL) -m 0644 $(PROM_FILES) dashboards/dhcpd.json $(DESTDIR)$(DATADIR)/
	sed 's|@BINDIR@|$(BINDIR)|g' deploy/systemd/$(UNIT) >$(BUILD)/$(UNIT)
	$(INSTALL) -m 0644 $(BUILD)/$(UNIT) $(DESTDIR)$(SYSTEMDUNITDIR)/
	$(INSTALL) -d -m 0755 $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) \
		$(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(MANDIR)/man3
	$(INSTALL) -m 0755 $(BUILD)/$(LIB_REAL) $(DESTDIR)$(LIBDIR)/
	ln -sf $(LIB_REAL) $(DESTDIR)$(LIBDIR)/$(LIB_SO)
	ln -sf $(LIB_SO) $(DESTDIR)$(LIBDIR)/libomapi.so
	$(INSTALL) -m 0644 $(BUILD)/libomapi.a $(DESTDIR)$(LIBDIR)/
	$(INSTALL) -m 0644 src/omapi/omapi.h $(DESTDIR)$(INCLUDEDIR)/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
		-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
		deploy/libomapi.pc.in >$(BUILD)/libomapi.pc
	$(INSTALL) -m 0644 $(BUILD)/libomapi.pc $(DESTDIR)$(PKGCONFIGDIR)/
	$(INSTALL) -m 0644 $(BUILD)/omapi.3 $(DESTDIR)$(MANDIR)/man3/
	@# Without DESTDIR this is the live system: the dynamic linker's cache
	@# must know libomapi.so.0 before any program can load it.
	$(if $(DESTDIR),,ldconfig)

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/dhcpd_exporter $(DESTDIR)$(BINDIR)/omapictl \
		$(DESTDIR)$(MANDIR)/man1/omapictl.1 \
		$(DESTDIR)$(MANDIR)/man8/dhcpd_exporter.8 \
		$(DESTDIR)$(MANDIR)/man5/dhcpd_exporter.yml.5 \
		$(DESTDIR)$(SYSCONFDIR)/dhcpd_exporter/dhcpd_exporter.yml.example \
		$(DESTDIR)$(DOCDIR)/dhcpd-omapi.conf \
		$(addprefix $(DESTDIR)$(DATADIR)/,$(notdir $(PROM_FILES)) dhcpd.json) \
		$(DESTDIR)$(SYSTEMDUNITDIR)/$(UNIT) \
		$(addprefix $(DESTDIR)$(LIBDIR)/,$(LIB_REAL) $(LIB_SO) libomapi.so \
		libomapi.a) $(DESTDIR)$(INCLUDEDIR)/omapi.h \
		$(DESTDIR)$(PKGCONFIGDIR)/libomapi.pc $(DESTDIR)$(MANDIR)/man3/omapi.3
	$(if $(DESTDIR),,ldconfig)
	rmdir $(DESTDIR)$(DOCDIR) $(DESTDIR)$(DATADIR) \
		$(DESTDIR)$(SYSCONFDIR)/dhcpd_exporter 2>/dev/null || true

# make deb: the Debian packages (prometheus-dhcpd-exporter, omapictl,
# libomapi0, libomapi-dev) in build/deb/, built by dpkg-buildpackage and
# debhelper (tests/deps.sh) in a copy of this tree with deploy/debian as its
# debian/; the changelog is written from VERSION and the commit.
DEB_TREE	= build/deb/prometheus-dhcpd-exporter-$(VERSION)
DEB_DATE	:= $(shell git log -1 --format=%aD 2>/dev/null || date -R)

# The packages end to end: test_deb.sh with its fresh-root part (a new
# Debian 12 root: make deb, apt-get install, upgrade, purge), some five
# minutes and the network to Debian's mirror.  make check runs the rest of
# test_deb.sh (DEB_FRESH=0), to stay within its 20 minutes.
deb-check: all
	@DEB_FRESH=1 BUILD=$(BUILD) TESTS=test_deb.sh tests/integration/run.sh

deb:
	rm -rf build/deb
	mkdir -p $(DEB_TREE)
	tar -cf - --exclude='./build*' --exclude=./.git . | tar -C $(DEB_TREE) -xf -
	cp -a deploy/debian $(DEB_TREE)/debian
	printf '%s\n' "prometheus-dhcpd-exporter ($(VERSION)) unstable; urgency=medium" "" \
		"  * Built by make deb from commit $(COMMIT)." "" \
		" -- $$(sed -n 's/^Maintainer: //p' deploy/debian/control)  $(DEB_DATE)" \
		>$(DEB_TREE)/debian/changelog
	cd $(DEB_TREE) && DEB_COMMIT=$(COMMIT) dpkg-buildpackage -us -uc -b -j$(NPROC)
	rm -rf $(DEB_TREE)
	@ls build/deb/*.deb

-include $(OMAPI_OBJ:.o=.d) $(OMAPI_PIC_OBJ:.o=.d) $(EXPORTER_OBJ:.o=.d) \
	$(DHCPDCONF_OBJ:.o=.d) $(DHCPLOG_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(UNIT_HELPER_OBJ:.o=.d) \
	$(UNIT_BIN:=.d) \
	$(BUILD)/tests/dhcpdconf/dhcpdconf_dump.d
