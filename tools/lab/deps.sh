#!/bin/bash
# Install every build and lab dependency from Debian's packages.
# Idempotent: when everything is present it only checks and returns.
set -u

PKGS_NATIVE="make gcc libc6-dev git patch rsync cpio gzip xz-utils bc flex bison curl
 libssl-dev libelf-dev dwarves python3 perl kmod file sparse
 qemu-system-ppc qemu-system-data ipxe-qemu
 gcc-powerpc64le-linux-gnu libc6-dev-ppc64el-cross
 linux-source-6.12 linux-config-6.12:ppc64el libfdt-dev device-tree-compiler"
# The ppc64el packages the lab needs are not co-installable with their host
# versions (busybox-static is not Multi-Arch and would replace the host's
# /bin/busybox; libfdt-dev conflicts with libfdt-dev:amd64).  They are
# fetched with apt-get download and unpacked into build/deps/ppc64el, which
# the cross builds use as a sysroot; nothing of them lands outside build/.
PKGS_PPC="busybox-static:ppc64el libfdt-dev:ppc64el libfdt1:ppc64el"
# kmod (modprobe and friends) for the initramfs of a kernel with modules:
# busybox's modprobe ignores softdeps. With the libraries kmod links (it has
# libkmod built in; the C library is libc6-ppc64el-cross's), unpacked into
# build/deps/ppc64el-kmod, apart from the sysroot the cross builds use.
PKGS_KMOD="kmod:ppc64el liblzma5:ppc64el libzstd1:ppc64el libssl3:ppc64el"

BUILD=${BUILD:-build}
log_dir="$BUILD/log"
mkdir -p "$log_dir"
log="$log_dir/deps.log"
: >"$log"

die() { echo "deps: $*" >&2; exit 1; }

missing() {
	local p out=""
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
			out="$out $p"
	done
	echo "$out"
}

export DEBIAN_FRONTEND=noninteractive
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"

if ! dpkg --print-foreign-architectures | grep -qx ppc64el; then
	$SUDO dpkg --add-architecture ppc64el >>"$log" 2>&1 ||
		die "dpkg --add-architecture ppc64el failed (log: $log)"
	need_update=1
fi

# shellcheck disable=SC2086
todo=$(missing $PKGS_NATIVE)
sysroot="$BUILD/deps/ppc64el"
kmodroot="$BUILD/deps/ppc64el-kmod"
stale() { [ "$(cat "$1/.complete" 2>/dev/null)" != "$2" ]; }
if [ -n "$todo" ] || stale "$sysroot" "$PKGS_PPC" || stale "$kmodroot" "$PKGS_KMOD"; then
	need_update=${need_update:-0}
	stamp=/var/lib/apt/periodic/spapr-tce-iommu-update
	if [ "$need_update" = 1 ] || [ ! -e "$stamp" ] ||
	   [ -n "$(find "$stamp" -mmin +360 2>/dev/null)" ]; then
		echo "deps: apt-get update"
		# A single index that fails to download (a mirror mid-sync) makes
		# apt-get update exit non-zero while everything needed is still
		# there: warn, and let apt-get install decide.
		if ! $SUDO apt-get update >>"$log" 2>&1; then
			echo "deps: warning: apt-get update reported errors (see $log)" >&2
		fi
		$SUDO mkdir -p "$(dirname "$stamp")" && $SUDO touch "$stamp"
	fi
fi

