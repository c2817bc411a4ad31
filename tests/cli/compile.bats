#!/usr/bin/env bats
load helpers
bats_require_minimum_version 1.5.0

setup() {
	TMP=$(mktemp -d)
	export SECLUDE_CACHE_DIR="$TMP/cache"
}

teardown() {
	rm -rf "$TMP"
}

@test "compile --help explains the options and exits 0" {
	run "$SECLUDE" compile --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"Usage: seclude compile"* ]]
	[[ "$output" == *"--disasm"* ]]
	[[ "$output" == *"--cap-add"* ]]
}

@test "compile writes whole instructions to -o FILE, the same as to a pipe" {
	run "$SECLUDE" compile default -o "$TMP/d.bpf"
	[ "$status" -eq 0 ]
	size=$(stat -c %s "$TMP/d.bpf")
	[ "$size" -gt 0 ]
	[ $((size % 8)) -eq 0 ]
	"$SECLUDE" compile default | cmp - "$TMP/d.bpf"
	"$SECLUDE" compile default -o - | cmp - "$TMP/d.bpf"
}

@test "--disasm lists every instruction, and the count matches the program" {
	"$SECLUDE" compile default -o "$TMP/d.bpf"
	run "$SECLUDE" compile default --disasm
	[ "$status" -eq 0 ]
	n=$(( $(stat -c %s "$TMP/d.bpf") / 8 ))
	[[ "${lines[0]}" == "# default: $n instructions"* ]]
	[ "$(grep -c '^ *[0-9]*: ' <<<"$output")" -eq "$n" ]
	[[ "$output" == *"; arch"* ]]
	[[ "$output" == *"; ERRNO 38 (ENOSYS)"* ]]
	[[ "$output" == *"; ALLOW"* ]]
}

@test "the compiled default profile confines a command under bubblewrap" {
	command -v bwrap >/dev/null || skip "bubblewrap is not installed"
	"$SECLUDE" compile default -o "$TMP/d.bpf"
	run bwrap --ro-bind / / --proc /proc --dev /dev --seccomp 3 -- \
		sh -c 'grep -q "^Seccomp:.*2" /proc/self/status && echo filtered; unshare -U true; echo "unshare=$?"' 3<"$TMP/d.bpf"
	[ "$status" -eq 0 ]
	[[ "$output" == *"filtered"* ]]
	[[ "$output" == *"Operation not permitted"* ]]
	[[ "$output" == *"unshare=1"* ]]
	# with CAP_SYS_ADMIN in the set, unshare is allowed by the filter
	"$SECLUDE" compile default --cap-add SYS_ADMIN -o "$TMP/admin.bpf"
	run bwrap --ro-bind / / --proc /proc --dev /dev --seccomp 3 -- unshare -U true 3<"$TMP/admin.bpf"
	[ "$status" -eq 0 ]
}

@test "the second compile comes from the cache, and --no-cache neither reads nor writes it" {
	run "$SECLUDE" compile default --disasm
	[[ "${lines[0]}" != *"from the cache"* ]]
	[ "$(ls "$SECLUDE_CACHE_DIR" | wc -l)" -eq 1 ]
	run "$SECLUDE" compile default --disasm
	[[ "${lines[0]}" == *"(from the cache)"* ]]
	rm -rf "$SECLUDE_CACHE_DIR"
	run "$SECLUDE" compile default --disasm --no-cache
	[ "$status" -eq 0 ]
	[ ! -e "$SECLUDE_CACHE_DIR" ]
}

