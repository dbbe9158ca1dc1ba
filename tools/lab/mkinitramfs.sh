#!/bin/bash
# tools/lab/mkinitramfs.sh OUT.cpio.gz TESTDIR [EXTRADIR]
#
# busybox (ppc64el) + /init + every executable of TESTDIR, and of EXTRADIR
# when given, as the lab's test programs (run in that order). Files named in
# $LAB_TOOLS go to /lab/tools (on the PATH, not run as tests).
# $LAB_MODULES, for a kernel with modules, is the directory its modules were
# installed into (lib/modules/RELEASE with depmod's indexes): it becomes the
# initramfs's /lib/modules, with kmod's modprobe, insmod, rmmod, lsmod,
# modinfo in /bin and /sbin in place of busybox's (which ignore softdeps).
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
# add_libs ELF: the shared libraries ELF needs (kmod's, the C library),
# and what they need, into /lib/powerpc64le-linux-gnu
kmodroot=$BUILD/deps/ppc64el-kmod
libdirs="$kmodroot/lib/powerpc64le-linux-gnu $kmodroot/usr/lib/powerpc64le-linux-gnu
	/usr/powerpc64le-linux-gnu/lib"
add_libs() {
	local lib d
	for lib in $(powerpc64le-linux-gnu-readelf -d "$1" |
		     sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
		[ ! -e "$root/lib/powerpc64le-linux-gnu/$lib" ] || continue
		for d in $libdirs; do
			[ -e "$d/$lib" ] || continue
			cp -L "$d/$lib" "$root/lib/powerpc64le-linux-gnu/$lib"
			add_libs "$d/$lib"
			continue 2
		done
		die "$lib, which $1 needs, is in none of $libdirs (run make deps)"
	done
}

add_modules() {
	local interp t
	[ -d "$LAB_MODULES/lib/modules" ] || die "no lib/modules in $LAB_MODULES"
	[ -x "$kmodroot/bin/kmod" ] || die "$kmodroot/bin/kmod missing (run make deps)"
	mkdir -p "$root/lib/powerpc64le-linux-gnu" "$root/lib64" "$root/sbin"
	cp -a "$LAB_MODULES/lib/modules" "$root/lib/"
	# modules_install's links to the build tree mean nothing in the machine
	rm -f "$root"/lib/modules/*/build "$root"/lib/modules/*/source
	cp -a "$kmodroot/lib/modprobe.d" "$root/lib/"
	cp "$kmodroot/bin/kmod" "$root/bin/kmod"
	add_libs "$kmodroot/bin/kmod"
	interp=$(powerpc64le-linux-gnu-readelf -l "$kmodroot/bin/kmod" |
		 sed -n 's/.*program interpreter: \(.*\)\]/\1/p')
	[ "$interp" = /lib64/ld64.so.2 ] || die "kmod wants the interpreter '$interp'"
	cp -L /usr/powerpc64le-linux-gnu/lib/ld64.so.2 "$root/lib64/ld64.so.2"
	# busybox --install leaves these alone: they exist
	for t in modprobe insmod rmmod lsmod modinfo depmod; do
		ln -s kmod "$root/bin/$t"
		ln -s ../bin/kmod "$root/sbin/$t"
	done
}
[ -z "${LAB_MODULES:-}" ] || add_modules
add_dir "$tests"
[ -z "$extra" ] || add_dir "$extra"
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -6) >"$out.tmp"
mv "$out.tmp" "$out"
