#!/usr/bin/env bash
# check-series.sh: every patch of the series, on its own (bisectability):
# checkpatch --strict clean, the kernel builds (minimal VM config, W=1 on
# the files the patch touches, no warnings there), test_progs builds.
# Works in a throw-away worktree, so the tree's checkout is left alone.
. "$(dirname "$0")/lib.sh"

[ -d "$TREE/.git" ] || die "no tree at $TREE (make tree)"
# The worktree and its objects sit side by side as build/linux and
# build/kbuild-vm do: kbuild names sources relative to the object
# directory ("../linux/net/..."), so ccache serves what the vm kernel
# build compiled (the check kernel has the vm config).
wt=$BUILD/check/linux
git -C "$TREE" worktree remove --force "$wt" 2>/dev/null || rm -rf "$wt"
git -C "$TREE" worktree prune
git -C "$TREE" worktree add -q --detach "$wt" base
trap 'git -C "$TREE" worktree remove --force "$wt"' EXIT

export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache} CCACHE_BASEDIR=$TOP CCACHE_NOHASHDIR=1
out=$BUILD/check/kbuild
# w1 OBJ...: the W=1 warnings compiling OBJs gives, without line numbers.
w1()
{
	local o

	for o in "$@"; do
		[ -f "$wt/${o%.o}.c" ] || continue
		touch "$wt/${o%.o}.c"
		make -s -C "$wt" O="$out" CC="ccache gcc" W=1 -j"$(jobs)" "$o" 2>&1 |
			grep 'warning:' | sed -E 's/:[0-9]+:[0-9]+:/:/' || true
	done | sort -u
}

# The base first: it must build, and each patch's W=1 warnings are
# compared with those of the step before it, built with its own config.
stage "base: $(git -C "$TREE" describe --always --tags base)"
TCP_SPLICE_TREE=$wt KBUILD_OUT=$out ALLOW_UNKNOWN=1 "$TOP/scripts/build-kernel.sh" check \
	>"$BUILD/check-build.log" 2>&1 || {
	tail -30 "$BUILD/check-build.log"
	die "the base does not build"
}

fail=0 n=0
for c in $(git -C "$TREE" rev-list --reverse base..series); do
	n=$((n + 1))
	subject=$(git -C "$TREE" log -1 --format=%s "$c")
	stage "patch $n: $subject"
	# The C files this patch touches, outside the selftests; their W=1
	# warnings before it (the worktree is at the step before, built).
	files=$(git -C "$wt" diff --name-only "$c"~1 "$c" -- '*.c' |
		grep -v '^tools/' | sed 's/\.c$/.o/' || true)
	[ -z "$files" ] || w1 $files >"$BUILD/check-w1-before.log"
	git -C "$wt" checkout -q --detach "$c"
	git -C "$wt" format-patch -q -1 --stdout "$c" >"$BUILD/check.patch"
	if ! "$TOP/scripts/checkpatch.sh" "$BUILD/check.patch"; then
		echo "FAIL: checkpatch --strict: $subject"
		fail=1
	fi
	if ! TCP_SPLICE_TREE=$wt KBUILD_OUT=$out ALLOW_UNKNOWN=1 \
		"$TOP/scripts/build-kernel.sh" check >"$BUILD/check-build.log" 2>&1; then
		tail -30 "$BUILD/check-build.log"
		echo "FAIL: kernel build: $subject"
		fail=1
		continue
	fi
	if [ -n "$files" ]; then
		w1 $files >"$BUILD/check-w1.log"
		if grep -vxF -f "$BUILD/check-w1-before.log" "$BUILD/check-w1.log" |
			grep .; then
			echo "FAIL: new W=1 warnings: $subject"
			fail=1
		fi
	fi
	if ! TCP_SPLICE_TREE=$wt KBUILD_OUT=$out ALLOW_UNKNOWN=1 \
		"$TOP/scripts/build-selftests.sh" check \
		>"$BUILD/check-selftests.log" 2>&1; then
		tail -20 "$BUILD/check-selftests.log"
		echo "FAIL: test_progs build: $subject"
		fail=1
	fi
done
[ $fail = 0 ] || die "series check failed"
stage "all $n patches: checkpatch --strict clean, kernel W=1 and test_progs build"
