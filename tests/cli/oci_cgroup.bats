#!/usr/bin/env bats
# seclude-runc's cgroupsPath: cgroupfs paths, and systemd's
# "slice:prefix:name" (engines with the systemd driver, Kubernetes' pods)
# placed where systemd would put the unit.
bats_require_minimum_version 1.5.0
load oci_bundle

teardown() {
	bundle_teardown
	# the slices the tests made (the scopes went with their containers)
	local d
	for d in /sys/fs/cgroup/*/sctest.slice /sys/fs/cgroup/*/sctest-$BATS_TEST_NUMBER; do
		[ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} \;
	done
	true
}

# cgroup_of PID CONTROLLER: the process's cgroup in that v1 hierarchy
cgroup_of() {
	sed -n "s/^[0-9]*:$2:\(.*\)/\1/p" "/proc/$1/cgroup"
}

@test "cgroupsPath slice:prefix:name: the scope systemd would make, inside each dash's slice; gone with the container" {
	edit '.linux.cgroupsPath = "sctest-a.slice:sc:one"'
	cmd sleep 100
	create c1
	local pid
	pid=$(state_field c1 pid)
	[ "$(cgroup_of "$pid" pids)" = /sctest.slice/sctest-a.slice/sc-one.scope ]
	[ "$(cgroup_of "$pid" memory)" = /sctest.slice/sctest-a.slice/sc-one.scope ]
	"$RUNC" --root "$STATE" delete --force c1
	[ ! -e /sys/fs/cgroup/pids/sctest.slice/sctest-a.slice/sc-one.scope ]
}

@test "--systemd-cgroup: an empty name is the container's id; a name that is a slice is that slice" {
	edit '.linux.cgroupsPath = "sctest.slice:sc:"'
	cmd sleep 100
	"$RUNC" --root "$STATE" --systemd-cgroup create --bundle "$BUNDLE" c2 </dev/null >/dev/null 2>"$BUNDLE/err" || { cat "$BUNDLE/err"; false; }
	[ "$(cgroup_of "$(state_field c2 pid)" pids)" = /sctest.slice/sc-c2.scope ]
	edit '.linux.cgroupsPath = "system.slice:sc:sctest-pod.slice"'
	create c3
	[ "$(cgroup_of "$(state_field c3 pid)" pids)" = /sctest.slice/sctest-pod.slice ]
}

@test "a cgroupfs path: from the hierarchy's root, as runc places it" {
	edit --arg p "/sctest-$BATS_TEST_NUMBER/abs" '.linux.cgroupsPath = $p'
	cmd sleep 100
	create c4
	[ "$(cgroup_of "$(state_field c4 pid)" pids)" = "/sctest-$BATS_TEST_NUMBER/abs" ]
}

@test "a slice systemd would refuse: the located line, nothing made; --systemd-cgroup with a cgroupfs path: runc's words" {
	edit '.linux.cgroupsPath = "sctest--x.slice:sc:n"'
	cmd true
	run --separate-stderr "$RUNC" --root "$STATE" create --bundle "$BUNDLE" c5 </dev/null
	[ "$status" -ne 0 ]
	local line
	line=$(grep -n '"cgroupsPath"' "$BUNDLE/config.json" | cut -d: -f1)
	[[ "$stderr" == *"config.json:$line:"*": linux.cgroupsPath: invalid slice name sctest--x.slice: an empty component between dashes"* ]]
	[ -z "$("$RUNC" --root "$STATE" list -q)" ]
	! ls -d /sys/fs/cgroup/*/sctest* 2>/dev/null

	edit --arg p "/sctest-$BATS_TEST_NUMBER/x" '.linux.cgroupsPath = $p'
	run --separate-stderr "$RUNC" --root "$STATE" --systemd-cgroup create --bundle "$BUNDLE" c6 </dev/null
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"expected cgroupsPath to be of format \"slice:prefix:name\" for systemd cgroups, got \"/sctest-$BATS_TEST_NUMBER/x\" instead"* ]]
	[ -z "$("$RUNC" --root "$STATE" list -q)" ]
	! ls -d /sys/fs/cgroup/*/sctest* 2>/dev/null
}

@test "the root slice as a container's unit is refused, located, nothing left" {
	edit '.linux.cgroupsPath = "system.slice:sc:-.slice"'
	cmd true
	run --separate-stderr "$RUNC" --root "$STATE" run --bundle "$BUNDLE" c7 </dev/null
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"config.json:"*": linux.cgroupsPath: invalid cgroupsPath \"system.slice:sc:-.slice\": the root slice cannot be a container's unit"* ]]
	[ -z "$(ls "$STATE" 2>/dev/null)" ]
}
