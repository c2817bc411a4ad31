# Container engines started by a test file for itself: dockerd and
# containerd with their own socket, data root, exec root and pid file under
# $ENGINES (a directory of the test file's), stopped by the same file.
# podman and crun need no daemon: they get their own --root/--runroot.
#
# crun (and podman, which runs crun) refuses this machine's hybrid cgroup
# layout; in a mount namespace of its own, with the cgroup v2 tree at
# /sys/fs/cgroup/unified unmounted there only, it takes cgroup v1.

start_dockerd() {
	local d=$ENGINES/docker
	mkdir -p "$d"
	DOCKER_SOCK=$d/docker.sock
	dockerd --host "unix://$DOCKER_SOCK" --data-root "$d/data" --exec-root "$d/exec" \
		--pidfile "$d/dockerd.pid" --bridge none --iptables=false --ip-masq=false \
		--init-path "$(command -v tini-static || echo /usr/bin/tini-static)" \
		>"$d/dockerd.log" 2>&1 &
	echo $! >"$d/pid"
	local i
	for i in $(seq 300); do
		docker --host "unix://$DOCKER_SOCK" info >/dev/null 2>&1 && return 0
		kill -0 "$(cat "$d/pid")" 2>/dev/null || break
		sleep 0.2
	done
	tail -20 "$d/dockerd.log" >&2
	return 1
}

dk() { docker --host "unix://$DOCKER_SOCK" "$@"; }

stop_dockerd() {
	local d=$ENGINES/docker pid
	[ -f "$d/pid" ] || return 0
	pid=$(cat "$d/pid")
	if [ -n "${DOCKER_SOCK:-}" ]; then
		local c
		for c in $(dk ps -aq 2>/dev/null); do dk rm -f "$c" >/dev/null 2>&1 || true; done
	fi
	kill -TERM "$pid" 2>/dev/null || true
	local i
	for i in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
	kill -KILL "$pid" 2>/dev/null || true
	rm -f "$d/pid"
	# dockerd leaves its default network namespace mounted in its exec root
	unmount_under "$d"
}

# Unmount what an engine left mounted below $1 (its own directory only).
unmount_under() {
	local m
	for m in $(awk -v d="$1/" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo | sort -r); do
		umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
	done
}

start_containerd() {
	local d=$ENGINES/containerd
	mkdir -p "$d"
	CONTAINERD_SOCK=$d/containerd.sock
	cat >"$d/config.toml" <<TOML
version = 2
root = "$d/root"
state = "$d/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$CONTAINERD_SOCK"
[ttrpc]
  address = "$CONTAINERD_SOCK.ttrpc"
TOML
	containerd --config "$d/config.toml" >"$d/containerd.log" 2>&1 &
	echo $! >"$d/pid"
	local i
	for i in $(seq 300); do
		ctr --address "$CONTAINERD_SOCK" version >/dev/null 2>&1 && return 0
		kill -0 "$(cat "$d/pid")" 2>/dev/null || break
		sleep 0.2
	done
	tail -20 "$d/containerd.log" >&2
	return 1
}

ct() { ctr --address "$CONTAINERD_SOCK" "$@"; }

stop_containerd() {
	local d=$ENGINES/containerd pid
	[ -f "$d/pid" ] || return 0
	pid=$(cat "$d/pid")
	local t
	for t in $(ct task ls -q 2>/dev/null); do ct task kill -s KILL "$t" >/dev/null 2>&1 || true; done
	sleep 0.5
	for t in $(ct task ls -q 2>/dev/null); do ct task delete -f "$t" >/dev/null 2>&1 || true; done
	for t in $(ct containers ls -q 2>/dev/null); do ct containers delete "$t" >/dev/null 2>&1 || true; done
	kill -TERM "$pid" 2>/dev/null || true
	local i
	for i in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
	kill -KILL "$pid" 2>/dev/null || true
	rm -f "$d/pid"
	unmount_under "$d"
}

# The arguments run in a mount namespace of their own without the cgroup v2 tree.
in_v1_ns() {
	unshare -m sh -c 'mount --make-rprivate / && { umount /sys/fs/cgroup/unified 2>/dev/null || true; } && exec "$@"' sh "$@"
}

pm() {
	local d=$ENGINES/podman
	podman --root "$d/root" --runroot "$d/runroot" --tmpdir "$d/tmp" --cgroup-manager cgroupfs \
		--events-backend none "$@"
}

# Seccomp audit records while the test runs: start_audit, then audit_records.
start_audit() {
	AUDIT_OUT=$BATS_TEST_TMPDIR/audit.log
	python3 "$SRC/tests/cli/audit_seccomp.py" "$AUDIT_OUT" 2>"$BATS_TEST_TMPDIR/audit.err" &
	AUDIT_PID=$!
	local i
	for i in $(seq 50); do grep -q ready "$BATS_TEST_TMPDIR/audit.err" 2>/dev/null && return 0; sleep 0.1; done
	return 1
}

stop_audit() {
	sleep 0.5    # kauditd sends behind
	[ -n "${AUDIT_PID:-}" ] && kill -TERM "$AUDIT_PID" 2>/dev/null && wait "$AUDIT_PID" 2>/dev/null
	AUDIT_PID=
	return 0
}
