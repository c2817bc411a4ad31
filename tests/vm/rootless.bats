#!/usr/bin/env bats
# A user who is not root on a pure cgroup v2 system that delegates a subtree
# to them (as systemd does with user@UID.service): limits work as root's.
# Runs inside the VM that tests/vm/run boots; the user, its subuid ranges and
# the delegated subtree are made here.
load ../cli/helpers
bats_require_minimum_version 1.5.0

U=seclude-vm-user
DELEG=/sys/fs/cgroup/seclude-vm-deleg

setup_file() {
	[ -f /sys/fs/cgroup/cgroup.controllers ] && [ -n "${VM_BIN:-}" ] ||
		skip "not in the VM (run through tests/vm/run)"
	T=$(mktemp -d /tmp/seclude-vm-rootless.XXXXXX)
	chmod 755 "$T"
	id "$U" >/dev/null 2>&1 || useradd -M -d "$T/home" -s /bin/sh "$U"
	grep -q "^$U:" /etc/subuid || usermod --add-subuids 300000-365535 "$U"
	grep -q "^$U:" /etc/subgid || usermod --add-subgids 300000-365535 "$U"
	mkdir -m 700 "$T/home" "$T/run"
	chown "$U:" "$T/home" "$T/run"
	install -m 755 "$SECLUDE" "$T/seclude"
	# the delegated subtree: the user owns the directory, cgroup.procs,
	# cgroup.subtree_control and cgroup.threads, and its shell sits in a leaf
	mkdir -p "$DELEG/shell"
	# systemd enables the controllers it delegates in the delegated cgroup itself
	echo "+cpu +memory +pids +io" > "$DELEG/cgroup.subtree_control"
	local f
	for f in "$DELEG" "$DELEG/shell"; do
		chown "$U:" "$f" "$f/cgroup.procs" "$f/cgroup.subtree_control" "$f/cgroup.threads"
	done
	export T
}

teardown_file() {
	[ -n "${T:-}" ] || return 0
	local id
	for id in $(sc ps -aq --no-trunc 2>/dev/null); do sc rm -f "$id" >/dev/null 2>&1 || true; done
	find "$DELEG" -depth -type d -exec rmdir {} \; 2>/dev/null || true
	userdel "$U" >/dev/null 2>&1 || true
	rm -rf "$T"
}

# A command as the user, started in the delegated leaf.
as_user() {
	sh -c 'echo $$ > "$0/shell/cgroup.procs" && exec "$@"' "$DELEG" \
		runuser -u "$U" -- env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$T/home" XDG_RUNTIME_DIR="$T/run" "$@"
}
sc() { as_user "$T/seclude" "$@"; }

@test "rootless v2: info finds the delegated subtree and its controllers" {
	run sc info --json
	[ "$status" -eq 0 ]
	[ "$(jq -r .user.delegated_cgroup <<<"$output")" = "/${DELEG#/sys/fs/cgroup/}" ]
	[ "$(jq -r .user.limits <<<"$output")" = true ]
	[[ "$(jq -r '.user.controllers | join(" ")' <<<"$output")" == *memory*pids* ]]
}

@test "rootless v2: limits are written in the user's own cgroup and read from inside" {
	run --separate-stderr sc run --memory 64m --pids-limit 30 --cpus 0.5 -- \
		sh -c 'cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/pids.max /sys/fs/cgroup/cpu.max; cat /proc/self/cgroup'
	[ "$status" -eq 0 ] || { echo "$stderr"; return 1; }
	[ "${lines[0]}" = 67108864 ]
	[ "${lines[1]}" = 30 ]
	[ "${lines[2]}" = "50000 100000" ]
	[ "${lines[3]}" = "0::/" ]
	# nothing is left in the subtree once it ended
	[ -z "$(find "$DELEG/seclude" -mindepth 1 -type d 2>/dev/null)" ]
}

@test "rootless v2: a named sandbox is in the delegated subtree; update changes its limit; rm removes it" {
	run sc run -d --name lim --memory 64m -- sleep 60
	[ "$status" -eq 0 ]
	local id=$output
	[ -d "$DELEG/seclude/$id" ]
	[ "$(cat "$DELEG/seclude/$id/memory.max")" = 67108864 ]
	run sc update --memory 128m --memory-swap 256m lim
	[ "$status" -eq 0 ]
	[ "$(cat "$DELEG/seclude/$id/memory.max")" = 134217728 ]
	run sc rm -f lim
	[ "$status" -eq 0 ]
	[ ! -d "$DELEG/seclude/$id" ]
}
