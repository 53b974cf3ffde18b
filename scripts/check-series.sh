#!/usr/bin/env bash
# check-series.sh: every patch of the series, on its own (bisectability):
# checkpatch --strict clean, the kernel builds (minimal VM config, W=1 on
# the files the patch touches, no warnings there), test_progs builds.
# Works in a throw-away worktree, so the tree's checkout is left alone.
. "$(dirname "$0")/lib.sh"

[ -d "$TREE/.git" ] || die "no tree at $TREE (make tree)"
wt=$BUILD/check-tree
git -C "$TREE" worktree remove --force "$wt" 2>/dev/null || rm -rf "$wt"
git -C "$TREE" worktree prune
git -C "$TREE" worktree add -q --detach "$wt" base
trap 'git -C "$TREE" worktree remove --force "$wt"' EXIT

export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache} CCACHE_BASEDIR=$TOP CCACHE_NOHASHDIR=1
out=$BUILD/kbuild-check
fail=0 n=0
for c in $(git -C "$TREE" rev-list --reverse base..series); do
	n=$((n + 1))
	subject=$(git -C "$TREE" log -1 --format=%s "$c")
	stage "patch $n: $subject"
	git -C "$wt" checkout -q --detach "$c"
	git -C "$wt" format-patch -q -1 --stdout "$c" >"$BUILD/check.patch"
	if ! "$TOP/scripts/checkpatch.sh" "$BUILD/check.patch"; then
		echo "FAIL: checkpatch --strict: $subject"
		fail=1
	fi
	if ! TCP_SPLICE_TREE=$wt ALLOW_UNKNOWN=1 \
		"$TOP/scripts/build-kernel.sh" check >"$BUILD/check-build.log" 2>&1; then
		tail -30 "$BUILD/check-build.log"
		echo "FAIL: kernel build: $subject"
		fail=1
		continue
	fi
	# W=1 on the C files this patch touches, outside the selftests.
	files=$(git -C "$wt" diff --name-only "$c"~1 "$c" -- '*.c' |
		grep -v '^tools/' | sed 's/\.c$/.o/' || true)
	if [ -n "$files" ]; then
		touch $(printf "$wt/%s\n" $files | sed 's/\.o$/.c/')
		if make -s -C "$wt" O="$out" CC="ccache gcc" W=1 -j"$(jobs)" $files \
			2>&1 | tee "$BUILD/check-w1.log" | grep -q 'warning:'; then
			grep -A3 'warning:' "$BUILD/check-w1.log" | head -30
			echo "FAIL: W=1 warnings: $subject"
			fail=1
		fi
	fi
	if ! TCP_SPLICE_TREE=$wt ALLOW_UNKNOWN=1 \
		"$TOP/scripts/build-selftests.sh" check \
		>"$BUILD/check-selftests.log" 2>&1; then
		tail -20 "$BUILD/check-selftests.log"
		echo "FAIL: test_progs build: $subject"
		fail=1
	fi
done
[ $fail = 0 ] || die "series check failed"
stage "all $n patches: checkpatch --strict clean, kernel W=1 and test_progs build"
