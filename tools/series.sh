#!/bin/bash
# make series: the project as a git-format patch series for a 6.12 tree.
#
# build/series/NNNN-*.patch: the hook patches of kvm/patches and vfio/patches
# in order, then one patch per directory adding the new files of kvm/ and
# vfio/. Each is checked to apply, in order, to a copy of the pristine files
# it touches (patch -p1 -F0, no offsets).
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
PRISTINE=$BUILD/linux/pristine
OUT=$BUILD/series
die() { echo "series: $*" >&2; exit 1; }

[ -d "$PRISTINE" ] || die "no pristine tree (make kernel first)"
rm -rf "$OUT"
mkdir -p "$OUT"
n=0
while read -r p; do
	[ -n "$p" ] || continue
	n=$((n + 1))
	name=$(basename "$p" | sed 's/^[0-9]*-//')
	cp "$TOP/$p" "$OUT/$(printf %04d $n)-$name"
done < <(cd "$TOP" && ls kvm/patches/*.patch vfio/patches/*.patch 2>/dev/null |
	 awk -F/ '{ print $NF "\t" $0 }' | sort | cut -f2)

new_files_patch() {
	local dir=$1 dest=$2 subject=$3 f files
	files=$(cd "$TOP" && ls "$dir"/*.[ch] 2>/dev/null || true)
	[ -n "$files" ] || return 0
	n=$((n + 1))
	{
		echo "From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001"
		echo "From: $(git -C "$TOP" log -1 --format='%an <%ae>' 2>/dev/null || echo 'spapr-tce-iommu')"
		echo "Subject: [PATCH] $subject"
		echo
		echo "New files of the spapr-tce-iommu series; see its Documentation/."
		echo "---"
		for f in $files; do
			echo "diff --git a/$dest/$(basename "$f") b/$dest/$(basename "$f")"
			echo "new file mode 100644"
			diff -uN /dev/null "$TOP/$f" |
				sed -e "1s#.*#--- /dev/null#" -e "2s#.*#+++ b/$dest/$(basename "$f")#" || true
		done
		echo "-- "
		echo "spapr-tce-iommu"
	} >"$OUT/$(printf %04d $n)-$(echo "$subject" | tr -c 'A-Za-z0-9\n' '-' | tr -s '-' | cut -c1-60).patch"
}
new_files_patch kvm arch/powerpc/kvm "KVM: PPC: Book3S HV: spapr-tce-iommu new files"
new_files_patch vfio drivers/vfio "vfio/spapr_tce: spapr-tce-iommu new files"

# check: the series applies, in order, to the pristine files
stage=$(mktemp -d "$BUILD/series-check.XXXXXX")
trap 'rm -rf "$stage"' EXIT
for p in "$OUT"/*.patch; do
	sed -n -e 's#^--- a/\([^	]*\).*#\1#p' "$p" | while read -r f; do
		if [ ! -e "$stage/$f" ] && [ -e "$PRISTINE/$f" ]; then
			mkdir -p "$stage/$(dirname "$f")"
			cp "$PRISTINE/$f" "$stage/$f"
		fi
	done
	log=$(cd "$stage" && patch -p1 -F0 -N --no-backup-if-mismatch -r - <"$p" 2>&1) ||
		die "$(basename "$p") does not apply to 6.12: $log"
	if echo "$log" | grep -q 'offset\|fuzz'; then
		die "$(basename "$p") applies only with offset or fuzz: $log"
	fi
done
echo "series: $(ls "$OUT"/*.patch | wc -l) patches in $OUT, applying cleanly to 6.12 in order"
