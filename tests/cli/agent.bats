#!/usr/bin/env bats
# seclude agent: the listenerPath protocol's agent, serving containers
# started by unmodified runc and crun (and seclude-runc), on the
# busybox-static rootfs of rootfs.bash.  The container sees the profile's
# errno; the agent names the call with it, one JSON line each.
bats_require_minimum_version 1.5.0
load helpers
load rootfs
load engines

RUNC=${SECLUDE_RUNC:-$(dirname "$SECLUDE")/seclude-runc}

setup_file() {
	build_rootfs
}

setup() {
	SOCK=$BATS_TEST_TMPDIR/agent.sock
	BUNDLE=$BATS_TEST_TMPDIR/bundle
	mkdir -p "$BUNDLE"
	(cd "$BUNDLE" && runc spec)
	jq --arg r "$ROOTFS" '.root.path = $r | .root.readonly = false | .process.terminal = false' \
		"$BUNDLE/config.json" > "$BUNDLE/c.json" && mv "$BUNDLE/c.json" "$BUNDLE/config.json"
	# refuses mkdir with EACCES
	cat >"$BATS_TEST_TMPDIR/nomkdir.json" <<'JSON'
{"defaultAction": "SCMP_ACT_ALLOW",
 "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13}]}
JSON
	AGENT=
}

teardown() {
	if [ -n "$AGENT" ]; then
		kill "$AGENT" 2>/dev/null || true
		wait "$AGENT" 2>/dev/null || true
	fi
	runc --root "$BATS_TEST_TMPDIR/runc" delete -f seclude-agent-runc >/dev/null 2>&1 || true
}

start_agent() {
	"$SECLUDE" agent --socket "$SOCK" --log-denials "$BATS_TEST_TMPDIR/denials.json" "$@" \
		2>"$BATS_TEST_TMPDIR/agent.err" &
	AGENT=$!
	local i
	for i in $(seq 100); do
		grep -q listening "$BATS_TEST_TMPDIR/agent.err" 2>/dev/null && return 0
		sleep 0.05
	done
	cat "$BATS_TEST_TMPDIR/agent.err"
	return 1
}

# seccomp PROFILE COMMAND...: the notify profile for the agent as linux.seccomp, the command as process.args
seccomp() {
	local prof=$1
	shift
	"$SECLUDE" agent --socket "$SOCK" --print-profile "$prof" >"$BATS_TEST_TMPDIR/notify.json"
	local a='[' sep='' x
	for x in "$@"; do
		a+="$sep$(jq -n --arg x "$x" '$x')"
		sep=,
	done
	a+=']'
	jq --slurpfile s "$BATS_TEST_TMPDIR/notify.json" --argjson a "$a" '.linux.seccomp = $s[0] | .process.args = $a' \
		"$BUNDLE/config.json" > "$BUNDLE/c.json" && mv "$BUNDLE/c.json" "$BUNDLE/config.json"
}

# the report's line for SYSCALL, once the agent has written it
report_of() {
	local i
	for i in $(seq 100); do
		grep -q "\"syscall\":\"$1\"" "$BATS_TEST_TMPDIR/denials.json" 2>/dev/null && break
		sleep 0.05
	done
	jq -r --arg s "$1" 'select(.syscall == $s) | "\(.container) \(.comm) \(.errno_name) \(.rule)"' \
		"$BATS_TEST_TMPDIR/denials.json"
}

MKDIR='mkdir /tmp/agent-$$; echo "rc=$?"; rmdir /tmp/agent-$$ 2>/dev/null; true'

@test "agent --print-profile: the errno rules notify, listenerPath and listenerMetadata set, write left alone" {
	cat >"$BATS_TEST_TMPDIR/p.json" <<'JSON'
{"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 38,
 "syscalls": [{"names": ["read", "exit_group", "execve"], "action": "SCMP_ACT_ALLOW"},
	      {"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13},
	      {"names": ["write"], "action": "SCMP_ACT_ERRNO", "errnoRet": 5}]}
JSON
	run "$SECLUDE" agent --socket /run/x.sock --print-profile "$BATS_TEST_TMPDIR/p.json"
	[ "$status" -eq 0 ]
	local p=$output
	[ "$(jq -r .listenerPath <<<"$p")" = /run/x.sock ]
	[ "$(jq -r .listenerMetadata <<<"$p")" = "$(realpath "$BATS_TEST_TMPDIR/p.json")" ]
	[ "$(jq -r '.defaultAction, .defaultErrnoRet' <<<"$p" | tr '\n' ' ')" = "SCMP_ACT_ERRNO 38 " ]
	[ "$(jq -r '.flags' <<<"$p")" = null ]      # runc 1.1 refuses any
	[ "$(jq -r '.syscalls[] | select(.names == ["mkdir"]) | .action' <<<"$p")" = SCMP_ACT_NOTIFY ]
	[ "$(jq -r '.syscalls[] | select(.names == ["write"]) | "\(.action) \(.errnoRet)"' <<<"$p")" = "SCMP_ACT_ERRNO 5" ]
	[ "$(jq -r '.syscalls[] | select(.names == ["read"]) | .action' <<<"$p")" = SCMP_ACT_ALLOW ]
	# the default action's refusals: a notify rule naming every call no rule names
	run jq -r '.syscalls[-1] | .action, (.names | index("chmod") != null), (.names | index("read") != null),
		(.names | index("write") != null)' <<<"$p"
	[ "${lines[*]}" = "SCMP_ACT_NOTIFY true false false" ]
}

@test "agent: runc's container sees mkdir's EACCES, the agent names it with its errno" {
	start_agent
	seccomp "$BATS_TEST_TMPDIR/nomkdir.json" sh -c "$MKDIR"
	run runc --root "$BATS_TEST_TMPDIR/runc" run --bundle "$BUNDLE" seclude-agent-runc </dev/null
	[ "$status" -eq 0 ]
	[[ "$output" == *"mkdir: can't create directory '/tmp/agent-"*"': Permission denied"* ]]
	[[ "$output" == *"rc=1"* ]]
	[ "$(report_of mkdir)" = "seclude-agent-runc mkdir EACCES syscalls[0]" ]
	run jq -r 'select(.syscall == "mkdir") | "\(.errno) \(.complain) \(.decoded)"' "$BATS_TEST_TMPDIR/denials.json"
	[[ "$output" == "13 false \"/tmp/agent-"*'", 0777' ]]
	grep -q "container seclude-agent-runc: ended" "$BATS_TEST_TMPDIR/agent.err"
}

@test "agent: the default action's refusals too (Docker's default without chmod), under runc" {
	start_agent
	seccomp "$SRC/tests/data/profiles/labs/default-no-chmod.json" \
		sh -c ': > /tmp/f-$$; chmod 600 /tmp/f-$$; echo "rc=$?"; rm -f /tmp/f-$$'
	run runc --root "$BATS_TEST_TMPDIR/runc" run --bundle "$BUNDLE" seclude-agent-runc </dev/null
	[ "$status" -eq 0 ]
	[[ "$output" == *"Operation not permitted"*"rc=1"* ]]
	[ "$(report_of chmod)" = "seclude-agent-runc chmod EPERM defaultAction" ]
}

@test "agent: crun's container, the same" {
	command -v crun >/dev/null || skip "crun is not installed"
	start_agent
	seccomp "$BATS_TEST_TMPDIR/nomkdir.json" sh -c "$MKDIR"
	run in_v1_ns crun --root "$BATS_TEST_TMPDIR/crun" run --bundle "$BUNDLE" seclude-agent-crun </dev/null
	[ "$status" -eq 0 ]
	[[ "$output" == *"Permission denied"*"rc=1"* ]]
	[ "$(report_of mkdir)" = "seclude-agent-crun mkdir EACCES syscalls[0]" ]
}

@test "agent: seclude-runc's listenerPath, the same; --complain lets the call through and says so" {
	start_agent --complain
	seccomp "$BATS_TEST_TMPDIR/nomkdir.json" sh -c "$MKDIR"
	run "$RUNC" --root "$BATS_TEST_TMPDIR/sr" run --bundle "$BUNDLE" seclude-agent-sr </dev/null
	[ "$status" -eq 0 ]
	[[ "$output" == *"rc=0"* ]]
	run report_of mkdir
	[ "$output" = "seclude-agent-sr mkdir EACCES syscalls[0]" ]
	[ "$(jq -r 'select(.syscall == "mkdir") | .complain' "$BATS_TEST_TMPDIR/denials.json")" = true ]
}

@test "agent: a container whose metadata names no profile, with no --profile: refused, said, its calls ENOSYS" {
	start_agent
	seccomp "$BATS_TEST_TMPDIR/nomkdir.json" sh -c "$MKDIR"
	jq '.linux.seccomp.listenerMetadata = "not a path"' "$BUNDLE/config.json" > "$BUNDLE/c.json" &&
		mv "$BUNDLE/c.json" "$BUNDLE/config.json"
	run runc --root "$BATS_TEST_TMPDIR/runc" run --bundle "$BUNDLE" seclude-agent-runc </dev/null
	[[ "$output" == *"Function not implemented"* ]]
	grep -q "container seclude-agent-runc: no profile to answer with" "$BATS_TEST_TMPDIR/agent.err"
}

@test "agent: --socket is required; --help" {
	run "$SECLUDE" agent
	[ "$status" -eq 125 ]
	[[ "$output" == *"--socket PATH is required"* ]]
	run "$SECLUDE" agent --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"listenerPath"* ]]
}
