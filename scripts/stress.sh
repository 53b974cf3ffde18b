#!/usr/bin/env bash
# stress.sh [-k VARIANT] [-m MINUTES] [-o OPS] [-s FIRST_SEED] [-r ROUNDS] [-j JOBS]:
# the long runs of the tcp_splice tests (patch 12), in one boot of the debug
# kernel (-k kcsan: of the KCSAN one; -k vm: of the non-debug one, several
# times faster, for round counts the debug kernel cannot reach here):
#  - the differential stress, on two workers (one per vCPU): seeds
#    FIRST_SEED, FIRST_SEED + 1, ... (default 2: the test command runs
#    seed 1) with OPS operations each (default 20000), until MINUTES have
#    passed (default 30). Loopback ACKs at once here (route quickack):
#    waiting out the plain connection's delayed ACKs takes 95% of a run
#    otherwise; the test command's seed keeps them.
#  - then ROUNDS rounds of the races subtest (default 100000), split over
#    JOBS test_progs processes (default 8) with race seeds 1 .. JOBS: a
#    round mostly waits (TCP's timers after an unpair), so 4 processes
#    run 3.6 times as many rounds per second as one on 2 vCPUs.
# Prints operations, seeds, rounds and time, and the seed and step of any
# divergence; failed runs' logs are kept in build/results/stress-VARIANT/.
. "$(dirname "$0")/lib.sh"

variant=debug minutes=30 ops=20000 seed=2 rounds=100000 jobs=8
usage="usage: stress.sh [-k debug|kcsan|vm] [-m MINUTES] [-o OPS] [-s FIRST_SEED] [-r ROUNDS] [-j JOBS]"
while getopts k:m:o:s:r:j: o; do
	case $o in
	k) variant=$OPTARG ;;
	m) minutes=$OPTARG ;;
	o) ops=$OPTARG ;;
	s) seed=$OPTARG ;;
	r) rounds=$OPTARG ;;
	j) jobs=$OPTARG ;;
	*) die "$usage" ;;
	esac
done

"$TOP/scripts/build-kernel.sh" "$variant"
# test_progs is built once, against the debug kernel's BTF (CO-RE).
[ -f "$BUILD/kbuild-debug/vmlinux" ] || "$TOP/scripts/build-kernel.sh" debug
"$TOP/scripts/build-selftests.sh" debug

set +e
"$TOP/scripts/vm-run.sh" -k "$variant" -n "stress-$variant" \
	-t $((minutes * 60 + 3 * 3600)) -- "
cd '$BUILD/selftests' || exit 1
ip route change local 127.0.0.1 dev lo proto kernel scope host \
	src 127.0.0.1 table local quickack 1 || exit 1
now() { cut -d. -f1 /proc/uptime; }
start=\$(now) end=\$((\$(now) + $minutes * 60))
worker()
{
	local seed=\$(($seed + \$1)) seeds=0 fail=0
	while [ \$(now) -lt \$end ]; do
		if ! TCP_SPLICE_STRESS_SEED=\$seed TCP_SPLICE_STRESS_OPS=$ops \
		     ./test_progs -w 0 -t 'tcp_splice/differential stress' \
		     >/run/out/last-\$1.log 2>&1; then
			fail=\$((fail + 1))
			cp /run/out/last-\$1.log /run/out/fail-\$seed.log
			grep '^stress:' /run/out/last-\$1.log | head -3
		fi
		seeds=\$((seeds + 1)) seed=\$((seed + 2))
		[ \$((seeds % 20)) = 0 ] &&
			echo \"[\$((\$(now) - start))s] worker \$1: \$seeds seeds, \$fail failed\"
	done
	echo \$seeds \$fail >/run/out/worker-\$1
}
worker 0 & worker 1 & wait
read s0 f0 </run/out/worker-0
read s1 f1 </run/out/worker-1
seeds=\$((s0 + s1)) fail=\$((f0 + f1))
echo \"differential stress: \$seeds seeds of $ops operations (\$((seeds * $ops)) operations; seeds $seed, $((seed + 2)) .. \$(($seed + 2 * s0 - 2)) and $((seed + 1)), $((seed + 3)) .. \$(($seed + 2 * s1 - 1))), \$((\$(now) - start)) s, \$fail failed\"
t=\$(now)
each=\$(( ($rounds + $jobs - 1) / $jobs ))
for i in \$(seq $jobs); do
	( TCP_SPLICE_RACE_SEED=\$i TCP_SPLICE_RACE_ROUNDS=\$each \
		./test_progs -w 0 -t tcp_splice/races >/run/out/races-\$i.log 2>&1
	  echo \$? >/run/out/races-\$i.rc ) &
done
while [ \$(ls /run/out/races-*.rc 2>/dev/null | wc -l) -lt $jobs ]; do
	sleep 60
	echo \"[\$((\$(now) - start))s] races: \$(ls /run/out/races-*.rc 2>/dev/null | wc -l) of $jobs processes done\"
done
wait
races=0 passed=0
for i in \$(seq $jobs); do
	if [ \$(cat /run/out/races-\$i.rc) = 0 ]; then
		passed=\$((passed + each))
	else
		races=1
		grep -E '^(race_round|test_races):' /run/out/races-\$i.log | tail -3
	fi
done
echo \"races: \$passed rounds passed of \$((each * $jobs)) (\$each each in $jobs processes, race seeds 1..$jobs), \$((\$(now) - t)) s, \$([ \$races = 0 ] && echo passed || echo FAILED)\"
[ \$fail = 0 ] && [ \$races = 0 ]
"
rc=$?
set -e
stage "result"
grep -E '^(differential stress|races):' "$RESULTS/stress-$variant/output" 2>/dev/null ||
	echo "no result: see $RESULTS/stress-$variant/console.log"
exit $rc
