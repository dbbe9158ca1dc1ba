#!/bin/bash
# make lint: checkpatch --strict on the series and the new files, sparse
# (C=2) and W=1 on every compilation unit the series adds or touches.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
PRISTINE=$BUILD/linux/pristine
SRC=$BUILD/linux/src
OBJ=$BUILD/kernel/debug
fail=0

[ -f "$OBJ/vmlinux" ] || { echo "lint: build the debug kernel first (make kernel-debug)" >&2; exit 2; }
for f in "$TOP"/kvm/*.c "$TOP"/vfio/*.c; do
	[ -e "$f" ] || continue
	out=$(perl "$PRISTINE/scripts/checkpatch.pl" --strict --no-tree --quiet -f "$f" 2>&1) ||
		{ echo "$out"; fail=1; }
done
for p in "$TOP"/kvm/patches/*.patch "$TOP"/vfio/patches/*.patch; do
	[ -e "$p" ] || continue
	# the tree is not git: commit ids cannot be looked up
	out=$(perl "$PRISTINE/scripts/checkpatch.pl" --strict --no-tree --quiet \
		--ignore UNKNOWN_COMMIT_ID "$p" 2>&1) || { echo "$out"; fail=1; }
done
units=$( (cd "$TOP" && ls kvm/*.c vfio/*.c 2>/dev/null | sed -e 's#^kvm/#arch/powerpc/kvm/#' -e 's#^vfio/#drivers/vfio/#'
	  sed -n 's#^+++ b/\(.*\.c\)$#\1#p' kvm/patches/*.patch vfio/patches/*.patch 2>/dev/null) | sort -u)
objs=""
for u in $units; do
	objs="$objs ${u%.c}.o"
	rm -f "$OBJ/${u%.c}.o"
done
log=$BUILD/log/lint.log
make -C "$SRC" O="$OBJ" ARCH=powerpc CROSS_COMPILE=powerpc64le-linux-gnu- \
	C=2 W=1 $objs >"$log" 2>&1 || fail=1
# Files the series only patches carry upstream's own sparse findings: count
# only what is new against the same files built from the pristine tree.
PRI_OBJ=$BUILD/kernel/pristine
base=$BUILD/log/lint-pristine.log
: >"$base"
if [ -f "$PRI_OBJ/vmlinux" ]; then
	pobjs=""
	for u in $units; do
		[ -e "$PRISTINE/$u" ] || continue
		pobjs="$pobjs ${u%.c}.o"
		rm -f "$PRI_OBJ/${u%.c}.o"
	done
	[ -z "$pobjs" ] || make -C "$PRISTINE" O="$PRI_OBJ" ARCH=powerpc \
		CROSS_COMPILE=powerpc64le-linux-gnu- C=2 W=1 $pobjs >"$base" 2>&1
fi
strip() { grep -E 'warning:|error:' "$1" | sed -E 's#^.*/(linux/(src|pristine))/##; s#:[0-9]+:[0-9]+:#:#' | sort; }
new=$(comm -23 <(strip "$log") <(strip "$base"))
if [ -n "$new" ]; then
	echo "$new"
	fail=1
fi
if [ $fail = 0 ]; then
	echo "lint: checkpatch --strict clean; sparse and W=1 add nothing to upstream ($(echo $units | wc -w) units)"
else
	echo "lint: problems above (log: $log)" >&2
fi
exit $fail
