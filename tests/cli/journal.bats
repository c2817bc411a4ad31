#!/usr/bin/env bats
# Denial reports to the journal (--log-denials=journal, the annotation
# io.seclude.log-denials=journal): each refused call one message, tagged
# seclude.  Each test runs in a private mount namespace with an empty
# tmpfs on /run, where a stand-in for journald listens on its real socket
# path; the host's /run is never touched.
bats_require_minimum_version 1.5.0
load oci_bundle

setup() {
	T=$BATS_TEST_TMPDIR
	bundle_setup
}

teardown() {
	[ ! -s "$T/listener.pid" ] || kill "$(cat "$T/listener.pid")" 2>/dev/null || true
	bundle_teardown
}

# in_ns [journal] SCRIPT ARGS...: SCRIPT run by bash in a private mount
# namespace with an empty /run; with "journal", a listener on journald's
# socket first (its pid in $T/listener.pid, its lines in $T/j.txt)
in_ns() {
	local listen=
	[ "$1" != journal ] || { listen=1; shift; }
	local script=$1
	shift
	run --separate-stderr unshare -m --propagation private bash -c '
		mount -t tmpfs t /run && mkdir -p /run/systemd/journal || exit 99
		if [ -n "$LISTEN" ]; then
			python3 "$SRC/tests/cli/journal-listen.py" /run/systemd/journal/socket "$T/j.txt" </dev/null >/dev/null 2>&1 &
			echo $! > "$T/listener.pid"
			for i in $(seq 200); do [ -S /run/systemd/journal/socket ] && break; sleep 0.05; done
		fi
		'"$script" _ "$@"
}

@test "run --log-denials=journal: each refused call one message in the journal, tagged seclude; the command sees the same refusal" {
	export LISTEN=1 SRC T
	in_ns journal '"$1" run --rootfs "$2" --security-opt seccomp="$3" --log-denials=journal -- chmod 640 /etc/passwd' \
		"$SECLUDE" "$ROOTFS" "$PROFILES/labs/default-no-chmod.json"
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"chmod: /etc/passwd: Operation not permitted"* ]]
	wait_for_line "$T/j.txt" '"syscall":"chmod"'
	run grep '"syscall":"chmod"' "$T/j.txt"
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == "seclude 4 {"* ]]
	[ "$(cut -d' ' -f3- <<< "$output" | jq -r '"\(.comm) \(.errno_name)"')" = "chmod EPERM" ]
}

@test "seclude-runc, annotation io.seclude.log-denials=journal: the container's refused calls in the journal" {
	export LISTEN=1 SRC T
	edit '.annotations = {"io.seclude.log-denials": "journal"} | .linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW",
		"syscalls": [{"names": ["chmod", "fchmodat", "fchmodat2"], "action": "SCMP_ACT_ERRNO"}]}'
	cmd sh -c 'chmod 640 /etc/passwd; echo "rc=$?"'
	in_ns journal '"$1" --root "$2" create --bundle "$3" jn </dev/null >"$3/jn.out" 2>"$3/jn.err"' "$RUNC" "$STATE" "$BUNDLE"
	[ "$status" -eq 0 ]
	"$RUNC" --root "$STATE" start jn
	wait_stopped jn
	wait_for_line "$T/j.txt" '"syscall":"chmod"'
	[ "$(cat "$BUNDLE/jn.out")" = "rc=1" ]
	run grep '"syscall":"chmod"' "$T/j.txt"
	[[ "$output" == "seclude 4 {"* ]]
	[ "$(cut -d' ' -f3- <<< "$output" | jq -r '"\(.comm) \(.errno_name)"')" = "chmod EPERM" ]
}

@test "no journal here: refused before anything starts, one line, status 125 (run) and no record (seclude-runc)" {
	[ ! -e /dev/log ] || skip "this host has /dev/log: the journal is never missing here"
	export SRC T
	in_ns '"$1" run --log-denials=journal -- touch "$2/ran"' "$SECLUDE" "$T"
	[ "$status" -eq 125 ]
	[ ! -e "$T/ran" ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "$stderr" == "seclude: error: --log-denials: no journal here: neither /run/systemd/journal/socket nor /dev/log takes messages"* ]]

	edit '.annotations = {"io.seclude.log-denials": "journal"} | .linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW",
		"syscalls": [{"names": ["chmod"], "action": "SCMP_ACT_ERRNO"}]}'
	cmd touch /tmp/ran
	in_ns '"$1" --root "$2" create --bundle "$3" nj </dev/null' "$RUNC" "$STATE" "$BUNDLE"
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"annotation io.seclude.log-denials: no journal here"* ]]
	[ -z "$("$RUNC" --root "$STATE" list -q)" ]
	[ ! -e "$ROOTFS/tmp/ran" ]
}

@test "a report FILE that cannot be opened: the container is refused before it starts, nothing left" {
	edit --arg f "$T/no/such/dir/d.json" '.annotations = {"io.seclude.log-denials": $f} | .linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW",
		"syscalls": [{"names": ["chmod"], "action": "SCMP_ACT_ERRNO"}]}'
	cmd touch /tmp/ran-$BATS_TEST_NUMBER
	run --separate-stderr "$RUNC" --root "$STATE" create --bundle "$BUNDLE" nf </dev/null
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"annotation io.seclude.log-denials: cannot open $T/no/such/dir/d.json: No such file or directory"* ]]
	[ -z "$("$RUNC" --root "$STATE" list -q)" ]
	[ ! -e "$ROOTFS/tmp/ran-$BATS_TEST_NUMBER" ]
}
