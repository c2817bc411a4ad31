#!/usr/bin/env bats
# seclude run --log-denials / --complain / --update, on the busybox-static rootfs.
bats_require_minimum_version 1.5.0
load helpers
load rootfs

setup_file() {
	build_rootfs
	# a program with threads, for the per-thread reports (busybox has none)
	gcc -static -O2 -pthread -o "$BATS_FILE_TMPDIR/threads" "$SRC/tests/cli/denials-threads.c"
	gcc -static -O2 -o "$BATS_FILE_TMPDIR/requests" "$SRC/tests/cli/denials-requests.c"
}

setup() {
	T=$BATS_TEST_TMPDIR
}

# run_in ARGS... : seclude run --rootfs $ROOTFS ARGS, stdout and stderr apart
run_in() {
	# a tmpfs on /tmp: complain mode lets chmod through, and the rootfs is shared
	run --separate-stderr "$SECLUDE" run --rootfs "$ROOTFS" --tmpfs /tmp "$@"
}

# profile FILE ACTION [ERRNO]: everything allowed but chmod, which gets ACTION
profile() {
	local errno=${3:+, \"errnoRet\": $3}
	cat > "$1" <<EOF
{
	"defaultAction": "SCMP_ACT_ALLOW",
	"syscalls": [
		{ "names": ["chmod", "fchmodat", "fchmodat2"], "action": "$2"$errno }
	]
}
EOF
}

# The lines of $stderr that are denial reports.
reports() {
	printf '%s\n' "$stderr" | grep -E '^seclude: (denied|complain) ' || true
}

@test "chmod refused with EPERM: the same failure as without reporting, and the report names it" {
	local p=$PROFILES/labs/default-no-chmod.json
	run_in --security-opt seccomp="$p" -- chmod 777 /
	local plain_status=$status plain_err=$stderr
	run_in --security-opt seccomp="$p" --log-denials -- chmod 777 /
	[ "$status" -eq "$plain_status" ]
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"$plain_err"* ]]
	[[ "$stderr" == *"chmod: /: Operation not permitted"* ]]
	# busybox is static and calls chmod itself
	run grep -F 'seclude: denied pid 1 (chmod) x86_64 chmod("/", 0777) -> errno 1 (EPERM) by defaultAction' <<< "$stderr"
	[ "$status" -eq 0 ]
	[[ "$output" == *"default-no-chmod.json:2:19)" ]]
	# the summary names it with its count
	[[ "$stderr" == *"seclude:   chmod                x86_64   errno 1 (EPERM)          1"* ]]
}

@test "--log-denials=FILE writes one JSON object a denial, the summary stays on stderr" {
	run_in --security-opt seccomp="$PROFILES/labs/default-no-chmod.json" --log-denials="$T/d.jsonl" -- chmod 640 /etc/passwd
	[ "$status" -eq 1 ]
	[ -z "$(reports)" ]
	[[ "$stderr" == *"call"*"refused by the profile:"* ]]
	run jq -c 'select(.syscall == "chmod") | [.pid, .comm, .arch, .decoded, .action, .errno, .errno_name, .rule, .complain]' "$T/d.jsonl"
	[ "$output" = '[1,"chmod","x86_64","\"/etc/passwd\", 0640","errno",1,"EPERM","defaultAction",false]' ]
	# every line is JSON with a time
	run jq -r '.time' "$T/d.jsonl"
	[[ "${lines[0]}" =~ ^20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9:.]+Z$ ]]
}

# check_action ACTION [ERRNO]: the exit status with and without reporting, and the report's result
check_action() {
	profile "$T/p.json" "$@"
	run_in --security-opt seccomp="$T/p.json" -- chmod 777 /tmp
	plain=$status
	run_in --security-opt seccomp="$T/p.json" --log-denials -- chmod 777 /tmp
	[ "$status" -eq "$plain" ] || { echo "status $status, without reporting $plain"; return 1; }
	report=$(reports)
	[ "$(printf '%s\n' "$report" | grep -c .)" -eq 1 ] || { echo "reports: $report"; return 1; }
}

