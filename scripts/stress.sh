#!/usr/bin/env bash
# stress.sh [-m MINUTES] [-o OPS] [-s FIRST_SEED]: the long differential
# stress (tcp_splice/differential stress, patch 9) in one boot of the debug
# kernel: seeds FIRST_SEED, FIRST_SEED + 1, ... with OPS operations each
# (default 20000), until MINUTES have passed (default 30). FIRST_SEED
# defaults to 2: the test command runs seed 1. Prints the
# operations, seeds and time, and the seed and step of any divergence from
# plain TCP; a failed seed's log is kept in build/results/stress-long/.
. "$(dirname "$0")/lib.sh"

minutes=30 ops=20000 seed=2
while getopts m:o:s: o; do
	case $o in
	m) minutes=$OPTARG ;;
	o) ops=$OPTARG ;;
	s) seed=$OPTARG ;;
	*) die "usage: stress.sh [-m MINUTES] [-o OPS] [-s FIRST_SEED]" ;;
	esac
done

"$TOP/scripts/build-kernel.sh" debug
"$TOP/scripts/build-selftests.sh" debug

set +e
"$TOP/scripts/vm-run.sh" -k debug -n stress-long -t $((minutes * 60 + 900)) -- "
cd '$BUILD/selftests' || exit 1
end=\$((\$(cut -d. -f1 /proc/uptime) + $minutes * 60))
seed=$seed seeds=0 fail=0
while [ \$(cut -d. -f1 /proc/uptime) -lt \$end ]; do
	if ! TCP_SPLICE_STRESS_SEED=\$seed TCP_SPLICE_STRESS_OPS=$ops \
	     ./test_progs -w 0 -t 'tcp_splice/differential stress' >/run/out/last.log 2>&1; then
		fail=\$((fail + 1))
		cp /run/out/last.log /run/out/fail-\$seed.log
		grep '^stress:' /run/out/last.log | head -3
	fi
	seeds=\$((seeds + 1)) seed=\$((seed + 1))
	[ \$((seeds % 10)) = 0 ] && echo \"[\$(cut -d. -f1 /proc/uptime)s] \$seeds seeds, \$fail failed\"
done
echo \"differential stress: \$seeds seeds of $ops operations (\$((seeds * $ops)) operations, seeds $seed..\$((seed - 1))), $minutes min, \$fail failed\"
[ \$fail = 0 ]
"
rc=$?
set -e
stage "result"
tail -1 "$RESULTS/stress-long/output" 2>/dev/null ||
	echo "no result: see $RESULTS/stress-long/console.log"
exit $rc
