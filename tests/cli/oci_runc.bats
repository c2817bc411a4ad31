#!/usr/bin/env bats
# seclude-runc and runc side by side on the same bundle: what the command
# sees of its mounts, namespaces, limits and status lines, and the exit
# statuses.  runc keeps its records under a root of its own.
bats_require_minimum_version 1.5.0
load helpers
load rootfs
load oci_bundle

setup_file() {
	build_rootfs
}

setup() {
	command -v runc >/dev/null || skip "runc is not installed"
	bundle_setup
}

# both: the command under runc, then under seclude-runc, into runc.out and seclude.out
both() {
	local rc=0
	runc --root "$BATS_TEST_TMPDIR/runc" run --bundle "$BUNDLE" "ocicli-r$BATS_TEST_NUMBER" \
		</dev/null >"$BUNDLE/runc.out" 2>&1 || rc=$?
	echo "status $rc" >> "$BUNDLE/runc.out"
	rc=0
	"$RUNC" --root "$BATS_TEST_TMPDIR/seclude" run --bundle "$BUNDLE" "ocicli-s$BATS_TEST_NUMBER" \
		</dev/null >"$BUNDLE/seclude.out" 2>&1 || rc=$?
	echo "status $rc" >> "$BUNDLE/seclude.out"
}

# mount point, type and the ro/nosuid/nodev/noexec of each mount, sorted
mounts() {
	awk '/^status/ { next } {
		split($6, o, ","); f = ""
		for (i in o) if (o[i] ~ /^(ro|nosuid|nodev|noexec)$/) f = f "," o[i]
		for (i = 7; $i != "-"; i++) ;
		print $5, $(i + 1), f }' "$1" | sort
}

@test "side by side with runc: the mounts (points, types, ro/nosuid/nodev/noexec)" {
	cmd cat /proc/self/mountinfo
	both
	mounts "$BUNDLE/runc.out" > "$BUNDLE/runc.m"
	mounts "$BUNDLE/seclude.out" > "$BUNDLE/seclude.m"
	[ "$(wc -l < "$BUNDLE/runc.m")" -gt 15 ]
	# the two differences docs/oci.md gives: the tmpfs on /sys/fs/cgroup is read-only here
	# (runc 1.1 leaves it writable), and no name=systemd hierarchy (seclude makes no cgroup there)
	grep -qx '/sys/fs/cgroup tmpfs ,ro,nosuid,nodev,noexec\|/sys/fs/cgroup tmpfs ,nosuid,nodev,noexec,ro' "$BUNDLE/seclude.m" ||
		grep -q '^/sys/fs/cgroup tmpfs .*ro' "$BUNDLE/seclude.m"
	diff <(grep -v '^/sys/fs/cgroup tmpfs \|^/sys/fs/cgroup/systemd ' "$BUNDLE/runc.m") \
		<(grep -v '^/sys/fs/cgroup tmpfs ' "$BUNDLE/seclude.m")
}

@test "side by side with runc: which namespaces are new and which are the host's" {
	cmd sh -c 'for n in cgroup ipc mnt net pid pid_for_children time user uts; do echo "$n $(readlink /proc/self/ns/$n)"; done'
	both
	local f n link
	for f in runc seclude; do
		while read -r n link; do
			[ "$n" = status ] && { echo "status $link"; continue; }
			[ "$link" = "$(readlink /proc/self/ns/$n)" ] && echo "$n host" || echo "$n new"
		done < "$BUNDLE/$f.out" > "$BUNDLE/$f.ns"
	done
	grep -qx 'pid new' "$BUNDLE/runc.ns"
	diff "$BUNDLE/runc.ns" "$BUNDLE/seclude.ns"
	# and with a network namespace joined by path, a uts namespace left out
	edit --arg p "/proc/$$/ns/net" 'del(.hostname) | .linux.namespaces |= map(select(.type != "uts" and .type != "network")) + [{"type": "network", "path": $p}]'
	both
	for f in runc seclude; do
		while read -r n link; do
			[ "$n" = status ] && { echo "status $link"; continue; }
			[ "$link" = "$(readlink /proc/self/ns/$n)" ] && echo "$n host" || echo "$n new"
		done < "$BUNDLE/$f.out" > "$BUNDLE/$f.ns"
	done
	grep -qx 'uts host' "$BUNDLE/runc.ns"
	diff "$BUNDLE/runc.ns" "$BUNDLE/seclude.ns"
}