@test "SCMP_ACT_KILL: exit 159 as without reporting, reported as a thread kill of chmod" {
	check_action SCMP_ACT_KILL
	[ "$status" -eq 159 ]
	[[ "$report" == "seclude: denied pid 1 (chmod) x86_64 chmod -> kill thread (SIGSYS) by syscalls[0] ("*"p.json:4:3); arguments not known: from the kernel's audit record" ]]
}

@test "SCMP_ACT_KILL_PROCESS: exit 159, reported as a process kill" {
	check_action SCMP_ACT_KILL_PROCESS
	[ "$status" -eq 159 ]
	[[ "$report" == "seclude: denied pid 1 (chmod) x86_64 chmod -> kill process (SIGSYS) by syscalls[0]"* ]]
}

@test "SCMP_ACT_TRAP: the unhandled SIGSYS ends chmod (159), reported as a trap" {
	check_action SCMP_ACT_TRAP
	[ "$status" -eq 159 ]
	[[ "$report" == "seclude: denied pid 1 (chmod) x86_64 chmod -> trap (SIGSYS) by syscalls[0]"* ]]
}

@test "SCMP_ACT_ERRNO with a custom errno: the same error, reported with its name" {
	check_action SCMP_ACT_ERRNO 13
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"chmod: /tmp: Permission denied"* ]]
	[[ "$report" == 'seclude: denied pid 1 (chmod) x86_64 chmod("/tmp", 0777) -> errno 13 (EACCES) by syscalls[0]'* ]]
}

@test "a kill in a child: reported once, with the child's pid; the shell goes on" {
	profile "$T/p.json" SCMP_ACT_KILL_PROCESS
	run_in --security-opt seccomp="$T/p.json" --log-denials -- sh -c 'sh -c "echo \$\$; exec chmod 777 /tmp"; echo after $?'
	[ "$status" -eq 0 ]
	local pid=${lines[0]}
	[ "${lines[1]}" = "after 159" ]
	[ "$(reports | grep -c .)" -eq 1 ]
	[[ "$(reports)" == "seclude: denied pid $pid (chmod) x86_64 chmod -> kill process (SIGSYS)"* ]]
}

@test "forks: every denial reported once, with the pid of the process that made it" {
	profile "$T/p.json" SCMP_ACT_ERRNO
	run_in --security-opt seccomp="$T/p.json" --log-denials -- \
		sh -c 'for i in 1 2 3; do sh -c "echo \$\$; exec chmod 70\$0 /tmp" $i; done; wait'
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 3 ]
	[ "$(reports | grep -c .)" -eq 3 ]
	local i=1 pid
	for pid in "${lines[@]}"; do
		[ "$(reports | grep -c "^seclude: denied pid $pid (chmod) x86_64 chmod(\"/tmp\", 070$i) -> errno 1 (EPERM)")" -eq 1 ]
		i=$((i + 1))
	done
	[[ "$stderr" == *"seclude:   chmod                x86_64   errno 1 (EPERM)          3"* ]]
}

