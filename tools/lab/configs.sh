#!/bin/bash
# make configs: the series built in the configurations the lab does not
# boot, one at a time.
#
#   tools/lab/configs.sh [NAME...]     NAME: see CONFIGS (default: all)
#
#   no-spapr-tce   base.config, SPAPR_TCE_IOMMU=n (so no VFIO sPAPR backend;
#                  KVM selects it unless IOMMU_SUPPORT=n)
#   no-vfio        base.config, VFIO=n
#   pr-only        base.config, KVM_BOOK3S_64_HV=n (KVM-PR only)
#   modules        the lab's modules flavour: vmlinux, modules, modpost,
#                  modules_install and depmod (tools/lab/kernel.sh modules)
#   debian         Debian's ppc64el configuration (linux-config-6.12:ppc64el)
#                  after olddefconfig
#
# Every configuration but modules compiles arch/powerpc/kvm/ and
# drivers/vfio/ only, in its own object tree build/kernel/cfg-NAME; its log
# is build/log/cfg-NAME.log. A configuration fails when the options it asks
# for did not take effect, when it does not build, or when a compiler
# warning names a file of the series (one the overlay adds or a patch
# changes; other warnings are listed). Ends with "configs: N passed, N
# failed"; exit status 1 on any failure.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$TOP/build}
case "$BUILD" in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
JOBS=${JOBS:-$(nproc)}
CROSS=powerpc64le-linux-gnu-
SRC=$BUILD/linux/src
LOGDIR=$BUILD/log
CONFIGS="no-spapr-tce no-vfio pr-only modules debian"
DEBIAN_CONFIG=/usr/src/linux-config-6.12/config.ppc64el_none_powerpc64le.xz
# shellcheck source=tools/lab/kconfig.sh
. "$TOP/tools/lab/kconfig.sh"

# The options each configuration changes on base.config (what base.config
# sets that they make impossible is set to n as well, so that every option
# of the result is checked).
fragment() {
	case $1 in
	no-spapr-tce)
		# KVM selects SPAPR_TCE_IOMMU whenever IOMMU_SUPPORT is there
		printf '%s\n' CONFIG_IOMMU_SUPPORT=n CONFIG_SPAPR_TCE_IOMMU=n \
			CONFIG_VFIO_IOMMU_SPAPR_TCE=n ;;
	no-vfio)
		printf '%s\n' CONFIG_VFIO=n CONFIG_VFIO_GROUP=n CONFIG_VFIO_CONTAINER=n \
			CONFIG_VFIO_IOMMU_SPAPR_TCE=n CONFIG_VFIO_PCI=n \
			CONFIG_VFIO_PCI_MMAP=n CONFIG_VFIO_PCI_INTX=n ;;
	pr-only)
		printf '%s\n' CONFIG_KVM_BOOK3S_64_HV=n CONFIG_KVM_XIVE=n ;;
	esac
}
# What Debian's configuration must still have for the build to mean
# something (it has no KVM-PR, 4 KiB pages, module signing, compressed
# modules, BTF).
DEBIAN_WANTS="CONFIG_SPAPR_TCE_IOMMU=y CONFIG_KVM_BOOK3S_64=m CONFIG_KVM_BOOK3S_64_HV=m
	CONFIG_VFIO=m CONFIG_VFIO_IOMMU_SPAPR_TCE=m CONFIG_VFIO_PCI=m"

kmake() {
	make -C "$SRC" ARCH=powerpc CROSS_COMPILE=$CROSS "$@"
}

