#!/usr/bin/env bats
# seclude learn: the program as a user runs it, against strace on the same runs.
load helpers
bats_require_minimum_version 1.5.0

WORKLOAD=${SECLUDE_BUILD:-$SRC/build}/bench/learn/seclude-learn-workload
# the sandbox has a private /tmp: a build tree under /tmp is bound in
WL_MOUNT=(-v "$(dirname "$WORKLOAD"):$(dirname "$WORKLOAD"):ro")

# The allowed names of a profile, one a line, without what learn adds unseen.
names() {
	python3 - "$1" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
rule = p["syscalls"][0]
added = []
for line in rule.get("comment", "").split("\n"):
    if line.startswith("always needed, added without being seen: "):
        added = line.split(": ", 1)[1].split(", ")
print("\n".join(n for n in rule["names"] if n not in added))
PY
}

# The syscall names of an strace -c table.
strace_c_names() {
	awk '$1 ~ /^[0-9.]+$/ && $NF != "total" { print $NF }' "$1" | sort
}

# Nothing of one learn (pid $1) left: no recording cgroup of its, and none
# of the given processes.  Other sessions' workloads are not ours to judge.
no_leftovers() {
	local learn=$1; shift
	if ls /sys/fs/cgroup/unified 2>/dev/null | grep -q "^seclude-learn\.$learn\."; then
		echo "a recording cgroup is left"; return 1
	fi
	for p in "$@"; do
		if kill -0 "$p" 2>/dev/null; then
			echo "process $p is left"; return 1
		fi
	done
}

@test "learn --help explains the options on stdout and exits 0" {
	run "$SECLUDE" learn --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"--recorder auto|ebpf|ptrace"* ]]
	[[ "$output" == *"--from-strace LOG"* ]]
	[[ "$output" == *"RUN OPTIONS"* ]]
}

@test "learn: usage errors" {
	run "$SECLUDE" learn
	assert_error "no command given"
	run "$SECLUDE" learn --recorder magic -- true
	assert_error '--recorder "magic"'
	run "$SECLUDE" learn --default-errno EWHAT -- true
	assert_error '--default-errno "EWHAT"'
	run "$SECLUDE" learn --args fcntl -- true
	assert_error "NAME:INDEX"
	run "$SECLUDE" learn --security-opt seccomp=default -- true
	assert_error "the recorder takes the profile's place"
	run "$SECLUDE" learn --frobnicate -- true
	assert_error 'unknown option "--frobnicate"'
	run "$SECLUDE" learn --from-strace /nonexistent/log
	assert_error "/nonexistent/log"
	run "$SECLUDE" learn --memory 64m -- true
	assert_error "run's only"
}

@test "learn: a run option refused is an error and no profile, nothing recorded" {
	run "$SECLUDE" learn -o "$BATS_TEST_TMPDIR/p.json" --ulimit nofile=abc -- true
	assert_error '--ulimit "nofile=abc"'
	[[ "$output" != *"seclude learn:"* ]]
	[ ! -e "$BATS_TEST_TMPDIR/p.json" ]
}

# whoami as in the seeds: strace -c -f in the same confinement, same stdout.
# strace -c leaves out exit_group (it never returns); everything else matches.
check_whoami() {
	"$SECLUDE" learn --recorder "$1" -o "$BATS_TEST_TMPDIR/whoami.json" -- whoami >/dev/null
	"$SECLUDE" run --security-opt seccomp=unconfined -- strace -f -c -o /dev/stderr whoami \
		2>"$BATS_TEST_TMPDIR/c.txt" >/dev/null
	diff <(names "$BATS_TEST_TMPDIR/whoami.json") \
	     <( (strace_c_names "$BATS_TEST_TMPDIR/c.txt"; echo exit_group) | sort)
}

@test "learn whoami (ebpf): the set strace -c -f reports" {
	check_whoami ebpf
}

@test "learn whoami (ptrace): the set strace -c -f reports" {
	check_whoami ptrace
}

