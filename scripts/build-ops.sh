#!/usr/bin/env bash
# build-ops.sh [VARIANT]: build what an operator runs, into build/ops:
# bpftool (the tree's) and the reference pairing program
# tcp_splice_pair.bpf.o (ops/, vmlinux.h from VARIANT's BTF, default
# debug; the object is CO-RE, it loads on either kernel).
. "$(dirname "$0")/lib.sh"

variant=${1:-debug}
vmlinux=$BUILD/kbuild-$variant/vmlinux
[ -f "$vmlinux" ] || die "no $variant kernel at $vmlinux (scripts/build-kernel.sh $variant)"
out=$BUILD/ops
mkdir -p "$out/bpftool-build"

stage "building bpftool and the reference pairing program"
make -s -C "$TREE/tools/bpf/bpftool" -j"$(jobs)" OUTPUT="$out/bpftool-build/" \
	CLANG=clang-22 LLVM_STRIP=llvm-strip-22 >/dev/null
cp "$out/bpftool-build/bpftool" "$out/bpftool"
"$out/bpftool" btf dump file "$vmlinux" format c >"$out/vmlinux.h"
# -Wno-missing-declarations: pahole 1.24 leaves a few anonymous members
# of vmlinux.h as bare declarations
bpf_cc()
{
	clang-22 -g -O2 --target=bpf -Wall -Werror -Wno-missing-declarations \
		-I"$out" -I"$TOP/ops" -I"$out/bpftool-build/libbpf/include" "$@"
}
bpf_cc -c "$TOP/ops/tcp_splice_pair.bpf.c" -o "$out/tcp_splice_pair.bpf.o"
info "bpftool and tcp_splice_pair.bpf.o in $out"
