#!/usr/bin/env bats
load helpers
bats_require_minimum_version 1.5.0

BAD=$DATA/bad

# check_error FILE WANT: exit 125, one line on stderr, "FILE:...WANT".
check_error() {
	run "$SECLUDE" check "$1"
	assert_error "$1:$2"
	[ "${#lines[@]}" -eq 1 ] || { echo "more than one line: $output"; return 1; }
}

@test "check --help explains the options on stdout and exits 0" {
	run "$SECLUDE" check --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"Usage: seclude check"* ]]
	[[ "$output" == *"--strict"* ]]
	[[ "$output" == *"--cap-add"* ]]
}

@test "check default: valid, the one truncation hole in socket flagged" {
	run "$SECLUDE" check default
	[ "$status" -eq 0 ]
	[[ "$output" == *"default:"*": warning: syscalls[4].args[0]: arg0 of socket is a 32-bit int"*"[arg-truncation]"* ]]
	[[ "$output" == *"unknown-syscall"* ]]
	[[ "${lines[-1]}" == "default: valid; 2 warnings, 7 notes" ]]
}

@test "check accepts every profile of the test data that a runtime can load" {
	for f in "$PROFILES"/labs/*.json "$PROFILES"/moby-fixtures/*.json; do
		[ "$f" != "$PROFILES/moby-fixtures/moby-example.json" ] || continue
		run "$SECLUDE" check "$f"
		[ "$status" -eq 0 ] || { echo "$f: $output"; return 1; }
		[[ "${lines[-1]}" == "$f: valid;"* ]]
	done
}

@test "check: what libseccomp refuses is invalid, at its place (moby's example asks errno 12345)" {
	check_error "$PROFILES/moby-fixtures/moby-example.json" "30:25: syscalls[3].errnoRet: 12345 is out of range: libseccomp takes an errno up to 4094"
	# where the rule does not apply the profile loads: a warning only
	printf '{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_64","SCMP_ARCH_X86","SCMP_ARCH_X32"],"syscalls":[\n{"names":["syslog"],"action":"SCMP_ACT_ERRNO","errnoRet":5000,"includes":{"arches":["arm64"]}}]}' >"$BATS_TEST_TMPDIR/e.json"
	run "$SECLUDE" check "$BATS_TEST_TMPDIR/e.json"
	[ "$status" -eq 0 ]
	[[ "$output" == *"e.json:2:58: warning: syscalls[0]: errnoRet 5000 is above 4094: libseccomp refuses it"*"[errno-range]"* ]]
	run "$SECLUDE" check --arch aarch64 "$BATS_TEST_TMPDIR/e.json"
	assert_error "e.json:2:58: syscalls[0].errnoRet: 5000 is out of range"
}

@test "check: a deny-list without the 32-bit ABIs is flagged" {
	run "$SECLUDE" check "$PROFILES/labs/deny.json"
	[ "$status" -eq 0 ]
	run "$SECLUDE" check "$PROFILES/labs/allow.json"
	[ "$status" -eq 0 ]
	# allow.json has no rules: nothing to bypass
	[[ "$output" != *"compat-arch-missing"* ]]
	printf '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["chown"],"action":"SCMP_ACT_ERRNO"}]}' > "$BATS_TEST_TMPDIR/d.json"
	run "$SECLUDE" check "$BATS_TEST_TMPDIR/d.json"
	[ "$status" -eq 0 ]
	[[ "$output" == *"leaves out SCMP_ARCH_X86 and SCMP_ARCH_X32"*"[compat-arch-missing]"* ]]
}

@test "check --json prints findings for scripts" {
	run "$SECLUDE" check --json default
	[ "$status" -eq 0 ]
	python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["valid"] is True
codes = [f["code"] for f in d["findings"]]
assert "arg-truncation" in codes, codes
f = [f for f in d["findings"] if f["code"] == "arg-truncation"][0]
assert f["level"] == "warning" and f["path"].startswith("syscalls[") and f["line"] > 1 and f["column"] > 0, f
assert f["file"] == "default" and f["path"] == "syscalls[4].args[0]", f
assert d["warnings"] == sum(1 for f in d["findings"] if f["level"] == "warning")
' "$output"
}

@test "check --json on an invalid profile: valid false, exit 125" {
	run --separate-stderr "$SECLUDE" check --json "$BAD/index-6.json"
	[ "$status" -eq 125 ]
	python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["valid"] is False and "index 6 is out of range" in d["error"], d
' "$output"
	[[ "$stderr" == "seclude: error: "*"index-6.json:5:25: "* ]]
}

@test "check: capability options change includes/excludes" {
	run "$SECLUDE" check --cap-add SYS_ADMIN "$PROFILES/moby-fixtures/moby-conditional_include.json"
	[ "$status" -eq 0 ]
	run "$SECLUDE" check --cap-add NOT_A_CAP default
	[ "$status" -eq 125 ]
}

@test "check --arch and --kernel check for another target" {
	run "$SECLUDE" check --arch aarch64 --kernel 4.4 default
	[ "$status" -eq 0 ]
	run "$SECLUDE" check --arch vax default
	assert_error 'unknown architecture "vax"'
	run "$SECLUDE" check --kernel 5 default
	assert_error '--kernel wants MAJOR.MINOR'
}

@test "check --strict: an unknown syscall name is an error at its location" {
	run "$SECLUDE" check "$BAD/unknown-syscall.json"
	[ "$status" -eq 0 ]
	[[ "$output" == *"unknown-syscall.json:4:72: warning: syscalls[0].names: skipped 1 name"*"no_such_syscall"* ]]
	run "$SECLUDE" check --strict "$BAD/unknown-syscall.json"
	assert_error 'unknown-syscall.json:4:72: syscalls[0].names[5]: unknown syscall "no_such_syscall"'
}

@test "check: an unknown field is a located warning, not an error" {
	run "$SECLUDE" check "$BAD/typo-syscall.json"
	[ "$status" -eq 0 ]
	[[ "$output" == *'typo-syscall.json:3:3: warning: syscall: unknown field "syscall", ignored as Docker ignores it; did you mean "syscalls"?'* ]]
}

@test "check: usage errors" {
	run "$SECLUDE" check
	assert_error "no profile given"
	run "$SECLUDE" check a b
	assert_error "one profile at a time"
	run "$SECLUDE" check --frob default
	assert_error 'unknown option "--frob"'
}

@test "bad: malformed JSON" {
	check_error "$BAD/trailing-comma.json" "4:1: malformed JSON: string or '}' expected"
	check_error "$BAD/truncated.json" "5:1: malformed JSON: "
}

@test "bad: empty and blank files" {
	check_error "$BAD/empty.json" "1:1: empty file"
	check_error "$BAD/blank.json" "1:1: empty file"
}

@test "bad: wrong types" {
	check_error "$BAD/not-object.json" "1:1: a seccomp profile is a JSON object, not an array"
	check_error "$BAD/wrong-type.json" "2:20: defaultAction: expected a string, got a number"
}

@test "bad: both name and names, both architectures and archMap (moby's words)" {
	check_error "$BAD/name-and-names.json" "4:6: syscalls[0].name: both 'name' and 'names' are specified in the seccomp profile, use either 'name' or 'names'"
	check_error "$BAD/arches-and-archmap.json" "4:3: archMap: both 'architectures' and 'archMap' are specified in the seccomp profile, use either 'architectures' or 'archMap'"
}

@test "bad: numbers out of range" {
	check_error "$BAD/index-6.json" "5:25: syscalls[0].args[0].index: index 6 is out of range"
	check_error "$BAD/negative-errno.json" "4:65: syscalls[0].errnoRet: -1 is negative"
	check_error "$BAD/oversized-errno.json" "3:22: defaultErrnoRet: 4294967296 is out of range"
	check_error "$BAD/value-too-big.json" "5:37: syscalls[0].args[0].value: 18446744073709551616 is out of range"
	check_error "$BAD/non-integer.json" "5:37: syscalls[0].args[0].value: 1.5 is not an integer"
}

@test "bad: unknown action, operator, architecture, flag" {
	check_error "$BAD/unknown-action.json" '2:20: defaultAction: unknown action "SCMP_ACT_DENY"'
	check_error "$BAD/unknown-op.json" '5:46: syscalls[0].args[0].op: unknown operator "SCMP_CMP_IN"'
	check_error "$BAD/unknown-arch.json" '3:41: architectures[1]: unknown architecture "SCMP_ARCH_VAX"'
	check_error "$BAD/unknown-flag.json" '3:13: flags[0]: unknown flag "SECCOMP_FILTER_FLAG_FAST"'
}

@test "bad: errno with an action that has none, metadata without listener, minKernel" {
	check_error "$BAD/errno-with-allow.json" "4:65: syscalls[0].errnoRet: an errno only goes with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not SCMP_ACT_ALLOW"
	check_error "$BAD/default-errno-with-allow.json" "3:22: defaultErrnoRet: an errno only goes with"
	check_error "$BAD/metadata-without-listener.json" "3:23: listenerMetadata: listenerMetadata needs a listenerPath"
	check_error "$BAD/bad-min-kernel.json" '4:81: syscalls[0].includes.minKernel: invalid kernel version: "4.15abc", expected "<kernel>.<major>"'
}

@test "bad: a directory, a missing file, a path through a file" {
	run "$SECLUDE" check "$BAD"
	assert_error "$BAD: is a directory"
	run "$SECLUDE" check "$BAD/nope.json"
	assert_error "$BAD/nope.json: cannot open: No such file or directory"
	run "$SECLUDE" check "$BAD/empty.json/x"
	assert_error "cannot open: Not a directory"
}

@test "bad: a huge file is refused before it is parsed" {
	f=$BATS_TEST_TMPDIR/huge.json
	head -c $((17 * 1024 * 1024)) /dev/zero | tr '\0' ' ' > "$f"
	run "$SECLUDE" check "$f"
	assert_error "$f: larger than 16777216 bytes"
	[ "${#lines[@]}" -eq 1 ]
}

@test "check reads standard input as '-'" {
	run bash -c "'$SECLUDE' check - < '$PROFILES/labs/deny.json'"
	[ "$status" -eq 0 ]
	[[ "${lines[-1]}" == "<stdin>: valid;"* ]]
	run bash -c "echo '{' | '$SECLUDE' check -"
	assert_error "<stdin>:2:1: malformed JSON"
}