@test "threads: every denial reported once, with its thread" {
	profile "$T/p.json" SCMP_ACT_ERRNO
	run_in --security-opt seccomp="$T/p.json" --log-denials -v "$BATS_FILE_TMPDIR/threads:/bin/threads:ro" -- threads 4
	[ "$status" -eq 0 ]
	# the program prints "tid MODE" for each thread before its chmod
	[ "${#lines[@]}" -eq 4 ]
	[ "$(reports | grep -c .)" -eq 4 ]
	local l tid mode
	for l in "${lines[@]}"; do
		read -r tid mode <<< "$l"
		[ "$tid" -ne 1 ]
		[ "$(reports | grep -c "^seclude: denied pid 1 tid $tid (threads) x86_64 chmod(\"/tmp\", $mode) -> errno 1 (EPERM)")" -eq 1 ]
	done
}

@test "complain: the command runs as if allowed, and what would be refused is reported" {
	profile "$T/p.json" SCMP_ACT_KILL_PROCESS
	run_in --security-opt seccomp="$T/p.json" --complain -- sh -c 'chmod 700 /tmp && echo changed'
	[ "$status" -eq 0 ]
	[ "$output" = changed ]
	[[ "$(reports)" == 'seclude: complain pid '*' (chmod) x86_64 chmod("/tmp", 0700) would be kill process (SIGSYS) by syscalls[0]'* ]]
	[[ "$stderr" == *"1 call the profile would refuse (complain mode):"* ]]
}

# names the profile allows in a learned set: seclude explain's verdict per name
refused_by() {   # refused_by PROFILE NAME: true when the profile does not allow NAME
	local v
	v=$("$SECLUDE" explain "$1" "$2" | head -1)
	[ "$v" != ALLOW ]
}

@test "complain --update converges: a second workload adds exactly what it needs" {
	cat > "$T/p.json" <<'EOF'
{
	"defaultAction": "SCMP_ACT_ERRNO",
	"syscalls": [
		{ "names": ["execve"], "action": "SCMP_ACT_ALLOW" }
	]
}
EOF
	local w1='echo hello' w2='echo hello; mkdir -p /tmp/a && chmod 700 /tmp/a && ls -ld /tmp/a && uname -n && cat /etc/group >/dev/null'
	# the first workload teaches the profile
	run_in --complain --update "$T/p.json" -- sh -c "$w1"
	[ "$status" -eq 0 ]
	[ "$output" = hello ]
	[[ "$stderr" == *"p.json: now allows"* ]]
	cp "$T/p.json" "$T/p1.json"
	run_in --security-opt seccomp="$T/p1.json" --log-denials -- sh -c "$w1"
	[ "$status" -eq 0 ]
	[ -z "$(reports)" ]

	# the second workload, in complain mode against the first profile
	run_in --complain --update "$T/p.json" --log-denials="$T/d.jsonl" -- sh -c "$w2"
	[ "$status" -eq 0 ]
	local added
	added=$(jq -r .syscall "$T/d.jsonl" | sort -u)
	[ -n "$added" ]
	# exactly the calls the first profile refuses: each reported name is refused by it ...
	local n
	for n in $added; do
		refused_by "$T/p1.json" "$n" || { echo "$n was reported but p1 allows it"; return 1; }
	done
	# ... and nothing it refuses was missed: the updated profile runs the workload without a denial
	run_in --security-opt seccomp="$T/p.json" --log-denials -- sh -c "$w2"
	[ "$status" -eq 0 ]
	[ -z "$(reports)" ]
	[[ "$stderr" == *"no call refused by the profile"* ]]
	[[ "$output" == *"drwx------"*"/tmp/a"* ]]
	# the rule says when and why
	run jq -r '.syscalls[-1].comment' "$T/p.json"
	[[ "$output" == "added by seclude run --complain on 20"*", running \"sh -c $w2\": "* ]]
	for n in $added; do
		[[ "$output" == *"$n (refused with errno 1 (EPERM)"* ]] || [[ "$output" == *"$n (refused with errno 38 (ENOSYS)"* ]]
	done
	# a third run adds nothing
	run_in --complain --update "$T/p.json" -- sh -c "$w2"
	[[ "$stderr" == *"p.json: nothing to add"* ]]
}

@test "option errors are clear" {
	run "$SECLUDE" run --rootfs "$ROOTFS" --update "$T/x.json" -- true
	assert_error "--update needs --complain"
	run "$SECLUDE" run --rootfs "$ROOTFS" --log-denials -d -- true
	assert_error "cannot be used with -d"
	run --separate-stderr "$SECLUDE" run --rootfs "$ROOTFS" --security-opt seccomp=unconfined --log-denials -- true
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"no seccomp profile: there is nothing to report"* ]]
	run "$SECLUDE" run --help
	[[ "$output" == *"--log-denials[=FILE]"* ]]
	[[ "$output" == *"--complain"* ]]
}

