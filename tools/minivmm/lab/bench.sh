#!/bin/bash
# make bench / make demo: minivmm over every path on lab machines.
#
#   tools/minivmm/lab/bench.sh [-k FLAVOUR] [-a "MINIVMM ARGS"] [-o OUTDIR] MACHINE...
#
# Boots each machine with the FLAVOUR kernel (release), runs minivmm there
# with the first edu device passed through, and collects: OUTDIR/MACHINE.json,
# OUTDIR/results.json (every machine), OUTDIR/MACHINE.svg (a plot) and
# OUTDIR/tables.txt. Exit status 1 when a run or a DMA check failed.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../../.." && pwd)
BUILD=${BUILD:-$TOP/build}
FLAVOUR=release
ARGS=""
OUT=$BUILD/bench
while getopts k:a:o: o; do
	case $o in
	k) FLAVOUR=$OPTARG ;;
	a) ARGS=$OPTARG ;;
	o) OUT=$OPTARG ;;
	*) echo "usage: bench.sh [-k FLAVOUR] [-a ARGS] [-o OUTDIR] MACHINE..." >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
MACHINES=${*:-powernv8 powernv9 pseries-nested}

rm -rf "$OUT"
mkdir -p "$OUT/tests"
# the program the lab runs: minivmm, then its JSON framed for the host
cat >"$OUT/tests/minivmm-bench" <<EOS
#!/bin/sh
edu=""
for d in /sys/bus/pci/devices/*; do
	[ "\$(cat \$d/vendor)" = 0x1234 ] && [ "\$(cat \$d/device)" = 0x11e8 ] && { edu=\${d##*/}; break; }
done
vfio=""
[ -n "\$edu" ] && vfio="--vfio \$edu"
minivmm --quiet --machine \$LAB_MACHINE \$vfio --json /tmp/bench.json $ARGS
rc=\$?
echo "@@LAB section bench-json"
cat /tmp/bench.json
echo "@@LAB section-end"
exit \$rc
EOS
chmod +x "$OUT/tests/minivmm-bench"

# one machine at a time: the host's two cores are the emulator's, and a
# machine sharing them with another measures the other's load
LAB_JOBS=${LAB_JOBS:-1} LAB_OUT=$OUT/lab LAB_MACHINE_TIMEOUT=${LAB_MACHINE_TIMEOUT:-1800} \
	LAB_TEST_TIMEOUT=${LAB_TEST_TIMEOUT:-1700} \
	"$TOP/tools/lab/lab.sh" -k "$FLAVOUR" -t "$OUT/tests" $MACHINES >"$OUT/lab.log" 2>&1
lab_rc=$?

rc=0
: >"$OUT/tables.txt"
for m in $MACHINES; do
	con=$OUT/lab/$m/console.log
	tr -d '\r' <"$con" | sed -n '/^@@LAB section bench-json$/,/^@@LAB section-end$/p' |
		sed '1d;$d' >"$OUT/$m.json"
	tr -d '\r' <"$con" | grep -E '^(machine|'"$m"') ' >>"$OUT/tables.txt"
	if [ ! -s "$OUT/$m.json" ]; then
		echo "bench: $m: no results (console: $con)" >&2
		rc=1
	fi
done
cat "$OUT/tables.txt"
python3 "$TOP/tools/minivmm/lab/report.py" "$OUT" $MACHINES || rc=1
[ $lab_rc -eq 0 ] || { echo "bench: the lab reported a failure (log: $OUT/lab.log)" >&2; rc=1; }
exit $rc
