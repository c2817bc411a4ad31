#!/usr/bin/env bats
# podman --runtime seclude-runc --annotation io.seclude.learn=PROFILE: Podman
# passes annotations on to the runtime, so a container learns its profile
# per run; then the same command under that profile, and one it never made
# refused.  Its own --root, --runroot and temporary directory.
bats_require_minimum_version 1.5.0
load helpers
load rootfs

RUNC=${SECLUDE_RUNC:-$(dirname "$SECLUDE")/seclude-runc}

setup_file() {
	command -v podman >/dev/null || skip "podman is not installed"
	build_rootfs
	export POD_DIR
	POD_DIR=$(mktemp -d /tmp/seclude-podman-learn.XXXXXX)
}

teardown_file() {
	[ -n "${POD_DIR:-}" ] || return 0
	pod ps -aq 2>/dev/null | while read -r id; do pod rm -f "$id" >/dev/null 2>&1 || true; done
	rm -rf "$POD_DIR" 2>/dev/null || true
}

pod() {
	ASAN_OPTIONS=detect_leaks=0 podman --runtime "$RUNC" --root "$POD_DIR/root" --runroot "$POD_DIR/runroot" \
		--storage-driver vfs --cgroup-manager cgroupfs --events-backend file --tmpdir "$POD_DIR/tmp" "$@"
}

LIMITS=(--network none --ulimit nofile=1024:1024 --ulimit nproc=1024:1024)

@test "podman run --annotation io.seclude.learn: the profile learned, then the command confined by it" {
	local p=$BATS_TEST_TMPDIR/learned.json
	run pod run --rm "${LIMITS[@]}" --annotation io.seclude.learn="$p" --rootfs "$ROOTFS" \
		sh -c 'mkdir /tmp/pl-$$ && rmdir /tmp/pl-$$; echo done'
	[ "$status" -eq 0 ]
	[ "$output" = done ]
	local i
	for i in $(seq 200); do [ -s "$p" ] && break; sleep 0.05; done
	jq -e '[.syscalls[].names[]] | index("mkdir") != null' "$p" >/dev/null
	grep -q "learned for: runtime=docker" "$p"
	run pod run --rm "${LIMITS[@]}" --security-opt seccomp="$p" --rootfs "$ROOTFS" \
		sh -c 'mkdir /tmp/pl-$$ && echo done; chmod 700 /tmp/pl-$$; echo "chmod rc=$?"; rmdir /tmp/pl-$$'
	[ "$status" -eq 0 ]
	[[ "$output" == *done* ]]
	[[ "$output" == *"chmod rc=1"* ]]
}
