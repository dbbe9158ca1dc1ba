#!/bin/busybox sh
# /init of the lab's initramfs: prepare the machine, run every test program
# in a session of its own under its own timeout, frame each program's output
# for the verdict (tools/lab/verdict/verdict.h), look for leaks, power off.
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

# A kernel with modules has them loaded the way a distribution loads them:
# by name, through kmod's modprobe (modules.dep, and the softdeps: vfio's
# brings vfio_iommu_spapr_tce, which nothing names). Named by its path:
# busybox's shell runs its own modprobe applet for a bare "modprobe", and
# that one ignores softdeps. kvm-hv at boot; kvm-pr as a host that runs PR
# guests does (radix hosts refuse it). selftests/modules_loaded checks.
MODULES=
if [ -d "/lib/modules/$(uname -r)" ]; then
	MODULES=1
	/sbin/modprobe kvm-hv
	/sbin/modprobe kvm-pr || echo "kvm-pr not loaded"
	# what a distribution's tools do before handing a device to vfio-pci
	/sbin/modprobe vfio-pci
elif [ -d /lib/modules ]; then
	echo "no /lib/modules/$(uname -r) for this kernel: $(ls /lib/modules)"
fi
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
[ -z "$MODULES" ] || echo "modules: $(cut -d' ' -f1 /proc/modules | tr '\n' ' ')"

KMEMLEAK=/sys/kernel/debug/kmemleak
if [ -w $KMEMLEAK ]; then
	# whatever boot left behind is not the tests' doing
	echo scan >$KMEMLEAK
	echo clear >$KMEMLEAK
fi
echo "@@LAB section-end"

# the runner's own files, out of the tests' way (they run in /tmp)
RUN=/lab/run
mkdir -p $RUN

# seconds since boot, in $now
uptime_s() {
	read -r now _ </proc/uptime
	now=${now%%.*}
}

# signal_session SID SIG: send SIG to every process of session SID that has
# a thread not yet dead; $alive says how many there were. Threads, not
# processes, are looked at: a process whose leader is a zombie may still
# have a thread on its way out, holding the process's files.
signal_session() {
	ss_sid=$1
	ss_sig=$2
	ss_last=
	alive=0
	# never session 0 (init's, and the kernel threads') or 1
	case $ss_sid in '' | 0 | 1 | *[!0-9]*) return ;; esac
	for ss_task in /proc/[0-9]*/task/[0-9]*; do
		read -r ss_st 2>/dev/null <"$ss_task/stat" || continue
		# "tid (comm) state ppid pgrp session ...": comm may hold spaces
		# shellcheck disable=SC2086
		set -- ${ss_st##*) }
		[ "$4" = "$ss_sid" ] || continue
		case $1 in Z | X | x) continue ;; esac
		ss_pid=${ss_task#/proc/}
		ss_pid=${ss_pid%%/*}
		[ "$ss_pid" = "$ss_last" ] && continue
		ss_last=$ss_pid
		kill "-$ss_sig" "$ss_pid" 2>/dev/null
		alive=$((alive + 1))
	done
}

# watchdog SECONDS: once SECONDS have passed, end the session of the program
# that $RUN/sid names: SIGTERM, then SIGKILL to whatever is still there 5 s
# later; $RUN/fired tells init. Runs in the background; init kills it when
# the program ends before its time.
watchdog() {
	uptime_s
	wd_deadline=$((now + $1))
	while uptime_s && [ "$now" -lt "$wd_deadline" ]; do
		sleep 1
	done
	read -r wd_sid 2>/dev/null <$RUN/sid
	: >$RUN/fired
	signal_session "$wd_sid" TERM
	wd_deadline=$((now + 5))
	while uptime_s && [ "$now" -lt "$wd_deadline" ]; do
		sleep 0.2
		signal_session "$wd_sid" 0
		[ $alive -eq 0 ] && return
	done
	signal_session "$wd_sid" KILL
}

# end_session SID: SIGKILL whatever is left of session SID and wait, at most
# 30 s, until it is gone, so the next program starts on a clean machine
end_session() {
	signal_session "$1" KILL
	[ $alive -eq 0 ] && return
	echo "# lab: $t left $alive processes behind: SIGKILL"
	uptime_s
	es_deadline=$((now + 30))
	while uptime_s && [ "$now" -lt "$es_deadline" ]; do
		sleep 0.1
		signal_session "$1" KILL
		[ $alive -eq 0 ] && return
	done
	echo "# lab: $t: $alive of its processes still there 30 s after SIGKILL"
}

set -- $(cat /lab/tests.list)
echo "@@LAB start $#"
for t in "$@"; do
	echo "@@LAB program $t"
done
for t in "$@"; do
	echo "@@LAB begin $t"
	rm -f $RUN/sid $RUN/fired
	uptime_s
	start=$now
	watchdog "$TIMEOUT" &
	dog=$!
	# In a session of its own, whose id is the program's pid ($RUN/sid):
	# the kselftest harness puts each test in a process group of its own,
	# so only the session holds every process the program started.
	# setsid does not fork here: a child of this shell (no job control)
	# is never a process group leader.
	sh -c 'echo $$ >"$0" && cd /tmp && exec setsid "$1"' \
		$RUN/sid "/lab/bin/$t" </dev/null
	rc=$?
	uptime_s
	took=$((now - start))
	# a watchdog that fired ends the session its way (SIGTERM, a grace
	# period, SIGKILL); one that did not is no longer needed
	[ -e $RUN/fired ] || kill -KILL $dog 2>/dev/null
	wait $dog 2>/dev/null
	sid=
	read -r sid 2>/dev/null <$RUN/sid
	end_session "$sid"
	[ -e $RUN/fired ] && rc=124
	# a comment line to the verdict; it also ends a last line the
	# program left unterminated, so that the end marker starts a line
	echo "# lab: $t took $took s"
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
