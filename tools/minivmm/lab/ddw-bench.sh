#!/bin/bash
# make bench-ddw: the iommu path on 64-bit windows of two sizes, one boot.
#
#   tools/minivmm/lab/ddw-bench.sh [-k FLAVOUR] [-o OUTDIR] [-r ROUNDS] [-a ARGS] MACHINE...
#
# On each machine (one at a time, release kernel), in one boot, ROUNDS
# rounds (default 3) of: minivmm --paths iommu --ddw 16 --window W ARGS for
# W = 1 GiB, then 1 TiB (default ARGS: --workloads put --calls 2000, which
# maps the same 1000 entries in both). Collects OUTDIR/MACHINE-W-ROUND.json
# and prints per window: H_PUT_TCE p50 and p99 of each round, their
# medians, the binding's memory (its fdinfo) and the calls real mode served.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../../.." && pwd)
BUILD=${BUILD:-$TOP/build}
FLAVOUR=release
OUT=$BUILD/bench-ddw
ROUNDS=3
ARGS="--workloads put --calls 2000"
while getopts k:o:r:a: o; do
	case $o in
	k) FLAVOUR=$OPTARG ;;
	o) OUT=$OPTARG ;;
	r) ROUNDS=$OPTARG ;;
	a) ARGS=$OPTARG ;;
	*) echo "usage: ddw-bench.sh [-k FLAVOUR] [-o OUTDIR] [-r ROUNDS] [-a ARGS] MACHINE..." >&2
	   exit 2 ;;
	esac
done
shift $((OPTIND - 1))
MACHINES=${*:-powernv8 powernv9}
WINDOWS="1024 1048576"	# MB: 1 GiB, 1 TiB

rm -rf "$OUT"
mkdir -p "$OUT/tests"
cat >"$OUT/tests/minivmm-ddw" <<EOS
#!/bin/sh
edu=""
for d in /sys/bus/pci/devices/*; do
	[ "\$(cat \$d/vendor)" = 0x1234 ] && [ "\$(cat \$d/device)" = 0x11e8 ] && { edu=\${d##*/}; break; }
done
rc=0
r=1
while [ \$r -le $ROUNDS ]; do
	for w in $WINDOWS; do
		minivmm --quiet --machine \$LAB_MACHINE --vfio \$edu --paths iommu --ddw 16 \\
			--window \$w --json /tmp/ddw.json $ARGS || rc=1
		echo "@@LAB section ddw-\$w-\$r"
		cat /tmp/ddw.json
		echo "@@LAB section-end"
	done
	r=\$((r + 1))
done
exit \$rc
EOS
chmod +x "$OUT/tests/minivmm-ddw"

LAB_JOBS=1 LAB_OUT=$OUT/lab LAB_MACHINE_TIMEOUT=${LAB_MACHINE_TIMEOUT:-1800} \
	LAB_TEST_TIMEOUT=${LAB_TEST_TIMEOUT:-1700} \
	"$TOP/tools/lab/lab.sh" -k "$FLAVOUR" -t "$OUT/tests" $MACHINES >"$OUT/lab.log" 2>&1
lab_rc=$?

rc=0
for m in $MACHINES; do
	con=$OUT/lab/$m/console.log
	for w in $WINDOWS; do
		for r in $(seq 1 "$ROUNDS"); do
			tr -d '\r' <"$con" | sed -n "/^@@LAB section ddw-$w-$r\$/,/^@@LAB section-end\$/p" |
				sed '1d;$d' >"$OUT/$m-$w-$r.json"
			[ -s "$OUT/$m-$w-$r.json" ] || { echo "ddw-bench: $m: no results for $w MB, round $r" >&2; rc=1; }
		done
	done
done
python3 - "$OUT" "$ROUNDS" $MACHINES <<'EOF' || rc=1
import json, statistics, sys
out, rounds, machines = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
for m in machines:
    print("%s: iommu path, 64 KiB IOMMU pages, put (map + unmap pairs)" % m)
    p50s = {}
    for w in (1024, 1048576):
        r50, r99, rm, vm, binding = [], [], 0, 0, None
        for r in range(1, rounds + 1):
            try:
                doc = json.load(open("%s/%s-%d-%d.json" % (out, m, w, r)))
            except (OSError, ValueError):
                continue
            it = doc["machines"][m]["paths"]["iommu"]
            put = it["put"]
            r50.append(put["p50_us"]); r99.append(put["p99_us"])
            rm += put["kernel_rm"] or 0; vm += put["kernel_vm"] or 0
            binding = it.get("binding")
        if not r50:
            continue
        p50s[w] = statistics.median(r50)
        print("  window %7d MB: p50 %s (median %.2f) p99 %s (median %.2f) us; "
              "real mode %d of %d calls; binding %s bytes, view pages %s of %s, %s levels"
              % (w, " / ".join("%.2f" % v for v in r50), p50s[w],
                 " / ".join("%.1f" % v for v in r99), statistics.median(r99),
                 rm, rm + vm, binding and binding["bytes"], binding and binding["view_pages"],
                 binding and binding["view_pages_max"], binding and binding["table_levels"]))
    if len(p50s) == 2:
        print("  1 TiB / 1 GiB p50: %.3f" % (p50s[1048576] / p50s[1024]))
EOF
[ $lab_rc -eq 0 ] || { echo "ddw-bench: the lab reported a failure (log: $OUT/lab.log)" >&2; rc=1; }
exit $rc
