#!/usr/bin/env bash
# build-bench.sh: build what the benchmark runs in the guest, into
# build/bench: bpftool (the tree's, also used as the loader), sockbench and
# the sock_ops/sk_msg object pair.bpf.o (vmlinux.h from the vm kernel).
. "$(dirname "$0")/lib.sh"

vmlinux=$BUILD/kbuild-vm/vmlinux
[ -f "$vmlinux" ] || die "no vm kernel at $vmlinux (scripts/build-kernel.sh vm)"
out=$BUILD/bench
mkdir -p "$out/bpftool-build"

stage "building bpftool and the benchmark programs"
make -s -C "$TREE/tools/bpf/bpftool" -j"$(jobs)" OUTPUT="$out/bpftool-build/" \
	CLANG=clang-22 LLVM_STRIP=llvm-strip-22 >/dev/null
cp "$out/bpftool-build/bpftool" "$out/bpftool"
"$out/bpftool" btf dump file "$vmlinux" format c >"$out/vmlinux.h"
# -Wno-missing-declarations: pahole 1.24 leaves a few anonymous members
# of vmlinux.h as bare declarations
clang-22 -g -O2 --target=bpf -Wall -Werror -Wno-missing-declarations -I"$out" \
	-I"$out/bpftool-build/libbpf/include" \
	-c "$TOP/bench/pair.bpf.c" -o "$out/pair.bpf.o"
gcc -O2 -Wall -Wextra -Werror -o "$out/sockbench" "$TOP/bench/sockbench.c"
info "bench tools in $out"
