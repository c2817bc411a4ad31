#!/usr/bin/env bats
# seclude on a pure cgroup v2 system, read back from the kernel's own files.
# Runs inside the VM that tests/vm/run boots (cgroup_no_v1=all, nsdelegate,
# a virtio disk at $VM_DISK, the test programs in $VM_BIN).
load ../cli/helpers
bats_require_minimum_version 1.5.0

setup() {
	[ -f /sys/fs/cgroup/cgroup.controllers ] && [ -n "${VM_BIN:-}" ] ||
		skip "not in the VM (run through tests/vm/run)"
	export SECLUDE_STATE_DIR=$BATS_TEST_TMPDIR/state
	DISK=$(cat "/sys/block/${VM_DISK#/dev/}/dev")
}

teardown() {
	[ -n "${SECLUDE_STATE_DIR:-}" ] || return 0
	for n in $("$SECLUDE" ps -aq --no-trunc 2>/dev/null); do
		"$SECLUDE" rm -f "$n" >/dev/null 2>&1 || true
	done
}

cg() { "$SECLUDE" inspect "$1" | jq -r '.[0].Cgroup.Path'; }

wait_for() {  # wait_for SECONDS COMMAND...
	local deadline=$((SECONDS + $1)); shift
	until "$@"; do
		[ $SECONDS -lt $deadline ] || return 1
		sleep 0.2
	done
}

@test "seclude sees v2 and its controllers; the VM has a disk for io" {
	run "$SECLUDE" info
	[ "$status" -eq 0 ]
	[[ "$output" == *"Cgroups:"*"v2"* ]]
	for c in cpuset cpu io memory pids; do
		[[ " $(cat /sys/fs/cgroup/cgroup.subtree_control) " == *" $c "* ]]
	done
	grep -q '^cgroup2 /sys/fs/cgroup cgroup2 .*nsdelegate' /proc/mounts
	[ -b "$VM_DISK" ]
}

@test "every resource option of run is in the sandbox's v2 files, read from inside" {
	run --separate-stderr "$SECLUDE" run --memory 64m --memory-swap 96m --memory-reservation 32m \
		--cpus 0.5 --cpu-shares 512 --cpuset-cpus 1 --pids-limit 30 --blkio-weight 500 \
		--device-read-bps "$VM_DISK:1mb" --device-write-bps "$VM_DISK:2mb" -- sh -c '
		cd /sys/fs/cgroup
		cat memory.max memory.swap.max memory.low cpu.max cpu.weight cpuset.cpus pids.max
		cat io.weight io.max /proc/self/cgroup'
	[ "$status" -eq 0 ]
	printf '%s\n' "${lines[@]}"
	[ "${lines[0]}" = 67108864 ]
	[ "${lines[1]}" = 33554432 ]      # swap: 96m of memory+swap minus 64m
	[ "${lines[2]}" = 33554432 ]
	[ "${lines[3]}" = "50000 100000" ]
	[ "${lines[4]}" = 20 ]            # runc's 1 + ((512 - 2) * 9999) / 262142
	[ "${lines[5]}" = 1 ]
	[ "${lines[6]}" = 30 ]
	[ "${lines[7]}" = "default 4950" ]
	[ "${lines[8]}" = "$DISK rbps=1048576 wbps=2097152 riops=max wiops=max" ]
	[ "${lines[9]}" = "0::/" ]
}

