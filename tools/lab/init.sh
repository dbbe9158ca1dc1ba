#!/bin/busybox sh
# /init of the lab's initramfs: prepare the machine, run every test program
# under its own timeout, frame each program's output for the verdict
# (tools/lab/verdict/verdict.h), look for leaks, power off.
/bin/busybox --install -s /bin
export PATH=/bin:/lab/tools:/lab/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
mount -t tmpfs tmpfs /tmp

arg() {
	sed -n "s/.*[[:space:]]$1=\([^[:space:]]*\).*/\1/p" /proc/cmdline
}
LAB_MACHINE=$(arg lab.machine)
TIMEOUT=$(arg lab.timeout)
TIMEOUT=${TIMEOUT:-300}
export LAB_MACHINE

echo "@@LAB section machine"
echo "machine: $LAB_MACHINE, kernel $(uname -r), $(grep -c ^processor /proc/cpuinfo) cpus"
grep -m1 -E '^(cpu|MMU)' /proc/cpuinfo
grep -E '^MMU' /proc/cpuinfo | head -n1
[ -e /dev/kvm ] || echo "no /dev/kvm"

# Hand every edu device (1234:11e8) to vfio-pci.
for d in /sys/bus/pci/devices/*; do
	[ "$(cat "$d/vendor" 2>/dev/null)" = 0x1234 ] || continue
	[ "$(cat "$d/device" 2>/dev/null)" = 0x11e8 ] || continue
	bdf=${d##*/}
	[ -e "$d/driver" ] && echo "$bdf" >"$d/driver/unbind"
	echo vfio-pci >"$d/driver_override"
	echo "$bdf" >/sys/bus/pci/drivers_probe
	echo "edu $bdf -> $(basename "$(readlink "$d/driver")") group $(basename "$(readlink "$d/iommu_group")")"
done

KMEMLEAK=/sys/kernel/debug/kmemleak
if [ -w $KMEMLEAK ]; then
	# whatever boot left behind is not the tests' doing
	echo scan >$KMEMLEAK
	echo clear >$KMEMLEAK
fi
echo "@@LAB section-end"

set -- $(cat /lab/tests.list)
echo "@@LAB start $#"
for t in "$@"; do
	echo "@@LAB program $t"
done
for t in "$@"; do
	echo "@@LAB begin $t"
	start=$(cut -d. -f1 /proc/uptime)
	(cd /tmp && timeout "$TIMEOUT" "/lab/bin/$t" </dev/null)
	rc=$?
	now=$(cut -d. -f1 /proc/uptime)
	# busybox timeout reports a kill by SIGTERM as 143
	if [ $rc -eq 143 ] && [ $((now - start)) -ge "$TIMEOUT" ]; then
		rc=124
	fi
	echo "@@LAB end $t rc=$rc"
done

if [ -w $KMEMLEAK ]; then
	# objects younger than 5 s are not reported; let the last test's age
	sleep 6
	echo scan >$KMEMLEAK
	echo "@@LAB section kmemleak"
	cat $KMEMLEAK
	echo "@@LAB section-end"
fi
echo "@@LAB done"
sync
poweroff -f
