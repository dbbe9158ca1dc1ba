#!/bin/bash
# Developer helper: turn edited copies of kernel files into a hook patch.
#
#   tools/mkpatch.sh OUT.patch MSGFILE FILE...
#
# FILE is a path in the kernel tree; its edited copy lives in
# build/patchwork/FILE (start one with: tools/mkpatch.sh --edit FILE).
# MSGFILE holds "Subject: ..." on its first line, then the message body.
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
{
	echo "From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001"
	echo "From: $(git -C "$TOP" config user.name) <$(git -C "$TOP" config user.email)>"
	echo "Date: $(date -R)"
	head -n1 "$msg" | sed 's/^Subject: /Subject: [PATCH] /'
	tail -n +2 "$msg"
	echo "Signed-off-by: $(git -C "$TOP" config user.name) <$(git -C "$TOP" config user.email)>"
	echo "---"
	for f in "$@"; do
		echo "diff --git a/$f b/$f"
		diff -up "$PRISTINE/$f" "$WORK/$f" |
			sed -e "1s#^--- .*#--- a/$f#" -e "2s#^+++ .*#+++ b/$f#" || true
	done
	echo "-- "
	echo "2.39.5"
	echo
} >"$out"
echo "mkpatch: $out"
