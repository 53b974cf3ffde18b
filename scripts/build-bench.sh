#!/usr/bin/env bash
# build-bench.sh: build what the benchmark runs in the guest, into
# build/bench: bpftool (build-ops.sh's, also used as the loader), sockbench
# and the sock_ops/sk_msg object pair.bpf.o (vmlinux.h from the vm kernel).
. "$(dirname "$0")/lib.sh"

"$TOP/scripts/build-ops.sh" vm
ops=$BUILD/ops out=$BUILD/bench
mkdir -p "$out"

stage "building the benchmark programs"
cp "$ops/bpftool" "$out/bpftool"
# -Wno-missing-declarations: as in build-ops.sh
clang-22 -g -O2 --target=bpf -Wall -Werror -Wno-missing-declarations \
	-I"$ops" -I"$TOP/ops" -I"$ops/bpftool-build/libbpf/include" \
	-c "$TOP/bench/pair.bpf.c" -o "$out/pair.bpf.o"
gcc -O2 -Wall -Wextra -Werror -o "$out/sockbench" "$TOP/bench/sockbench.c"
info "bench tools in $out"
