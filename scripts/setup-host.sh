#!/usr/bin/env bash
# Install the Debian 12 packages the build, the VM and the benchmarks need,
# QEMU from bookworm-backports (scripts/apt-sources.sh adds it); --apps:
# also the server programs scripts/apps.sh runs in the VM. Skips apt
# entirely when everything is already there.
. "$(dirname "$0")/lib.sh"

PKGS=(
	# kernel build
	build-essential bc bison flex libelf-dev libssl-dev dwarves ccache
	cpio kmod rsync xz-utils python3 git
	# BPF selftests (test_progs, its bundled bpftool and libbpf): bookworm's
	# newest LLVM
	clang-22 llvm-22 lld-22 libcap-dev libzstd-dev zlib1g-dev
	# what runs inside the VM (QEMU itself: BACKPORTS)
	iproute2 procps
	# the tcp_splice "REDIRECT to a local proxy" subtest; the recipe's
	# sidecar test (ops/test-splicectl): a REDIRECT in front of socat
	nftables socat
	# benchmarks
	sockperf iperf3 linux-perf
	# the benchmark's plot
	python3-matplotlib
	# checkpatch.pl (spdxcheck.py)
	python3-ply python3-git
	# build/ops/ss (scripts/build-ss.sh): iproute2's source and build
	dpkg-dev pkg-config libmnl-dev
)

# Unmodified servers and their clients (scripts/apps.sh); rsync and socat
# are above.
APPS=(nginx-light curl redis-server redis-tools memcached libmemcached-tools)
[ "${1:-}" = --apps ] && PKGS+=("${APPS[@]}")

# Taken from bookworm-backports: bookworm's QEMU 7.2 microvm misses the
# guest's reset now and then.
BACKPORTS=(qemu-system-x86)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
old_qemu=0
dpkg --compare-versions "$(dpkg-query -W -f='${Version}' qemu-system-x86 2>/dev/null)" \
	ge 1:10 || old_qemu=1
if [ ${#missing[@]} -eq 0 ] && [ $old_qemu = 0 ]; then
	info "host packages: all present"
	exit 0
fi
[ "$(id -u)" -eq 0 ] || die "missing packages (${missing[*]}); run as root"
"$TOP/scripts/apt-sources.sh" --update
stage "installing Debian packages: ${missing[*]} ${BACKPORTS[*]}"
export DEBIAN_FRONTEND=noninteractive
# Daemons installed here run in the VM only: none may start on the host.
if [ ! -e /usr/sbin/policy-rc.d ]; then
	printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
	chmod +x /usr/sbin/policy-rc.d
	trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
[ ${#missing[@]} -eq 0 ] ||
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
apt-get install -y -qq --no-install-recommends -t bookworm-backports \
	"${BACKPORTS[@]}" >/dev/null
