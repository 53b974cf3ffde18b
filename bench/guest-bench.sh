#!/bin/bash
# guest-bench.sh BINDIR OUT MATRIX REPS SECS: inside the VM, run every
# variant side by side, interleaved, REPS times; one CSV line per run in
# OUT/bench.csv: topo,variant,workload,size,nodelay,rep,value
# (rr: transactions/s; stream: Mbit/s; pipe: round trips/s; mem: bytes
# per connection, both ends).
# MATRIX is "quick", "full" or "profile" (each run once under perf record,
# both CPUs, cpu-clock: TCG has no PMU; OUT/perf/*.txt: where the time
# went). The client runs on CPU 0, servers on CPU 1.
set -euo pipefail
bin=$1 out=$2 matrix=$3 reps=$4 secs=$5
sb=$bin/sockbench bpftool=$bin/bpftool
t0=$(date +%s)
log() { printf '[bench %4ds] %s\n' $(($(date +%s) - t0)) "$*"; }

# Variants: a cgroup each; all but "tcp" and "unix" get their own load of
# the sock_ops program (own maps), configured by mode (pair.bpf.c).
#   tcp     no program                  noprog: same, baseline for "idle"
#   idle    program attached, flow left alone (mode 0)
#   splice  paired (mode 1)             busy: paired, SO_BUSY_POLL 50 us
#   redir   sockmap sk_msg redirect (mode 2)
#   unix    AF_UNIX stream
#   smc     AF_SMC, SMC-D over the dibs loopback device (no program);
#           only on a kernel with SMC (config/bench.config)
declare -A mode=([idle]=0 [splice]=1 [busy]=1 [redir]=2)
declare -A busy=([idle]=0 [splice]=0 [busy]=50 [redir]=0)
le32() { printf '%02x %02x %02x %02x' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255)); }
for v in tcp unix idle splice busy redir smc; do
	mkdir -p /sys/fs/cgroup/$v
done
for v in idle splice busy redir; do
	$bpftool prog loadall "$bin/pair.bpf.o" /sys/fs/bpf/$v pinmaps /sys/fs/bpf/$v/maps
	$bpftool map update pinned /sys/fs/bpf/$v/maps/config key 0 0 0 0 \
		value $(le32 ${mode[$v]}) $(le32 ${busy[$v]})
	$bpftool cgroup attach /sys/fs/cgroup/$v sock_ops pinned /sys/fs/bpf/$v/pair
done
$bpftool prog attach pinned /sys/fs/bpf/redir/redirect msg_verdict \
	pinned /sys/fs/bpf/redir/maps/ends

# The container case: two namespaces, veth ends on a bridge in the root
# namespace (default MTU 1500, as a container runtime sets up).
ip link add br0 type bridge && ip link set br0 up
for i in 1 2; do
	ip netns add ns$i
	ip link add veth$i type veth peer name eth0 netns ns$i
	ip link set veth$i master br0 up
	ip -n ns$i addr add 10.0.0.$i/24 dev eth0
	ip -n ns$i link set eth0 up
	ip -n ns$i link set lo up
done

topos=(lo4 lo6 veth)
declare -A fam=([lo4]=tcp4 [lo6]=tcp6 [veth]=tcp4)
declare -A addr=([lo4]=127.0.0.1 [lo6]=::1 [veth]=10.0.0.2)
declare -A srvns=([lo4]= [lo6]= [veth]="ip netns exec ns2")
declare -A clins=([lo4]= [lo6]= [veth]="ip netns exec ns1")
tcp_variants=(tcp idle splice busy redir)
if grep -qw SMC /proc/net/protocols; then
	# SMC-Dv2 needs an Enterprise ID, user-defined where the machine
	# has none (sockbench.c: smc-ueid)
	$sb smc-ueid TCP-SPLICE-BENCH
	tcp_variants+=(smc)
else
	log "no AF_SMC in this kernel: no SMC-D runs"