# The same workload under strace -f in the same sandbox, read back with --from-strace.
check_against_strace() {
	local rec=$1; shift
	"$SECLUDE" learn "${WL_MOUNT[@]}" --recorder "$rec" -o "$BATS_TEST_TMPDIR/learned.json" -- "$WORKLOAD" "$@"
	# the log comes out on stderr: the workload writes nothing there
	"$SECLUDE" run "${WL_MOUNT[@]}" --security-opt seccomp=unconfined -- \
		strace -f -qq -o /dev/stderr "$WORKLOAD" "$@" 2>"$BATS_TEST_TMPDIR/log"
	"$SECLUDE" learn --from-strace "$BATS_TEST_TMPDIR/log" -o "$BATS_TEST_TMPDIR/strace.json"
	diff <(names "$BATS_TEST_TMPDIR/learned.json") <(names "$BATS_TEST_TMPDIR/strace.json")
}

@test "learn: 16 threads, each with its own syscall, as strace -f sees them (ebpf)" {
	check_against_strace ebpf threads 16
	for n in getcwd sysinfo times getrusage sched_yield uname getppid sched_getaffinity futex; do
		names "$BATS_TEST_TMPDIR/learned.json" | grep -qx "$n"
	done
}

@test "learn: 16 threads as strace -f sees them (ptrace)" {
	check_against_strace ptrace threads 16
}

@test "learn: shell -> child -> grandchild exec, as strace -f sees it (ebpf and ptrace)" {
	check_against_strace ebpf chain
	for n in vfork wait4 getpgrp getsid execve; do
		names "$BATS_TEST_TMPDIR/learned.json" | grep -qx "$n"
	done
	check_against_strace ptrace chain
}

@test "learn: both recorders give the same set on a deterministic workload" {
	"$SECLUDE" learn "${WL_MOUNT[@]}" --recorder ebpf --counts -o "$BATS_TEST_TMPDIR/e.json" -- "$WORKLOAD" loop 500 2>"$BATS_TEST_TMPDIR/e.err"
	"$SECLUDE" learn "${WL_MOUNT[@]}" --recorder ptrace --counts -o "$BATS_TEST_TMPDIR/p.json" -- "$WORKLOAD" loop 500 2>"$BATS_TEST_TMPDIR/p.err"
	diff <(names "$BATS_TEST_TMPDIR/e.json") <(names "$BATS_TEST_TMPDIR/p.json")
	# and the same counts: 500 rounds of getppid, 1 execve
	grep -E '^ +500  getppid$' "$BATS_TEST_TMPDIR/e.err"
	grep -E '^ +500  getppid$' "$BATS_TEST_TMPDIR/p.err"
	grep -E '^ +1  execve$' "$BATS_TEST_TMPDIR/e.err"
	grep -q 'seen by the ebpf recorder' "$BATS_TEST_TMPDIR/e.err"
	grep -q 'seen by the ptrace recorder' "$BATS_TEST_TMPDIR/p.err"
}

@test "learn writes Docker's format: errno default, native arch in archMap, sorted names, a comment" {
	run "$SECLUDE" learn -o "$BATS_TEST_TMPDIR/p.json" -- true
	[ "$status" -eq 0 ]
	[[ "$output" == *"added because every process needs them to end: exit, restart_syscall, rt_sigreturn"* ]]
	python3 - "$BATS_TEST_TMPDIR/p.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
assert p["defaultAction"] == "SCMP_ACT_ERRNO" and p["defaultErrnoRet"] == 1, p
assert p["archMap"] == [{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": []}], p["archMap"]
rule = p["syscalls"][0]
assert rule["action"] == "SCMP_ACT_ALLOW"
assert rule["names"] == sorted(rule["names"]) and "execve" in rule["names"]
assert rule["comment"].startswith("learned by seclude learn, 20"), rule["comment"]
assert rule["comment"].split("\n")[0].endswith(": true"), rule["comment"]
PY
	# and run accepts it
	"$SECLUDE" run --security-opt seccomp="$BATS_TEST_TMPDIR/p.json" -- true
}

@test "learn --default-errno ENOSYS; the profile on standard output without -o" {
	run --separate-stderr "$SECLUDE" learn --default-errno ENOSYS -- true
	[ "$status" -eq 0 ]
	[[ "$output" == *'"defaultErrnoRet": 38'* ]]
}

@test "learn --counts: a table at the end and counts in the comment" {
	run --separate-stderr "$SECLUDE" learn "${WL_MOUNT[@]}" --counts -o "$BATS_TEST_TMPDIR/c.json" -- "$WORKLOAD" loop 7
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"       calls  syscall"* ]]
	[[ "$stderr" =~ \ 7\ \ getppid ]]
	grep -q 'counts: .*getppid=7' "$BATS_TEST_TMPDIR/c.json"
}

