#!/bin/bash
# The lab's own end-to-end check (TAP): a failing LAB_EXTRA test makes the
# lab fail and is counted; a test that crashes the kernel fails its machine
# quickly instead of hanging it. Runs on the fastest machine.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$TOP/build}
case "$BUILD" in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
MACHINE=${SELFCHECK_MACHINE:-pseries-nested}
empty=$(mktemp -d "$BUILD/selfcheck-empty.XXXXXX")
trap 'rm -rf "$empty"' EXIT
n=0
fails=0
result() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n $2"; else echo "not ok $n $2"; fails=$((fails + 1)); fi
}

echo "TAP version 13"
echo "1..4"
out=$(LAB_OUT=$BUILD/selfcheck "$TOP/tools/lab/lab.sh" -t "$empty" \
	-e "$TOP/tools/lab/examples/failing" "$MACHINE" 2>&1)
rc=$?
echo "$out" | sed 's/^/# /'
[ $rc -eq 1 ]; result $? "a failing LAB_EXTRA test makes the lab exit 1"
echo "$out" | grep -qx "lab: 1 passed, 1 failed, 0 skipped"
result $? "the failing test is counted as failed, the passing one as passed"

start=$(date +%s)
out=$(LAB_OUT=$BUILD/selfcheck LAB_MACHINE_TIMEOUT=300 "$TOP/tools/lab/lab.sh" -t "$empty" \
	-e "$TOP/tools/lab/examples/crashing" "$MACHINE" 2>&1)
rc=$?
took=$(( $(date +%s) - start ))
echo "$out" | sed 's/^/# /'
[ $rc -eq 1 ] && echo "$out" | grep -q "FAIL kernel: Kernel panic"
result $? "a kernel crash fails the machine and names the panic"
[ $took -lt 200 ] && ! echo "$out" | grep -q "killed on the host's timeout"
result $? "the crashed machine stops by itself (took $took s)"
[ $fails -eq 0 ]
