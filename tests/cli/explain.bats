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

# verdict PROFILE ARGS...: the first line of explain's output
verdict() {
	"$SECLUDE" explain "$@" | head -n 1
}

@test "explain --help explains the options and exits 0" {
	run "$SECLUDE" explain --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"Usage: seclude explain"* ]]
	[[ "$output" == *"--arch"* ]]
}

@test "explain default chmod: ALLOW, from syscalls[0], with its place in the file" {
	run "$SECLUDE" explain default chmod
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "ALLOW" ]
	[[ "$output" == *"syscalls[0] at default:"* ]]
	[[ "$output" == *'"chmod" at default:'* ]]
	# and nothing on stderr about names this libseccomp predates
	run sh -c "'$SECLUDE' explain default chmod 2>&1 >/dev/null"
	[ -z "$output" ]
}

@test "Docker's default: the verdicts of the anchors" {
	[ "$(verdict default socket 2)" = "ALLOW" ]
	[ "$(verdict default socket 38)" = "ERRNO 1 (EPERM)" ]
	[ "$(verdict default socket 40)" = "ERRNO 1 (EPERM)" ]
	[ "$(verdict default socket 41)" = "ALLOW" ]
	[ "$(verdict default personality 0)" = "ALLOW" ]
	[ "$(verdict default personality 0xffffffff)" = "ALLOW" ]
	[ "$(verdict default personality 1)" = "ERRNO 1 (EPERM)" ]
	[ "$(verdict default clone 0x10000000)" = "ERRNO 1 (EPERM)" ]
	[ "$(verdict default clone 17)" = "ALLOW" ]
	[ "$(verdict default clone3)" = "ERRNO 38 (ENOSYS)" ]
	[ "$(verdict default mount)" = "ERRNO 1 (EPERM)" ]
}

@test "capability options change the answer" {
	[ "$(verdict default clone3 --cap-add SYS_ADMIN)" = "ALLOW" ]
	[ "$(verdict default clone 0x10000000 --cap-add sys_admin)" = "ALLOW" ]
	[ "$(verdict default reboot --cap-add CAP_SYS_BOOT)" = "ALLOW" ]
	[ "$(verdict default reboot)" = "ERRNO 1 (EPERM)" ]
	[ "$(verdict default chroot --cap-drop ALL)" = "ERRNO 1 (EPERM)" ]
	[ "$(verdict default chroot)" = "ALLOW" ]
}

@test "i386 and x32 through the simulator" {
	[ "$(verdict default chmod --arch i386)" = "ALLOW" ]
	[ "$(verdict default socket 38 --arch i386)" = "ERRNO 1 (EPERM)" ]
	[ "$(verdict default socket 2 --arch i386)" = "ALLOW" ]
	[ "$(verdict default clone 0x10000000 --arch i386)" = "ERRNO 1 (EPERM)" ]
	# a 32-bit process passes 32 bits: -1 is 0xffffffff there
	[ "$(verdict --arch i386 default personality -- -1)" = "ALLOW" ]
	[ "$(verdict default personality -- -1)" = "ERRNO 1 (EPERM)" ]
	[ "$(verdict default chmod --arch x32)" = "ALLOW" ]
	[ "$(verdict default mount --arch x32)" = "ERRNO 1 (EPERM)" ]
	run "$SECLUDE" explain default chmod --arch x32
	[[ "$output" == *"0x4000005a"* ]]
}

@test "syscalls newer than the profile get ENOSYS from the prologue; older unlisted ones the default" {
	run "$SECLUDE" explain default 460
	[ "${lines[0]}" = "ERRNO 38 (ENOSYS)" ]
	[[ "$output" == *"above 456 (futex_requeue)"* ]]
	[ "$(verdict default 460 --arch i386)" = "ERRNO 38 (ENOSYS)" ]
	run "$SECLUDE" explain default kexec_load
	[ "${lines[0]}" = "ERRNO 1 (EPERM)" ]
	[[ "$output" == *"defaultAction SCMP_ACT_ERRNO"* ]]
}

