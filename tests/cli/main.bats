#!/usr/bin/env bats
load helpers

@test "--version names seclude and the libseccomp it runs on" {
	run "$SECLUDE" --version
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^seclude\ [0-9]+\.[0-9]+\.[0-9]+\ \(libseccomp\ [0-9]+\.[0-9]+\.[0-9]+ ]]
}

@test "--help lists the commands and exits 0" {
	run "$SECLUDE" --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"Usage: seclude COMMAND"* ]]
}

@test "no arguments prints usage and exits 125" {
	run "$SECLUDE"
	[ "$status" -eq 125 ]
	[[ "$output" == *"Usage: seclude"* ]]
}

@test "an unknown command is one clear error, exit 125" {
	run "$SECLUDE" frobnicate
	assert_error 'unknown command "frobnicate"'
	[ "${#lines[@]}" -eq 1 ]
}

@test "an unknown global option is one clear error, exit 125" {
	run "$SECLUDE" --frob
	assert_error 'unknown option "--frob"'
}
