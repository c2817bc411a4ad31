#!/usr/bin/env bats
# seclude learn --recorder notify: every call of the tree through a seccomp
# listener seclude holds, on the busybox-static rootfs of rootfs.bash; the
# same profile the ptrace recorder writes.
bats_require_minimum_version 1.5.0
load helpers
load rootfs

setup_file() {
	build_rootfs
}

WORK='mkdir /tmp/n-$$ && rmdir /tmp/n-$$; (echo a) | cat; exit 4'

@test "learn --recorder notify: the tree's calls, the command's status, the profile ptrace writes" {
	run "$SECLUDE" learn --recorder notify --rootfs "$ROOTFS" -o "$BATS_TEST_TMPDIR/n.json" -- sh -c "$WORK"
	[ "$status" -eq 4 ]
	[[ "$output" == *"seen by the notify recorder"* ]]
	[[ "$output" == a* ]]
	"$SECLUDE" learn --recorder ptrace --rootfs "$ROOTFS" -o "$BATS_TEST_TMPDIR/p.json" -- sh -c "$WORK" || true
	run jq -c '[.syscalls[].names[]] | sort' "$BATS_TEST_TMPDIR/n.json"
	local notify=$output
	run jq -c '[.syscalls[].names[]] | sort' "$BATS_TEST_TMPDIR/p.json"
	[ "$notify" = "$output" ]
	for c in mkdir rmdir pipe2 clone wait4; do
		jq -e --arg c "$c" '[.syscalls[].names[]] | index($c) != null' "$BATS_TEST_TMPDIR/n.json" >/dev/null
	done
}

@test "learn --recorder: an unknown recorder names the four" {
	run "$SECLUDE" learn --recorder bogus -- true
	[ "$status" -eq 125 ]
	[[ "$output" == *"expected auto, ebpf, ptrace or notify"* ]]
}