@test "a start that fails is its error alone: no summary of a run that never was" {
	local opts
	for opts in "--log-denials" "--complain" "--log-denials --name defects-nostart-$$"; do
		# shellcheck disable=SC2086
		run -127 --separate-stderr "$SECLUDE" run --rootfs "$ROOTFS" $opts -- /no/such/command
		[ "${#stderr_lines[@]}" -eq 1 ] || { echo "$opts: $stderr"; return 1; }
		[[ "$stderr" == "seclude: error: "*"/no/such/command"* ]] || { echo "$opts: $stderr"; return 1; }
		# shellcheck disable=SC2086
		run --separate-stderr "$SECLUDE" run --rootfs "$T/nonexistent" $opts -- true
		[ "$status" -eq 125 ] && [ "${#stderr_lines[@]}" -eq 1 ] || { echo "$opts: $status $stderr"; return 1; }
	done
	"$SECLUDE" rm -f "defects-nostart-$$" >/dev/null 2>&1 || true
	# a run that started still ends with the summary
	run_in --log-denials -- true
	[ "$status" -eq 0 ]
	[ "$stderr" = "seclude: no call refused by the profile" ]
}

@test "a named sandbox with --log-denials: exec gets the profile's own errno, not the rewrite's" {
	local name=denials-exec-$$
	"$SECLUDE" run --rootfs "$ROOTFS" --name "$name" --security-opt seccomp="$PROFILES/labs/default-no-chmod.json" \
		--log-denials -- sleep 5 2>/dev/null &
	local bg=$! i
	for i in $(seq 50); do
		"$SECLUDE" exec "$name" true 2>/dev/null && break
		sleep 0.1
	done
	run "$SECLUDE" exec "$name" chmod 777 /tmp
	"$SECLUDE" rm -f "$name" >/dev/null 2>&1 || true
	wait "$bg" || true
	[ "$status" -eq 1 ]
	[ "$output" = "chmod: /tmp: Operation not permitted" ]
}

@test "complain on a learned profile lists exactly what a second workload adds; after --update it runs clean" {
	local w1='echo hello' w2='echo hello; mkdir -p /tmp/a && chmod 700 /tmp/a && ls -ld /tmp/a && uname -n'
	# learn runs on the host's tree (no --rootfs): so do these runs
	run "$SECLUDE" learn -o "$T/p1.json" -- sh -c "$w1"
	[ "$status" -eq 0 ] || { echo "seclude learn failed: $output"; return 1; }
	run "$SECLUDE" learn -o "$T/p2.json" -- sh -c "$w2"
	[ "$status" -eq 0 ] || { echo "seclude learn failed: $output"; return 1; }
	allowed() { jq -r '.syscalls[] | select(.action == "SCMP_ACT_ALLOW") | .names[]' "$1" | sort -u; }
	local want got
	want=$(comm -13 <(allowed "$T/p1.json") <(allowed "$T/p2.json"))
	[ -n "$want" ]
	run --separate-stderr "$SECLUDE" run --security-opt seccomp="$T/p1.json" --complain \
		--update "$T/p1.json" --log-denials="$T/d.jsonl" -- sh -c "$w2"
	[ "$status" -eq 0 ]
	got=$(jq -r .syscall "$T/d.jsonl" | sort -u)
	[ "$got" = "$want" ] || { diff <(echo "$want") <(echo "$got"); return 1; }
	run --separate-stderr "$SECLUDE" run --security-opt seccomp="$T/p1.json" --log-denials -- sh -c "$w2"
	[ "$status" -eq 0 ]
	[ -z "$(reports)" ]
	[[ "$stderr" == *"no call refused by the profile"* ]]
}

@test "--complain starts under a profile that refuses execve, and reports execve" {
	run "$SECLUDE" run --complain --security-opt "seccomp=$PROFILES/labs/deny.json" -- true
	[ "$status" -eq 0 ]
	[[ "$output" == *"execve"* ]]
	# enforcing, the same profile is refused before anything runs
	run "$SECLUDE" run --security-opt "seccomp=$PROFILES/labs/deny.json" -- true
	assert_error "the seccomp profile denies execve: the command cannot start"
}

