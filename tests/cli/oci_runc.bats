#!/usr/bin/env bats
# seclude-runc and runc side by side on the same bundle: what the command
# sees of its mounts, namespaces, limits and status lines, and the exit
# statuses.  runc keeps its records under a root of its own.
bats_require_minimum_version 1.5.0
load oci_bundle

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

# on_both ARGS...: a sleeping container under each runtime, then `exec ARGS...` on it
# (the id where ARGS says @ID), into runc.out and seclude.out with the status
# verb_both ARGS...: the same runtime command against runc's and
# seclude-runc's container (@ID stands for its id), stdin from $VERB_IN or
# /dev/null; stdout in $BUNDLE/runc.out and seclude.out, then "status N";
# stderr in runc.err and seclude.err
verb_both() {
	local rt f id a rc args
	for rt in runc "$RUNC"; do
		f=seclude
		[ "$rt" = runc ] && f=runc
		id=ocicli-e$BATS_TEST_NUMBER-$f
		args=()
		for a in "$@"; do
			[ "$a" = @ID ] && a=$id
			args+=("$a")
		done
		rc=0
		"$rt" --root "$BATS_TEST_TMPDIR/$f" "${args[@]}" <"${VERB_IN:-/dev/null}" >"$BUNDLE/$f.out" 2>"$BUNDLE/$f.err" || rc=$?
		echo "status $rc" >> "$BUNDLE/$f.out"
	done
}

# on_both EXEC-ARGS...: exec in each runtime's container, run detached the first time
on_both() {
	local f
	for f in runc seclude; do
		[ ! -e "$BUNDLE/$f.up" ] || continue
		if [ $f = runc ]; then
			runc --root "$BATS_TEST_TMPDIR/$f" run -d --bundle "$BUNDLE" "ocicli-e$BATS_TEST_NUMBER-$f" </dev/null >/dev/null 2>&1
		else
			"$RUNC" --root "$BATS_TEST_TMPDIR/$f" run -d --bundle "$BUNDLE" "ocicli-e$BATS_TEST_NUMBER-$f" </dev/null >/dev/null 2>&1
		fi
		touch "$BUNDLE/$f.up"
	done
	verb_both exec "$@"
}

# update_both ARGS...: the same update of both containers, which both take
update_both() {
	verb_both update "$@" @ID
	grep -qx 'status 0' "$BUNDLE/runc.out"
	grep -qx 'status 0' "$BUNDLE/seclude.out"
}

# the error line each gave: runc's logrus line and seclude-runc's, down to the message
error_of() {
	sed -n 's/^time="[^"]*" level=error msg="\(.*\)"$/\1/p; s/^seclude-runc: //p' "$BUNDLE/$1.err" | sed 's/\\"/"/g'
}

exec_teardown() {
	local f
	for f in runc seclude; do
		[ -e "$BUNDLE/$f.up" ] || continue
		if [ $f = runc ]; then
			runc --root "$BATS_TEST_TMPDIR/$f" delete -f "ocicli-e$BATS_TEST_NUMBER-$f" || true
		else
			"$RUNC" --root "$BATS_TEST_TMPDIR/$f" delete -f "ocicli-e$BATS_TEST_NUMBER-$f" || true
		fi
	done
}

teardown() {
	exec_teardown
}