@test "a damaged cache entry is ignored and rewritten" {
	"$SECLUDE" compile default -o "$TMP/good.bpf"
	entry=$(ls "$SECLUDE_CACHE_DIR"/*.bpf)
	cp "$entry" "$TMP/entry"
	printf 'garbage' >"$entry"
	run "$SECLUDE" compile default -o "$TMP/again.bpf"
	[ "$status" -eq 0 ]
	cmp "$TMP/good.bpf" "$TMP/again.bpf"
	cmp "$TMP/entry" "$entry"
}

@test "a cache entry altered into another valid program is not loaded: recompiled, and the entry replaced" {
	"$SECLUDE" compile default -o "$TMP/good.bpf"
	entry=$(ls "$SECLUDE_CACHE_DIR"/*.bpf)
	cp "$entry" "$TMP/entry"
	# every RET ERRNO(EPERM) becomes RET ALLOW: still a program the kernel takes
	perl -0777 -pi -e 's/\x06\x00\x00\x00\x01\x00\x05\x00/\x06\x00\x00\x00\x00\x00\xff\x7f/g' "$entry"
	! cmp -s "$TMP/entry" "$entry"
	run "$SECLUDE" compile default -o "$TMP/again.bpf"
	[ "$status" -eq 0 ]
	cmp "$TMP/good.bpf" "$TMP/again.bpf"
	cmp "$TMP/entry" "$entry"
	# what run loads: chmod stays refused as the profile says
	rm -rf "$SECLUDE_CACHE_DIR"
	local p=$PROFILES/labs/default-no-chmod.json
	run "$SECLUDE" run --security-opt seccomp="$p" -- chmod 700 /tmp
	[ "$status" -eq 1 ]
	entry=$(ls "$SECLUDE_CACHE_DIR"/*.bpf)
	cp "$entry" "$TMP/entry"
	perl -0777 -pi -e 's/\x06\x00\x00\x00\x01\x00\x05\x00/\x06\x00\x00\x00\x00\x00\xff\x7f/g' "$entry"
	! cmp -s "$TMP/entry" "$entry"
	run "$SECLUDE" run --security-opt seccomp="$p" -- chmod 700 /tmp
	[ "$status" -eq 1 ]
	[[ "$output" == *"Operation not permitted"* ]]
	cmp "$TMP/entry" "$entry"
}

@test "capabilities, architecture and the prologue change the program" {
	"$SECLUDE" compile default -o "$TMP/base.bpf"
	"$SECLUDE" compile default --cap-add SYS_ADMIN -o "$TMP/admin.bpf"
	"$SECLUDE" compile default --arch aarch64 -o "$TMP/arm.bpf"
	"$SECLUDE" compile default --no-enosys -o "$TMP/nostub.bpf"
	! cmp -s "$TMP/base.bpf" "$TMP/admin.bpf"
	! cmp -s "$TMP/base.bpf" "$TMP/arm.bpf"
	[ "$(stat -c %s "$TMP/nostub.bpf")" -lt "$(stat -c %s "$TMP/base.bpf")" ]
}

@test "the labs profiles with and without chmod compile to different programs" {
	"$SECLUDE" compile "$PROFILES/labs/default.json" -o "$TMP/a.bpf"
	"$SECLUDE" compile "$PROFILES/labs/default-no-chmod.json" -o "$TMP/b.bpf"
	! cmp -s "$TMP/a.bpf" "$TMP/b.bpf"
}

@test "a profile from standard input" {
	run sh -c "echo '{\"defaultAction\":\"SCMP_ACT_ALLOW\"}' | '$SECLUDE' compile - --disasm"
	[ "$status" -eq 0 ]
	[[ "$output" == *"# <stdin>:"* ]]
}

@test "compile refuses to write binary to a terminal" {
	command -v script >/dev/null || skip "script(1) is not installed"
	run script -qec "'$SECLUDE' compile default" /dev/null
	[[ "$output" == *"standard output is a terminal"* ]]
}

@test "compile: a missing file, a directory, malformed JSON, bad options: one line, exit 125" {
	run "$SECLUDE" compile "$TMP/nope.json"
	assert_error "nope.json: cannot open"
	[ "${#lines[@]}" -eq 1 ]
	run "$SECLUDE" compile "$TMP"
	assert_error "is a directory"
	printf '{"defaultAction": "SCMP_ACT_ERRNO",\n "syscalls": [ }' >"$TMP/bad.json"
	run "$SECLUDE" compile "$TMP/bad.json" -o "$TMP/out.bpf"
	assert_error "bad.json:2:"
	[ ! -s "$TMP/out.bpf" ]
	run "$SECLUDE" compile default --arch vax
	assert_error 'unknown architecture "vax"'
	run "$SECLUDE" compile default --frob
	assert_error 'unknown option "--frob"'
	run "$SECLUDE" compile
	assert_error "no profile given"
	run "$SECLUDE" compile default --cap-add NOPE
	[ "$status" -eq 125 ]
}

@test "compile: an errno libseccomp cannot encode is an error naming the rule" {
	run "$SECLUDE" compile "$PROFILES/moby-fixtures/moby-example.json" -o "$TMP/x.bpf"
	assert_error "moby-example.json:30:25: syscalls[3].errnoRet: 12345 is out of range"
	[ "${#lines[@]}" -eq 1 ]
	[ ! -e "$TMP/x.bpf" ]
}

@test "compile --strict: a name libseccomp does not know is an error, also after a lenient compile cached the profile" {
	printf '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[\n{"names":["read","no_such_call"],"action":"SCMP_ACT_ALLOW"}]}' >"$TMP/u.json"
	run --separate-stderr "$SECLUDE" compile "$TMP/u.json" -o "$TMP/u.bpf"
	[ "$status" -eq 0 ]
	[[ "$stderr" == "seclude: warning: $TMP/u.json:2:18: syscalls[0].names: skipped 1 name"*"no_such_call" ]]
	run "$SECLUDE" compile --strict "$TMP/u.json" -o "$TMP/strict.bpf"
	assert_error "$TMP/u.json:2:18: syscalls[0].names[1]: unknown syscall \"no_such_call\""
	[ "${#lines[@]}" -eq 1 ]
	[ ! -e "$TMP/strict.bpf" ]
	run "$SECLUDE" compile --strict "$PROFILES/labs/default.json" -o "$TMP/labs.bpf"
	[ "$status" -eq 0 ]
	run "$SECLUDE" compile --help
	[[ "$output" == *"--strict"* ]]
}

@test "compile -o: a write that fails leaves no partial program, and an older one untouched" {
	"$SECLUDE" compile "$PROFILES/labs/deny.json" -o "$TMP/old.bpf"
	cp "$TMP/old.bpf" "$TMP/before.bpf"
	# from the cache below: a compile under the limit could not even export
	"$SECLUDE" compile default -o /dev/null
	# 4 KiB of file size: Docker's default program is larger
	run bash -c "trap '' XFSZ; ulimit -f 4; '$SECLUDE' compile default -o '$TMP/old.bpf'"
	assert_error "$TMP/old.bpf: cannot write"
	[ "${#lines[@]}" -eq 1 ]
	cmp "$TMP/old.bpf" "$TMP/before.bpf"
	run bash -c "trap '' XFSZ; ulimit -f 4; '$SECLUDE' compile default -o '$TMP/new.bpf'"
	assert_error "cannot write"
	[ ! -e "$TMP/new.bpf" ]
	[ -z "$(ls "$TMP" | grep -F '.bpf.')" ]
	# a directory that does not exist: nothing is made
	run "$SECLUDE" compile default -o "$TMP/no/such/dir.bpf"
	assert_error "$TMP/no/such/dir.bpf: cannot create"
	# the mode is an ordinary file's, and a device is written in place
	run "$SECLUDE" compile default -o "$TMP/mode.bpf"
	[ "$(stat -c %a "$TMP/mode.bpf")" = "$(umask -S >/dev/null; printf '%o' $((0644 & ~$(umask))))" ]
	"$SECLUDE" compile default -o /dev/null
}

@test "compile: warnings are printed once, also when the write fails afterwards" {
	run "$SECLUDE" compile "$DATA/bad/typo-syscall.json" -o "$TMP/no/such/dir.bpf"
	[ "$status" -eq 125 ]
	[ "$(grep -c 'unknown field "syscall"' <<<"$output")" -eq 1 ]
	[ "${#lines[@]}" -eq 2 ]
}

@test "compile under a file size limit too small for libseccomp's export says so" {
	run bash -c "trap '' XFSZ; ulimit -f 4; '$SECLUDE' compile --no-cache default -o /dev/null"
	assert_error "file size limit"
	[ "${#lines[@]}" -eq 1 ]
}