@test "update changes every limit of a running sandbox in its v2 files" {
	"$SECLUDE" run -d --name up --memory 64m -- sleep 300
	d=$(cg up)
	[[ "$d" == /sys/fs/cgroup/seclude/* ]]
	run "$SECLUDE" update --memory 96m --memory-swap 192m --memory-reservation 48m \
		--cpu-shares 2048 --cpu-period 50000 --cpu-quota 25000 --cpuset-cpus 0 --pids-limit 40 \
		--blkio-weight 1000 --device-read-bps "$VM_DISK:3mb" --device-write-bps "$VM_DISK:4mb" up
	[ "$status" -eq 0 ]
	[ "$(cat $d/memory.max)" = 100663296 ]
	[ "$(cat $d/memory.swap.max)" = 100663296 ]
	[ "$(cat $d/memory.low)" = 50331648 ]
	[ "$(cat $d/cpu.weight)" = 79 ]
	[ "$(cat $d/cpu.max)" = "25000 50000" ]
	[ "$(cat $d/cpuset.cpus)" = 0 ]
	[ "$(cat $d/pids.max)" = 40 ]
	[ "$(cat $d/io.weight)" = "default 10000" ]
	[ "$(cat $d/io.max)" = "$DISK rbps=3145728 wbps=4194304 riops=max wiops=max" ]
	# unlimited again
	run "$SECLUDE" update --memory-swap -1 --pids-limit -1 up
	[ "$status" -eq 0 ]
	[ "$(cat $d/memory.swap.max)" = max ]
	[ "$(cat $d/pids.max)" = max ]
	h=$("$SECLUDE" inspect up | jq -c '.[0].HostConfig | [.Memory, .CpuShares, .CpuQuota, .CpusetCpus, .BlkioWeight]')
	[ "$h" = '[100663296,2048,25000,"0",1000]' ]
}

@test "the memory limit is the kernel's: an allocation past it is OOM-killed, 137, OOMKilled" {
	run "$SECLUDE" run --name hog --memory 32m -v "$VM_BIN:/mnt:ro" -- /mnt/hog-64 100
	[ "$status" -eq 137 ]
	run "$SECLUDE" inspect hog
	[ "$(jq -c '.[0].State | [.ExitCode, .OOMKilled]' <<<"$output")" = '[137,true]' ]
	# an i386 program meets the same limit
	run "$SECLUDE" run --memory 32m -v "$VM_BIN:/mnt:ro" -- /mnt/hog-32 100
	[ "$status" -eq 137 ]
	run "$SECLUDE" run --name fine --memory 32m -v "$VM_BIN:/mnt:ro" -- /mnt/hog-x32 8
	[ "$status" -eq 0 ]
	[ "$output" = "allocated 8 MB" ]
	[ "$("$SECLUDE" inspect fine | jq '.[0].State.OOMKilled')" = false ]
}

@test "pids.max stops forks inside the sandbox; pids.events counts the refusals" {
	# builtins only once the limit is reached: nothing after it could fork
	run "$SECLUDE" run --pids-limit 5 -- sh -c '
		(for i in 1 2 3 4 5 6 7 8; do sleep 30 & done) 2>/dev/null
		read e < /sys/fs/cgroup/pids.events; echo "$e"
		read c < /sys/fs/cgroup/pids.current; echo "$c"
		read m < /sys/fs/cgroup/pids.max; echo "$m"'
	printf '%s\n' "${lines[@]}"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ ^max\ [1-9] ]]
	[ "${lines[1]}" -le 5 ]
	[ "${lines[2]}" = 5 ]
}

@test "cpu and cpuset are the kernel's: the sandbox runs on its CPU only, a busy loop under --cpus is throttled" {
	run "$SECLUDE" run --cpuset-cpus 1 -- sh -c 'grep Cpus_allowed_list /proc/self/status; cat /sys/fs/cgroup/cpuset.cpus.effective'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "Cpus_allowed_list:	1" ]
	[ "${lines[1]}" = 1 ]
	"$SECLUDE" run -d --name busy --cpus 0.1 -- sh -c 'while :; do :; done'
	d=$(cg busy)
	wait_for 60 awk '$1 == "nr_throttled" && $2 > 0 { ok = 1 } END { exit !ok }' "$d/cpu.stat"
}

@test "a block I/O weight nothing honours is a warning on v2 too; with io.cost or BFQ on the disk it is not" {
	run "$SECLUDE" run --blkio-weight 500 -- true
	[ "$status" -eq 0 ]
	[[ "$output" == *"seclude: warning: "*"block I/O weight"* ]]
	# the io.cost controller on the disk honours io.weight
	echo "$DISK enable=1" > /sys/fs/cgroup/io.cost.qos
	run "$SECLUDE" run --blkio-weight 500 -- cat /sys/fs/cgroup/io.weight
	echo "$DISK enable=0" > /sys/fs/cgroup/io.cost.qos
	[ "$status" -eq 0 ]
	[ "$output" = "default 4950" ]
	# BFQ on the disk: io.bfq.weight takes the value as it is, no warning
	local q=/sys/block/${VM_DISK#/dev/}/queue/scheduler
	insmod "$(find "$VM_KDIR/lib/modules/$VM_KVER" -name bfq.ko)" 2>/dev/null || true
	echo bfq > "$q"
	run "$SECLUDE" run --blkio-weight 300 -- cat /sys/fs/cgroup/io.bfq.weight
	echo none > "$q"
	[ "$status" -eq 0 ]
	[ "$output" = "default 300" ]
}

@test "block I/O of the sandbox is counted from io.stat, and stats agrees" {
	"$SECLUDE" run -d --name io --privileged --device-read-bps "$VM_DISK:4mb" -- sh -c \
		"dd if=$VM_DISK of=/dev/null bs=64k count=64 iflag=direct && echo read; sleep 300"
	d=$(cg io)
	wait_for 60 sh -c "'$SECLUDE' logs io | grep -q '^read'" || { "$SECLUDE" logs io; false; }
	rb=$(awk -v dev="$DISK" '$1 == dev { for (i = 2; i <= NF; i++) if ($i ~ /^rbytes=/) print substr($i, 8) }' "$d/io.stat")
	echo "io.stat: $(cat $d/io.stat)"
	[ "$rb" -ge 4194304 ]
	[ "$("$SECLUDE" stats --no-stream --json io | jq .block_read)" -ge 4194304 ]
}

@test "devices: the v2 device program lets Docker's devices through and refuses the disk" {
	run "$SECLUDE" run -- sh -c "
		mknod /dev/null2 c 1 3 && echo x > /dev/null2 && echo null ok
		mknod /dev/disk2 b ${DISK%:*} ${DISK#*:} && echo mknod ok
		head -c1 /dev/disk2 >/dev/null || echo disk refused
		mknod /dev/mem2 c 1 1 && { head -c1 /dev/mem2 >/dev/null || echo mem refused; }"
	printf '%s\n' "${lines[@]}"
	[ "${lines[0]}" = "null ok" ]
	[ "${lines[1]}" = "mknod ok" ]
	[[ "${lines[2]}" == *"/dev/disk2"*"Operation not permitted" ]]
	[ "${lines[3]}" = "disk refused" ]
	[[ "${lines[4]}" == *"/dev/mem2"*"Operation not permitted" ]]
	# --privileged: every device of the host's /dev (which stays read-only)
	run "$SECLUDE" run --privileged -- sh -c "head -c 512 $VM_DISK | wc -c; echo x > /dev/null && echo null ok; mknod /dev/disk2 b ${DISK%:*} ${DISK#*:} 2>/dev/null || echo no mknod"
	printf '%s\n' "${lines[@]}"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 512 ]
	[ "${lines[1]}" = "null ok" ]
	[ "${lines[2]}" = "no mknod" ]
}

@test "the sandbox is born in its cgroup (clone3 with CLONE_INTO_CGROUP), nothing writes cgroup.procs" {
	ASAN_OPTIONS=detect_leaks=0 run strace -f -qq -e trace=clone3,openat,write -e signal=none -o "$BATS_TEST_TMPDIR/st" \
		"$SECLUDE" run --memory 64m -- cat /sys/fs/cgroup/memory.max
	[ "$status" -eq 0 ]
	[ "$output" = 67108864 ]
	grep -q 'clone3(.*CLONE_INTO_CGROUP' "$BATS_TEST_TMPDIR/st"
	! grep -E 'cgroup\.procs' "$BATS_TEST_TMPDIR/st"
}

@test "the cgroup namespace: the sandbox is / of its own read-only hierarchy; nsdelegate keeps it there" {
	# the last mount there is the one the sandbox sees
	run "$SECLUDE" run -- sh -c 'cat /proc/self/cgroup; grep " /sys/fs/cgroup " /proc/self/mountinfo | tail -n1 | sed "s/ - / /" | cut -d" " -f4-6,7; echo 7 > /sys/fs/cgroup/pids.max'
	printf '%s\n' "${lines[@]}"
	[ "${lines[0]}" = "0::/" ]
	[[ "${lines[1]}" == "/ /sys/fs/cgroup ro,"*" cgroup2" ]]
	[[ "${lines[2]}" == *"Read-only file system"* ]]
	# writable with --privileged, but the namespace's root files are not the
	# sandbox's to change (nsdelegate); a child cgroup it makes is, and it
	# goes with the sandbox
	run "$SECLUDE" run --name deleg --privileged -- sh -c '
		echo 7 > /sys/fs/cgroup/pids.max || echo refused
		cat /sys/fs/cgroup/pids.max
		mkdir /sys/fs/cgroup/sub && echo $$ > /sys/fs/cgroup/sub/cgroup.procs &&
		echo +pids > /sys/fs/cgroup/cgroup.subtree_control &&
		echo 7 > /sys/fs/cgroup/sub/pids.max && cat /sys/fs/cgroup/sub/pids.max'
	printf '%s\n' "${lines[@]}"
	[ "$status" -eq 0 ]
	[ "${lines[-3]}" = refused ]
	[ "${lines[-2]}" = max ]
	[ "${lines[-1]}" = 7 ]
	d=$(cg deleg)
	ls -R "$d" 2>/dev/null | head -5 || true
	[ ! -e "$d" ]
	# --cgroupns host: the host's view
	run "$SECLUDE" run --cgroupns host -- sh -c 'cat /proc/self/cgroup; cat /sys/fs/cgroup/pids.max; grep " /sys/fs/cgroup " /proc/self/mountinfo | tail -n1 | sed "s/ - / /" | cut -d" " -f4-6,7'
	printf '%s\n' "${lines[@]}"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ ^0::/seclude/[0-9a-f]{64}$ ]]
	# only its own directory, bound read-only
	[ "${lines[1]}" = max ]
	[[ "${lines[2]}" == "${lines[0]#0::} /sys/fs/cgroup ro,"*" cgroup2" ]]
}

@test "stats and the v2 files agree: usage without inactive file, the limit, pids, OOM kills" {
	"$SECLUDE" run -d --name st --memory 48m --pids-limit 9 -- sleep 300
	d=$(cg st)
	run "$SECLUDE" stats --no-stream --json st
	[ "$status" -eq 0 ]
	[ "$(jq .memory_limit <<<"$output")" = "$(cat $d/memory.max)" ]
	[ "$(jq .memory_limit <<<"$output")" = 50331648 ]
	[ "$(jq .pids <<<"$output")" = "$(cat $d/pids.current)" ]
	used=$(jq .memory_usage <<<"$output")
	file=$(( $(cat $d/memory.current) - $(awk '$1 == "inactive_file" { print $2 }' $d/memory.stat) ))
	[ $(( used > file ? used - file : file - used )) -le 1048576 ]
	[ "$(jq .oom_kills <<<"$output")" = "$(awk '$1 == "oom_kill" { print $2 }' $d/memory.events)" ]
	run "$SECLUDE" stats --no-stream st
	[[ "${lines[1]}" == *" st "*" / 48MiB "* ]]
}

@test "detached sandboxes: ps, inspect, stop, rm; their cgroups go with them" {
	"$SECLUDE" run -d --name a -- sleep 300
	"$SECLUDE" run -d --name b -- sleep 300
	da=$(cg a) db=$(cg b)
	[ -d "$da" ] && [ -d "$db" ]
	run "$SECLUDE" ps
	[ "${#lines[@]}" -eq 3 ]
	run "$SECLUDE" stop -t 1 a
	[ "$status" -eq 0 ]
	[ "$("$SECLUDE" inspect a | jq -r '.[0].State.Status')" = exited ]
	[ ! -e "$da" ]
	run "$SECLUDE" rm -f a b
	[ "$status" -eq 0 ]
	[ ! -e "$db" ]
	run "$SECLUDE" ps -aq
	[ -z "$output" ]
	# a sandbox killed from outside, through cgroup.kill: its cgroup goes too
	"$SECLUDE" run -d --name c -- sleep 300
	dc=$(cg c)
	echo 1 > "$dc/cgroup.kill"
	wait_for 60 sh -c "[ \"\$('$SECLUDE' inspect c | jq -r '.[0].State.Status')\" = exited ]"
	run "$SECLUDE" rm c
	[ "$status" -eq 0 ]
	[ ! -e "$dc" ]
}

# runc_bundle JQ: runc (seclude-runc), state (its --root) and bundle (a config.json from
# its spec on the busybox rootfs the host's tests built, read-only here, edited by JQ)
runc_bundle() {
	runc=$(dirname "$SECLUDE")/seclude-runc
	state=$BATS_TEST_TMPDIR/runc
	bundle=$BATS_TEST_TMPDIR/bundle
	mkdir -p "$bundle"
	(cd "$bundle" && "$runc" spec)
	[ -x "$SECLUDE_SRC/tests/cli/.work/rootfs/bin/sh" ] || skip "no tests/cli/.work/rootfs (run a tests/cli file on the host first)"
	jq --arg r "$SECLUDE_SRC/tests/cli/.work/rootfs" '.root.path = $r | .root.readonly = true | .process.terminal = false | '"$1" \
		"$bundle/config.json" > "$bundle/c.json" && mv "$bundle/c.json" "$bundle/config.json"
}

@test "seclude-runc: linux.resources.unified is written into the container's v2 files and reads back; a controller not there is refused, nothing left" {
	local runc state bundle
	runc_bundle '.process.args = ["sh", "-c", "cat /sys/fs/cgroup/pids.max /sys/fs/cgroup/memory.high /sys/fs/cgroup/cpu.weight"]
	    | .linux.resources.unified = {"pids.max": "17", "memory.high": "33554432", "cpu.weight": "42"}'
	run "$runc" --root "$state" run --bundle "$bundle" u1
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 17 ]
	[ "${lines[1]}" = 33554432 ]
	[ "${lines[2]}" = 42 ]
	jq '.linux.resources.unified = {"hugetlb.2MB.max": "0"}' "$bundle/config.json" > "$bundle/c.json" &&
		mv "$bundle/c.json" "$bundle/config.json"
	run "$runc" --root "$state" run --bundle "$bundle" u2
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"config.json:"*"linux.resources.unified: unified resource \"hugetlb.2MB.max\" can't be set: controller \"hugetlb\" not available"* ]]
	[ ! -e "$state/u2" ]
	[ -z "$(find /sys/fs/cgroup -name u2)" ]
}

@test "seclude-runc update: resources.unified and the limits written into the running container's v2 files; a controller not there is refused" {
	local runc state bundle
	runc_bundle '.process.args = ["sleep", "1000"]'
	"$runc" --root "$state" run -d --bundle "$bundle" up1 </dev/null >/dev/null 2>&1
	run "$runc" --root "$state" update -r - up1 <<<'{"pids": {"limit": 20}, "unified": {"memory.high": "33554432", "cpu.weight": "42"}}'
	echo "$output"
	[ "$status" -eq 0 ]
	run "$runc" --root "$state" exec up1 cat /sys/fs/cgroup/pids.max /sys/fs/cgroup/memory.high /sys/fs/cgroup/cpu.weight
	echo "$output"
	[ "${lines[0]}" = 20 ]
	[ "${lines[1]}" = 33554432 ]
	[ "${lines[2]}" = 42 ]
	# unified after the limits, as runc writes it: its pids.max wins
	run "$runc" --root "$state" update -r - up1 <<<'{"pids": {"limit": 21}, "unified": {"pids.max": "22"}}'
	[ "$status" -eq 0 ]
	[ "$("$runc" --root "$state" exec up1 cat /sys/fs/cgroup/pids.max)" = 22 ]
	# runc's flags on v2
	run "$runc" --root "$state" update --memory 64m --cpu-quota 50000 --cpu-period 100000 --pids-limit 30 up1
	[ "$status" -eq 0 ]
	run "$runc" --root "$state" exec up1 cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/cpu.max /sys/fs/cgroup/pids.max
	echo "$output"
	[ "${lines[0]}" = 67108864 ]
	[ "${lines[1]}" = "50000 100000" ]
	[ "${lines[2]}" = 30 ]
	run "$runc" --root "$state" update -r - up1 <<<'{"unified": {"hugetlb.2MB.max": "0"}}'
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"<stdin>:1:13: linux.resources.unified: unified resource \"hugetlb.2MB.max\" can't be set: controller \"hugetlb\" not available"* ]]
	# exec --cgroup: a sub-cgroup of the container's, the path alone on v2
	local pid dir
	pid=$("$runc" --root "$state" state up1 | jq -r .pid)
	dir=/sys/fs/cgroup$(sed -n 's/^0:://p' /proc/$pid/cgroup)/sub
	mkdir "$dir"
	run "$runc" --root "$state" exec --cgroup sub up1 cat /proc/self/cgroup
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "0::/sub" ]
	run "$runc" --root "$state" exec --cgroup pids:sub up1 true
	[ "$status" -eq 255 ]
	[[ "$output" == *"invalid --cgroup argument: pids:sub (cgroup v2"* ]]
	rmdir "$dir"
	"$runc" --root "$state" delete -f up1
}
