# shellcheck shell=bash
# Sourced by kernel.sh and configs.sh.
#
# check_config FRAGMENT CONFIG: every option FRAGMENT asks for took effect
# in CONFIG. A later fragment overrides an earlier one (as KCONFIG_ALLCONFIG
# does): the last assignment of an option is the one checked.
check_config() {
	local bad=0 line opt val
	while read -r line; do
		opt=${line%%=*}
		val=${line#*=}
		if [ "$val" = n ]; then
			grep -q "^$opt=" "$2" && { echo "kconfig: $opt is set, fragment wants n" >&2; bad=1; }
		else
			grep -qxF "$opt=$val" "$2" ||
				{ echo "kconfig: $opt=$val requested, .config has: $(grep "^$opt=\|^# $opt " "$2" || echo nothing)" >&2; bad=1; }
		fi
	done < <(awk -F= '/^CONFIG_[A-Za-z0-9_]+=/ { if (!($1 in v)) k[n++] = $1; v[$1] = $0 }
		END { for (i = 0; i < n; i++) print v[k[i]] }' "$1")
	return $bad
}
