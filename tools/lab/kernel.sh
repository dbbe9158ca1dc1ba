#!/bin/bash
# Build a ppc64le kernel for the lab.
#
#   tools/lab/kernel.sh FLAVOUR      FLAVOUR: release | debug | modules | pristine
#   tools/lab/kernel.sh headers      only overlay the tree and install uapi
#
# build/linux/pristine  the untouched 6.12 source (never written after unpacking)
# build/linux/src       pristine + kvm/ and vfio/ overlaid (hard links to the
#                       pristine tree for every file the overlay leaves alone)
# build/kernel/FLAVOUR  the object tree (make O=...), vmlinux inside; a
#                       flavour with modules installs them (and depmod's
#                       indexes) under build/kernel/FLAVOUR/mods/lib/modules
# build/uapi            the patched kernel's uapi headers (include/...)
#
# release and debug build the overlaid source with their config fragments;
# modules is debug with KVM, kvm-hv, kvm-pr and VFIO as modules; pristine
# builds the untouched source with the debug configuration, so a test
# can show an upstream bug before and after our series.
set -euo pipefail

FLAVOUR=${1:-debug}
TOP=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$TOP/build}
case "$BUILD" in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
JOBS=${JOBS:-$(nproc)}
CROSS=powerpc64le-linux-gnu-
LOGDIR=$BUILD/log
mkdir -p "$LOGDIR"

die() { echo "kernel: $*" >&2; exit 1; }
# shellcheck source=tools/lab/kconfig.sh
. "$TOP/tools/lab/kconfig.sh"

case "$FLAVOUR" in
release|debug) srcname=src; fragments="base.config $FLAVOUR.config" ;;
modules) srcname=src; fragments="base.config debug.config modules.config" ;;
pristine) srcname=pristine; fragments="base.config debug.config" ;;
headers) srcname=src; fragments="" ;;
*) die "unknown flavour '$FLAVOUR' (release, debug, modules or pristine)" ;;
esac

PRISTINE=$BUILD/linux/pristine
SRC=$BUILD/linux/src

unpack_pristine() {
	local tarball stamp
	tarball=$(ls /usr/src/linux-source-6.12.tar.* 2>/dev/null | head -n1)
	[ -n "$tarball" ] || die "no /usr/src/linux-source-6.12.tar.* (run make deps)"
	stamp="$(basename "$tarball") $(stat -c %Y "$tarball")"
	if [ -f "$PRISTINE/.unpacked" ] && [ "$(cat "$PRISTINE/.unpacked")" = "$stamp" ]; then
		return
	fi
	echo "kernel: unpacking $tarball"
	rm -rf "$BUILD/linux"
	mkdir -p "$BUILD/linux/tmp"
	tar -C "$BUILD/linux/tmp" -xf "$tarball" || die "cannot unpack $tarball"
	mv "$BUILD/linux/tmp/linux-source-6.12" "$PRISTINE"
	rmdir "$BUILD/linux/tmp"
	echo "$stamp" >"$PRISTINE/.unpacked"
}

