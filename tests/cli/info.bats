#!/usr/bin/env bats
load helpers

@test "info --help explains the options and exits 0" {
	run "$SECLUDE" info --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"Usage: seclude info"* ]]
	[[ "$output" == *"--pid PID"* ]]
	[[ "$output" == *"--json"* ]]
}

@test "info reports the kernel's seccomp actions as actions_avail lists them" {
	run "$SECLUDE" info
	[ "$status" -eq 0 ]
	avail=$(cat /proc/sys/kernel/seccomp/actions_avail)
	[[ "$output" == *"actions_avail:   $avail"* ]]
	[[ "$output" == *"libseccomp:        "* ]]
}

@test "info --json is one JSON object agreeing with /proc" {
	run "$SECLUDE" info --json
	[ "$status" -eq 0 ]
	echo "$output" | jq -e . >/dev/null
	[ "$(echo "$output" | jq -r '.kernel.release')" = "$(uname -r)" ]
	[ "$(echo "$output" | jq -r '.seccomp.actions_avail | join(" ")')" = "$(cat /proc/sys/kernel/seccomp/actions_avail)" ]
	[ "$(echo "$output" | jq -r '.seccomp.actions_logged | join(" ")')" = "$(cat /proc/sys/kernel/seccomp/actions_logged)" ]
	[ "$(echo "$output" | jq -r '.user_namespaces.max_user_namespaces')" = "$(cat /proc/sys/user/max_user_namespaces)" ]
	[ "$(echo "$output" | jq -r '.libseccomp.version')" = "$(pkg-config --modversion libseccomp)" ]
	[ "$(echo "$output" | jq -r '.native_arch')" = "$(uname -m)" ]
	[ "$(echo "$output" | jq -r '.process.name')" = "seclude" ]
}

@test "info --json decodes the bounding set of the process to names" {
	run "$SECLUDE" info --json
	[ "$status" -eq 0 ]
	bnd=$(grep '^CapBnd:' /proc/self/status | cut -f2)
	[ "$(echo "$output" | jq -r '.process.capabilities.bounding.mask')" = "$bnd" ]
	# every set bit has a name, and the names count the bits
	n=$(echo "$output" | jq -r '.process.capabilities.bounding.names | length')
	bits=$(python3 -c "print(bin(0x$bnd).count('1'))")
	[ "$n" -eq "$bits" ]
	if (( (0x$bnd >> 21) & 1 )); then
		echo "$output" | jq -e '.process.capabilities.bounding.names | index("CAP_SYS_ADMIN")' >/dev/null
	fi
}

@test "info --pid shows another process: a child with no_new_privs" {
	# setpriv sets no_new_privs; the sleep runs with it
	setpriv --no-new-privs sleep 30 &
	pid=$!
	sleep 0.2
	run "$SECLUDE" info --pid "$pid" --json
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq -r '.process.pid')" -eq "$pid" ]
	[ "$(echo "$output" | jq -r '.process.name')" = "sleep" ]
	[ "$(echo "$output" | jq -r '.process.no_new_privs')" = "true" ]
}

@test "info shows capability masks decoded in text" {
	setpriv --inh-caps=-all --bounding-set=-all,+chown,+kill sleep 30 &
	pid=$!
	sleep 0.2
	run "$SECLUDE" info --pid "$pid"
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	[ "$status" -eq 0 ]
	[[ "$output" == *"CapBnd:          0000000000000021 CAP_CHOWN,CAP_KILL"* ]]
}

@test "info --pid of a process that does not exist is one error, exit 125" {
	run "$SECLUDE" info --pid 2147483647
	assert_error "no process with pid 2147483647"
	[ "${#lines[@]}" -eq 1 ]
}

@test "info rejects a bad pid, an unknown option and a stray argument" {
	run "$SECLUDE" info --pid abc
	assert_error 'invalid pid "abc"'
	run "$SECLUDE" info --pid 0
	assert_error 'invalid pid "0"'
	run "$SECLUDE" info --frob
	assert_error 'unknown option "--frob"'
	run "$SECLUDE" info extra
	assert_error 'unexpected argument "extra"'
	run "$SECLUDE" info --pid
	assert_error "needs an argument"
}