@test "learn --merge: the union of two runs, the other rules kept, counts added up" {
	"$SECLUDE" learn "${WL_MOUNT[@]}" --counts -o "$BATS_TEST_TMPDIR/m.json" -- "$WORKLOAD" loop 3 2>/dev/null
	"$SECLUDE" learn "${WL_MOUNT[@]}" --counts --merge "$BATS_TEST_TMPDIR/m.json" -o "$BATS_TEST_TMPDIR/m.json" -- "$WORKLOAD" threads 4 2>/dev/null
	names "$BATS_TEST_TMPDIR/m.json" | grep -qx getppid     # from the loop
	names "$BATS_TEST_TMPDIR/m.json" | grep -qx getcwd      # from the threads
	[ "$(grep -c 'learned by seclude learn' "$BATS_TEST_TMPDIR/m.json")" -eq 1 ]  # one comment...
	python3 - "$BATS_TEST_TMPDIR/m.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))["syscalls"][0]["comment"].split("\n")
assert sum(l.startswith("learned by seclude learn") for l in c) == 2, c   # ...two runs in it
counts = dict(kv.split("=") for kv in [l for l in c if l.startswith("counts: ")][0][8:].split())
assert int(counts["execve"]) == 2, counts
PY
	# into Docker's default: its conditional rules stay, what it denies stays denied
	"$SECLUDE" learn --merge "$PROFILES/labs/default.json" -o "$BATS_TEST_TMPDIR/d.json" -- true 2>/dev/null
	python3 - "$PROFILES/labs/default.json" "$BATS_TEST_TMPDIR/d.json" <<'PY'
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
cond = lambda p: [r for r in p["syscalls"] if r.get("args") or r.get("includes") or r.get("excludes")]
assert cond(a) == cond(b)
# what was added: only the calls Docker's runtime makes before execve that it lacked, a rule each with why
added = b["syscalls"][len(a["syscalls"]):]
assert b["syscalls"][:len(a["syscalls"])] == a["syscalls"] or len(b["syscalls"]) >= len(a["syscalls"])
assert all(r["comment"].startswith("docker ") or "at any moment" in r["comment"] for r in added), added
PY
}

@test "learn --args socket,prctl,ioctl: argument rules for the values seen" {
	"$SECLUDE" learn "${WL_MOUNT[@]}" --args socket,prctl,ioctl -o "$BATS_TEST_TMPDIR/a.json" -- "$WORKLOAD" args 2>/dev/null
	python3 - "$BATS_TEST_TMPDIR/a.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
plain = p["syscalls"][0]["names"]
assert "socket" not in plain and "prctl" not in plain, plain
vals = {}
for r in p["syscalls"][1:]:
    if "args" not in r:
        continue                                        # learn --for's calls, a rule each
    (a,) = r["args"]
    assert a["op"] == "SCMP_CMP_EQ"
    vals.setdefault(r["names"][0], set()).add(a["value"])
assert vals["socket"] == {1, 2}, vals                  # AF_UNIX, AF_INET
assert 3 in vals["prctl"], vals                         # PR_GET_DUMPABLE
assert 0x541B in vals["ioctl"], vals                    # FIONREAD
PY
	# the profile lets the same program run, and nothing else creates an AF_INET6 socket
	"$SECLUDE" run "${WL_MOUNT[@]}" --security-opt seccomp="$BATS_TEST_TMPDIR/a.json" -- "$WORKLOAD" args
}

@test "learn: a command killed mid-run still gives its profile; nothing left behind" {
	for rec in ebpf ptrace; do
		"$SECLUDE" learn "${WL_MOUNT[@]}" --recorder $rec -o "$BATS_TEST_TMPDIR/k.json" -- "$WORKLOAD" linger \
			>"$BATS_TEST_TMPDIR/k.out" 2>/dev/null &
		local pid=$!
		for _ in $(seq 100); do grep -q ready "$BATS_TEST_TMPDIR/k.out" && break; sleep 0.1; done
		# the workload is the sandbox's first process, learn's child: only it is killed
		local victim
		victim=$(pgrep -P $pid -x seclude-learn-w)
		[ -n "$victim" ]
		kill -KILL "$victim"
		local status=0
		wait $pid || status=$?
		[ "$status" -eq 137 ]
		names "$BATS_TEST_TMPDIR/k.json" | grep -qx getppid
		names "$BATS_TEST_TMPDIR/k.json" | grep -qx write
		no_leftovers $pid "$victim"
	done
}

