#!/usr/bin/env bats
# Every bad input of a profile, through every command that reads one: one
# line "seclude: error: FILE...: WHAT" on stderr, exit 125, nothing on
# standard output, and no program file left behind by compile -o.
load helpers
bats_require_minimum_version 1.5.0

BAD=$DATA/bad

setup() {
	export SECLUDE_CACHE_DIR="$BATS_TEST_TMPDIR/cache"
}

# refused_everywhere FILE WANT: each command that takes FILE as a profile
# refuses it with one line containing "seclude: error: WANT".
refused_everywhere() {
	local f=$1 want=$2 out=$BATS_TEST_TMPDIR/out.bpf
	local -a cmds=(
		"compile -o $out $f"
		"compile --disasm $f"
		"explain $f read"
		"diff $f default"
		"diff default $f"
		"check $f"
	)
	local c
	for c in "${cmds[@]}"; do
		rm -f "$out"
		# shellcheck disable=SC2086
		run --separate-stderr "$SECLUDE" $c
		[ "$status" -eq 125 ] || { echo "$c: status $status; $stderr"; return 1; }
		[ -z "$output" ] || { echo "$c: standard output: $output"; return 1; }
		[ "${#stderr_lines[@]}" -eq 1 ] || { echo "$c: not one line: $stderr"; return 1; }
		[[ "$stderr" == "seclude: error: $want"* ]] || { echo "$c: $stderr (wanted $want)"; return 1; }
		[ ! -e "$out" ] || { echo "$c: left $out behind"; return 1; }
	done
}

@test "malformed JSON" {
	refused_everywhere "$BAD/trailing-comma.json" "$BAD/trailing-comma.json:4:1: malformed JSON: string or '}' expected"
	refused_everywhere "$BAD/truncated.json" "$BAD/truncated.json:5:1: malformed JSON: "
}

@test "wrong types" {
	refused_everywhere "$BAD/not-object.json" "$BAD/not-object.json:1:1: a seccomp profile is a JSON object, not an array"
	refused_everywhere "$BAD/wrong-type.json" "$BAD/wrong-type.json:2:20: defaultAction: expected a string, got a number"
}

@test "both name and names; both architectures and archMap" {
	refused_everywhere "$BAD/name-and-names.json" "$BAD/name-and-names.json:4:6: syscalls[0].name: both 'name' and 'names' are specified"
	refused_everywhere "$BAD/arches-and-archmap.json" "$BAD/arches-and-archmap.json:4:3: archMap: both 'architectures' and 'archMap' are specified"
}

@test "index above 5, negative, oversized and fractional numbers" {
	refused_everywhere "$BAD/index-6.json" "$BAD/index-6.json:5:25: syscalls[0].args[0].index: index 6 is out of range"
	refused_everywhere "$BAD/negative-errno.json" "$BAD/negative-errno.json:4:65: syscalls[0].errnoRet: -1 is negative"
	refused_everywhere "$BAD/oversized-errno.json" "$BAD/oversized-errno.json:3:22: defaultErrnoRet: 4294967296 is out of range"
	refused_everywhere "$BAD/value-too-big.json" "$BAD/value-too-big.json:5:37: syscalls[0].args[0].value: 18446744073709551616 is out of range"
	refused_everywhere "$BAD/non-integer.json" "$BAD/non-integer.json:5:37: syscalls[0].args[0].value: 1.5 is not an integer"
	# an errno the JSON allows but libseccomp does not: no runtime could load it
	refused_everywhere "$PROFILES/moby-fixtures/moby-example.json" "$PROFILES/moby-fixtures/moby-example.json:30:25: syscalls[3].errnoRet: 12345 is out of range"
}

@test "unknown action, operator, architecture and flag; errnoRet beside an action without one" {
	refused_everywhere "$BAD/unknown-action.json" "$BAD/unknown-action.json:2:20: defaultAction: unknown action \"SCMP_ACT_DENY\""
	refused_everywhere "$BAD/unknown-op.json" "$BAD/unknown-op.json:5:46: syscalls[0].args[0].op: unknown operator \"SCMP_CMP_IN\""
	refused_everywhere "$BAD/unknown-arch.json" "$BAD/unknown-arch.json:3:41: architectures[1]: unknown architecture \"SCMP_ARCH_VAX\""
	refused_everywhere "$BAD/unknown-flag.json" "$BAD/unknown-flag.json:3:13: flags[0]: unknown flag \"SECCOMP_FILTER_FLAG_FAST\""
	refused_everywhere "$BAD/errno-with-allow.json" "$BAD/errno-with-allow.json:4:65: syscalls[0].errnoRet: an errno only goes with SCMP_ACT_ERRNO or SCMP_ACT_TRACE"
	refused_everywhere "$BAD/default-errno-with-allow.json" "$BAD/default-errno-with-allow.json:3:22: defaultErrnoRet: an errno only goes with"
}

@test "an empty file, a blank one, a huge one" {
	refused_everywhere "$BAD/empty.json" "$BAD/empty.json:1:1: empty file"
	refused_everywhere "$BAD/blank.json" "$BAD/blank.json:1:1: empty file"
	huge=$BATS_TEST_TMPDIR/huge.json
	head -c $((17 * 1024 * 1024)) /dev/zero | tr '\0' ' ' >"$huge"
	refused_everywhere "$huge" "$huge: larger than 16777216 bytes"
}

@test "a directory, a missing file, a path through a file, an unreadable file" {
	refused_everywhere "$BAD" "$BAD: is a directory"
	refused_everywhere "$BAD/nope.json" "$BAD/nope.json: cannot open: No such file or directory"
	refused_everywhere "$BAD/empty.json/x" "$BAD/empty.json/x: cannot open: Not a directory"
	# root reads files whatever their mode; this one nobody can read
	refused_everywhere /proc/self/mem "/proc/self/mem: cannot read: Input/output error"
}