@test "a number names the same call as its name" {
	[ "$(verdict default 90)" = "$(verdict default chmod)" ]
	run "$SECLUDE" explain default 90
	[[ "$output" == *"chmod("* ]]
}

@test "the default-action answer lists the rules that did not match, with their conditions" {
	run "$SECLUDE" explain default socket 38
	[[ "$output" == *"unmatched syscalls[2]"* ]]
	[[ "$output" == *"args[0] < 38 (SCMP_CMP_LT): the call has 38"* ]]
	run "$SECLUDE" explain default clone 0x10000000
	[[ "$output" == *"SCMP_CMP_MASKED_EQ"* ]]
}

@test "the labs profiles differ on chmod only" {
	[ "$(verdict "$PROFILES/labs/default.json" chmod)" = "ALLOW" ]
	[ "$(verdict "$PROFILES/labs/default-no-chmod.json" chmod)" = "ERRNO 1 (EPERM)" ]
	[ "$(verdict "$PROFILES/labs/default-no-chmod.json" fchmodat --arch i386)" = "ERRNO 1 (EPERM)" ]
	[ "$(verdict "$PROFILES/labs/default-no-chmod.json" chown)" = "ALLOW" ]
	[ "$(verdict "$PROFILES/labs/deny.json" read)" = "ERRNO 1 (EPERM)" ]
	[ "$(verdict "$PROFILES/labs/allow.json" mount)" = "ALLOW" ]
}