@test "side by side with runc: exec --cap, --additional-gids, --user, --no-new-privs give the Cap*, Groups and NoNewPrivs lines runc gives" {
	cmd sleep 1000
	local status_lines='grep -E "^(Uid|Gid|Groups|Cap[A-Za-z]+|NoNewPrivs):" /proc/self/status; id -G'
	on_both @ID sh -c "$status_lines"
	grep -q '^CapBnd:' "$BUNDLE/runc.out"
	diff "$BUNDLE/runc.out" "$BUNDLE/seclude.out"
	# root: the capability in the bounding, effective and permitted sets (ambient needs inheritable)
	on_both --cap CAP_SYS_ADMIN --cap=CAP_NET_RAW -g 10 -g 20 @ID sh -c "$status_lines"
	grep -qx 'CapBnd:	0000000020202420' "$BUNDLE/runc.out"
	grep -qx '0 10 20' "$BUNDLE/runc.out"
	diff "$BUNDLE/runc.out" "$BUNDLE/seclude.out"
	# the capability is there to be used: unshare needs CAP_SYS_ADMIN
	on_both --cap CAP_SYS_ADMIN @ID unshare -m true
	grep -qx 'status 0' "$BUNDLE/runc.out"
	diff "$BUNDLE/runc.out" "$BUNDLE/seclude.out"
	# another user: the gid kept without :GID; the sets it has after execve
	on_both --cap CAP_SYS_ADMIN -u 1000 -g 100 @ID sh -c "$status_lines"
	grep -qx 'Gid:	0	0	0	0' "$BUNDLE/runc.out"
	diff "$BUNDLE/runc.out" "$BUNDLE/seclude.out"
	on_both -u 1000:7 --no-new-privs=false @ID sh -c "$status_lines"
	grep -qx 'NoNewPrivs:	0' "$BUNDLE/runc.out"
	diff "$BUNDLE/runc.out" "$BUNDLE/seclude.out"
	# a name runc does not know (unknown, or not as CAP_ and upper case) is skipped with its warning
	on_both --cap CAP_NOSUCH --cap sys_admin @ID sh -c "$status_lines"
	diff "$BUNDLE/runc.out" "$BUNDLE/seclude.out"
	grep -q 'ignoring unknown or unavailable capabilities: \[CAP_NOSUCH sys_admin\]' "$BUNDLE/seclude.err"
	grep -q 'ignoring unknown or unavailable capabilities: \[CAP_NOSUCH sys_admin\]' "$BUNDLE/runc.err"
}

@test "side by side with runc: exec's refusals and failures in runc's words and statuses" {
	cmd sleep 1000
	local args
	echo '{"args": ["true"]}' > "$BUNDLE/nocwd.json"
	echo '{"args": ["true"], "cwd": "/", "selinuxLabel": "x"}' > "$BUNDLE/label.json"
	# one case a line: the exec's words, with @ID for the container's id
	while IFS= read -r args; do
		eval "set -- $args"
		on_both "$@"
		diff "$BUNDLE/runc.out" "$BUNDLE/seclude.out"
		diff <(error_of runc) <(error_of seclude)
		grep -q 'status 255' "$BUNDLE/runc.out" || grep -q 'status 1' "$BUNDLE/runc.out"
		[ -n "$(error_of runc)" ]
	done <<EOF_CASES
@ID nosuchcmd
@ID /nosuch
@ID /etc/passwd
@ID
--cwd /nonexistent @ID true
--cwd relative @ID true
-u x @ID true
-u 1:y @ID true
-g -1 @ID true
--process-label l @ID true
--apparmor p @ID true
-p $BUNDLE/nocwd.json @ID
-p $BUNDLE/label.json @ID
-t -d @ID true
EOF_CASES
	# words Docker and Podman turn into 127 and 126 (the command's name, and the reason)
	on_both @ID nosuchcmd
	[ "$(error_of seclude)" = 'exec failed: unable to start container process: exec: "nosuchcmd": executable file not found in $PATH' ]
}

