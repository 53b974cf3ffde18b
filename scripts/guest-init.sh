#!/bin/bash
# PID 1 of the test VM. The host's / is our read-only root (9p); the
# writable 9p share "results" holds the command to run (cmd.sh) and gets
# back its output, its exit status and the kernel log. A missing status
# file tells the host the guest hung or crashed.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/tmp LANG=C.UTF-8

mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
# bash process substitution needs /dev/fd, which udev would make.
ln -sfn /proc/self/fd /dev/fd
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs tmpfs /run
mkdir -p /run/out
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 results /run/out
# A tmpfs /tmp hides the host's /tmp: if our clone lives there, keep it
# visible by bind-mounting it back on top.
top=$(sed -n 's/.*tcp_splice.top=\([^ ]*\).*/\1/p' /proc/cmdline)
case $top in
/tmp/*)
	mkdir -p /run/top && mount --bind "$top" /run/top
	mount -t tmpfs tmpfs /tmp
	mkdir -p "$top" && mount --move /run/top "$top"
	;;
*) mount -t tmpfs tmpfs /tmp ;;
esac
mount -t bpf bpf /sys/fs/bpf
mount -t cgroup2 cgroup2 /sys/fs/cgroup
mount -t debugfs debugfs /sys/kernel/debug
ip link set lo up
ulimit -l unlimited
ulimit -n 65536

echo "guest: init done after $(cut -d' ' -f1 /proc/uptime)s"
cd /run/out
bash /run/out/cmd.sh 2>&1 | tee /run/out/output >/dev/console
echo "${PIPESTATUS[0]}" >/run/out/status.tmp

# Leak check after the command: two scans, as kmemleak's documentation
# recommends, so that objects freed late are not reported.
if [ -w /sys/kernel/debug/kmemleak ]; then
	echo scan >/sys/kernel/debug/kmemleak
	echo scan >/sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak >/run/out/kmemleak
fi
dmesg >/run/out/dmesg
mv /run/out/status.tmp /run/out/status
sync
# Halt, and let the host stop QEMU once the kernel says so. Not sysrq b:
# microvm can miss an emergency reset, which then ends in a double-fault
# storm on the console; not a power-off, which returns to an init whose
# root file system is gone. reboot(RB_HALT_SYSTEM) does not return.
python3 -c 'import ctypes; ctypes.CDLL(None).reboot(0xcdef0123)'
echo "guest: halt failed" >/dev/console
echo b >/proc/sysrq-trigger
