#!/usr/bin/env bats
# seclude-runc run by a user who is not root, on a bundle made by
# `seclude-runc spec --rootless` (a user namespace mapping the user to 0),
# as runc runs one; and --rootless, runc's flag for its rootless cgroup
# manager.  A throwaway user, as in rootless.bats.
load helpers
load rootfs
bats_require_minimum_version 1.5.0

setup_file() {
	[ "$(id -u)" -eq 0 ] || skip "needs root to create the test user"
	build_rootfs
	T=$(mktemp -d /tmp/seclude-ocirl.XXXXXX)
	chmod 755 "$T"
	export OCIRL_USER="seclude-ocirl-${T##*.}"
	useradd -M -d "$T/home" -s /bin/sh "$OCIRL_USER"
	mkdir -m 700 "$T/home" "$T/run"
	chown "$OCIRL_USER:" "$T/home" "$T/run"
	install -m 755 "$SECLUDE" "$T/seclude"
	ln -s seclude "$T/seclude-runc"
	cp -a "$ROOTFS" "$T/rootfs"
	chown -R "$OCIRL_USER:" "$T/rootfs"
	export T UUID=$(id -u "$OCIRL_USER")
}

teardown_file() {
	[ -n "${T:-}" ] || return 0
	local id i
	for id in $(rl list -q 2>/dev/null); do rl delete --force "$id" >/dev/null 2>&1 || true; done
	for i in 1 2 3 4 5 6 7 8 9 10; do
		userdel "$OCIRL_USER" >/dev/null 2>&1 && break
		sleep 0.5
	done
	rm -rf "$T"
}

setup() {
	B=$T/b.$BATS_TEST_NUMBER
	mkdir "$B"
	chown "$OCIRL_USER:" "$B"
	as_user "$T/seclude-runc" spec --rootless
	edit --arg r "$T/rootfs" '.root.path = $r | .process.terminal = false'
}

# A command as the user in the bundle, with a clean environment of its own.
as_user() {
	(cd "$B" && runuser -u "$OCIRL_USER" -- env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$T/home" \
		XDG_RUNTIME_DIR="$T/run" "$@")
}
rl() { as_user "$T/seclude-runc" "$@"; }
edit() { as_user sh -c 'jq "$@" config.json > c.json && mv c.json config.json' jq "$@"; }
status_lines() { grep -E '^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp):'; }

@test "rootless run: root in a namespace of its own, the status lines runc's rootless run gives" {
	edit '.process.args = ["sh", "-c", "id -u; cat /proc/self/uid_map; cat /proc/self/status"]'
	run rl run --bundle . r1
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 0 ]
	[[ "${lines[1]}" =~ ^\ *0\ +$UUID\ +1$ ]]
	mine=$(printf '%s\n' "$output" | status_lines)
	theirs=$(as_user runc --root "$T/run/runc" run --bundle . r1 </dev/null | status_lines)
	[ -n "$theirs" ]
	[ "$mine" = "$theirs" ]
	# with Docker's default profile: the filter is loaded, unshare refused with EPERM
	edit --slurpfile p "$SRC/lib/profile/default.json" \
		'.linux.seccomp = $p[0] | .process.args = ["sh", "-c", "unshare -m true; echo rc=$?; grep ^Seccomp: /proc/self/status"]'
	run rl run --bundle . r2
	[ "$status" -eq 0 ]
	[[ "$output" == *"Operation not permitted"* ]]
	[[ "$output" == *"rc=1"* ]]
	[[ "$output" == *"Seccomp:	2"* ]]
	[ ! -e "$T/run/seclude-runc/r1" ] && [ ! -e "$T/run/seclude-runc/r2" ]
}

@test "rootless lifecycle: create, start, state, exec, ps, kill, delete; records under XDG_RUNTIME_DIR" {
	edit '.process.args = ["sleep", "1000"]'
	rl create --bundle . c1 </dev/null >/dev/null 2>&1
	[ -f "$T/run/seclude-runc/c1/state.json" ]
	rl start c1
	run rl state c1
	[ "$status" -eq 0 ]
	[ "$(jq -r .status <<<"$output")" = running ]
	[ "$(jq -r .owner <<<"$output")" = "$OCIRL_USER" ]
	pid=$(jq -r .pid <<<"$output")
	[ "$(stat -c %u /proc/$pid)" = "$UUID" ]
	run rl exec c1 sh -c 'id -u; cat /proc/1/cmdline | tr "\0" " "'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 0 ]
	[ "${lines[1]}" = "sleep 1000 " ]
	run rl exec c1 sh -c 'exit 3'
	[ "$status" -eq 3 ]
	run rl ps --format json c1
	[ "$output" = "[$pid]" ]
	rl kill c1 KILL
	for i in $(seq 100); do [ "$(rl state c1 | jq -r .status)" = stopped ] && break; sleep 0.05; done
	rl delete c1
	[ ! -e "$T/run/seclude-runc/c1" ]
}

@test "--rootless: false makes the cgroup the user cannot create an error; limits need a cgroup; a bad value is refused" {
	edit '.process.args = ["true"]'
	run rl --rootless=false run --bundle . f1
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot create cgroup"*"Permission denied"* ]]
	[ ! -e "$T/run/seclude-runc/f1" ]
	run rl --rootless true run --bundle . f2
	[ "$status" -eq 0 ]
	edit '.linux.resources = {"pids": {"limit": 10}}'
	run rl run --bundle . f3
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot set the resource limits: the container could not create a cgroup (rootless)"* ]]
	[ ! -e "$T/run/seclude-runc/f3" ]
	run rl --rootless=maybe run --bundle . f4
	[ "$status" -eq 1 ]
	[[ "$output" == *"invalid --rootless value: maybe"* ]]
}

@test "rootless: an id-mapped mount is refused as runc refuses it, located, nothing left" {
	as_user mkdir vol
	edit --arg s "$B/vol" '.process.args = ["true"] | .mounts += [{"destination": "/mnt", "type": "bind",
		"source": $s, "options": ["rbind"], "uidMappings": [{"containerID": 0, "hostID": 0, "size": 1}],
		"gidMappings": [{"containerID": 0, "hostID": 0, "size": 1}]}]'
	run rl run --bundle . idrl
	echo "$output"
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == *"config.json:"[0-9]*":"[0-9]*": mounts["[0-9]*"]: id-mapped mounts are not supported for rootless containers"* ]]
	[ ! -e "$T/run/seclude-runc/idrl" ]
	! pgrep -f "seclude-runc.*idrl" >/dev/null
}
