#!/usr/bin/env bats
# seclude-runc learning a profile from a container (annotation
# io.seclude.learn), driven as engines drive it, on the busybox-static
# rootfs of rootfs.bash; then the container confined by what was learned.
bats_require_minimum_version 1.5.0
load oci_bundle

wait_file() {   # wait_file PATH: the learner writes it when the container's tree has ended
	local i
	for i in $(seq 200); do
		[ -s "$1" ] && return 0
		sleep 0.05
	done
	return 1
}

# learn ID PROFILE COMMAND...: create and start with io.seclude.learn=PROFILE, until it is written
learn() {
	local id=$1 prof=$2
	shift 2
	edit --arg f "$prof" '.annotations = {"io.seclude.learn": $f}'
	cmd "$@"
	create "$id"
	[ ! -e "$prof" ]
	"$RUNC" --root "$STATE" start "$id"
	wait_file "$prof"
}

@test "io.seclude.learn: every call of the container's tree is recorded, the profile written when it ends" {
	learn learn-tree "$BATS_TEST_TMPDIR/learned.json" sh -c 'mkdir /tmp/lt-$$ && rmdir /tmp/lt-$$; (echo child) | cat; echo done'
	[ "$(cat "$BUNDLE/learn-tree.out")" = $'child\ndone' ]
	run jq -r '.defaultAction, ([.syscalls[].names[]] | index("mkdir") != null),
		([.syscalls[].names[]] | index("rmdir") != null), ([.syscalls[].names[]] | index("pipe2") != null),
		([.syscalls[].names[]] | index("chmod") != null)' "$BATS_TEST_TMPDIR/learned.json"
	[ "${lines[0]}" = SCMP_ACT_ERRNO ]
	[ "${lines[1]}" = true ]    # the shell's
	[ "${lines[2]}" = true ]
	[ "${lines[3]}" = true ]    # the pipe, between two forks
	[ "${lines[4]}" = false ]   # never made
	# the learn --for comments: made for Docker, its runtime's calls added with why
	grep -q 'learned for: runtime=docker' "$BATS_TEST_TMPDIR/learned.json"
	grep -q 'sh -c mkdir' "$BATS_TEST_TMPDIR/learned.json"
	# nothing of seclude stays once it is written
	! pgrep -f "create --bundle $BUNDLE learn-tree"
	[ ! -e "$BATS_TEST_TMPDIR/learned.json.error" ]
}

@test "io.seclude.learn: the learned profile as linux.seccomp runs the same command, and refuses what it never did" {
	learn learn-l1 "$BATS_TEST_TMPDIR/p.json" sh -c 'mkdir /tmp/l1-$$ && echo x > /tmp/l1-$$/f && rm -r /tmp/l1-$$; echo ok'
	edit --slurpfile p "$BATS_TEST_TMPDIR/p.json" '.linux.seccomp = $p[0] | del(.annotations)'
	cmd sh -c 'mkdir /tmp/l2-$$ && echo x > /tmp/l2-$$/f && chmod 700 /tmp/l2-$$/f; echo "chmod rc=$?"; rm -r /tmp/l2-$$; echo ok'
	run "$RUNC" --root "$STATE" run --bundle "$BUNDLE" learn-l2
	[ "$status" -eq 0 ]
	[[ "$output" == *"chmod: /tmp/l2-"*"/f: Operation not permitted"* ]]
	[[ "$output" == *"chmod rc=1"* ]]
	[[ "$output" == *ok ]]
}

@test "io.seclude.learn-for: the runtime's set it names; an unknown one is refused before anything starts" {
	edit --arg f "$BATS_TEST_TMPDIR/n.json" '.annotations = {"io.seclude.learn": $f, "io.seclude.learn-for": "none"}'
	cmd true
	create learn-ln
	"$RUNC" --root "$STATE" start learn-ln
	wait_file "$BATS_TEST_TMPDIR/n.json"
	run jq -r '.syscalls[0].comment' "$BATS_TEST_TMPDIR/n.json"
	[[ "$output" == *"runtime=none"* ]]
	edit --arg f "$BATS_TEST_TMPDIR/u.json" '.annotations = {"io.seclude.learn": $f, "io.seclude.learn-for": "rkt"}'
	run "$RUNC" --root "$STATE" create --bundle "$BUNDLE" learn-lu
	[ "$status" -eq 1 ]
	[[ "$output" == *'annotation io.seclude.learn-for: "rkt": expected docker, runc, crun, podman, containerd, seclude or none'* ]]
	[ ! -e "$STATE/learn-lu" ]
}

