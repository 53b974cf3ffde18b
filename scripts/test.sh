#!/usr/bin/env bash
# The test suite (README, .ci/run): set up the host, materialise base +
# series, check every patch, build the debug kernel and test_progs, run the
# selftests in a VM and scan the kernel log. Ends with "N passed, N failed"
# and exits non-zero if anything failed, whatever stage it was.
. "$(dirname "$0")/lib.sh"

passed=0 failed=0
summary=$RESULTS/test-summary
report()
{
	local verdict=$1
	shift
	printf '%-4s %s\n' "$verdict" "$*" >>"$summary"
	case $verdict in
	PASS) passed=$((passed + 1)) ;;
	FAIL) failed=$((failed + 1)); info "FAIL $*" ;;
	esac
}

finish()
{
	local skipped

	skipped=$(grep -c '^SKIP' "$summary" || true)
	info "per-check results in $summary ($skipped skipped)"
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}

# A stage that fails stops the run: what it builds is needed next.
must()
{
	local what=$1
	shift
	if ! "$@"; then
		report FAIL "$what"
		finish
	fi
}

mkdir -p "$RESULTS"
rm -f "$RESULTS"/checkpatch-*.log
: >"$summary"
stage "host set-up"
must "host set-up (Debian packages)" "$TOP/scripts/setup-host.sh"
# What is tested is patches/: a tree that matches it is reused, any
# other is materialised again (make-tree.sh keeps unexported work).
if [ -d "$TREE/.git" ] &&
   [ "$(git -C "$TREE" rev-parse -q --verify base)" = "$BASE_COMMIT" ] &&
   "$TOP/scripts/export-series.sh" --check >/dev/null 2>&1; then
	info "using the existing tree $TREE (same base and series as base.lock, patches/)"
else
	must "tree: base + every patch of patches/ applies" \
		"$TOP/scripts/make-tree.sh"
fi

stage "series checks"
if "$TOP/scripts/export-series.sh" --check; then
	report PASS "series: patches/ re-exports identically"
else
	report FAIL "series: patches/ differs from a fresh export of the tree"
fi
while read -r p; do
	if "$TOP/scripts/checkpatch.sh" "$TOP/patches/$p" \
		>"$RESULTS/checkpatch-$p.log" 2>&1; then
		report PASS "checkpatch --strict: $p"
	else
		report FAIL "checkpatch --strict: $p (see build/results/checkpatch-$p.log)"
		head -20 "$RESULTS/checkpatch-$p.log" | sed 's/^/    /'
	fi
done < <(series_files)

must "debug kernel build (config kept, compiles)" \
	"$TOP/scripts/build-kernel.sh" debug
must "test_progs build" "$TOP/scripts/build-selftests.sh" debug
must "bpftool and the reference pairing program build" \
	"$TOP/scripts/build-ops.sh" debug
# ss with the splice field, for the recipe's test: not needed by the rest
if "$TOP/scripts/build-ss.sh"; then
	report PASS "ss: builds with ops/iproute2, prints splice:(...) (check-ss-splice)"
else
	report FAIL "ss: build or check-ss-splice (scripts/build-ss.sh)"
	rm -f "$BUILD/ops/ss"
fi

set +e
VM_QUIET=${VM_QUIET:-0} "$TOP/scripts/vm-run.sh" -k debug -n selftests \
	-t "${VM_TIMEOUT:-3600}" -- \
	"$TOP/scripts/guest-selftests.sh /run/out"
vm_rc=$?
set -e
out=$RESULTS/selftests
stage "results"
if [ -f "$out/test_progs.log" ]; then
	python3 "$TOP/scripts/count-results.py" "$out/test_progs.log" >"$out/units"
	while read -r verdict name; do
		case $verdict in
		OK) report PASS "$name" ;;
		FAIL) report FAIL "$name" ;;
		SKIP) report SKIP "$name" ;;
		esac
	done < <(head -n -1 "$out/units")
else
	report FAIL "test_progs produced no log"
fi
if grep -q '^\(PASS\|FAIL\) recipe: ' "$out/recipe.log" 2>/dev/null; then
	while read -r verdict name; do
		report "$verdict" "$name"
	done < <(grep '^\(PASS\|FAIL\) recipe: ' "$out/recipe.log")
	grep -q '^recipe: finished' "$out/recipe.log" ||
		report FAIL "recipe: ops/test-splicectl stopped (see $out/recipe.log)"
else
	report FAIL "recipe: ops/test-splicectl did not run (see $out/recipe.log)"
fi
case $vm_rc in
124) report FAIL "VM: guest hung or crashed (see $out/console.log)" ;;
125) report FAIL "kernel log: splat during the run (see $out/dmesg)" ;;
*)
	if [ -f "$out/status" ]; then
		report PASS "kernel log: no splat, no kmemleak report"
	else
		report FAIL "VM: did not run (exit $vm_rc)"
	fi
	;;
esac
finish
