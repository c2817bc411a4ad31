#!/bin/bash
# CPU time split between two busy sandboxes pinned to one CPU, for pairs
# of --cpu-shares: the measured ratio next to the asked one.
#   SECLUDE=build/cli/seclude bench/cgroup/shares.sh [SECONDS] [CPU]
# Needs root and cgroup v1 (cpuacct.usage) or v2 (cpu.stat usage_usec).
set -euo pipefail
seclude=${SECLUDE:-build/cli/seclude}
secs=${1:-3}
cpu=${2:-0}
export SECLUDE_STATE_DIR=$(mktemp -d /tmp/seclude-bench-shares.XXXXXX)
trap 'for n in $("$seclude" ps -aq 2>/dev/null); do "$seclude" rm -f "$n" >/dev/null 2>&1; done; rm -rf "$SECLUDE_STATE_DIR"' EXIT

usage_ns() {  # NAME
	local j v
	j=$("$seclude" inspect "$1")
	if [ "$(jq -r '.[0].Cgroup.Version' <<<"$j")" = 1 ]; then
		cat "$(jq -r '.[0].Cgroup.Paths.cpuacct' <<<"$j")/cpuacct.usage"
	else
		v=$(awk '$1 == "usage_usec" {print $2}' "$(jq -r '.[0].Cgroup.Path' <<<"$j")/cpu.stat")
		echo $((v * 1000))
	fi
}

printf '%-12s %-10s %-10s %s\n' "shares" "asked" "measured" "cpu seconds (a / b)"
for pair in 1024:1024 1024:512 1024:256 2048:128; do
	a=${pair%:*} b=${pair#*:}
	"$seclude" run -d --name a --cpuset-cpus "$cpu" --cpu-shares "$a" sh -c 'while :; do :; done' >/dev/null 2>&1
	"$seclude" run -d --name b --cpuset-cpus "$cpu" --cpu-shares "$b" sh -c 'while :; do :; done' >/dev/null 2>&1
	sleep 0.5
	a0=$(usage_ns a) b0=$(usage_ns b)
	sleep "$secs"
	a1=$(usage_ns a) b1=$(usage_ns b)
	"$seclude" rm -f a b >/dev/null
	da=$((a1 - a0)) db=$((b1 - b0))
	printf '%-12s %-10s %-10s %s\n' "$pair" "$(awk "BEGIN {printf \"%.2f\", $a / $b}")" \
		"$(awk "BEGIN {printf \"%.2f\", $da / ($db + 1)}")" \
		"$(awk "BEGIN {printf \"%.2f / %.2f\", $da / 1e9, $db / 1e9}")"
done