@test "every action's verdict line, each from its own rule, in text and JSON" {
	cat >"$TMP/p.json" <<'JSON'
{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
  {"names": ["getppid"], "action": "SCMP_ACT_KILL"},
  {"names": ["getuid"], "action": "SCMP_ACT_KILL_PROCESS"},
  {"names": ["getgid"], "action": "SCMP_ACT_TRAP"},
  {"names": ["geteuid"], "action": "SCMP_ACT_TRACE", "errnoRet": 5},
  {"names": ["getegid"], "action": "SCMP_ACT_LOG"},
  {"names": ["gettid"], "action": "SCMP_ACT_NOTIFY"},
  {"names": ["getpgrp"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13},
  {"names": ["getsid"], "action": "SCMP_ACT_KILL_THREAD"},
  {"names": ["getpgid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}
]}
JSON
	local -a table=(
		"getppid|KILL_THREAD|0"
		"getuid|KILL_PROCESS|1"
		"getgid|TRAP|2"
		"geteuid|TRACE 5|3"
		"getegid|LOG|4"
		"gettid|NOTIFY|5"
		"getpgrp|ERRNO 13 (EACCES)|6"
		"getsid|KILL_THREAD|7"
		"getpgid|ERRNO 1 (EPERM)|8"
	)
	for row in "${table[@]}"; do
		IFS='|' read -r call want idx <<<"$row"
		run "$SECLUDE" explain "$TMP/p.json" "$call"
		[ "$status" -eq 0 ] || { echo "$call: $output"; return 1; }
		[ "${lines[0]}" = "$want" ] || { echo "$call: ${lines[0]}, wanted $want"; return 1; }
		[[ "${lines[2]}" == "rule      syscalls[$idx] at $TMP/p.json:$((idx + 2)):3: "* ]] ||
			{ echo "$call: ${lines[2]}"; return 1; }
		run "$SECLUDE" explain --json "$TMP/p.json" "$call"
		[ "$(jq -r .verdict <<<"$output")" = "$want" ] || { echo "$call --json: $output"; return 1; }
		[ "$(jq -r .rule.index <<<"$output")" = "$idx" ]
	done
	run "$SECLUDE" explain "$TMP/p.json" getpid
	[ "${lines[0]}" = "ALLOW" ]
	[[ "${lines[2]}" == "default   no rule matches: defaultAction SCMP_ACT_ALLOW at $TMP/p.json:1:19" ]]
}

@test "--arch takes x86_64, i386 and x32, and says which ABI it answered for" {
	for a in x86_64 i386 x32; do
		run "$SECLUDE" explain --arch "$a" default mount
		[ "${lines[0]}" = "ERRNO 1 (EPERM)" ]
		[[ "${lines[1]}" == *" on $a" ]] || { echo "$a: ${lines[1]}"; return 1; }
		run "$SECLUDE" explain --arch "$a" --json default getpid
		[ "$(jq -r .arch <<<"$output")" = "$a" ]
		[ "$(jq -r .verdict <<<"$output")" = "ALLOW" ]
	done
	# each ABI's own number for the same call
	[ "$(SECLUDE_CACHE_DIR= "$SECLUDE" explain --arch x86_64 --json default getpid | jq .nr)" -eq 39 ]
	[ "$(SECLUDE_CACHE_DIR= "$SECLUDE" explain --arch i386 --json default getpid | jq .nr)" -eq 20 ]
	[ "$(SECLUDE_CACHE_DIR= "$SECLUDE" explain --arch x32 --json default getpid | jq .nr)" -eq $((0x40000000 + 39)) ]
}

@test "explain --json" {
	run "$SECLUDE" explain default socket 38 --json
	[ "$status" -eq 0 ]
	[ "$(jq -r .verdict <<<"$output")" = "ERRNO 1 (EPERM)" ]
	[ "$(jq -r .errno <<<"$output")" = "1" ]
	[ "$(jq -r .source <<<"$output")" = "default" ]
	[ "$(jq -r .nr <<<"$output")" = "41" ]
	[ "$(jq -r '.args[0]' <<<"$output")" = "38" ]
	run "$SECLUDE" explain default socket 2 --json --arch i386
	[ "$(jq -r .source <<<"$output")" = "rule" ]
	[ "$(jq -r .rule.path <<<"$output")" = "syscalls[2]" ]
	[ "$(jq -r .rule.args[0].op <<<"$output")" = "SCMP_CMP_LT" ]
	[ "$(jq -r .rule.location.file <<<"$output")" = "default" ]
	[ "$(jq -r .arch <<<"$output")" = "i386" ]
	run "$SECLUDE" explain default 460 --json
	[ "$(jq -r .source <<<"$output")" = "enosys" ]
	[ "$(jq -r .max_nr <<<"$output")" = "456" ]
}

@test "explain: bad input is one line and exit 125" {
	run "$SECLUDE" explain default frobnicate
	assert_error 'unknown syscall "frobnicate"'
	run "$SECLUDE" explain default newfstatat --arch i386
	assert_error 'i386 has no syscall "newfstatat"'
	run "$SECLUDE" explain default read banana
	assert_error 'argument 0 "banana" is not a number'
	run "$SECLUDE" explain default read 1 2 3 4 5 6 7
	assert_error "at most 6 arguments"
	run "$SECLUDE" explain default
	assert_error "no syscall given"
	run "$SECLUDE" explain
	assert_error "no profile given"
	run "$SECLUDE" explain default read --arch pdp11
	assert_error 'unknown architecture "pdp11"'
	run "$SECLUDE" explain "$TMP/none.json" read
	assert_error "none.json: cannot open"
	[ "${#lines[@]}" -eq 1 ]
}

@test "explain --strict: a name libseccomp does not know is an error" {
	printf '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read","no_such_call"],"action":"SCMP_ACT_ALLOW"}]}' >"$TMP/u.json"
	run --separate-stderr "$SECLUDE" explain "$TMP/u.json" read
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "ALLOW" ]
	[[ "$stderr" == *"no_such_call"* ]]
	run "$SECLUDE" explain --strict "$TMP/u.json" read
	assert_error "$TMP/u.json:1:"
	[[ "$output" == *'unknown syscall "no_such_call"'* ]]
	[ "${#lines[@]}" -eq 1 ]
	[ "$(verdict --strict "$PROFILES/labs/default.json" chmod)" = "ALLOW" ]
}

@test "explain takes the program from the compile cache, and names the same rules as without it" {
	for call in "socket 38" "socket 2" "clone3" "personality 8" "460" "kexec_load"; do
		SECLUDE_CACHE_DIR= "$SECLUDE" explain default $call >"$TMP/uncached"
		"$SECLUDE" explain default $call >"$TMP/first"
		"$SECLUDE" explain default $call >"$TMP/again"
		cmp "$TMP/uncached" "$TMP/first"
		cmp "$TMP/uncached" "$TMP/again"
	done
	# one entry, the one compile uses: compile finds it
	[ "$(ls "$SECLUDE_CACHE_DIR" | wc -l)" -eq 1 ]
	run "$SECLUDE" compile default --disasm
	[[ "${lines[0]}" == *"(from the cache)"* ]]
	# another valid program in the entry (allow.json's) is not taken for this profile's
	entry=$(ls "$SECLUDE_CACHE_DIR"/*.bpf)
	"$SECLUDE" compile --no-cache "$PROFILES/labs/allow.json" -o "$entry"
	[ "$(verdict default mount)" = "ERRNO 1 (EPERM)" ]
	[ "$(SECLUDE_CACHE_DIR= verdict default mount)" = "ERRNO 1 (EPERM)" ]
	# nor is allow.json's own entry, copied over it
	"$SECLUDE" compile "$PROFILES/labs/allow.json" -o /dev/null
	for e in "$SECLUDE_CACHE_DIR"/*.bpf; do [ "$e" = "$entry" ] || cp "$e" "$entry"; done
	[ "$(verdict default mount)" = "ERRNO 1 (EPERM)" ]
}

@test "an OCI linux.seccomp object, and a runtime's config.json holding one, are profiles too" {
	cat >"$TMP/seccomp.json" <<'JSON'
{"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 38,
 "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
 "flags": ["SECCOMP_FILTER_FLAG_SPEC_ALLOW"],
 "syscalls": [{"names": ["read", "write"], "action": "SCMP_ACT_ALLOW"},
   {"names": ["kill"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 1, "value": 0, "op": "SCMP_CMP_EQ"}]}]}
JSON
	{ printf '{"ociVersion": "1.0.2", "process": {"args": ["sh"]},\n "linux": {"seccomp": '; cat "$TMP/seccomp.json"; printf '}}\n'; } >"$TMP/config.json"
	for f in "$TMP/seccomp.json" "$TMP/config.json"; do
		[ "$(verdict "$f" read)" = "ALLOW" ]
		[ "$(verdict "$f" kill 1 0)" = "ALLOW" ]
		[ "$(verdict "$f" kill 1 9)" = "ERRNO 38 (ENOSYS)" ]
		[ "$(verdict --arch i386 "$f" write)" = "ALLOW" ]
		[ "$(verdict --arch x32 "$f" read)" = "KILL_THREAD" ]
		run "$SECLUDE" check "$f"
		[ "$status" -eq 0 ]
	done
	"$SECLUDE" compile "$TMP/seccomp.json" -o "$TMP/a.bpf"
	"$SECLUDE" compile "$TMP/config.json" -o "$TMP/b.bpf"
	cmp "$TMP/a.bpf" "$TMP/b.bpf"
	run "$SECLUDE" explain "$TMP/config.json" kill 1 0
	[[ "${lines[2]}" == "rule      syscalls[1] at $TMP/config.json:6:4: SCMP_ACT_ALLOW" ]]
	# a config without linux.seccomp has nothing to explain
	printf '{"ociVersion": "1.0.2", "linux": {}}' >"$TMP/none.json"
	run "$SECLUDE" explain "$TMP/none.json" read
	assert_error "$TMP/none.json:1:34: an OCI runtime config without linux.seccomp"
}
