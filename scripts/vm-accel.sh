#!/usr/bin/env bash
# vm-accel.sh KERNEL: print "kvm" if KVM really runs a guest here, else
# "tcg". /dev/kvm can exist while guests hang, so boot KERNEL once with KVM
# and require it to reach init quickly. The verdict is cached per host
# kernel and QEMU version. TCP_SPLICE_ACCEL=kvm|tcg overrides.
. "$(dirname "$0")/lib.sh"

if [ -n "${TCP_SPLICE_ACCEL:-}" ]; then
	echo "$TCP_SPLICE_ACCEL"
	exit 0
fi
if [ ! -w /dev/kvm ]; then
	echo tcg
	exit 0
fi
qver=$(qemu-system-x86_64 --version | head -1 | tr -cd '0-9.')
cache=$CACHE/kvm-probe-$(uname -r)-$qver
if [ ! -f "$cache" ]; then
	verdict=tcg
	# The verdict is the console's, not QEMU's exit status (a guest that
	# panics may or may not make QEMU exit).
	o=$(timeout -k 5 30 qemu-system-x86_64 -nodefaults -no-reboot \
		-display none -serial stdio -machine microvm,acpi=off -accel kvm -cpu host -m 256 \
		-kernel "$1" -append "console=ttyS0 panic=-1 init=/bin/true" \
		</dev/null 2>/dev/null || true)
	grep -q -E 'Run /|VFS: |Kernel panic' <<<"$o" && verdict=kvm
	mkdir -p "$CACHE" && echo "$verdict" >"$cache.tmp" && mv "$cache.tmp" "$cache"
fi
cat "$cache"
