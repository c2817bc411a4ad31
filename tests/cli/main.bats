#!/usr/bin/env bats
load helpers
bats_require_minimum_version 1.5.0

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

@test "--version gives the libseccomp this binary runs on" {
	want=$(pkg-config --modversion libseccomp)
	run "$SECLUDE" --version
	[[ "$output" == *"(libseccomp $want,"* ]]
}

@test "--help lists every command, and each one's own --help is on stdout with exit 0" {
	run "$SECLUDE" --help
	cmds=$(sed -n '/^Commands:/,/^$/p' <<<"$output" | awk 'NF > 1 {print $1}')
	[ "$(wc -w <<<"$cmds")" -ge 16 ]
	for c in $cmds; do
		run --separate-stderr "$SECLUDE" "$c" --help
		[ "$status" -eq 0 ] || { echo "$c --help: status $status"; return 1; }
		[[ "$output" == *"Usage: seclude $c"* ]] || { echo "$c --help: $output"; return 1; }
		[ -z "$stderr" ] || { echo "$c --help wrote on stderr: $stderr"; return 1; }
	done
}

@test "the manual page describes every command and every option the profile commands' --help gives" {
	man=$(man -l "$SRC/docs/seclude.1" 2>/dev/null | col -b)
	[[ "$man" == *"SECLUDE(1)"* ]]
	run "$SECLUDE" --help
	for c in $(sed -n '/^Commands:/,/^$/p' <<<"$output" | awk 'NF > 1 {print $1}'); do
		grep -q "seclude $c" <<<"$man" || { echo "no section for $c"; return 1; }
	done
	for c in compile explain diff check info; do
		for o in $("$SECLUDE" "$c" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
			grep -q -- "$o" <<<"$man" || { echo "$c $o is not in the manual"; return 1; }
		done
	done
}

@test "meson install puts the program and the manual page in place" {
	[ -n "${SECLUDE_BUILD:-}" ] && [ -f "$SECLUDE_BUILD/build.ninja" ] || skip "no build directory given"
	dest=$BATS_TEST_TMPDIR/root
	run meson install -C "$SECLUDE_BUILD" --no-rebuild --destdir "$dest"
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	prefix=$(meson introspect "$SECLUDE_BUILD" --buildoptions | jq -r '.[] | select(.name == "prefix") | .value')
	[ -x "$dest$prefix/bin/seclude" ]
	run "$dest$prefix/bin/seclude" --version
	[ "$status" -eq 0 ]
	mandir=$(meson introspect "$SECLUDE_BUILD" --buildoptions | jq -r '.[] | select(.name == "mandir") | .value')
	cmp "$dest$prefix/$mandir/man1/seclude.1" "$SRC/docs/seclude.1"
}

@test "scripts/install-deps does nothing when everything is installed" {
	fake=$BATS_TEST_TMPDIR/bin
	mkdir -p "$fake"
	printf '#!/bin/sh\necho "$0 $*" >>"%s/called"\nexit 1\n' "$BATS_TEST_TMPDIR" >"$fake/apt-get"
	chmod +x "$fake/apt-get"
	run env PATH="$fake:$PATH" "$SRC/scripts/install-deps"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ ! -e "$BATS_TEST_TMPDIR/called" ]
}
