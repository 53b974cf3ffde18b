#!/usr/bin/env bash
# flake.sh [-n RUNS] [-r REV] [-l] [-H HOGS] [-T SECS] TEST: run one test or subtest
# (e.g. "sockmap_basic/sockmap udp multi channels") RUNS times in one boot
# of the debug kernel and report how many runs passed and failed.
#   -r REV  build the selftests from revision REV of the tree (e.g. the
#           commit before a fix) instead of the tree's checkout
#   -l      keep a CPU-bound process running meanwhile (provokes races)
#   -H HOGS as many CPU-bound processes (-l is -H 1)
#   -T SECS limit for one run (default 300)
. "$(dirname "$0")/lib.sh"

runs=200 rev= load=0 limit=300
while getopts n:r:lH:T: o; do
	case $o in
	n) runs=$OPTARG ;;
	r) rev=$OPTARG ;;
	l) load=1 ;;
	H) load=$OPTARG ;;
	T) limit=$OPTARG ;;
	*) die "usage: flake.sh [-n RUNS] [-r REV] [-l] [-H HOGS] [-T SECS] TEST" ;;
	esac
done
shift $((OPTIND - 1))
test=${1:?usage: flake.sh [-n RUNS] [-r REV] [-l] [-H HOGS] [-T SECS] TEST}

# Both rebuild only what changed.
"$TOP/scripts/build-kernel.sh" debug
st=$BUILD/selftests
if [ -n "$rev" ]; then
	wt=$BUILD/flake-tree st=$BUILD/selftests-flake
	git -C "$TREE" worktree remove --force "$wt" 2>/dev/null || rm -rf "$wt"
	git -C "$TREE" worktree prune
	git -C "$TREE" worktree add -q --detach "$wt" "$rev"
	trap 'git -C "$TREE" worktree remove --force "$wt"' EXIT
	TCP_SPLICE_TREE=$wt SELFTESTS_OUT=$st ALLOW_UNKNOWN=1 \
		"$TOP/scripts/build-selftests.sh" debug
else
	"$TOP/scripts/build-selftests.sh" debug
fi

name=flake-$(echo "$test" | tr -c 'a-zA-Z0-9_\n' '_')
set +e
"$TOP/scripts/vm-run.sh" -k debug -n "$name" -t $((600 + runs * limit)) -- "
cd '$st' || exit 1
load_pids=
# Not holding the command's stdout: the guest waits for it to close.
for h in \$(seq $load); do
	{ while :; do :; done; } >/dev/null 2>&1 &
	load_pids=\"\$load_pids \$!\"
done
pass=0 fail=0
for i in \$(seq $runs); do
	if timeout $limit ./test_progs -t '$test' >/run/out/last.log 2>&1 &&
	   grep -qE '^Summary: 1/[0-9]+ PASSED, 0 SKIPPED, 0(/0)? FAILED' /run/out/last.log; then
		pass=\$((pass + 1))
	else
		fail=\$((fail + 1))
		cp /run/out/last.log /run/out/fail-\$i.log
	fi
	[ \$((i % 10)) = 0 ] && echo \"[\$(cut -d. -f1 /proc/uptime)s] \$i runs: \$pass passed, \$fail failed\"
done
[ -n \"\$load_pids\" ] && kill \$load_pids
echo \"$test: \$pass passed, \$fail failed (of $runs)\"
[ \$fail = 0 ]
"
rc=$?
set -e
stage "result (failed runs' logs in $RESULTS/$name)"
tail -1 "$RESULTS/$name/output" 2>/dev/null || echo "no result: see $RESULTS/$name/console.log"
exit $rc
