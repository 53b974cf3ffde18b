#!/usr/bin/env bash
# vm-run.sh [-k vm|debug] [-n NAME] [-t SECONDS] [-c CPUS] [-m MEM] -- CMD
# Boot the built kernel in QEMU with the host's / as read-only root and run
# CMD (a shell command line) as root inside. Results land in
# build/results/NAME: output, status, dmesg, kmemleak, console.log.
# Exit status: CMD's status; 124 if the guest hung or crashed (no status);
# 125 if the kernel log shows a splat (ci/splat-patterns), whatever CMD did.
# VM_CPU: QEMU's -cpu under TCG (default max,la57=off); main.sh's
# benchmark uses max,la57=off,-fsrm,-erms (user copies by rep movsq).
. "$(dirname "$0")/lib.sh"

variant=debug name=vm timeout=1800 cpus=2 mem=3G
while getopts k:n:t:c:m: o; do
	case $o in
	k) variant=$OPTARG ;;
	n) name=$OPTARG ;;
	t) timeout=$OPTARG ;;
	c) cpus=$OPTARG ;;
	m) mem=$OPTARG ;;
	*) die "usage: vm-run.sh [-k vm|debug] [-n NAME] [-t SECONDS] [-c CPUS] [-m MEM] -- CMD" ;;
	esac
done
shift $((OPTIND - 1))
[ "${1:-}" = -- ] && shift
[ $# -gt 0 ] || die "vm-run.sh: no command"
kernel=$BUILD/kbuild-$variant/arch/x86/boot/bzImage
[ -f "$kernel" ] || die "no $variant kernel at $kernel (scripts/build-kernel.sh $variant)"

out=$RESULTS/$name
rm -rf "$out" && mkdir -p "$out"
printf '%s\n' "$*" >"$out/cmd.sh"

accel=$("$TOP/scripts/vm-accel.sh" "$kernel")
# Emulation is slow enough to trip the lockup and stall detectors at boot
# (stop_machine under TCG); raise their thresholds, keep them on.
cmdline="console=ttyS0 root=/dev/root rootfstype=9p ro
 rootflags=trans=virtio,version=9p2000.L,msize=512000,cache=loose
 panic=-1 watchdog_thresh=60 rcupdate.rcu_cpu_stall_timeout=300
 sysctl.kernel.hung_task_timeout_secs=300 tcp_splice.top=$TOP
 init=$TOP/scripts/guest-init.sh"

# Under TCG the guest's TSC is the host's, but the guest measures its rate
# against the emulated PIT, and that failed in 7 of 20 boots here ("Unable
# to calibrate against PIT"): the guest then ran on the jiffies clocksource
# (a 1 ms clock, low-resolution timers) under the benchmark's figures and
# the timed tests. Give it the rate: TSC ticks counted while a busy loop
# runs for 0.3 s (perf's msr PMU; count / running ns).
if [ "$accel" = tcg ] && grep -qw constant_tsc /proc/cpuinfo; then
	khz=$( { perf stat -x, -e msr/tsc/ -- timeout 0.3 sh -c 'while :; do :; done' 2>&1 || true; } |
		awk -F, '$3 == "msr/tsc/" && $4 > 0 { printf "%d", $1 / $4 * 1e6 }')
	if [ -n "$khz" ]; then
		cmdline="$cmdline tsc_early_khz=$khz"
	else
		info "could not count the host's TSC rate (perf, msr PMU): the guest calibrates it"
	fi
fi

# "-cpu max" under TCG offers 5-level paging; 7.3's KASAN then reported a
# wild-memory-access in an interrupt during early boot (cpu_detect) in one
# of two boots. Four levels, as on most machines, boot clean.

# Killed or interrupted: take QEMU down too.
vm=
trap '[ -n "$vm" ] && kill -0 "$vm" 2>/dev/null &&
	kill "$(cat "$out/qemu.pid" 2>/dev/null)" 2>/dev/null; true' EXIT
cpu=${VM_CPU:-max,la57=off}
[ "$accel" = kvm ] && cpu=host
stage "booting $variant kernel ($accel, -cpu $cpu, $cpus vCPUs): $name"
set +e
timeout --foreground -k 10 "$timeout" qemu-system-x86_64 \
	-nodefaults -no-reboot -display none -serial stdio -pidfile "$out/qemu.pid" \
	-machine microvm,acpi=off $( [ "$accel" = kvm ] && echo "-accel kvm -cpu host" ||
		echo "-accel tcg,thread=multi -cpu $cpu" ) \
	-smp "$cpus" -m "$mem" -kernel "$kernel" -append "$(echo $cmdline)" \
	-fsdev local,id=root,path=/,security_model=none,readonly=on,multidevs=remap \
	-device virtio-9p-device,fsdev=root,mount_tag=/dev/root \
	-fsdev local,id=results,path="$out",security_model=none \
	-device virtio-9p-device,fsdev=results,mount_tag=results \
	</dev/null 2>&1 | sed -u 's/\r$//' | tee "$out/console.log" |
	if [ "${VM_QUIET:-0}" = 1 ]; then cat >/dev/null; else sed -u 's/^/    | /'; fi &
vm=$!
# The guest halts right after writing its status; once the kernel said
# "reboot: System halted" QEMU is stopped here. A guest that never gets
# there is stuck (in sync, in the kernel) and fails the run.
stuck=0 done_at=
while kill -0 $vm 2>/dev/null; do
	if [ -f "$out/status" ] && [ -z "$done_at" ]; then
		done_at=$(date +%s)
	elif [ -n "$done_at" ]; then
		waited=$(($(date +%s) - done_at))
		if grep -q 'reboot: System halted' "$out/console.log"; then
			kill "$(cat "$out/qemu.pid")" 2>/dev/null
		elif [ $waited -gt 120 ]; then
			stuck=1
			kill "$(cat "$out/qemu.pid")" 2>/dev/null
		fi
	fi
	sleep 1
done
wait $vm
qemu_rc=$?
set -e
info "guest finished (qemu exit $qemu_rc)"

if [ ! -f "$out/status" ]; then
	[ "$qemu_rc" = 124 ] && why="timed out after ${timeout}s" || why="crashed"
	echo "FAIL: guest $why without an exit status; see $out/console.log"
	"$TOP/scripts/scan-splats.sh" "$out/console.log" || true
	exit 124
fi
if [ $stuck = 1 ]; then
	echo "FAIL: guest did not halt after its command; see $out/console.log"
	"$TOP/scripts/scan-splats.sh" "$out/console.log" || true
	exit 124
fi
status=$(cat "$out/status")
log=$out/dmesg
[ -s "$log" ] || log=$out/console.log
if ! "$TOP/scripts/scan-splats.sh" "$log" "$out/kmemleak"; then
	echo "FAIL: kernel splat in $name (see $log)"
	exit 125
fi
exit "$status"
