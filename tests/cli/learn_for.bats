#!/usr/bin/env bats
# learn --for RUNTIME, --minimal and check --for: the runtime's own calls
# (measured, lib/learn/runtimes/*.json) in the learned profile, each with
# why, and the check that a container can start with a profile.
load helpers
bats_require_minimum_version 1.5.0

setup() {
	LOG=$BATS_TEST_TMPDIR/s.log
	printf '%s\n' '100 read(0, "", 1) = 0' '100 write(1, "x", 1) = 1' '100 exit_group(0) = ?' >"$LOG"
}

# the names a profile allows without conditions, one a line, sorted
allowed() {
	python3 -c '
import json, sys
p = json.load(open(sys.argv[1]))
print("\n".join(sorted({n for r in p["syscalls"] if r["action"] == "SCMP_ACT_ALLOW" and not r.get("args") for n in r["names"]})))' "$1"
}

# the comment of the rule that allows $2
why() {
	python3 -c '
import json, sys
p = json.load(open(sys.argv[1]))
print([r.get("comment", "") for r in p["syscalls"] if sys.argv[2] in r["names"]][0])' "$1" "$2"
}

@test "learn --help names --for and its default, docker" {
	run "$SECLUDE" learn --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"--for RUNTIME"* ]]
	[[ "$output" == *"docker (default)"* ]]
	[[ "$output" == *"--minimal"* ]]
	[[ "$output" == *"--for-nnp"* ]]
}

@test "learn --for: an unknown runtime or case value is a usage error, before anything runs" {
	run "$SECLUDE" learn --for lxc --from-strace "$LOG"
	assert_error '--for "lxc"'
	run "$SECLUDE" learn --for-nnp perhaps --from-strace "$LOG"
	assert_error '--for-nnp "perhaps"'
	# runc runs no init of its own: that case was never measured, and says how to measure it
	run "$SECLUDE" learn --for runc --for-init --from-strace "$LOG"
	assert_error "scripts/measure-runtime runc"
}

@test "learn --for runc --from-strace: runc's calls added, a rule each with why; the header says what for" {
	run --separate-stderr "$SECLUDE" learn --from-strace "$LOG" --for runc -o "$BATS_TEST_TMPDIR/p.json"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"added for runc 1.1.5"*"capget"* ]]
	local n
	for n in capget capset chdir fstat fstatfs getcwd faccessat2 execve read write; do
		allowed "$BATS_TEST_TMPDIR/p.json" | grep -qx "$n" || { echo "$n missing"; return 1; }
	done
	[[ "$(why "$BATS_TEST_TMPDIR/p.json" fstatfs)" == "runc 1.1.5"*"/proc/self/fd is on procfs"* ]]
	[[ "$(why "$BATS_TEST_TMPDIR/p.json" capset)" == "runc 1.1.5"*"capabilities"* ]]
	grep -q 'learned for: runtime=runc 1.1.5[^;]*; nnp=any; user=any; init=no; arches=SCMP_ARCH_X86_64' "$BATS_TEST_TMPDIR/p.json"
}

@test "learn with no --for is for docker; --for none adds nothing of a runtime" {
	"$SECLUDE" learn --from-strace "$LOG" -o "$BATS_TEST_TMPDIR/d.json" 2>/dev/null
	grep -q 'learned for: runtime=docker 20.10' "$BATS_TEST_TMPDIR/d.json"
	allowed "$BATS_TEST_TMPDIR/d.json" | grep -qx fstatfs
	"$SECLUDE" learn --from-strace "$LOG" --for none -o "$BATS_TEST_TMPDIR/n.json" 2>/dev/null
	grep -q 'learned for: runtime=none;' "$BATS_TEST_TMPDIR/n.json"
	! allowed "$BATS_TEST_TMPDIR/n.json" | grep -qx fstatfs
	! allowed "$BATS_TEST_TMPDIR/n.json" | grep -qx capset
}