# configure NAME OBJ LOG: OBJ/.config for NAME, kept when its input is unchanged
configure() {
	local name=$1 obj=$2 log=$3 want
	mkdir -p "$obj"
	if [ "$name" = debian ]; then
		[ -f "$DEBIAN_CONFIG" ] || { echo "no $DEBIAN_CONFIG (run make deps)" >>"$log"; return 1; }
		want=$(xz -dc "$DEBIAN_CONFIG") || return 1
		if [ ! -f "$obj/.config" ] || [ "$(cat "$obj/.cfg-input" 2>/dev/null)" != "$want" ]; then
			echo "$want" >"$obj/.config"
			kmake O="$obj" olddefconfig >>"$log" 2>&1 || return 1
			echo "$want" >"$obj/.cfg-input"
		fi
		# shellcheck disable=SC2086
		printf '%s\n' $DEBIAN_WANTS >"$obj/.cfg-check"
	else
		want=$(cat "$TOP/tools/lab/config/base.config"; fragment "$name")
		if [ ! -f "$obj/.config" ] || [ "$(cat "$obj/.cfg-input" 2>/dev/null)" != "$want" ]; then
			echo "$want" >"$obj/.cfg-fragment"
			kmake O="$obj" KCONFIG_ALLCONFIG="$obj/.cfg-fragment" allnoconfig \
				>>"$log" 2>&1 || return 1
			echo "$want" >"$obj/.cfg-input"
		fi
		echo "$want" >"$obj/.cfg-check"
	fi
	check_config "$obj/.cfg-check" "$obj/.config" >>"$log" 2>&1
}

# series_warnings LOG: the compiler warnings of LOG that name a file of the
# series (the overlay's manifest: every file that differs from pristine)
series_warnings() {
	local f pat=""
	while read -r f; do
		[ -n "$f" ] && pat="$pat|${f//./\\.}"
	done <"$SRC/.overlay-manifest"
	[ -n "$pat" ] || return 0
	grep -E "(^|/)(${pat#|}):[0-9]+(:[0-9]+)?: warning:" "$1"
}

run_one() {
	local name=$1 obj=$BUILD/kernel/cfg-$1 log=$LOGDIR/cfg-$1.log
	: >"$log"
	if [ "$name" = modules ]; then
		"$TOP/tools/lab/kernel.sh" modules >"$log" 2>&1 || return 1
		cat "$LOGDIR/kernel-modules.log" "$LOGDIR/depmod-modules.log" >>"$log"
		if grep '^WARNING: modpost:' "$log"; then
			return 1
		fi
	else
		configure "$name" "$obj" "$log" || return 1
		kmake O="$obj" -j"$JOBS" arch/powerpc/kvm/ drivers/vfio/ >>"$log" 2>&1 ||
			return 1
	fi
	if series_warnings "$log"; then
		echo "(compiler warnings in files of the series, above)"
		return 1
	fi
	if grep -E ':[0-9]+:[0-9]+: warning:' "$log" | sed 's/^/  upstream: /'; then :; fi
	return 0
}

names=${*:-$CONFIGS}
for n in $names; do
	case " $CONFIGS " in *" $n "*) ;; *) echo "configs: unknown configuration '$n' ($CONFIGS)" >&2; exit 2 ;; esac
done
mkdir -p "$LOGDIR"
# the overlaid tree, up to date with the working tree
"$TOP/tools/lab/kernel.sh" headers >"$LOGDIR/cfg-overlay.log" 2>&1 || {
	cat "$LOGDIR/cfg-overlay.log" >&2
	echo "configs: overlaying the series failed" >&2
	exit 2
}
pass=0 fail=0 t0=$(date +%s)
for n in $names; do
	start=$(date +%s)
	if out=$(run_one "$n"); then
		verdict=pass
		pass=$((pass + 1))
	else
		verdict=FAIL
		fail=$((fail + 1))
	fi
	[ -z "$out" ] || echo "$out" | sed "s/^/configs: $n: /"
	[ $verdict = pass ] || grep -E 'error|Error|kconfig:' "$LOGDIR/cfg-$n.log" | head -n 20 | sed "s/^/configs: $n: /"
	echo "configs: $n: $verdict in $(( $(date +%s) - start )) s (log: $LOGDIR/cfg-$n.log)"
done
echo "configs: $pass passed, $fail failed in $(( $(date +%s) - t0 )) s"
[ "$fail" -eq 0 ]