@test "side by side with runc: memory, pids and cpu limits read back from the container's cgroup" {
	edit '.linux.resources = {"memory": {"limit": 67108864, "reservation": 33554432, "swap": 134217728},
		"pids": {"limit": 42}, "cpu": {"shares": 512, "quota": 50000, "period": 100000, "cpus": "0"}}'
	cmd sh -c 'cd /sys/fs/cgroup && cat memory/memory.limit_in_bytes memory/memory.soft_limit_in_bytes \
		memory/memory.memsw.limit_in_bytes pids/pids.max cpu/cpu.shares cpu/cpu.cfs_quota_us \
		cpu/cpu.cfs_period_us cpuset/cpuset.cpus; cat /proc/self/cgroup'
	both
	grep -qx 42 "$BUNDLE/runc.out"
	grep -qx 67108864 "$BUNDLE/runc.out"
	diff "$BUNDLE/runc.out" "$BUNDLE/seclude.out"
}

@test "side by side with runc: NoNewPrivs and Seccomp lines, with and without a profile and no_new_privs" {
	local nnp prof
	for prof in none default; do
		for nnp in true false; do
			edit --argjson n $nnp '.process.noNewPrivileges = $n | del(.linux.seccomp)'
			[ "$prof" = none ] || edit --slurpfile p "$SRC/lib/profile/default.json" '.linux.seccomp = $p[0]'
			cmd grep -E '^(NoNewPrivs|Seccomp):' /proc/self/status
			both
			grep -q NoNewPrivs "$BUNDLE/runc.out"
			diff "$BUNDLE/runc.out" "$BUNDLE/seclude.out"
		done
	done
}

@test "side by side with runc: exit statuses 0, 3, a missing command, and 137 for SIGKILL" {
	local code
	for code in 0 3; do
		cmd sh -c "exit $code"
		both
		grep -qx "status $code" "$BUNDLE/runc.out"
		diff "$BUNDLE/runc.out" "$BUNDLE/seclude.out"
	done
	# a missing command: run fails with status 1 and the words Docker turns into 127
	cmd nosuchcommand
	both
	grep -qx 'status 1' "$BUNDLE/runc.out"
	grep -qx 'status 1' "$BUNDLE/seclude.out"
	grep -q 'nosuchcommand.*: executable file not found in \$PATH' "$BUNDLE/runc.out"
	grep -q 'nosuchcommand.*: executable file not found in \$PATH' "$BUNDLE/seclude.out"
	# SIGKILL from the kill verb while run waits: 128 + 9 from both
	cmd sleep 1000
	local rt id i runner
	for rt in runc "$RUNC"; do
		id=ocicli-k$BATS_TEST_NUMBER-${rt##*/}
		( rc=0; "$rt" --root "$BATS_TEST_TMPDIR/k" run --bundle "$BUNDLE" "$id" </dev/null >/dev/null 2>&1 || rc=$?
		  echo "$rc" > "$BUNDLE/$id.rc" ) &
		runner=$!
		for i in $(seq 400); do
			[ "$("$rt" --root "$BATS_TEST_TMPDIR/k" state "$id" 2>/dev/null | jq -r .status)" = running ] && break
			sleep 0.05
		done
		"$rt" --root "$BATS_TEST_TMPDIR/k" kill "$id" KILL
		# the run's own pid: a bare wait would also wait for bats's timeout countdown
		wait "$runner"
		[ "$(cat "$BUNDLE/$id.rc")" = 137 ]
	done
}