@test "learn --for runc --for-nnp yes: the smaller set runc needs when it loads the filter last" {
	"$SECLUDE" learn --from-strace "$LOG" --for runc --for-nnp yes --for-user root -o "$BATS_TEST_TMPDIR/y.json" 2>/dev/null
	"$SECLUDE" learn --from-strace "$LOG" --for runc --for-nnp no --for-user root -o "$BATS_TEST_TMPDIR/n.json" 2>/dev/null
	allowed "$BATS_TEST_TMPDIR/y.json" | grep -qx fstatfs
	! allowed "$BATS_TEST_TMPDIR/y.json" | grep -qx capset
	allowed "$BATS_TEST_TMPDIR/n.json" | grep -qx capset
	[ "$(allowed "$BATS_TEST_TMPDIR/y.json" | wc -l)" -lt "$(allowed "$BATS_TEST_TMPDIR/n.json" | wc -l)" ]
	grep -q 'nnp=yes; user=root' "$BATS_TEST_TMPDIR/y.json"
}

@test "learn --for crun: crun's own set (setresuid, not runc's Go runtime)" {
	"$SECLUDE" learn --from-strace "$LOG" --for crun -o "$BATS_TEST_TMPDIR/c.json" 2>/dev/null
	allowed "$BATS_TEST_TMPDIR/c.json" | grep -qx setresuid
	[[ "$(why "$BATS_TEST_TMPDIR/c.json" setresuid)" == "crun 1.8.1"* ]]
	! allowed "$BATS_TEST_TMPDIR/c.json" | grep -qx fstatfs
}

@test "learn: the any-moment calls are added and said; --minimal leaves them out" {
	run --separate-stderr "$SECLUDE" learn --from-strace "$LOG" --for none -o "$BATS_TEST_TMPDIR/a.json"
	[[ "$stderr" == *"can happen at any moment"*"sched_yield"* ]]
	for n in futex sched_yield nanosleep clock_nanosleep madvise rt_sigreturn restart_syscall; do
		allowed "$BATS_TEST_TMPDIR/a.json" | grep -qx "$n" || { echo "$n missing"; return 1; }
	done
	[[ "$(why "$BATS_TEST_TMPDIR/a.json" futex)" == "can happen at any moment"* ]]
	run --separate-stderr "$SECLUDE" learn --from-strace "$LOG" --for none --minimal -o "$BATS_TEST_TMPDIR/m.json"
	[ "$status" -eq 0 ]
	[[ "$stderr" != *"any moment"* ]]
	[ "$(allowed "$BATS_TEST_TMPDIR/m.json" | tr '\n' ' ')" = "exit exit_group read write " ]
}

@test "learn --merge --for: the runtime's calls once, the header replaced, a second merge changes nothing" {
	"$SECLUDE" learn --from-strace "$LOG" --for none -o "$BATS_TEST_TMPDIR/m.json" 2>/dev/null
	"$SECLUDE" learn --from-strace "$LOG" --merge "$BATS_TEST_TMPDIR/m.json" --for runc -o "$BATS_TEST_TMPDIR/m.json" 2>/dev/null
	grep -q 'learned for: runtime=runc' "$BATS_TEST_TMPDIR/m.json"
	! grep -q 'runtime=none' "$BATS_TEST_TMPDIR/m.json"
	allowed "$BATS_TEST_TMPDIR/m.json" | grep -qx capget
	cp "$BATS_TEST_TMPDIR/m.json" "$BATS_TEST_TMPDIR/before.json"
	"$SECLUDE" learn --from-strace "$LOG" --merge "$BATS_TEST_TMPDIR/m.json" --for runc -o "$BATS_TEST_TMPDIR/m.json" 2>/dev/null
	python3 - "$BATS_TEST_TMPDIR/before.json" "$BATS_TEST_TMPDIR/m.json" <<'PY'
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
assert len(a["syscalls"]) == len(b["syscalls"]), (len(a["syscalls"]), len(b["syscalls"]))
assert a["syscalls"][1:] == b["syscalls"][1:]
PY
}

@test "learn --for seclude: a live run, the profile serves the same command under seclude run" {
	"$SECLUDE" learn --for seclude -o "$BATS_TEST_TMPDIR/t.json" -- /bin/true 2>/dev/null
	grep -q 'learned for: runtime=seclude' "$BATS_TEST_TMPDIR/t.json"
	"$SECLUDE" run --security-opt seccomp="$BATS_TEST_TMPDIR/t.json" -- /bin/true
	run "$SECLUDE" check --for seclude "$BATS_TEST_TMPDIR/t.json"
	[ "$status" -eq 0 ]
	[[ "$output" == *"[runtime-ok]"* ]]
}