@test "io.seclude.learn: a directory it cannot write, or the denial report besides, is refused before anything starts" {
	edit '.annotations = {"io.seclude.learn": "/nonexistent-dir/p.json"}'
	run "$RUNC" --root "$STATE" create --bundle "$BUNDLE" learn-ld
	[ "$status" -eq 1 ]
	[[ "$output" == *"annotation io.seclude.learn: cannot write the profile into /nonexistent-dir"* ]]
	[ ! -e "$STATE/learn-ld" ]
	edit --arg f "$BATS_TEST_TMPDIR/p.json" '.annotations = {"io.seclude.learn": $f, "io.seclude.log-denials": "/tmp/d.json"}'
	run "$RUNC" --root "$STATE" create --bundle "$BUNDLE" learn-lb
	[ "$status" -eq 1 ]
	[[ "$output" == *"learning and the denial report cannot both have the container's listener"* ]]
	[ ! -e "$STATE/learn-lb" ]
}

@test "io.seclude.learn: the learner killed before start: the container ends, its command never runs, no profile" {
	# a sanitized build's noreturn hook calls sigaltstack on the way out, which only the learner could answer
	if ldd "$SECLUDE" | grep -q libasan; then
		skip "the address sanitizer makes a system call on the launcher's way out"
	fi
	edit --arg f "$BATS_TEST_TMPDIR/k.json" '.annotations = {"io.seclude.learn": $f}'
	cmd sh -c 'echo ran'
	create learn-lk
	local pid m
	pid=$("$RUNC" --root "$STATE" state learn-lk | jq -r .pid)
	m=$(pgrep -f "create --bundle $BUNDLE learn-lk" | grep -vx "$pid")
	[ -n "$m" ]
	kill -9 $m
	"$RUNC" --root "$STATE" start learn-lk
	timeout 20 sh -c "while [ \"\$('$RUNC' --root '$STATE' state learn-lk | jq -r .status)\" != stopped ]; do sleep 0.05; done"
	[ ! -s "$BUNDLE/learn-lk.out" ]
	[ ! -e "$BATS_TEST_TMPDIR/k.json" ]
}

@test "--learn DIR (a global flag, as Docker's runtimeArgs put it): DIR/ID.json, --learn-for the runtime it is for" {
	mkdir -p "$BATS_TEST_TMPDIR/learned"
	cmd sh -c 'echo x'
	"$RUNC" --root "$STATE" --learn "$BATS_TEST_TMPDIR/learned" --learn-for=crun create --bundle "$BUNDLE" learn-flag \
		</dev/null >"$BUNDLE/flag.out" 2>&1
	"$RUNC" --root "$STATE" --learn "$BATS_TEST_TMPDIR/learned" start learn-flag
	wait_file "$BATS_TEST_TMPDIR/learned/learn-flag.json"
	[ "$(cat "$BUNDLE/flag.out")" = x ]
	grep -q 'learned for: runtime=crun' "$BATS_TEST_TMPDIR/learned/learn-flag.json"
	# the annotation wins over the flag
	edit --arg f "$BATS_TEST_TMPDIR/ann.json" '.annotations = {"io.seclude.learn": $f}'
	"$RUNC" --root "$STATE" --learn "$BATS_TEST_TMPDIR/learned" create --bundle "$BUNDLE" learn-flag2 \
		</dev/null >/dev/null 2>&1
	"$RUNC" --root "$STATE" start learn-flag2
	wait_file "$BATS_TEST_TMPDIR/ann.json"
	[ ! -e "$BATS_TEST_TMPDIR/learned/learn-flag2.json" ]
	run "$RUNC" --root "$STATE" --learn
	[ "$status" -eq 1 ]
	[[ "$output" == *"flag needs an argument: --learn"* ]]
}
