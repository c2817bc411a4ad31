#!/usr/bin/env bats
# seclude on a pure cgroup v2 system, read back from the kernel's own files.
# Runs inside the VM that tests/vm/run boots (cgroup_no_v1=all, nsdelegate).
load ../cli/helpers

setup() {
	[ -f /sys/fs/cgroup/cgroup.controllers ] && [ ! -e /sys/fs/cgroup/memory/tasks ] ||
		skip "not a pure cgroup v2 system (run through tests/vm/run)"
	export SECLUDE_STATE_DIR=$BATS_TEST_TMPDIR/state
}

@test "seclude sees v2 and its controllers; the VM has a disk for io" {
	run "$SECLUDE" info
	[ "$status" -eq 0 ]
	[[ "$output" == *"Cgroups:"*"v2"* ]]
	for c in cpuset cpu io memory pids; do
		[[ " $(cat /sys/fs/cgroup/cgroup.subtree_control) " == *" $c "* ]]
	done
	[ -b "$VM_DISK" ]
}
