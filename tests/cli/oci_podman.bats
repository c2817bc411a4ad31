#!/usr/bin/env bats
# podman --runtime seclude-runc (podman 4.3 with conmon, which calls create,
# start, state, kill, delete and exec) with its own --root, --runroot and
# temporary directory, on the busybox-static rootfs given with --rootfs.
bats_require_minimum_version 1.5.0
load helpers
load rootfs

RUNC=${SECLUDE_RUNC:-$(dirname "$SECLUDE")/seclude-runc}

setup_file() {
	command -v podman >/dev/null || skip "podman is not installed"
	build_rootfs
	export POD_DIR
	POD_DIR=$(mktemp -d /tmp/seclude-oci-podman.XXXXXX)
}

teardown_file() {
	[ -n "${POD_DIR:-}" ] || return 0
	pod ps -aq 2>/dev/null | while read -r id; do pod rm -f "$id" >/dev/null 2>&1 || true; done
	rm -rf "$POD_DIR" 2>/dev/null || true
}

# the environment has no CAP_SYS_RESOURCE to raise podman's default limits
# (runc refuses them the same way): limits within the caller's
pod() {
	ASAN_OPTIONS=detect_leaks=0 podman --runtime "$RUNC" --root "$POD_DIR/root" --runroot "$POD_DIR/runroot" \
		--storage-driver vfs --cgroup-manager cgroupfs --events-backend file --tmpdir "$POD_DIR/tmp" "$@"
}

LIMITS=(--network none --ulimit nofile=1024:1024 --ulimit nproc=1024:1024)

@test "podman run --runtime seclude-runc --rootfs: output, exit status, the default filter" {
	run pod run --rm "${LIMITS[@]}" --rootfs "$ROOTFS" sh -c 'echo hi; grep ^Seccomp: /proc/self/status; exit 3'
	[ "$status" -eq 3 ]
	[ "${lines[0]}" = hi ]
	[ "${lines[1]}" = "Seccomp:	2" ]
}

@test "podman run -i, run -d, exec, stop, rm" {
	run bash -c "echo piped | ASAN_OPTIONS=detect_leaks=0 podman --runtime $RUNC --root $POD_DIR/root --runroot $POD_DIR/runroot --storage-driver vfs --cgroup-manager cgroupfs --events-backend file --tmpdir $POD_DIR/tmp run --rm -i ${LIMITS[*]} --rootfs $ROOTFS cat"
	[ "$status" -eq 0 ]
	[ "$output" = piped ]
	id=$(pod run -d "${LIMITS[@]}" --rootfs "$ROOTFS" sleep 1000)
	run pod exec "$id" sh -c 'echo in-exec; exit 4'
	[ "$status" -eq 4 ]
	[ "$output" = in-exec ]
	run pod stop -t 1 "$id"
	[ "$status" -eq 0 ]
	[ "$(pod inspect --format '{{.State.Status}}' "$id")" = exited ]
	run pod rm -f "$id"
	[ "$status" -eq 0 ]
}