@test "learn: a command that does not exist: 127, a clear error, no profile, nothing left" {
	for rec in ebpf ptrace; do
		"$SECLUDE" learn --recorder $rec -o "$BATS_TEST_TMPDIR/n.json" -- /no/such/command \
			>"$BATS_TEST_TMPDIR/n.out" 2>&1 &
		local pid=$! status=0
		wait $pid || status=$?
		[ "$status" -eq 127 ]
		grep -q "seclude: error: .*/no/such/command" "$BATS_TEST_TMPDIR/n.out"
		[ ! -e "$BATS_TEST_TMPDIR/n.json" ]
		no_leftovers $pid
	done
}

@test "learn: the command's exit status is learn's, and its profile is written" {
	run "$SECLUDE" learn -o "$BATS_TEST_TMPDIR/f.json" -- sh -c 'exit 3'
	[ "$status" -eq 3 ]
	[ -s "$BATS_TEST_TMPDIR/f.json" ]
}

@test "learn --from-strace: an strace -ff log set" {
	strace -ff -qq -o "$BATS_TEST_TMPDIR/ff" "$WORKLOAD" chain
	[ "$(ls "$BATS_TEST_TMPDIR"/ff.* | wc -l)" -ge 3 ]
	run --separate-stderr "$SECLUDE" learn --from-strace "$BATS_TEST_TMPDIR/ff" -o "$BATS_TEST_TMPDIR/ff.json"
	[ "$status" -eq 0 ]
	for n in vfork wait4 getpgrp getsid execve; do
		names "$BATS_TEST_TMPDIR/ff.json" | grep -qx "$n"
	done
	grep -q 'learned by seclude learn, .*: strace log ' "$BATS_TEST_TMPDIR/ff.json"
}

@test "learn -o a FIFO (or a device): written into, never replaced" {
	mkfifo "$BATS_TEST_TMPDIR/fifo"
	cat "$BATS_TEST_TMPDIR/fifo" > "$BATS_TEST_TMPDIR/got" &
	local reader=$!
	local status=0
	"$SECLUDE" learn -o "$BATS_TEST_TMPDIR/fifo" -- true 2>"$BATS_TEST_TMPDIR/err" || status=$?
	# a learn that failed before opening the FIFO must not leave cat waiting
	[ "$status" -eq 0 ] || { : >"$BATS_TEST_TMPDIR/fifo"; cat "$BATS_TEST_TMPDIR/err"; return 1; }
	# (a bare wait would also wait for bats' own timeout watcher)
	wait "$reader"
	[ -p "$BATS_TEST_TMPDIR/fifo" ]
	grep -q '"defaultAction": "SCMP_ACT_ERRNO"' "$BATS_TEST_TMPDIR/got"
}

@test "learn: a recording cgroup left by a killed learn is removed by the next one" {
	local parent=/sys/fs/cgroup/unified
	[ -d "$parent" ] || skip "no cgroup2 at $parent"
	# a pid that cannot exist
	mkdir "$parent/seclude-learn.4194304.0"
	"$SECLUDE" learn --recorder ebpf -o /dev/stdout -- true >/dev/null 2>&1
	[ ! -d "$parent/seclude-learn.4194304.0" ]
}

@test "learn shows progress on a terminal, and none otherwise" {
	for rec in ebpf ptrace; do
		script -qec "'$SECLUDE' learn --recorder $rec -o '$BATS_TEST_TMPDIR/t.json' -- sh -c 'sleep 0.5; ls / >/dev/null'" \
			/dev/null >"$BATS_TEST_TMPDIR/tty.out"
		grep -q "seclude learn: .*syscalls, last new: execve" "$BATS_TEST_TMPDIR/tty.out"
		grep -q "last new: getdents64" "$BATS_TEST_TMPDIR/tty.out"
	done
	"$SECLUDE" learn -o "$BATS_TEST_TMPDIR/t.json" -- true 2>"$BATS_TEST_TMPDIR/plain.err"
	! grep -q "last new" "$BATS_TEST_TMPDIR/plain.err"
}
