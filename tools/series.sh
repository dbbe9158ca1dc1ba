#!/bin/bash
# make series: the project as a git-format patch series for a 6.12 tree.
#
# build/series/NNNN-*.patch: the hook patches of kvm/patches and vfio/patches
# in order, each new file of kvm/ and vfio/ added by the hook patch that
# builds it. Each is checked to apply, in order, to a copy of the pristine files
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
# new files as git-format diffs against nothing: dest dir, then files
new_file_diffs() {
	local dest=$1 f
	shift
	for f in "$@"; do
		echo "diff --git a/$dest/$(basename "$f") b/$dest/$(basename "$f")"
		echo "new file mode 100644"
		diff -uN /dev/null "$TOP/$f" |
			sed -e "1s#.*#--- /dev/null#" -e "2s#.*#+++ b/$dest/$(basename "$f")#" || true
	done
}

# The hook patch that builds a new file: the first of its directory's
# patches whose Makefile hunk names its object; a header goes with the
# first of its directory's new .c files. Every patch of the series builds.
builder_of() {
	local dir=$1 f=$2 p obj
	obj=$(basename "${f%.*}").o
	for p in $(cd "$TOP" && ls "$dir"/patches/*.patch 2>/dev/null | sort); do
		if grep -q "^+.*\b${obj//./\.}\b" "$TOP/$p"; then
			echo "$p"
			return
		fi
	done
}
declare -A files_of
for dir in kvm vfio; do
	first=""
	for f in $(cd "$TOP" && ls "$dir"/*.c 2>/dev/null || true); do
		b=$(builder_of "$dir" "$f")
		[ -n "$b" ] || die "no patch of $dir/patches builds $f"
		files_of[$b]="${files_of[$b]:-} $f"
		if [ -z "$first" ] || [ "$(basename "$b")" \< "$(basename "$first")" ]; then
			first=$b
		fi
	done
	for f in $(cd "$TOP" && ls "$dir"/*.h 2>/dev/null || true); do
		files_of[$first]="${files_of[$first]:-} $f"
	done
done
n=0
while read -r p; do
	[ -n "$p" ] || continue
	n=$((n + 1))
	name=$(basename "$p" | sed 's/^[0-9]*-//')
	out=$OUT/$(printf %04d $n)-$name
	files=${files_of[$p]:-}
	case $p in
	kvm/*) dest=arch/powerpc/kvm ;;
	*) dest=drivers/vfio ;;
	esac
	if [ -z "$files" ]; then
		cp "$TOP/$p" "$out"
		continue
	fi
	# the patch up to its "-- " trailer, the new files, the trailer
	trailer=$(grep -n '^-- $' "$TOP/$p" | tail -n1 | cut -d: -f1)
	[ -n "$trailer" ] || die "$p has no '-- ' trailer"
	# shellcheck disable=SC2086
	{
		head -n $((trailer - 1)) "$TOP/$p"
		new_file_diffs "$dest" $files
		tail -n +"$trailer" "$TOP/$p"
	} >"$out"
done < <(cd "$TOP" && ls kvm/patches/*.patch vfio/patches/*.patch 2>/dev/null |
	 awk -F/ '{ print $NF "\t" $0 }' | sort | cut -f2)

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