fi
# One server per topology and variant, started inside its cgroup (the
# accepted sockets inherit the listener's cgroup, and with it the program).
declare -A port
p=5000
for t in "${topos[@]}"; do
	for v in "${tcp_variants[@]}"; do
		p=$((p + 1)) port[$t.$v]=$p f=${fam[$t]}
		if [ "$v" = smc ]; then f=smc${f#tcp}; fi
		sh -c "echo \$\$ >/sys/fs/cgroup/$v/cgroup.procs;
			exec ${srvns[$t]} $sb serve $f ${addr[$t]} $p 1" \
			>/dev/null 2>>"$out/servers.log" &
	done
done
sh -c "echo \$\$ >/sys/fs/cgroup/unix/cgroup.procs; exec $sb serve unix sockbench 0 1" \
	>/dev/null 2>>"$out/servers.log" &
# The servers hold no pipe of ours open, and go when we do.
trap 'kill $(jobs -p) 2>/dev/null' EXIT
sleep 2

if [ "$matrix" = profile ]; then
	rr_sizes=(14 1024)
	stream=(4096 16384)
	self_sizes=(1024 16384)
	run_topos=(lo4 veth)
	# perf cannot write its data file on the 9p results share: /tmp,
	# and only the reports go to OUT.
	mkdir -p "$out/perf" /tmp/perf
	sysctl -qw kernel.kptr_restrict=0 kernel.perf_event_paranoid=-1
elif [ "$matrix" = full ]; then
	rr_sizes=(14 64 1024 16384 65536)
	self_sizes=(14 64 1024 4096 16384 65536)
	stream=("64 nodelay" 64 "256 nodelay" 256 "1024 nodelay" 1024
		"4096 nodelay" 4096 "16384 nodelay" 16384 "65536 nodelay" 65536)
	run_topos=(lo4 lo6 veth)
else
	rr_sizes=(14 1024 65536)
	self_sizes=(14 1024 4096)
	stream=(64 "64 nodelay" 1024 4096 65536)
	run_topos=(lo4 veth)
fi
workloads=()
for s in "${rr_sizes[@]}"; do workloads+=("rr $s nodelay"); done
for s in "${stream[@]}"; do workloads+=("stream $s"); done
# self: the send and receive paths' cost without wake-ups, lo4 only (one
# process holds both ends: no second namespace)
for s in "${self_sizes[@]}"; do workloads+=("self $s"); done

# One run: one CSV line; a failed run is recorded as "fail" and logged.
# A run that does not end within its time and a margin has failed too.
one() {
	local t=$1 v=$2 w=$3 s=$4 nd=${5:-} f a pt ns= res prof= cmd
	if [ "$v" = unix ]; then
		f=unix a=sockbench pt=0
	else
		f=${fam[$t]} a=${addr[$t]} pt=${port[$t.$v]} ns=${clins[$t]}
		if [ "$v" = smc ]; then f=smc${f#tcp}; fi
	fi
	[ "$matrix" = profile ] &&
		prof="perf record -q -a -g -F 1000 -e cpu-clock -o /tmp/perf/$t-$v-$w-$s${nd:+-$nd}.data --"
	# self: one process, both ends, its own listener (a port or name
	# beside its variant's server)
	cmd="run $f $a $pt $w $s $secs $nd"
	if [ "$w" = self ]; then
		if [ "$v" = unix ]; then a=$a-self; else pt=$((pt + 1000)); fi
		cmd="self $f $a $pt $s $secs"
	fi
	if res=$(sh -c "echo \$\$ >/sys/fs/cgroup/$v/cgroup.procs;
		exec $prof timeout 60 $ns $sb $cmd cpu=0" 2>/tmp/err); then
		res=${res#* }
	else
		log "FAILED: $t $v $w $s $nd: $(tr '\n' ' ' </tmp/err)"
		res=fail
	fi
	echo "$t,$v,$w,$s,$([ -n "$nd" ] && echo 1 || echo 0),$rep,$res" >>"$out/bench.csv"
}

: >"$out/bench.csv"
# The clock every figure is measured with (vm-run.sh gives a TCG guest its
# TSC rate; without it the guest could fall back to jiffies)
cat /sys/devices/system/clocksource/clocksource0/current_clocksource >"$out/clocksource"
log "clocksource: $(cat "$out/clocksource")"
# What a 4 KB copy costs here, by rep movsb and rep movsq (calibration)
{
	$sb copy
	echo "fsrm,$(grep -cw fsrm /proc/cpuinfo)"
} >"$out/copy.csv"
total=$((reps * (${#run_topos[@]} * ${#workloads[@]} - (${#run_topos[@]} - 1) * ${#self_sizes[@]})))
n=0
for rep in $(seq "$reps"); do
	# pipe floor: two tasks, one round trip per op
	ops=$(taskset -c 0,1 perf bench sched pipe -l 50000 2>/dev/null |
		awk '/ops\/sec/ { print $1 }')
	echo "lo4,pipe,rr,4,0,$rep,${ops:-fail}" >>"$out/bench.csv"
	for t in "${run_topos[@]}"; do
		variants=("${tcp_variants[@]}")
		[ "$t" = veth ] || variants+=(unix)
		# Rotate the order each repetition so no variant always runs
		# first (or right after the same neighbour).
		k=$(( (rep - 1) % ${#variants[@]} ))
		variants=("${variants[@]:$k}" "${variants[@]:0:$k}")
		for w in "${workloads[@]}"; do
			[ "$t" != lo4 ] && [ "${w%% *}" = self ] && continue
			n=$((n + 1))
			log "rep $rep/$reps $t $w ($n/$total)"
			for v in "${variants[@]}"; do
				# shellcheck disable=SC2086
				one "$t" "$v" $w
			done
		done
	done
done

if [ "$matrix" = profile ]; then
	for d in /tmp/perf/*.data; do
		r=$out/perf/$(basename "${d%.data}")
		perf report -i "$d" --no-children --sort sym --stdio -g none \
			--percent-limit 0.7 2>/dev/null | grep -v '^#' | grep . >"$r.txt"
		perf report -i "$d" --no-children --sort sym --stdio -G \
			--percent-limit 2 2>/dev/null >"$r.callers.txt"
		rm -f "$d"
	done
	log "done"
	exit 0
fi

# Memory per connection, both ends: sockbench hold opens 400 connections
# to itself in the variant's cgroup, makes two round trips of SIZE bytes
# on each, reads everything and reports what memory.current grew by, per
# connection, then (mem) and 3 s later (memidle). The controller goes on
# only now: memcg socket accounting would otherwise be part of every
# figure above.
echo +memory >/sys/fs/cgroup/cgroup.subtree_control
p=5900
for rep in $(seq "$reps"); do
	for v in tcp splice unix; do
		for s in 1024 65536; do
			p=$((p + 1))
			if [ "$v" = unix ]; then f=unix a=sockbench-hold$p; else f=tcp4 a=127.0.0.1; fi
			log "rep $rep/$reps memory: $v, 400 connections, $s B"
			if res=$(sh -c "echo \$\$ >/sys/fs/cgroup/$v/cgroup.procs;
				exec timeout 300 $sb hold $f $a $p 400 $s" 2>/tmp/err); then
				res=${res#* }
			else
				log "FAILED: memory $v $s: $(tr '\n' ' ' </tmp/err)"
				res="fail fail"
			fi
			echo "lo4,$v,mem,$s,0,$rep,${res% *}" >>"$out/bench.csv"
			echo "lo4,$v,memidle,$s,0,$rep,${res#* }" >>"$out/bench.csv"
		done
	done
done

# What the programs did: [0] paired, [1] refused, [2] no peer found.
for v in splice busy redir; do
	log "$v program: paired, refused, no peer: $($bpftool map dump pinned \
		/sys/fs/bpf/$v/maps/stats -j | grep -o '"value":[0-9]*' | cut -d: -f2 | xargs)"
done
log "done"
