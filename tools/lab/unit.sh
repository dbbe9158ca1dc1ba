#!/bin/bash
# Run the native unit tests (each prints TAP) and judge them with the same
# verdict logic as the lab: tools/lab/unit.sh [-n NAME] TESTBIN...
# (NAME, default "unit", names the results and build/NAME/ holds the log)
set -uo pipefail
name=unit
if [ "${1:-}" = -n ]; then
	name=$2
	shift 2
fi
TOP=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$TOP/build}
case "$BUILD" in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
out=$BUILD/$name
mkdir -p "$out"
log=$out/console.log
{
	echo "@@LAB start $#"
	for t in "$@"; do echo "@@LAB program $(basename "$t")"; done
	for t in "$@"; do
		echo "@@LAB begin $(basename "$t")"
		(cd "$TOP" && timeout 300 "$t" 2>&1)
		echo "@@LAB end $(basename "$t") rc=$?"
	done
	echo "@@LAB done"
} >"$log"
"$BUILD/native/labverdict" --counts "$out/counts" "$name" "$log"