# linux-config-6.12:ppc64el is in one index only, the security suite's
# ppc64el one; when that index could not be fetched (a mirror mid-sync
# serves a Packages file that does not match its Release file), take the
# .deb from the same pool as linux-source-6.12, of the same version, and
# check it against the sha256 the mirror's Packages file gives.
config_from_pool() {
	local ver fn base tmp sum want ret=1
	ver=$(apt-cache policy linux-source-6.12 | awk '/Candidate:/ { print $2 }')
	fn=$(apt-cache show "linux-source-6.12=$ver" 2>/dev/null | awk '/^Filename:/ { print $2; exit }')
	base=$(apt-get indextargets --format '$(REPO_URI)' 'Identifier: Packages' 2>/dev/null |
	       grep -m1 security)
	base=${base%/}
	[ -n "$ver" ] && [ -n "$fn" ] && [ -n "$base" ] || return 1
	fn="${fn%/*}/linux-config-6.12_${ver}_ppc64el.deb"
	echo "deps: no index lists linux-config-6.12:ppc64el; fetching $base/$fn"
	tmp=$(mktemp -d) || return 1
	if curl -fsS -o "$tmp/p.xz" "$base/dists/bookworm-security/main/binary-ppc64el/Packages.xz" &&
	   curl -fsS -o "$tmp/c.deb" "$base/$fn"; then
		want=$(xz -dc "$tmp/p.xz" | awk -v f="$fn" '
			/^Filename:/ { hit = ($2 == f) } hit && /^SHA256:/ { print $2; exit }')
		sum=$(sha256sum "$tmp/c.deb" | cut -d' ' -f1)
		if [ -n "$want" ] && [ "$sum" = "$want" ]; then
			$SUDO dpkg -i "$tmp/c.deb" >>"$log" 2>&1 && ret=0
		else
			echo "deps: $fn: sha256 $sum, its Packages file says '$want'" >&2
		fi
	fi >>"$log" 2>&1
	rm -rf "$tmp"
	return $ret
}

if [ -n "$todo" ]; then
	echo "deps: installing$todo"
	config=""
	case " $todo " in *" linux-config-6.12:ppc64el "*)
		config=linux-config-6.12:ppc64el
		todo=$(echo "$todo" | sed 's/ linux-config-6.12:ppc64el//');;
	esac
	# shellcheck disable=SC2086
	[ -z "${todo// }" ] || $SUDO apt-get install -y --no-install-recommends $todo >>"$log" 2>&1 ||
		die "apt-get install failed for:$todo (log: $log)"
	if [ -n "$config" ]; then
		$SUDO apt-get install -y --no-install-recommends $config >>"$log" 2>&1 ||
			config_from_pool ||
			die "apt-get install failed for: $config (log: $log)"
	fi
	# shellcheck disable=SC2086
	left=$(missing $PKGS_NATIVE)
	[ -z "$left" ] || die "still missing after install:$left (log: $log)"
fi

# unpack DIR PACKAGES: apt-get download PACKAGES and unpack them into DIR
unpack() {
	local dir=$1 pkgs=$2 tmp deb
	echo "deps: fetching $pkgs into $dir"
	mkdir -p "$BUILD/deps"
	tmp=$(mktemp -d "$BUILD/deps/dl.XXXXXX") || die "cannot create a directory under $BUILD/deps"
	# shellcheck disable=SC2086
	(cd "$tmp" && apt-get download $pkgs) >>"$log" 2>&1 ||
		die "apt-get download $pkgs failed (log: $log)"
	rm -rf "$dir"
	for deb in "$tmp"/*.deb; do
		dpkg-deb -x "$deb" "$dir" >>"$log" 2>&1 ||
			die "unpacking $deb failed (log: $log)"
	done
	rm -rf "$tmp"
}

if stale "$sysroot" "$PKGS_PPC"; then
	unpack "$sysroot" "$PKGS_PPC"
	file -L "$sysroot/bin/busybox" | grep -q '64-bit LSB.*PowerPC' ||
		die "$sysroot/bin/busybox is not a ppc64le binary"
	[ -e "$sysroot/usr/lib/powerpc64le-linux-gnu/libfdt.a" ] ||
		die "libfdt.a for ppc64el missing from $sysroot"
	echo "$PKGS_PPC" >"$sysroot/.complete"
fi

if stale "$kmodroot" "$PKGS_KMOD"; then
	unpack "$kmodroot" "$PKGS_KMOD"
	file -L "$kmodroot/bin/kmod" | grep -q '64-bit LSB.*PowerPC' ||
		die "$kmodroot/bin/kmod is not a ppc64le binary"
	echo "$PKGS_KMOD" >"$kmodroot/.complete"
fi

src=$(ls /usr/src/linux-source-6.12.tar.* 2>/dev/null | head -n1)
[ -n "$src" ] || die "linux-source-6.12 is installed but /usr/src/linux-source-6.12.tar.* is missing"
exit 0
