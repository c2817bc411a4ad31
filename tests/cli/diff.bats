#!/usr/bin/env bats
load helpers
bats_require_minimum_version 1.5.0

LABS=$PROFILES/labs

@test "diff --help explains the options and exits 0" {
	run "$SECLUDE" diff --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"Usage: seclude diff"* ]]
	[[ "$output" == *"--arch ARCH"* ]]
	[[ "$output" == *"--cap-add"* ]]
	[[ "$output" == *"--json"* ]]
}

@test "diff: labs default against default-no-chmod is exactly the chmod family on each arch, exit 1" {
	run "$SECLUDE" diff "$LABS/default.json" "$LABS/default-no-chmod.json"
	[ "$status" -eq 1 ]
	expected="x32 chmod: A ALLOW, B ERRNO 1 (EPERM)
x32 fchmod: A ALLOW, B ERRNO 1 (EPERM)
x32 fchmodat: A ALLOW, B ERRNO 1 (EPERM)
x86 chmod: A ALLOW, B ERRNO 1 (EPERM)
x86 fchmod: A ALLOW, B ERRNO 1 (EPERM)
x86 fchmodat: A ALLOW, B ERRNO 1 (EPERM)
x86_64 chmod: A ALLOW, B ERRNO 1 (EPERM)
x86_64 fchmod: A ALLOW, B ERRNO 1 (EPERM)
x86_64 fchmodat: A ALLOW, B ERRNO 1 (EPERM)"
	[ "$output" = "$expected" ]
}

@test "diff: a profile against itself prints nothing and exits 0" {
	run "$SECLUDE" diff "$LABS/default.json" "$LABS/default.json"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	run --separate-stderr "$SECLUDE" diff default default
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "diff: a file's warnings are said once even when given twice; the built-in profile's unknown names not at all" {
	run --separate-stderr "$SECLUDE" diff "$SRC/lib/profile/default.json" "$SRC/lib/profile/default.json"
	[ "$status" -eq 0 ]
	n=$(grep -c "does not know" <<<"$stderr")
	[ "$n" -eq 1 ]
	cp "$SRC/lib/profile/default.json" "$BATS_TEST_TMPDIR/copy.json"
	run --separate-stderr "$SECLUDE" diff "$SRC/lib/profile/default.json" "$BATS_TEST_TMPDIR/copy.json"
	[ "$status" -eq 0 ]
	[ "$(grep -c "does not know" <<<"$stderr")" -eq 2 ]
	run --separate-stderr "$SECLUDE" diff default default
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
}

@test "diff --strict: a name libseccomp does not know is an error, on either side" {
	printf '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read","no_such_call"],"action":"SCMP_ACT_ALLOW"}]}' >"$BATS_TEST_TMPDIR/u.json"
	run --separate-stderr "$SECLUDE" diff "$LABS/deny.json" "$BATS_TEST_TMPDIR/u.json"
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"warning: "*"u.json:1:"*"no_such_call"* ]]
	run "$SECLUDE" diff --strict "$LABS/deny.json" "$BATS_TEST_TMPDIR/u.json"
	assert_error 'u.json:1:'
	[[ "$output" == *'unknown syscall "no_such_call"'* ]]
	[ "${#lines[@]}" -eq 1 ]
	run "$SECLUDE" diff --strict "$BATS_TEST_TMPDIR/u.json" "$LABS/deny.json"
	assert_error 'unknown syscall "no_such_call"'
	run "$SECLUDE" diff --strict "$LABS/default.json" "$LABS/default-no-chmod.json"
	[ "$status" -eq 1 ]
}

@test "diff --arch limits the comparison" {
	run "$SECLUDE" diff --arch x86 "$LABS/default.json" "$LABS/default-no-chmod.json"
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 3 ]
	[[ "${lines[0]}" == "x86 chmod: "* ]]
	run "$SECLUDE" diff --arch i386,x32 "$LABS/default.json" "$LABS/default-no-chmod.json"
	[ "${#lines[@]}" -eq 6 ]
}

@test "diff shows argument conditions: Docker's socket families and clone flags" {
	run --separate-stderr "$SECLUDE" diff --arch x86_64 default "$LABS/allow.json"
	[ "$status" -eq 1 ]
	[[ "$output" == *"x86_64 socket when arg0 == 38 (AF_ALG) or arg0 == 40 (AF_VSOCK): A ERRNO 1 (EPERM), B ALLOW"* ]]
	[[ "$output" == *"x86_64 clone when arg0 & 0x7e020000 != 0: A ERRNO 1 (EPERM), B ALLOW"* ]]
	[[ "$output" == *"x86_64 clone3: A ERRNO 38 (ENOSYS), B ALLOW"* ]]
	# the numbers beyond every named syscall are one run, answered by the ENOSYS stub
	[[ "$output" == *"x86_64 ["*"..1023]: A ERRNO 38 (ENOSYS), B ALLOW"* ]]
}

