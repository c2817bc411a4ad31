#!/usr/bin/env bats
# The commands on named sandboxes, without a sandbox or with bad input.
load helpers

setup() {
	export SECLUDE_STATE_DIR=$(mktemp -d /tmp/seclude-bats-state.XXXXXX)
}

teardown() {
	rm -rf "$SECLUDE_STATE_DIR"
}

@test "every sandbox command has --help on stdout, exit 0" {
	for c in ps inspect stop kill rm logs exec stats update; do
		run "$SECLUDE" "$c" --help
		[ "$status" -eq 0 ] || { echo "$c: $status"; return 1; }
		[[ "$output" == "Usage: seclude $c"* ]] || { echo "$c: $output"; return 1; }
	done
}

@test "ps with no sandbox prints only the header" {
	run "$SECLUDE" ps -a
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%-14s %-24s %-16s %-28s %s' 'SANDBOX ID' COMMAND CREATED STATUS NAMES)" ]
	run "$SECLUDE" ps -q
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "an unknown sandbox is one clear error for every command" {
	for c in inspect stop kill rm logs stats; do
		run "$SECLUDE" "$c" nosuch
		assert_error "no such sandbox: nosuch" || { echo "$c"; return 1; }
	done
	run "$SECLUDE" exec nosuch true
	assert_error "no such sandbox: nosuch"
	run "$SECLUDE" update --cpu-shares 512 nosuch
	assert_error "no such sandbox: nosuch"
}

@test "bad options are refused before anything is looked up" {
	run "$SECLUDE" kill -s NOPE x
	assert_error 'invalid signal "NOPE"'
	run "$SECLUDE" stop -t soon x
	assert_error 'invalid timeout "soon"'
	run "$SECLUDE" update x
	assert_error "no limit to change"
	run "$SECLUDE" update --memory lots x
	assert_error "--memory: invalid size: 'lots'"
	run "$SECLUDE" update --cpus 1 --cpu-period 50000 x
	assert_error "conflicting options"
	run "$SECLUDE" update --blkio-weight 5 x
	assert_error "range of blkio weight is from 10 to 1000"
	run "$SECLUDE" exec x
	assert_error "requires a sandbox and a command"
	run "$SECLUDE" logs
	assert_error "requires exactly one sandbox"
}