# Where a new file of the overlay lands in the kernel tree.
dest_of() {
	case "$1" in
	kvm/*.c | kvm/*.h) echo "arch/powerpc/kvm/${1#kvm/}" ;;
	vfio/*.c | vfio/*.h) echo "drivers/vfio/${1#vfio/}" ;;
	*) die "do not know where $1 goes in the kernel tree" ;;
	esac
}

overlay_files() {
	(cd "$TOP" && ls kvm/*.[ch] vfio/*.[ch] 2>/dev/null || true)
}

# Patches of the series, in order: named NNNN-*.patch, sorted by file name
# across kvm/patches and vfio/patches.
series_patches() {
	(cd "$TOP" && ls kvm/patches/*.patch vfio/patches/*.patch 2>/dev/null || true) |
		awk -F/ '{ print $NF "\t" $0 }' | sort | cut -f2
}

patched_files() {
	local p
	for p in "$@"; do
		sed -n -e 's#^+++ b/\([^	]*\).*#\1#p' -e 's#^--- a/\([^	]*\).*#\1#p' "$TOP/$p"
	done | sort -u
}

# Bring build/linux/src up to date with the overlay, touching only the files
# whose content changes, so make rebuilds only what depends on them.
update_src() {
	local stage manifest f dest patches plog
	if [ ! -f "$SRC/.linked" ]; then
		echo "kernel: linking $SRC to the pristine tree"
		rm -rf "$SRC"
		cp -al "$PRISTINE" "$SRC.tmp"
		rm -f "$SRC.tmp/.overlay-manifest"
		mv "$SRC.tmp" "$SRC"
		touch "$SRC/.linked"
	fi
	stage=$BUILD/linux/stage
	rm -rf "$stage"
	mkdir -p "$stage/tree"
	mapfile -t patches < <(series_patches)
	manifest=$stage/manifest
	{
		[ ${#patches[@]} -eq 0 ] || patched_files "${patches[@]}"
		for f in $(overlay_files); do dest_of "$f"; done
		cat "$SRC/.overlay-manifest" 2>/dev/null || true
	} | sort -u >"$manifest"

	# Start every touched file from its pristine version.
	while read -r f; do
		[ -n "$f" ] || continue
		if [ -e "$PRISTINE/$f" ]; then
			mkdir -p "$stage/tree/$(dirname "$f")"
			cp -p "$PRISTINE/$f" "$stage/tree/$f"
		fi
	done <"$manifest"

	for f in $(overlay_files); do
		dest=$(dest_of "$f")
		[ ! -e "$PRISTINE/$dest" ] ||
			die "$f would replace the existing kernel file $dest: change it with a patch"
		mkdir -p "$stage/tree/$(dirname "$dest")"
		cp "$TOP/$f" "$stage/tree/$dest"
	done

	for p in "${patches[@]}"; do
		plog=$LOGDIR/patch-$(basename "$p").log
		if ! (cd "$stage/tree" && patch -p1 -F0 -N --no-backup-if-mismatch \
			-r - <"$TOP/$p") >"$plog" 2>&1; then
			sed 's/^/  /' "$plog" >&2
			die "patch $p does not apply to the 6.12 tree (log: $plog)"
		fi
		if grep -q 'with fuzz\|offset' "$plog"; then
			sed 's/^/  /' "$plog" >&2
			die "patch $p applies only with offset or fuzz: refresh it (log: $plog)"
		fi
	done

	# Sync stage -> src, keeping mtimes of unchanged files.
	while read -r f; do
		[ -n "$f" ] || continue
		if [ -e "$stage/tree/$f" ]; then
			if [ ! -e "$SRC/$f" ] || ! cmp -s "$stage/tree/$f" "$SRC/$f"; then
				mkdir -p "$SRC/$(dirname "$f")"
				# never write through a hard link into the pristine tree
				rm -f "$SRC/$f"
				cp "$stage/tree/$f" "$SRC/$f"
				echo "kernel: overlay $f"
			fi
		elif [ -e "$SRC/$f" ]; then
			rm -f "$SRC/$f"
			echo "kernel: overlay removes $f"
		fi
	done <"$manifest"

	# Record what now differs from pristine (for the next run's cleanup).
	{
		[ ${#patches[@]} -eq 0 ] || patched_files "${patches[@]}"
		for f in $(overlay_files); do dest_of "$f"; done
	} | sort -u >"$SRC/.overlay-manifest"
	rm -rf "$stage"
}

configure() {
	local srcdir=$1 obj=$2 frag want
	frag=$obj/.lab-fragment
	want=$(cd "$TOP/tools/lab/config" && cat $fragments)
	if [ -f "$obj/.config" ] && [ -f "$frag" ] && [ "$(cat "$frag")" = "$want" ]; then
		return
	fi
	echo "kernel: configuring $FLAVOUR ($fragments on allnoconfig)"
	mkdir -p "$obj"
	echo "$want" >"$obj/.lab-fragment.tmp"
	make -s -C "$srcdir" O="$obj" ARCH=powerpc CROSS_COMPILE=$CROSS \
		KCONFIG_ALLCONFIG="$obj/.lab-fragment.tmp" allnoconfig \
		>"$LOGDIR/config-$FLAVOUR.log" 2>&1 ||
		die "configuring failed (log: $LOGDIR/config-$FLAVOUR.log)"
	check_config "$obj/.lab-fragment.tmp" "$obj/.config" ||
		die "configuration of $FLAVOUR does not match its fragments"
	mv "$obj/.lab-fragment.tmp" "$frag"
}

unpack_pristine
if [ "$srcname" = src ]; then
	update_src
	srcdir=$SRC
else
	srcdir=$PRISTINE
fi
if [ "$FLAVOUR" != headers ]; then
	OBJ=$BUILD/kernel/$FLAVOUR
	configure "$srcdir" "$OBJ"

	targets=vmlinux
	modules=0
	if grep -qx CONFIG_MODULES=y "$OBJ/.config"; then
		targets="vmlinux modules"
		modules=1
	fi
	echo "kernel: building $FLAVOUR $targets (log: $LOGDIR/kernel-$FLAVOUR.log)"
	start=$(date +%s)
	# shellcheck disable=SC2086
	if ! make -C "$srcdir" O="$OBJ" ARCH=powerpc CROSS_COMPILE=$CROSS -j"$JOBS" $targets \
		>"$LOGDIR/kernel-$FLAVOUR.log" 2>&1; then
		grep -E 'error|Error' "$LOGDIR/kernel-$FLAVOUR.log" | head -n 20 >&2 || true
		die "building the $FLAVOUR kernel failed (log: $LOGDIR/kernel-$FLAVOUR.log)"
	fi
	if grep -E '^[^ ]+:[0-9]+:[0-9]+: warning:|^WARNING: modpost:' "$LOGDIR/kernel-$FLAVOUR.log" >&2; then
		echo "kernel: warning: the $FLAVOUR build printed warnings (above)" >&2
	fi
	if [ $modules = 1 ]; then
		# installed as a distribution's package installs them, then
		# depmod's indexes (modules.dep, .alias, .softdep, ...) for the
		# machine's modprobe; a module with a symbol nothing exports fails
		release=$(cat "$OBJ/include/config/kernel.release")
		mods=$OBJ/mods
		rm -rf "$mods.tmp"
		make -C "$srcdir" O="$OBJ" ARCH=powerpc CROSS_COMPILE=$CROSS \
			INSTALL_MOD_PATH="$mods.tmp" INSTALL_MOD_STRIP=1 DEPMOD=true \
			modules_install >>"$LOGDIR/kernel-$FLAVOUR.log" 2>&1 ||
			die "modules_install failed (log: $LOGDIR/kernel-$FLAVOUR.log)"
		"$(command -v depmod || echo /sbin/depmod)" -b "$mods.tmp" -e -F "$OBJ/System.map" "$release" \
			>"$LOGDIR/depmod-$FLAVOUR.log" 2>&1 ||
			die "depmod failed (log: $LOGDIR/depmod-$FLAVOUR.log)"
		if [ -s "$LOGDIR/depmod-$FLAVOUR.log" ]; then
			sed 's/^/  /' "$LOGDIR/depmod-$FLAVOUR.log" >&2
			die "depmod complained (log: $LOGDIR/depmod-$FLAVOUR.log)"
		fi
		rm -rf "$mods"
		mv "$mods.tmp" "$mods"
		echo "kernel: $FLAVOUR: $(find "$mods" -name "*.ko" | wc -l) modules of $release" \
			"installed in $mods/lib/modules/$release"
	fi
	# what the real-mode TCE code calls (tools/rmcheck.py): a build whose
	# real-mode code calls anything outside the allow-list fails
	if [ "$srcname" = src ] && grep -qx CONFIG_SPAPR_TCE_IOMMU=y "$OBJ/.config" &&
		grep -qx CONFIG_KVM_BOOK3S_HV_POSSIBLE=y "$OBJ/.config"; then
		OBJDUMP=${CROSS}objdump python3 "$TOP/tools/rmcheck.py" "$OBJ" ||
			die "real-mode code of $FLAVOUR calls what it must not (tools/rmcheck.py)"
	fi
	echo "kernel: $FLAVOUR $targets ready in $(( $(date +%s) - start )) s: $OBJ/vmlinux"
fi

if [ "$srcname" = src ]; then
	# uapi headers of the patched tree, for the ppc64le tools and tests
	rm -rf "$BUILD/uapi.tmp"
	make -s -C "$srcdir" O="$BUILD/kernel/headers" ARCH=powerpc \
		INSTALL_HDR_PATH="$BUILD/uapi.tmp" headers_install \
		>"$LOGDIR/headers.log" 2>&1 ||
		die "headers_install failed (log: $LOGDIR/headers.log)"
	if ! diff -rq "$BUILD/uapi.tmp" "$BUILD/uapi" >/dev/null 2>&1; then
		rm -rf "$BUILD/uapi"
		mv "$BUILD/uapi.tmp" "$BUILD/uapi"
	else
		rm -rf "$BUILD/uapi.tmp"
	fi
fi
