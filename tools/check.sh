#!/bin/bash
# make check: native unit tests, the debug kernel, the lab on every machine.
# Ends with one line "N passed, N failed, N skipped" over all of them and
# exits non-zero when anything failed (a step that cannot run counts as a
# failure of its own).
set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
MACHINES=${MACHINES:-powernv8 powernv9 pseries-nested}
cd "$TOP" || exit 2

pass=0 fail=0 skip=0
add_counts() {
	local p f s
	read -r p f s <"$1" || return 1
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
}
step_failed() {
	echo "check: FAILED: $1" >&2
	fail=$((fail + 1))
}
t0=$(date +%s)
stamp() { echo "check: $1 done at +$(( $(date +%s) - t0 )) s"; }

rm -f "$BUILD/unit/counts" "$BUILD/lab/counts"
if make -s unit; then :; fi
if [ -f "$BUILD/unit/counts" ]; then add_counts "$BUILD/unit/counts"; else step_failed "unit tests did not run"; fi
stamp unit

if make -s kernel-debug selftests; then
	stamp "kernel and selftests"
	make -s lab KERNEL_FLAVOUR=debug MACHINES="$MACHINES"
	if [ -f "$BUILD/lab/counts" ]; then
		add_counts "$BUILD/lab/counts"
	else
		step_failed "the lab did not run"
	fi
	stamp lab
	rm -f "$BUILD/lab-selfcheck/counts"
	tools/lab/unit.sh -n lab-selfcheck tools/lab/selfcheck.sh
	if [ -f "$BUILD/lab-selfcheck/counts" ]; then
		add_counts "$BUILD/lab-selfcheck/counts"
	else
		step_failed "the lab's self-check did not run"
	fi
	stamp "lab self-check"
else
	step_failed "building the debug kernel or the selftests (see build/log/)"
fi

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
