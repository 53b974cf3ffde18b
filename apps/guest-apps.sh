#!/bin/bash
# guest-apps.sh OUT REPS: inside the VM, unmodified Debian servers and their
# own clients over 127.0.0.1, with the splice off (no program) and on
# (ops/splicectl enable for their cgroup), interleaved REPS times. Each run
# checks its data with the client's own means; OUT/apps.csv gets one line a
# run: app,mode,rep,ok,seconds,paired,ring_bytes,tcp_bytes (the TcpExt
# deltas of the run). The servers:
#   nginx      non-blocking epoll, sendfile()      client: curl, sha256
#   redis      single-threaded epoll               redis-cli (1 MiB value
#                                                  round trip, sha256) and
#                                                  redis-benchmark (replies)
#   memcached  worker threads, libevent            memccp/memccat, sha256
#   rsync      daemon forking a process a client,  rsync (its own whole-file
#              blocking I/O                        checksum), sha256
#   socat      fork a connection, blocking I/O,    socat, sha256 of the echo
#              echo through cat
set -u
out=$1 reps=$2
top=$(cd "$(dirname "$0")/.." && pwd)
ctl=$top/ops/splicectl
w=/tmp/apps
cg=${APPS_CGROUP:-/sys/fs/cgroup/apps}
t0=$(date +%s)
log() { printf '[apps %4ds] %s\n' $(($(date +%s) - t0)) "$*"; }

mkdir -p $w/www $w/rsync $w/nginx $cg
# Everything from here on, servers and clients, is in the cgroup.
echo $$ >$cg/cgroup.procs
dd if=/dev/urandom of=$w/www/data.bin bs=1M count=16 status=none
cp $w/www/data.bin $w/rsync/data.bin
head -c 1048576 $w/www/data.bin >$w/blob.bin
sum=$(sha256sum <$w/www/data.bin | cut -d' ' -f1)
blobsum=$(sha256sum <$w/blob.bin | cut -d' ' -f1)

cat >$w/nginx.conf <<EOF
daemon on; worker_processes 1; pid $w/nginx.pid; error_log $w/nginx.err;
events { worker_connections 64; }
http {
	access_log off; sendfile on; tcp_nopush on;
	client_body_temp_path $w/nginx; proxy_temp_path $w/nginx;
	fastcgi_temp_path $w/nginx; uwsgi_temp_path $w/nginx;
	scgi_temp_path $w/nginx;
	server { listen 127.0.0.1:8080; root $w/www; }
}
EOF
cat >$w/rsyncd.conf <<EOF
use chroot = no
pid file = $w/rsyncd.pid
[data]
	path = $w/rsync
	read only = yes
	uid = root
	gid = root
EOF
nginx -c $w/nginx.conf -p $w/nginx -e $w/nginx.err || exit 1
redis-server --port 6390 --bind 127.0.0.1 --dir $w --save '' --appendonly no \
	--daemonize yes --logfile $w/redis.log || exit 1
memcached -u root -l 127.0.0.1 -p 11311 -t 2 -I 4m -d || exit 1
rsync --daemon --config=$w/rsyncd.conf --address=127.0.0.1 --port=8873 || exit 1
socat TCP-LISTEN:9000,bind=127.0.0.1,fork,reuseaddr EXEC:cat &
socat_pid=$!
trap 'kill $socat_pid $(cat $w/nginx.pid $w/rsyncd.pid 2>/dev/null) 2>/dev/null;
      redis-cli -p 6390 shutdown nosave >/dev/null 2>&1; pkill -x memcached' EXIT
sleep 1

