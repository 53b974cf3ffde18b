#!/usr/bin/env bash
# build-selftests.sh [VARIANT]: build test_progs from the tree's BPF
# selftests, pruned to the prog_tests listed in config/selftests and the BPF
# programs their skeletons need (a full build takes far longer and needs
# bpf_testmod). Output in build/selftests; vmlinux.h from VARIANT's BTF.
. "$(dirname "$0")/lib.sh"

variant=${1:-debug}
vmlinux=${KBUILD_OUT:-$BUILD/kbuild-$variant}/vmlinux
[ -f "$vmlinux" ] || die "no $variant vmlinux at $vmlinux (scripts/build-kernel.sh $variant)"
src=$TREE/tools/testing/selftests/bpf
dst=$TREE/tools/testing/selftests/bpf.pruned
out=${SELFTESTS_OUT:-$BUILD/selftests}
[ "$variant" = debug ] || out=${SELFTESTS_OUT:-$BUILD/selftests-$variant}

stage "pruning BPF selftests to config/selftests"
mapfile -t tests < <(grep -v -e '^#' -e '^[[:space:]]*$' "$TOP/config/selftests")
mkdir -p "$dst"
rsync -a --delete --delete-excluded --exclude='/prog_tests/*.c' --exclude='/progs/*.c' "$src/" "$dst/"
progs=(btf_data)
for t in "${tests[@]}"; do
	f=$src/prog_tests/$t.c
	if [ ! -f "$f" ] && [ "${ALLOW_UNKNOWN:-0}" = 1 ]; then
		info "not in this tree yet: $t"
		continue
	fi
	[ -f "$f" ] || die "config/selftests: no $f"
	cp -p "$f" "$dst/prog_tests/"
	# Programs come in as skeletons or as object files opened by name.
	progs+=($(grep -ohE '"[a-zA-Z0-9_]+\.(skel\.h|bpf\.o)"' "$f" |
		  sed -E 's/"([a-zA-Z0-9_]+)\.(skel\.h|bpf\.o)"/\1/'))
done
for p in $(printf '%s\n' "${progs[@]}" | sort -u); do
	[ -f "$src/progs/$p.c" ] || die "prog $p needed by the tests has no progs/$p.c"
	cp -p "$src/progs/$p.c" "$dst/progs/"
done
info "${#tests[@]} test files, $(ls "$dst/progs"/*.c | wc -l) BPF programs"

stage "building test_progs"
mkdir -p "$out"
make -s -C "$dst" -j"$(jobs)" OUTPUT="$out" VMLINUX_BTF="$vmlinux" \
	CLANG=clang-22 LLC=llc-22 LLVM_STRIP=llvm-strip-22 LLVM_CONFIG=false feature-llvm=0 \
	LSKELS= LSKELS_EXTRA= LSKELS_SIGNED= LINKED_SKELS= TRUNNER_EXTRA_FILES= \
	"$out/test_progs"
info "test_progs: $out/test_progs"
