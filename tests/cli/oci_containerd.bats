#!/usr/bin/env bats
# containerd 1.6 with the runc v2 shim naming seclude-runc as its binary
# (ctr run --runtime io.containerd.runc.v2 --runc-binary, the path
# Kubernetes takes through containerd): a containerd of its own (own
# config, root, state and sockets), the busybox-static rootfs by --rootfs.
bats_require_minimum_version 1.5.0
load helpers
load rootfs

RUNC=${SECLUDE_RUNC:-$(dirname "$SECLUDE")/seclude-runc}

setup_file() {
	command -v containerd >/dev/null && command -v ctr >/dev/null || skip "containerd is not installed"
	build_rootfs
	export CTR_DIR
	CTR_DIR=$(mktemp -d /tmp/seclude-oci-ctr.XXXXXX)
	cat > "$CTR_DIR/config.toml" <<EOT
version = 2
root = "$CTR_DIR/root"
state = "$CTR_DIR/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$CTR_DIR/containerd.sock"
[ttrpc]
  address = "$CTR_DIR/containerd.ttrpc.sock"
EOT
	containerd --config "$CTR_DIR/config.toml" >"$CTR_DIR/log" 2>&1 &
	echo $! > "$CTR_DIR/pid"
	local i
	for i in $(seq 100); do
		ctr --address "$CTR_DIR/containerd.sock" version >/dev/null 2>&1 && break
		sleep 0.1
	done
}

teardown_file() {
	[ -n "${CTR_DIR:-}" ] || return 0
	local c
	for c in $(c task ls -q 2>/dev/null); do
		c task kill -s SIGKILL "$c" >/dev/null 2>&1 || true
		sleep 0.2
		c task delete "$c" >/dev/null 2>&1 || true
	done
	for c in $(c container ls -q 2>/dev/null); do
		c container delete "$c" >/dev/null 2>&1 || true
	done
	if [ -f "$CTR_DIR/pid" ]; then
		local pid i
		pid=$(cat "$CTR_DIR/pid")
		kill "$pid" 2>/dev/null || true
		for i in $(seq 100); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
	fi
	rm -rf "$CTR_DIR" 2>/dev/null || true
}

c() {
	ASAN_OPTIONS=detect_leaks=0 ctr --address "$CTR_DIR/containerd.sock" "$@"
}

ctr_run() {   # ctr_run [ctr run options] ID CMD...
	c run --rootfs --runtime io.containerd.runc.v2 --runc-binary "$RUNC" "$@"
}

@test "ctr run --runc-binary seclude-runc: output and exit status" {
	run ctr_run --rm "$ROOTFS" c1 sh -c 'echo hi from ctr; exit 5'
	[ "$status" -eq 5 ]
	[ "$output" = "hi from ctr" ]
}

@test "ctr run --seccomp: the default profile, loaded by seclude" {
	run ctr_run --rm --seccomp "$ROOTFS" c2 sh -c 'grep ^Seccomp: /proc/self/status; unshare -m true 2>/dev/null || echo refused'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "Seccomp:	2" ]
	[ "${lines[1]}" = refused ]
}

@test "ctr run -d, task exec, task ps, task kill, task delete" {
	run ctr_run -d "$ROOTFS" c3 sleep 1000
	[ "$status" -eq 0 ]
	run c task exec --exec-id e1 c3 sh -c 'echo in-exec; exit 6'
	[ "$status" -eq 6 ]
	[ "$output" = in-exec ]
	run c task ps c3
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -ge 2 ]
	run c task kill -s SIGKILL c3
	[ "$status" -eq 0 ]
	for i in $(seq 50); do
		c task ls | grep -q 'c3 .*STOPPED' && break
		sleep 0.1
	done
	c task ls | grep -q 'c3 .*STOPPED'
	run c task delete c3
	[ "$status" -eq 0 ]
	run c container delete c3
	[ "$status" -eq 0 ]
}