# One client run of APP; prints "ok" or what failed.
client()
{
	case $1 in
	nginx)
		for i in 1 2 3 4; do
			rm -f $w/got.bin
			curl -sf -o $w/got.bin http://127.0.0.1:8080/data.bin || {
				echo "curl failed"; return; }
			[ "$(sha256sum <$w/got.bin | cut -d' ' -f1)" = "$sum" ] || {
				echo "download $i differs"; return; }
		done ;;
	redis)
		redis-cli -p 6390 -x set blob <$w/blob.bin >/dev/null || {
			echo "set failed"; return; }
		# --raw prints the value and a newline
		[ "$(redis-cli -p 6390 --raw get blob | head -c 1048576 |
		     sha256sum | cut -d' ' -f1)" = "$blobsum" ] || {
			echo "value differs"; return; }
		redis-benchmark -p 6390 -q -n 20000 -c 8 -d 256 -t set,get \
			>$w/redis-bench.log 2>&1 || { echo "benchmark failed"; return; } ;;
	memcached)
		for i in 1 2 3 4; do
			rm -f $w/blob.bin.got
			memccp --servers=127.0.0.1:11311 $w/blob.bin >/dev/null 2>&1 || {
				echo "memccp failed"; return; }
			memccat --servers=127.0.0.1:11311 blob.bin >$w/blob.bin.got 2>/dev/null || {
				echo "memccat failed"; return; }
			# memccat prints the value and a newline
			[ "$(head -c 1048576 $w/blob.bin.got | sha256sum | cut -d' ' -f1)" = "$blobsum" ] || {
				echo "value $i differs"; return; }
		done ;;
	rsync)
		for i in 1 2; do
			rm -rf $w/rs && mkdir -p $w/rs
			rsync -a rsync://127.0.0.1:8873/data/data.bin $w/rs/ || {
				echo "rsync failed"; return; }
			[ "$(sha256sum <$w/rs/data.bin | cut -d' ' -f1)" = "$sum" ] || {
				echo "copy $i differs"; return; }
		done ;;
	socat)
		for i in 1 2; do
			socat -t 30 - TCP:127.0.0.1:9000 <$w/www/data.bin >$w/echo.bin || {
				echo "socat failed"; return; }
			[ "$(sha256sum <$w/echo.bin | cut -d' ' -f1)" = "$sum" ] || {
				echo "echo $i differs"; return; }
		done ;;
	esac
	echo ok
}

ext() { awk '/^TcpExt:/ { if (!n) { split($0, k); n = 1 } else split($0, v) }
	END { for (i = 2; i in k; i++) printf "%s=%s\n", k[i], v[i] }' /proc/net/netstat; }
field() { awk -F= -v k="$1" '$1 == k { v = $2 } END { print v + 0 }' "$2"; }
tcpsum() { awk -F= '/^TCPSpliceTcpBytes/ { s += $2 } END { print s + 0 }' "$1"; }

echo "app,mode,rep,ok,seconds,paired,ring_bytes,tcp_bytes" >"$out/apps.csv"
apps=(nginx redis memcached rsync socat)
for rep in $(seq 1 "$reps"); do
	# Alternate which mode goes first.
	modes=(${APPS_MODES:-tcp splice})
	[ $((rep % 2)) = 0 ] && [ ${#modes[@]} = 2 ] && modes=(splice tcp)
	for mode in "${modes[@]}"; do
		if [ $mode = splice ]; then
			"$ctl" enable $cg >/dev/null || exit 1
		fi
		for app in "${apps[@]}"; do
			ext >$w/before
			s=$(date +%s.%N)
			res=$(client $app)
			e=$(date +%s.%N)
			ext >$w/after
			paired=$(($(field TCPSplicePaired $w/after) - $(field TCPSplicePaired $w/before)))
			ring=$(($(field TCPSpliceRingBytes $w/after) - $(field TCPSpliceRingBytes $w/before)))
			tcp=$(($(tcpsum $w/after) - $(tcpsum $w/before)))
			secs=$(awk "BEGIN { print $e - $s }")
			echo "$app,$mode,$rep,$res,$secs,$paired,$ring,$tcp" >>"$out/apps.csv"
			log "$app $mode rep $rep: $res, ${secs}s, $paired pairs, ring $ring B, tcp-while-paired $tcp B"
		done
		if [ $mode = splice ]; then
			"$ctl" status >"$out/status-$rep.txt"
			"$ctl" disable >/dev/null || exit 1
		fi
	done
done
grep -h 'requests per second' $w/redis-bench.log >"$out/redis-bench.txt" 2>/dev/null
log "done"