@test "side by side with runc: exec in a created (refused by seclude), a paused (and --ignore-paused) and a stopped container" {
	cmd sleep 1000
	local rt f
	for rt in runc "$RUNC"; do
		f=seclude
		[ "$rt" = runc ] && f=runc
		"$rt" --root "$BATS_TEST_TMPDIR/$f" create --bundle "$BUNDLE" "ocicli-e$BATS_TEST_NUMBER-$f" </dev/null >/dev/null 2>&1
		touch "$BUNDLE/$f.up"
	done
	# created: runc runs the exec beside its held process; seclude refuses it, its held process not yet
	# confined (no engine execs before start)
	on_both @ID echo in-created
	grep -qx in-created "$BUNDLE/runc.out"
	[ "$(cat "$BUNDLE/seclude.out")" = "status 255" ]
	[ "$(error_of seclude)" = "exec failed: cannot exec in a created container: start it first" ]
	for rt in runc "$RUNC"; do
		f=seclude
		[ "$rt" = runc ] && f=runc
		"$rt" --root "$BATS_TEST_TMPDIR/$f" start "ocicli-e$BATS_TEST_NUMBER-$f"
		"$rt" --root "$BATS_TEST_TMPDIR/$f" pause "ocicli-e$BATS_TEST_NUMBER-$f"
	done
	on_both @ID true
	diff "$BUNDLE/runc.out" "$BUNDLE/seclude.out"
	diff <(error_of runc) <(error_of seclude)
	grep -q 'cannot exec in a paused container (use --ignore-paused to override)' "$BUNDLE/seclude.err"
	# --ignore-paused: the process joins the frozen cgroup and runs once resumed
	for rt in runc "$RUNC"; do
		f=seclude
		[ "$rt" = runc ] && f=runc
		"$rt" --root "$BATS_TEST_TMPDIR/$f" exec --ignore-paused "ocicli-e$BATS_TEST_NUMBER-$f" echo after-resume \
			</dev/null >"$BUNDLE/$f.paused" 2>&1 &
		# frozen: nothing printed while paused (resume is what lets it run)
		"$rt" --root "$BATS_TEST_TMPDIR/$f" resume "ocicli-e$BATS_TEST_NUMBER-$f"
		wait $!
		grep -qx after-resume "$BUNDLE/$f.paused"
		"$rt" --root "$BATS_TEST_TMPDIR/$f" kill "ocicli-e$BATS_TEST_NUMBER-$f" KILL
	done
	for f in runc seclude; do
		for i in $(seq 100); do
			[ "$(if [ $f = runc ]; then runc --root "$BATS_TEST_TMPDIR/$f" state "ocicli-e$BATS_TEST_NUMBER-$f"; else "$RUNC" --root "$BATS_TEST_TMPDIR/$f" state "ocicli-e$BATS_TEST_NUMBER-$f"; fi | jq -r .status)" = stopped ] && break
			sleep 0.05
		done
	done
	on_both @ID true
	diff "$BUNDLE/runc.out" "$BUNDLE/seclude.out"
	diff <(error_of runc) <(error_of seclude)
	grep -q 'exec failed: cannot exec in a stopped container' "$BUNDLE/seclude.err"
}

@test "side by side with runc: state, field by field, with the bundle given as a relative, unclean or symlinked path" {
	cmd sleep 1000
	local given f rt id T
	T=$(realpath "$BATS_TEST_TMPDIR")
	mkdir "$T/b"
	mv "$BUNDLE/config.json" "$T/b/"
	ln -s "$ROOTFS" "$T/rootfs-link"
	ln -s b "$T/b-link"
	# a relative root.path, joined to the bundle and cleaned
	cp -a "$ROOTFS" "$T/b/rootfs"
	jq '.root.path = "./rootfs//" | .annotations = {"org.example.k": "v"}' "$T/b/config.json" > "$T/c.json"
	mv "$T/c.json" "$T/b/config.json"
	for given in b ./b/ b/. b-link "$T/b/../b" .; do
		for rt in runc "$RUNC"; do
			f=seclude
			[ "$rt" = runc ] && f=runc
			id=ocicli-st$BATS_TEST_NUMBER-$f
			if [ "$given" = . ]; then
				(cd "$T/b" && "$rt" --root "$T/$f" create "$id" </dev/null >/dev/null 2>&1)
			else
				(cd "$T" && "$rt" --root "$T/$f" create --bundle "$given" "$id" </dev/null >/dev/null 2>&1)
			fi
			"$rt" --root "$T/$f" state "$id" > "$T/$f.state"
			"$rt" --root "$T/$f" delete -f "$id"
		done
		# the same fields, and the same values but for the id, the pid (each its own, both alive), the time
		# of creation (each its own, in the same form), ociVersion (runc's 1.0.2-dev, seclude's 1.0.2) and
		# owner (runc's state leaves it empty, its list fills it; seclude gives it in both)
		for f in runc seclude; do
			jq -S '.pid = (.pid > 0) | .created |= test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\\.[0-9]+Z$")
				| del(.id, .ociVersion, .owner)' "$T/$f.state" > "$T/$f.cmp"
			[ "$(jq -r 'keys_unsorted | join(" ")' "$T/$f.state" | tr ' ' '\n' | sort | tr '\n' ' ')" = \
				"annotations bundle created id ociVersion owner pid rootfs status " ]
		done
		[ "$(jq -r .bundle "$T/runc.state")" = "$T/b" ]
		[ "$(jq -r .rootfs "$T/runc.state")" = "$T/b/rootfs" ]
		diff "$T/runc.cmp" "$T/seclude.cmp"
	done
}