@test "diff takes the capability options: CAP_SYS_ADMIN changes what Docker's default allows" {
	# both sides are resolved for the same capabilities
	run --separate-stderr "$SECLUDE" diff --arch x86_64 default default --cap-add SYS_ADMIN
	[ "$status" -eq 0 ]
	tmp=$(mktemp)
	"$SECLUDE" diff --arch x86_64 default "$LABS/deny.json" 2>/dev/null > "$tmp.a" || true
	"$SECLUDE" diff --arch x86_64 --cap-add SYS_ADMIN default "$LABS/deny.json" 2>/dev/null > "$tmp.b" || true
	! grep -q "^x86_64 mount:" "$tmp.a"
	grep -q "^x86_64 mount: A ALLOW, B ERRNO 1 (EPERM)" "$tmp.b"
	grep -q "^x86_64 clone when arg0 & 0x7e020000 == 0" "$tmp.a"
	grep -q "^x86_64 clone: A ALLOW, B ERRNO 1 (EPERM)" "$tmp.b"
	rm -f "$tmp" "$tmp.a" "$tmp.b"
}

@test "diff --json lists each difference with both verdicts" {
	run "$SECLUDE" diff --json "$LABS/default.json" "$LABS/default-no-chmod.json"
	[ "$status" -eq 1 ]
	[ "$(jq -r '.count' <<<"$output")" -eq 9 ]
	[ "$(jq -r '.arches | join(",")' <<<"$output")" = "x32,x86,x86_64" ]
	[ "$(jq -r '[.differences[].syscall] | unique | join(",")' <<<"$output")" = "chmod,fchmod,fchmodat" ]
	[ "$(jq -r '.differences[0].a.verdict' <<<"$output")" = "ALLOW" ]
	[ "$(jq -r '.differences[0].b.verdict' <<<"$output")" = "ERRNO 1 (EPERM)" ]
	[ "$(jq -r '.differences[0].condition' <<<"$output")" = "null" ]
	x64=$(jq -r '.differences[] | select(.arch == "x86_64" and .syscall == "chmod") | .nr' <<<"$output")
	[ "$x64" -eq 90 ]
	run --separate-stderr "$SECLUDE" diff --json default default
	[ "$status" -eq 0 ]
	[ "$(jq -r '.count' <<<"$output")" -eq 0 ]
}

@test "diff errors: missing profile, bad profile, bad options -> 125, one line" {
	run "$SECLUDE" diff "$LABS/default.json"
	assert_error "two profiles are needed"
	run "$SECLUDE" diff a b c
	assert_error 'unexpected argument "c"'
	run "$SECLUDE" diff "$LABS/default.json" /nonexistent.json
	assert_error "/nonexistent.json"
	[ "${#lines[@]}" -eq 1 ]
	tmp=$(mktemp)
	echo '{"defaultAction": "SCMP_ACT_NOPE"}' > "$tmp"
	run "$SECLUDE" diff "$tmp" "$LABS/default.json"
	assert_error "$tmp:1:"
	rm -f "$tmp"
	run "$SECLUDE" diff --arch vax "$LABS/default.json" "$LABS/deny.json"
	assert_error 'unknown architecture "vax"'
	run "$SECLUDE" diff --cap-add CAP_NOPE "$LABS/default.json" "$LABS/deny.json"
	assert_error 'unknown capability'
	run "$SECLUDE" diff --frob a b
	assert_error 'unknown option "--frob"'
	run "$SECLUDE" diff --kernel 5 "$LABS/default.json" "$LABS/deny.json"
	assert_error '--kernel wants MAJOR.MINOR, not "5"'
	run "$SECLUDE" diff --arch
	assert_error 'option "--arch" needs a value'
}

@test "diff --kernel settles minKernel for both sides" {
	# Docker's ptrace rule wants 4.8: below it, ptrace falls to the default action
	printf '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["ptrace"],"action":"SCMP_ACT_ALLOW"}]}' >"$BATS_TEST_TMPDIR/p.json"
	run "$SECLUDE" diff --arch x86_64 --kernel 4.7 default "$BATS_TEST_TMPDIR/p.json"
	[[ "$output" == *"x86_64 ptrace: A ERRNO 1 (EPERM), B ALLOW"* ]]
	run "$SECLUDE" diff --arch x86_64 --kernel 4.8 default "$BATS_TEST_TMPDIR/p.json"
	[[ "$output" != *"x86_64 ptrace:"* ]]
}
