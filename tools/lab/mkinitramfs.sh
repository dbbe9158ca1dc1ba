#!/bin/bash
# tools/lab/mkinitramfs.sh OUT.cpio.gz TESTDIR [EXTRADIR]
#
# busybox (ppc64el) + /init + every executable of TESTDIR, and of EXTRADIR
# when given, as the lab's test programs (run in that order). Files named in
# $LAB_TOOLS go to /lab/tools (on the PATH, not run as tests).
set -euo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$TOP/build}
out=$1
tests=$2
extra=${3:-}

die() { echo "mkinitramfs: $*" >&2; exit 1; }

busybox=$BUILD/deps/ppc64el/bin/busybox
[ -x "$busybox" ] || die "$busybox missing (run make deps)"
root=$(mktemp -d "$BUILD/initramfs.XXXXXX")
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,dev,proc,sys,tmp,lab/bin}
cp "$busybox" "$root/bin/busybox"
cp "$TOP/tools/lab/init.sh" "$root/init"
chmod 755 "$root/init"
: >"$root/lab/tests.list"

add_dir() {
	local dir=$1 f name
	[ -d "$dir" ] || die "$dir is not a directory"
	for f in "$dir"/*; do
		[ -e "$f" ] || continue
		name=$(basename "$f")
		[ ! -d "$f" ] || continue
		case "$name" in README* | *.md | *.txt) continue ;; esac
		[ -x "$f" ] || die "$f is not executable"
		if file -L "$f" | grep -q ' ELF ' &&
		   ! file -L "$f" | grep -q 'ELF 64-bit LSB.*PowerPC'; then
			die "$f is not a ppc64le program: $(file -L -b "$f" | cut -d, -f1-2)"
		fi
		[ ! -e "$root/lab/bin/$name" ] || die "two test programs are named $name"
		case "$name" in *[!A-Za-z0-9_.-]*) die "test name $name: use letters, digits, _ . -" ;; esac
		cp "$f" "$root/lab/bin/$name"
		echo "$name" >>"$root/lab/tests.list"
	done
}
mkdir -p "$root/lab/tools"
for f in ${LAB_TOOLS:-}; do
	[ -x "$f" ] || die "tool $f is missing or not executable"
	cp "$f" "$root/lab/tools/"
done
add_dir "$tests"
[ -z "$extra" ] || add_dir "$extra"
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -6) >"$out.tmp"
mv "$out.tmp" "$out"
