#!/usr/bin/env bash
# main.sh [--full|--profile] [--reps N] [--secs S]: the main job (README).
# Builds the non-debug kernel of base + series, boots it once and runs
# every variant side by side (bench/guest-bench.sh), then prints the table
# and writes build/results/bench/{bench.csv,bench.json,bench.png}.
#   default  RR 14 B/1 KB/64 KB, STREAM 64 B (both Nagle settings)/1 KB/
#            4 KB/64 KB on 127.0.0.1 and veth, 1 thread 14 B/1 KB/4 KB: 14 min
#            in the VM under TCG
#   --full   every size, both Nagle settings, 127.0.0.1, ::1 and veth
#   --profile RR 14 B/1 KB, STREAM 4 KB/16 KB (127.0.0.1, veth), 1 thread
#            1 KB/16 KB, each run once under perf record (cpu-clock, both
#            vCPUs); prints where the time went,
#            build/results/profile/perf/*.txt
. "$(dirname "$0")/lib.sh"

matrix=quick reps=5 secs=1
while [ $# -gt 0 ]; do
	case $1 in
	--full) matrix=full ;;
	--profile) matrix=profile reps=1 secs=3 ;;
	--reps) reps=$2; shift ;;
	--secs) secs=$2; shift ;;
	*) die "usage: main.sh [--full|--profile] [--reps N] [--secs S]" ;;
	esac
	shift
done

stage "host set-up"
"$TOP/scripts/setup-host.sh"
if [ -d "$TREE/.git" ] &&
   [ "$(git -C "$TREE" rev-parse -q --verify base)" = "$BASE_COMMIT" ] &&
   "$TOP/scripts/export-series.sh" --check >/dev/null 2>&1; then
	info "using the existing tree $TREE"
else
	"$TOP/scripts/make-tree.sh"
fi
"$TOP/scripts/build-kernel.sh" vm
"$TOP/scripts/build-bench.sh"

# Under TCG the guest CPU has neither FSRM nor ERMS. On an FSRM CPU the
# kernel copies user data by rep movsb, which TCG runs a byte per
# iteration: 8x what rep movsq costs in the guest, while the host runs
# both alike (the "Copies" table). That inflates the copy-bound variants
# most; with rep movsq, a copy costs about what the rest of the emulation
# does, as on the host. VM_CPU=max,la57=off keeps FSRM.
export VM_CPU=${VM_CPU:-max,la57=off,-fsrm,-erms}
name=bench
[ "$matrix" = profile ] && name=profile
out=$RESULTS/$name
# The calibration: the same RR 14 B loops and pipe on the host, where
# nothing is emulated, for the ratios beside the guest's.
stage "calibration on the host"
sb=$BUILD/bench/sockbench
host=$(mktemp -d)
srv=
trap 'kill $srv 2>/dev/null || true; rm -rf "$host"' EXIT
taskset -c 1 "$sb" serve tcp4 127.0.0.1 5999 >/dev/null &
srv="$srv $!"
taskset -c 1 "$sb" serve unix sockbench-host 0 >/dev/null &
srv="$srv $!"
sleep 1
# A server that could not listen (a stray one holds the port) would let
# the runs below measure someone else's.
kill -0 $srv || die "a calibration server did not start (port 5999 or sockbench-host taken?)"
{
	echo "tcp,$("$sb" run tcp4 127.0.0.1 5999 rr 14 2 nodelay cpu=0 | cut -d' ' -f2)"
	echo "unix,$("$sb" run unix sockbench-host 0 rr 14 2 cpu=0 | cut -d' ' -f2)"
	echo "pipe,$(taskset -c 0,1 perf bench sched pipe -l 200000 | awk '/ops\/sec/ { print $1 }')"
	"$sb" copy
} >"$host/host.csv"
kill $srv 2>/dev/null || true

stage "benchmark in the VM ($matrix matrix, $reps repetitions of ${secs}s)"
VM_QUIET=${VM_QUIET:-0} "$TOP/scripts/vm-run.sh" -k vm -n "$name" -t 7200 -- \
	"$TOP/bench/guest-bench.sh" "$BUILD/bench" /run/out "$matrix" "$reps" "$secs"
cp "$host/host.csv" "$out/"

stage "results ($out: bench.csv, bench.json, bench.png)"
echo "Machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //');" \
	"guest: 2 vCPUs, $("$TOP/scripts/vm-accel.sh" "$BUILD/kbuild-vm/arch/x86/boot/bzImage" |
		sed "s/^tcg\$/tcg, -cpu $VM_CPU/")"
[ "$("$TOP/scripts/vm-accel.sh" "$BUILD/kbuild-vm/arch/x86/boot/bzImage")" = kvm ] ||
	echo "Under TCG absolute figures mean little: read the ratios (same boot, interleaved runs), and the calibration."
# Debian's python3, which has python3-matplotlib (not a python3 first in PATH)
rc=0
/usr/bin/python3 "$TOP/bench/report.py" "$out" || rc=$?
if [ "$matrix" = profile ]; then
	for f in "$out"/perf/*-{tcp,splice,smc,unix}-*[0-9].txt "$out"/perf/*-{tcp,splice,smc,unix}-*nodelay.txt; do
		[ -e "$f" ] || continue
		echo; echo "### ${f##*/}: samples by symbol, both vCPUs"
		head -n 12 "$f"
	done
fi
exit $rc
