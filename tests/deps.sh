#!/bin/sh
# Install the Debian packages the build and the tests need, when missing
# (`tests/deps.sh deb`: only those that `make deb` needs).
# As root it runs apt-get; otherwise it only lists what is missing.
set -eu

PACKAGES="build-essential pkg-config libssl-dev libmicrohttpd-dev libyaml-dev
libcmocka-dev zlib1g-dev libcrypt-dev isc-dhcp-server iproute2 procps curl
python3 python3-pypureomapi python3-yaml valgrind clang clang-tidy
libclang-rt-14-dev prometheus dhcpd-pools git"
# (git: the docs check lists the tracked files, and test_deb clones HEAD
# into a fresh root; a fresh Debian root has no git.)
# Per area, so each can grow without touching the others:
# the HTTP tests (TLS certificates, bcrypt hashes, abuse),
PACKAGES_WEB="openssl libgnutls28-dev"
# the fault and hostile-server tests (and /usr/bin/time, the peak RSS
# test_config.sh reports),
PACKAGES_FAULT="gdb time"
# the clock test (libfaketime steps the exporter's wall clock),
PACKAGES_CLOCK="faketime"
# Prometheus, Grafana and deployment (status page screenshot, unit checks;
# mandoc: test_man.sh lints the manual pages with mandoc -T lint),
PACKAGES_DEPLOY="chromium systemd man-db strace mandoc"
# real DHCP clients (perfdhcp) for the client activity, lease_info,
# failover and Prometheus tests and the benchmarks,
PACKAGES_CLIENTS="kea-admin"
# dhcpd's log (src/dhcplog): the journal source (sd-journal), journal
# files for its test (systemd-journal-remote), and mtail with its dhcpd
# program, the peer of the log benchmark,
PACKAGES_LOG="libsystemd-dev systemd-journal-remote mtail"
# the benchmarks (make bench),
PACKAGES_BENCH="wrk prometheus-node-exporter"
# and the Debian packages (make deb, lintian; debootstrap for the fresh root
# test_deb.sh installs them into).
PACKAGES_DEB="debhelper dpkg-dev fakeroot lintian debootstrap"
PACKAGES_BUILD="build-essential pkg-config libssl-dev libmicrohttpd-dev libyaml-dev
zlib1g-dev libcrypt-dev libgnutls28-dev libsystemd-dev"
PACKAGES="$PACKAGES $PACKAGES_WEB $PACKAGES_FAULT $PACKAGES_CLOCK $PACKAGES_DEPLOY $PACKAGES_CLIENTS $PACKAGES_LOG $PACKAGES_BENCH
$PACKAGES_DEB"
# `tests/deps.sh deb`: only what `make deb` needs (the install guide's step).
[ "${1:-}" = deb ] && PACKAGES="$PACKAGES_BUILD $PACKAGES_DEB"

missing=""
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing Debian packages:$missing" >&2
	echo "deps: run 'make deps' as root, or apt-get install them" >&2
	exit 1
fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
# The Debian package starts dhcpd on install; the tests run their own.
if command -v systemctl >/dev/null 2>&1; then
	systemctl disable --now isc-dhcp-server >/dev/null 2>&1 || true
	# So does prometheus, on :9090, where make demo runs its own; only
	# when this run installed it (a Prometheus of yours stays as it is).
	case " $missing " in
	*" prometheus "*) systemctl disable --now prometheus >/dev/null 2>&1 || true ;;
	esac
fi
