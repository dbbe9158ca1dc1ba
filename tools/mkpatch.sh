#!/bin/bash
# Developer helper: turn edited copies of kernel files into a hook patch.
#
#   tools/mkpatch.sh OUT.patch MSGFILE FILE...
#
# FILE is a path in the kernel tree; its edited copy lives in
# build/patchwork/FILE (start one with: tools/mkpatch.sh --edit FILE).
# MSGFILE holds "Subject: ..." on its first line, then the message body.
# Each FILE is diffed against the pristine file with the series' earlier
# patches (lower numbers than OUT's) applied, so the series applies in
# order without offsets.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
PRISTINE=$BUILD/linux/pristine
WORK=$BUILD/patchwork
if [ "${1:-}" = --edit ]; then
	shift
	for f in "$@"; do
		mkdir -p "$WORK/$(dirname "$f")"
		[ -e "$WORK/$f" ] || cp "$PRISTINE/$f" "$WORK/$f"
		echo "$WORK/$f"
	done
	exit 0
fi
out=$1 msg=$2
shift 2
num=$(basename "$out" | cut -d- -f1)
BASE=$(mktemp -d)
trap 'rm -rf "$BASE"' EXIT
for f in "$@"; do
	mkdir -p "$BASE/$(dirname "$f")"
	[ -e "$PRISTINE/$f" ] && cp "$PRISTINE/$f" "$BASE/$f"
done
for p in $(cd "$TOP" && ls kvm/patches/*.patch vfio/patches/*.patch 2>/dev/null |
	   awk -F/ '{ print $NF "\t" $0 }' | sort | cut -f2); do
	[ "$(basename "$p" | cut -d- -f1)" \< "$num" ] || continue
	for f in "$@"; do
		grep -q "^+++ b/$f\$" "$TOP/$p" || continue
		# the earlier patch's hunks for this file only
		awk -v f="$f" '/^diff --git /{keep = ($3 == "a/" f)} keep' "$TOP/$p" |
			(cd "$BASE" && patch -s -p1 -F0 --no-backup-if-mismatch) ||
			{ echo "mkpatch: $p does not apply to $f" >&2; exit 1; }
	done
done
{
	echo "From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001"
	echo "From: $(git -C "$TOP" config user.name) <$(git -C "$TOP" config user.email)>"
	echo "Date: $(date -R)"
	head -n1 "$msg" | sed 's/^Subject: /Subject: [PATCH] /'
	tail -n +2 "$msg" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
	echo
	echo "Signed-off-by: $(git -C "$TOP" config user.name) <$(git -C "$TOP" config user.email)>"
	echo "---"
	for f in "$@"; do
		echo "diff --git a/$f b/$f"
		diff -up "$BASE/$f" "$WORK/$f" |
			sed -e "1s#^--- .*#--- a/$f#" -e "2s#^+++ .*#+++ b/$f#" || true
	done
	echo "-- "
	echo "2.39.5"
	echo
} >"$out"
echo "mkpatch: $out"