@test "a file its reader may not open" {
	[ "$(id -u)" -eq 0 ] || skip "needs root to become another user"
	command -v setpriv >/dev/null || skip "setpriv is not installed"
	d=$(mktemp -d /tmp/seclude-bad.XXXXXX)
	chmod 755 "$d"
	printf '{"defaultAction":"SCMP_ACT_ALLOW"}' >"$d/secret.json"
	chmod 600 "$d/secret.json"
	for c in "compile --disasm" "check" "explain" "diff default"; do
		arg=$([ "$c" = explain ] && echo read || true)
		# shellcheck disable=SC2086
		run --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups \
			env SECLUDE_CACHE_DIR= "$SECLUDE" $c "$d/secret.json" $arg
		[ "$status" -eq 125 ] || { echo "$c: status $status; $stderr"; rm -rf "$d"; return 1; }
		[ -z "$output" ] && [ "${#stderr_lines[@]}" -eq 1 ] || { echo "$c: $output / $stderr"; rm -rf "$d"; return 1; }
		[[ "$stderr" == "seclude: error: $d/secret.json: cannot open: Permission denied" ]] ||
			{ echo "$c: $stderr"; rm -rf "$d"; return 1; }
	done
	rm -rf "$d"
}

@test "standard input that is not a profile: named <stdin>" {
	for c in "compile --disasm -" "check -" "explain - read" "diff default -"; do
		# shellcheck disable=SC2086
		run --separate-stderr bash -c "printf '{\"defaultAction\": 3}' | '$SECLUDE' $c"
		[ "$status" -eq 125 ] && [ -z "$output" ] || { echo "$c: $status $output"; return 1; }
		[[ "$stderr" == "seclude: error: <stdin>:1:19: defaultAction: expected a string, got a number" ]] ||
			{ echo "$c: $stderr"; return 1; }
	done
}

@test "an unknown field is a located warning everywhere, and the profile still works" {
	f=$BAD/typo-syscall.json
	want='seclude: warning: '"$f"':3:3: syscall: unknown field "syscall", ignored as Docker ignores it; did you mean "syscalls"?'
	for c in "compile --disasm $f" "explain $f read" "diff $f $PROFILES/labs/deny.json"; do
		# shellcheck disable=SC2086
		run --separate-stderr "$SECLUDE" $c
		[ "$status" -eq 0 ] || [ "$status" -eq 1 ] || { echo "$c: status $status"; return 1; }
		[ "$stderr" = "$want" ] || { echo "$c: $stderr"; return 1; }
	done
	run "$SECLUDE" check "$f"
	[ "$status" -eq 0 ]
	[[ "$output" == *"$f:3:3: warning: syscall: unknown field \"syscall\""* ]]
}

@test "unknown syscall names: a warning, or with --strict an error, in every command" {
	f=$BAD/unknown-syscall.json
	# (not against Docker's default: it names calls newer than this libseccomp)
	for c in "compile --disasm" "explain" "diff $PROFILES/labs/deny.json" "check"; do
		arg=$([ "$c" = explain ] && echo read || true)
		# shellcheck disable=SC2086
		run --separate-stderr "$SECLUDE" $c "$f" $arg
		[ "$status" -ne 125 ] || { echo "$c: $stderr"; return 1; }
		[[ "$stderr$output" == *"$f:4:72: "*"skipped 1 name"*"no_such_syscall"* ]] || { echo "$c: $stderr"; return 1; }
		# shellcheck disable=SC2086
		run --separate-stderr "$SECLUDE" $c --strict "$f" $arg
		[ "$status" -eq 125 ] && [ -z "$output" ] || { echo "$c --strict: $status $output"; return 1; }
		[ "$stderr" = "seclude: error: $f:4:72: syscalls[0].names[5]: unknown syscall \"no_such_syscall\" (libseccomp $(pkg-config --modversion libseccomp) does not know it)" ] ||
			{ echo "$c --strict: $stderr"; return 1; }
	done
}

@test "a FIFO or a device where a file is read: refused at once, never waited on" {
	f=$BATS_TEST_TMPDIR/fifo
	mkfifo "$f"
	printf '{"defaultAction":"SCMP_ACT_ALLOW"}' >"$BATS_TEST_TMPDIR/p.json"
	# each command alone, bounded: a reader that blocks on the FIFO is killed (status 124)
	local -a cmds=(
		"compile --disasm $f"
		"check $f"
		"explain $f read"
		"diff default $f"
		"diff $f default"
		"run --security-opt seccomp=$f -- true"
		"run --env-file $f -- true"
		"run --complain --update $f -- true"
		"learn --from-strace $f"
		"learn --from-strace $BATS_TEST_TMPDIR/p.json --merge $f"
		"check /dev/zero"
		"run --security-opt seccomp=/dev/zero -- true"
	)
	local c want
	for c in "${cmds[@]}"; do
		# shellcheck disable=SC2086
		run --separate-stderr timeout 20 "$SECLUDE" $c
		want=$f
		[[ "$c" == *"/dev/zero"* ]] && want=/dev/zero
		[ "$status" -eq 125 ] || { echo "$c: status $status; $stderr"; return 1; }
		[ "${#stderr_lines[@]}" -eq 1 ] || { echo "$c: not one line: $stderr"; return 1; }
		[ "$stderr" = "seclude: error: $want: not a regular file" ] || { echo "$c: $stderr"; return 1; }
	done
	# the FIFO was neither read nor replaced
	[ -p "$f" ]
}