@test "side by side with runc: create of a missing or unexecutable command fails in runc's words (Docker's 127 and 126)" {
	local c
	for c in nosuchcommand /nosuch /etc/passwd; do
		cmd "$c"
		both
		# runc names itself ("runc run failed: "), seclude-runc its prefix; the rest is the same
		[ "$(sed -n 's/^time="[^"]*" level=error msg="runc run failed: \(.*\)"$/\1/p' "$BUNDLE/runc.out" | sed 's/\\"/"/g')" = \
			"$(sed -n 's/^seclude-runc: //p' "$BUNDLE/seclude.out")" ]
		[ "$(tail -1 "$BUNDLE/runc.out")" = "$(tail -1 "$BUNDLE/seclude.out")" ]
	done
	grep -qx 'seclude-runc: unable to start container process: exec: "/etc/passwd": permission denied' "$BUNDLE/seclude.out"
}

@test "side by side with runc: update's flags reach the cgroup as runc's do; their errors in runc's words; unified refused on v1" {
	cmd sleep 1000
	local read='cd /sys/fs/cgroup && cat memory/memory.limit_in_bytes memory/memory.memsw.limit_in_bytes memory/memory.soft_limit_in_bytes cpu/cpu.cfs_quota_us cpu/cpu.cfs_period_us cpu/cpu.shares pids/pids.max cpuset/cpuset.cpus cpuset/cpuset.mems'
	on_both @ID true
	update_both --memory 64m --memory-swap 128m --memory-reservation 32m \
		--cpu-quota 50000 --cpu-period 100000 --cpu-share 512 --pids-limit 42 --cpuset-cpus 0 --cpuset-mems 0
	on_both @ID sh -c "$read"
	grep -qx 42 "$BUNDLE/runc.out"
	grep -qx 67108864 "$BUNDLE/runc.out"
	diff "$BUNDLE/runc.out" "$BUNDLE/seclude.out"
	# one flag leaves the others as they are; -1 is no pids limit; kernel memory is warned about and ignored
	update_both --pids-limit -1 --kernel-memory 1m
	grep -q 'Kernel memory settings are ignored and will be removed' "$BUNDLE/runc.err"
	grep -q 'Kernel memory settings are ignored and will be removed' "$BUNDLE/seclude.err"
	on_both @ID sh -c "$read"
	grep -qx max "$BUNDLE/runc.out"
	grep -qx 67108864 "$BUNDLE/runc.out"
	diff "$BUNDLE/runc.out" "$BUNDLE/seclude.out"
	# memory -1: no limit (and, no swap given, no swap limit either)
	update_both --memory -1 --memory-reservation -1
	on_both @ID sh -c "$read"
	! grep -qx 67108864 "$BUNDLE/runc.out"
	diff "$BUNDLE/runc.out" "$BUNDLE/seclude.out"
	# the same through a resources file: memory.limit -1 is no limit, not "not given"
	update_both --memory 64m --memory-swap 128m
	echo '{"memory": {"limit": -1}}' > "$BUNDLE/res.json"
	VERB_IN=$BUNDLE/res.json update_both -r -
	on_both @ID sh -c "$read"
	! grep -qx 67108864 "$BUNDLE/runc.out"
	diff "$BUNDLE/runc.out" "$BUNDLE/seclude.out"
	# the real-time period, as runc writes it
	update_both --cpu-rt-period 500000
	on_both @ID cat /sys/fs/cgroup/cpu/cpu.rt_period_us
	grep -qx 500000 "$BUNDLE/runc.out"
	diff "$BUNDLE/runc.out" "$BUNDLE/seclude.out"
	# the errors, and unified on this v1 host
	local a
	for a in "--memory 1x" "--cpu-quota x" "--cpu-period -5" "--pids-limit x" "--blkio-weight x" "--l3-cache-schema x" "--mem-bw-schema y"; do
		# shellcheck disable=SC2086
		verb_both update $a @ID
		# the statuses (runc prints its usage on standard output too)
		diff <(tail -1 "$BUNDLE/runc.out") <(tail -1 "$BUNDLE/seclude.out")
		diff <(error_of runc | tail -1) <(error_of seclude)
	done
	echo '{"unified": {"pids.max": "9"}}' > "$BUNDLE/res.json"
	VERB_IN=$BUNDLE/res.json verb_both update -r - @ID
	diff "$BUNDLE/runc.out" "$BUNDLE/seclude.out"
	diff <(error_of runc) <(error_of seclude)
	[ "$(error_of seclude)" = "invalid configuration: cannot use unified on cgroup v1" ]
	# a node list the kernel refuses: status 1 from both, the node set as it was
	verb_both update --cpuset-mems 99 @ID
	diff "$BUNDLE/runc.out" "$BUNDLE/seclude.out"
	grep -q 'cpuset.mems' "$BUNDLE/seclude.err"
	run "$RUNC" --root "$BATS_TEST_TMPDIR/seclude" update --cpuset-mems 'a"b' "ocicli-e$BATS_TEST_NUMBER-seclude"
	[ "$status" -eq 1 ]
	[[ "$output" == *"invalid value for cpuset-mems: a\"b"* ]]
	on_both @ID cat /sys/fs/cgroup/cpuset/cpuset.mems
	grep -qx 0 "$BUNDLE/seclude.out"
	diff "$BUNDLE/runc.out" "$BUNDLE/seclude.out"
}

@test "side by side with runc: exec --cgroup joins a sub-cgroup of the container's, per controller or all; runc's refusals" {
	cmd sleep 1000
	on_both @ID true
	local rt f pid c d subs=()
	for rt in runc "$RUNC"; do
		f=seclude
		[ "$rt" = runc ] && f=runc
		pid=$("$rt" --root "$BATS_TEST_TMPDIR/$f" state "ocicli-e$BATS_TEST_NUMBER-$f" | jq -r .pid)
		for c in pids memory; do
			d=/sys/fs/cgroup/$c$(awk -F: -v c=$c '$2 == c { print $3 }' /proc/$pid/cgroup)/sub
			mkdir "$d"
			subs+=("$d")
		done
	done
	local see='grep -E ":(pids|memory|freezer):" /proc/self/cgroup | sort'
	on_both --cgroup pids:sub @ID sh -c "$see"
	grep -qx '8:pids:/sub\|[0-9]*:pids:/sub' "$BUNDLE/runc.out"
	diff "$BUNDLE/runc.out" "$BUNDLE/seclude.out"
	on_both --cgroup pids,memory:sub @ID sh -c "$see"
	grep -q ':memory:/sub' "$BUNDLE/runc.out"
	diff "$BUNDLE/runc.out" "$BUNDLE/seclude.out"
	# a sub-cgroup missing in one of the controllers fails the exec; the forms runc refuses
	local a
	for a in "--cgroup nosuch" "--cgroup a:b:c" "--cgroup sub --cgroup pids:sub"; do
		eval "on_both $a @ID true"
		diff "$BUNDLE/runc.out" "$BUNDLE/seclude.out"
		grep -qx 'status 255' "$BUNDLE/seclude.out"
	done
	diff <(error_of runc) <(error_of seclude)
	for d in "${subs[@]}"; do
		rmdir "$d"
	done
}
