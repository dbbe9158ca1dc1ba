#!/bin/bash
# Boot the lab machines, run the test programs, judge each console.
#
#   tools/lab/lab.sh [-k FLAVOUR] [-e EXTRADIR] [-t TESTDIR] [MACHINE...]
#
# MACHINE: powernv8 powernv9 pseries-nested (default: all three).
# Consoles: build/lab/MACHINE/console.log ($LAB_OUT instead of build/lab). Prints one line per test and
# closes with "N passed, N failed, N skipped"; exit status 1 on any failure.
# LAB_QEMU_ARGS: more QEMU arguments for every machine (for example
# a gdbstub for tools/lab/gdbprof.py).
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$TOP/build}
case "$BUILD" in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
FLAVOUR=debug
EXTRA=""
TESTDIR=$BUILD/selftests/bin
JOBS=${LAB_JOBS:-2}
MACHINE_TIMEOUT=${LAB_MACHINE_TIMEOUT:-1500}
TEST_TIMEOUT=${LAB_TEST_TIMEOUT:-600}
ALL_MACHINES="powernv8 powernv9 pseries-nested"
OUT=${LAB_OUT:-$BUILD/lab}

die() { echo "lab: $*" >&2; exit 2; }

while getopts k:e:t: o; do
	case $o in
	k) FLAVOUR=$OPTARG ;;
	e) EXTRA=$OPTARG ;;
	t) TESTDIR=$OPTARG ;;
	*) die "usage: lab.sh [-k FLAVOUR] [-e EXTRADIR] [-t TESTDIR] [MACHINE...]" ;;
	esac
done
shift $((OPTIND - 1))
MACHINES=${*:-$ALL_MACHINES}

# QEMU arguments of each machine of the matrix. Every machine has two edu
# devices on two different host bridges, hence in two IOMMU groups. edu
# masks its DMA addresses to 28 bits unless told otherwise: a 64-bit DMA
# window lies at bit 59 of the bus.
EDU="edu,dma_mask=0xffffffffffffffff"
machine_args() {
	case "$1" in
	powernv8)
		echo "-M powernv8 -cpu power8 -smp 1 -m 2G" \
			"-device $EDU,bus=pcie.2 -device $EDU,bus=pcie.1" ;;
	powernv9)
		echo "-M powernv9 -cpu power9 -smp 2 -m 2G" \
			"-device $EDU,bus=pcie.5 -device $EDU,bus=pcie.4" ;;
	pseries-nested)
		# TCG lacks the Spectre workarounds pseries asks for by default
		echo "-M pseries,cap-nested-hv=on,cap-cfpc=broken,cap-sbbc=broken,cap-ibs=broken,cap-ccf-assist=off" \
			"-cpu power9 -smp 1 -m 2G -vga none -device $EDU" \
			"-device spapr-pci-host-bridge,index=1,id=phb1 -device $EDU,bus=phb1.0" ;;
	*)
		return 1 ;;
	esac
}

for m in $MACHINES; do
	machine_args "$m" >/dev/null || die "unknown machine '$m' (one of: $ALL_MACHINES)"
done
[ -n "$EXTRA" ] && { [ -d "$EXTRA" ] || die "LAB_EXTRA=$EXTRA is not a directory"; }
kernel=$BUILD/kernel/$FLAVOUR/vmlinux
[ -f "$kernel" ] || die "no $FLAVOUR kernel at $kernel (make kernel FLAVOUR=$FLAVOUR)"
[ -d "$TESTDIR" ] || die "no test programs in $TESTDIR"
verdict=$BUILD/native/labverdict
[ -x "$verdict" ] || die "$verdict missing (make unit builds it)"

mkdir -p "$OUT"
initrd=$OUT/initramfs-$FLAVOUR.cpio.gz
# the tools the tests use (not tests themselves)
tools=""
[ -x "$BUILD/minivmm/minivmm" ] && tools="$tools $BUILD/minivmm/minivmm"
[ -x "$BUILD/minivmm/hello-guest.elf" ] && tools="$tools $BUILD/minivmm/hello-guest.elf"
# a kernel with modules: the initramfs carries them (kernel.sh installed
# them under the object tree) and init loads them as a distribution does
modules=""
if grep -qx CONFIG_MODULES=y "$BUILD/kernel/$FLAVOUR/.config" 2>/dev/null; then
	modules=$BUILD/kernel/$FLAVOUR/mods
	release=$(cat "$BUILD/kernel/$FLAVOUR/include/config/kernel.release")
	[ -f "$modules/lib/modules/$release/modules.dep" ] ||
		die "no modules of $release in $modules (make kernel-$FLAVOUR installs them)"
fi
LAB_TOOLS=$tools LAB_MODULES=$modules "$TOP/tools/lab/mkinitramfs.sh" "$initrd" "$TESTDIR" "$EXTRA" || exit 2

run_machine() {
	local m=$1 dir=$OUT/$1 status start
	rm -rf "$dir"
	mkdir -p "$dir"
	# shellcheck disable=SC2046
	set -- qemu-system-ppc64 $(machine_args "$m") ${LAB_QEMU_ARGS:-} -nographic -no-reboot \
		-kernel "$kernel" -initrd "$initrd" \
		-append "console=hvc0 loglevel=5 lab.machine=$m lab.timeout=$TEST_TIMEOUT"
	echo "$*" >"$dir/cmdline"
	start=$(date +%s)
	timeout -k 10 "$MACHINE_TIMEOUT" "$@" </dev/null >"$dir/console.log" 2>"$dir/qemu.err"
	status=$?
	echo "$(( $(date +%s) - start ))" >"$dir/seconds"
	case $status in
	124 | 137) status=timeout ;;
	esac
	echo "$status" >"$dir/host-status"
	if [ -s "$dir/qemu.err" ]; then
		sed "s/^/$m: qemu: /" "$dir/qemu.err" >&2
	fi
	"$verdict" --host-status "$status" --counts "$dir/counts" "$m" \
		"$dir/console.log" >"$dir/verdict" 2>&1
	[ -s "$dir/counts" ] || echo "0 1 0" >"$dir/counts"
}

echo "lab: booting $MACHINES on the $FLAVOUR kernel ($JOBS at a time)"
running=0
for m in $MACHINES; do
	run_machine "$m" &
	running=$((running + 1))
	if [ $running -ge "$JOBS" ]; then
		wait -n
		running=$((running - 1))
	fi
done
wait

pass=0 fail=0 skip=0
for m in $MACHINES; do
	dir=$OUT/$m
	cat "$dir/verdict"
	read -r p f s <"$dir/counts"
	echo "lab: $m took $(cat "$dir/seconds") s (console: $dir/console.log)"
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
done
echo "$pass $fail $skip" >"$OUT/counts"
echo "lab: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