@test "check --for runc (regression): a profile without runc's set names each call missing, exit 125" {
	# what a learned profile looked like before --for: the command's calls only
	"$SECLUDE" learn --from-strace "$LOG" --for none -o "$BATS_TEST_TMPDIR/old.json" 2>/dev/null
	run "$SECLUDE" check --for runc "$BATS_TEST_TMPDIR/old.json"
	[ "$status" -eq 125 ]
	local n
	for n in capget capset chdir fstat fstatfs getcwd faccessat2; do
		[[ "$output" == *"error: defaultAction: $n is not allowed, and runc 1.1.5"*"[runtime-missing]"* ]] ||
			{ echo "$n not named: $output"; return 1; }
	done
	[[ "$output" == *"learned for none"*"[learned-for-other]"* ]]
	[[ "$output" == *"a container will not start under runc"* ]]
	[[ "$output" == *"old.json: not valid here; "*" errors, "* ]]
	[[ "$output" == *"seclude: error: "*"old.json: a container will not start under runc"* ]]
	# only the nnp case: fewer missing, capset not among them
	run "$SECLUDE" check --for runc --for-nnp yes "$BATS_TEST_TMPDIR/old.json"
	[ "$status" -eq 125 ]
	[[ "$output" == *"fstatfs is not allowed"* ]]
	[[ "$output" != *"capset is not allowed"* ]]
}

@test "check --for: a profile learned for the runtime is ready; for another, a warning and what is missing" {
	"$SECLUDE" learn --from-strace "$LOG" --for runc -o "$BATS_TEST_TMPDIR/r.json" 2>/dev/null
	run "$SECLUDE" check --for runc "$BATS_TEST_TMPDIR/r.json"
	[ "$status" -eq 0 ]
	[[ "$output" == *"[runtime-ok]"* ]]
	[[ "$output" == *"ready for runc"* ]]
	[[ "$output" != *"learned-for-other"* ]]
	run "$SECLUDE" check --for crun "$BATS_TEST_TMPDIR/r.json"
	[ "$status" -eq 125 ]
	[[ "$output" == *"learned for runc"*"checked for crun"*"[learned-for-other]"* ]]
	[[ "$output" == *"setresuid is not allowed, and crun 1.8.1"* ]]
	# Docker's default profile lets every runtime start
	for rt in docker runc crun podman containerd seclude; do
		run "$SECLUDE" check --for $rt default
		[ "$status" -eq 0 ] || { echo "$rt: $output"; return 1; }
	done
	# --json carries the findings and their codes
	run --separate-stderr "$SECLUDE" check --json --for crun "$BATS_TEST_TMPDIR/r.json"
	[ "$status" -eq 125 ]
	python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert any(f["code"]=="runtime-missing" and f["level"]=="error" for f in d["findings"]); assert d["valid"] is False, d' "$output"
	run --separate-stderr "$SECLUDE" check --json --for runc "$BATS_TEST_TMPDIR/r.json"
	[ "$status" -eq 0 ]
	python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["valid"] is True, d' "$output"
	# the case options need --for
	run "$SECLUDE" check --for-nnp yes "$BATS_TEST_TMPDIR/r.json"
	assert_error "--for RUNTIME"
}

@test "learn --merge PROFILE --for RUNTIME, nothing run: the same profile made for another runtime" {
	"$SECLUDE" learn --from-strace "$LOG" --for runc -o "$BATS_TEST_TMPDIR/r.json" 2>/dev/null
	run "$SECLUDE" check --for crun "$BATS_TEST_TMPDIR/r.json"
	[ "$status" -eq 125 ]
	run --separate-stderr "$SECLUDE" learn --merge "$BATS_TEST_TMPDIR/r.json" --for crun -o "$BATS_TEST_TMPDIR/c.json"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"added for crun 1.8.1"*"setresuid"* ]]
	run "$SECLUDE" check --for crun "$BATS_TEST_TMPDIR/c.json"
	[ "$status" -eq 0 ]
	grep -q 'learned for: runtime=crun' "$BATS_TEST_TMPDIR/c.json"
	grep -q 'nothing run: --merge' "$BATS_TEST_TMPDIR/c.json"
	# runc's own rules stay: the profile still starts under runc
	run "$SECLUDE" check --for runc "$BATS_TEST_TMPDIR/c.json"
	[[ "$output" == *"[runtime-ok]"* ]]
	# without --for, nothing to do: a command or a log is still needed
	run "$SECLUDE" learn --merge "$BATS_TEST_TMPDIR/r.json"
	assert_error "no command given"
}
