#!/usr/bin/env bash
# Install the Debian 12 packages the build, the VM and the benchmarks need.
# Skips apt entirely when everything is already there.
. "$(dirname "$0")/lib.sh"

PKGS=(
	# kernel build
	build-essential bc bison flex libelf-dev libssl-dev dwarves ccache
	cpio kmod rsync xz-utils python3 git
	# BPF selftests (test_progs, its bundled bpftool and libbpf)
	clang-16 llvm-16 lld-16 libcap-dev libzstd-dev zlib1g-dev
	# the VM and what runs inside it
	qemu-system-x86 iproute2 procps
	# benchmarks
	sockperf iperf3 linux-perf
	# checkpatch.pl (spdxcheck.py)
	python3-ply python3-git
)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	info "host packages: all present"
	exit 0
fi
[ "$(id -u)" -eq 0 ] || die "missing packages (${missing[*]}); run as root"
stage "installing ${#missing[@]} Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