@test "ioctl requests, fcntl commands and socket options are reported by name" {
	cat > "$T/p.json" <<'EOF'
{
	"defaultAction": "SCMP_ACT_ALLOW",
	"syscalls": [
		{ "names": ["ioctl", "fcntl", "setsockopt"], "action": "SCMP_ACT_ERRNO" }
	]
}
EOF
	run_in -v "$BATS_FILE_TMPDIR/requests:/bin/requests:ro" --security-opt seccomp="$T/p.json" --log-denials -- requests
	[ "$status" -eq 0 ]
	local want
	for want in 'ioctl(0, TIOCGWINSZ, 0x' 'ioctl(0, TCGETS, 0x' 'ioctl(0, FIONREAD, 0x' \
		'fcntl(0, F_SETFL, O_NONBLOCK)' 'fcntl(0, F_DUPFD_CLOEXEC, 10)' \
		'setsockopt(3, SOL_SOCKET, SO_REUSEADDR, 0x' 'setsockopt(3, IPPROTO_TCP, TCP_NODELAY, 0x'; do
		[[ "$(reports)" == *"x86_64 $want"* ]] || { echo "no report with: $want"; reports; return 1; }
	done
}

# Under --init the command is init's child, and it is the command that loads
# the filter with its listener: the listener is taken from the command.
@test "--init --log-denials: the refused call named with its exact errno, the command's status kept" {
	local name=denials-init-$$ opts
	profile "$T/p.json" SCMP_ACT_ERRNO 13
	for opts in "" "--name $name"; do
		# shellcheck disable=SC2086
		run_in --init $opts --security-opt seccomp="$T/p.json" --log-denials -- sh -c 'chmod 777 /tmp; echo rc=$?; exit 7'
		[ "$status" -eq 7 ] || { echo "$opts: $status $stderr"; return 1; }
		[ "$output" = "rc=1" ]
		[[ "$stderr" == *"chmod: /tmp: Permission denied"* ]]
		# init is pid 1, the shell 2, chmod its child
		[[ "$(reports)" == 'seclude: denied pid '*' (chmod) x86_64 chmod("/tmp", 0777) -> errno 13 (EACCES) by syscalls[0]'* ]] \
			|| { echo "$opts: $stderr"; return 1; }
		[ "$(reports | wc -l)" -eq 1 ]
		[[ "$stderr" == *"seclude:   chmod                x86_64   errno 13 (EACCES)        1"* ]] || { echo "$opts: $stderr"; return 1; }
	done
	"$SECLUDE" rm -f "$name" >/dev/null
}

@test "--init --complain: the call goes through and is reported" {
	local name=denials-init-complain-$$ opts
	profile "$T/p.json" SCMP_ACT_KILL_PROCESS
	for opts in "" "--name $name"; do
		# shellcheck disable=SC2086
		run_in --init $opts --security-opt seccomp="$T/p.json" --complain -- sh -c 'chmod 700 /tmp && echo changed'
		[ "$status" -eq 0 ] || { echo "$opts: $status $stderr"; return 1; }
		[ "$output" = changed ]
		[[ "$(reports)" == 'seclude: complain pid '*' (chmod) x86_64 chmod("/tmp", 0700) would be kill process (SIGSYS) by syscalls[0]'* ]] \
			|| { echo "$opts: $stderr"; return 1; }
		[[ "$stderr" == *"1 call the profile would refuse (complain mode):"* ]]
	done
	"$SECLUDE" rm -f "$name" >/dev/null
}

@test "--init with --log-denials or --complain: a start that fails is its error alone" {
	local opts
	for opts in "--log-denials" "--complain"; do
		# shellcheck disable=SC2086
		run -127 --separate-stderr "$SECLUDE" run --rootfs "$ROOTFS" --init $opts -- /no/such/command
		[ "${#stderr_lines[@]}" -eq 1 ] || { echo "$opts: $stderr"; return 1; }
		[[ "$stderr" == "seclude: error: "*"/no/such/command"* ]] || { echo "$opts: $stderr"; return 1; }
	done
}
