#!/usr/bin/env bats
# docker run --runtime seclude: a dockerd of its own (own socket, data root,
# exec root and pid file under a temporary directory) with seclude-runc
# registered as a runtime, the busybox-static rootfs of rootfs.bash imported
# as an image, and the same cases under runc side by side where they compare.
bats_require_minimum_version 1.5.0
load helpers
load rootfs

RUNC=${SECLUDE_RUNC:-$(dirname "$SECLUDE")/seclude-runc}

setup_file() {
	command -v dockerd >/dev/null || skip "dockerd is not installed"
	build_rootfs
	export DOCKER_DIR
	DOCKER_DIR=$(mktemp -d /tmp/seclude-oci-docker.XXXXXX)
	export DOCKER_HOST=unix://$DOCKER_DIR/docker.sock
	# seclude, and seclude with denials named through runtimeArgs (Docker puts them before the global flags)
	jq -n --arg r "$RUNC" --arg d "$DOCKER_DIR/denials.json" \
		'{runtimes: {seclude: {path: $r}, "seclude-denials": {path: $r, runtimeArgs: ["--log-denials", $d]}}}' \
		> "$DOCKER_DIR/daemon.json"
	# the runtime's own leak reports are not dockerd's business
	ASAN_OPTIONS=detect_leaks=0 dockerd --config-file "$DOCKER_DIR/daemon.json" --host "$DOCKER_HOST" \
		--data-root "$DOCKER_DIR/data" --exec-root "$DOCKER_DIR/exec" --pidfile "$DOCKER_DIR/dockerd.pid" \
		--bridge none --iptables=false --ip-masq=false >"$DOCKER_DIR/dockerd.log" 2>&1 &
	local i
	for i in $(seq 120); do
		docker info >/dev/null 2>&1 && break
		sleep 0.5
	done
	docker info >/dev/null 2>&1 || { cat "$DOCKER_DIR/dockerd.log"; return 1; }
	tar -C "$ROOTFS" -c . | docker import - seclude-oci-bb:latest >/dev/null
}

teardown_file() {
	[ -n "${DOCKER_DIR:-}" ] || return 0
	local ids
	ids=$(docker ps -aq 2>/dev/null) || true
	[ -z "$ids" ] || docker rm -f $ids >/dev/null 2>&1 || true
	if [ -f "$DOCKER_DIR/dockerd.pid" ]; then
		local pid i
		pid=$(cat "$DOCKER_DIR/dockerd.pid")
		kill "$pid" 2>/dev/null || true
		for i in $(seq 100); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.2
		done
	fi
	rm -rf "$DOCKER_DIR" 2>/dev/null || true
}

IMG=seclude-oci-bb

@test "docker run --runtime seclude: stdout and the command's exit status" {
	run docker run --rm --runtime seclude "$IMG" sh -c 'echo hello; exit 42'
	[ "$status" -eq 42 ]
	[ "$output" = hello ]
}

@test "docker run -i: stdin reaches the command" {
	run bash -c "echo piped | docker run --rm -i --runtime seclude $IMG cat"
	[ "$status" -eq 0 ]
	[ "$output" = piped ]
}

@test "docker run -t: the command has a terminal" {
	run script -qec "docker run --rm -t --runtime seclude $IMG sh -c 'test -t 0 && test -t 1 && echo tty-ok'" /dev/null
	[ "$status" -eq 0 ]
	[[ "$output" == *tty-ok* ]]
}

@test "Docker's default profile refuses unshare and mount with EPERM, as under runc; the same status lines" {
	local probe='unshare -m true 2>&1; echo "unshare=$?"; mount -t tmpfs none /mnt 2>&1; echo "mount=$?"; grep -E "^(CapBnd|CapEff|NoNewPrivs|Seccomp):" /proc/self/status'
	run docker run --rm --runtime seclude "$IMG" sh -c "$probe"
	[ "$status" -eq 0 ]
	[[ "$output" == *"unshare(0x20000): Operation not permitted"* ]]
	[[ "$output" == *"unshare=1"* ]]
	[[ "$output" == *"mount: permission denied"*"mount=1"* ]]
	[[ "$output" == *"Seccomp:	2"* ]]
	local ours=$output
	run docker run --rm --runtime runc "$IMG" sh -c "$probe"
	[ "$status" -eq 0 ]
	[ "$output" = "$ours" ]
}

@test "--security-opt seccomp=unconfined: no filter" {
	run docker run --rm --runtime seclude --security-opt seccomp=unconfined "$IMG" grep '^Seccomp:' /proc/self/status
	[ "$status" -eq 0 ]
	[ "$output" = "Seccomp:	0" ]
}

@test "a missing command: status 127, as under runc" {
	run -127 docker run --rm --runtime seclude "$IMG" nosuchcmd
	[ "$status" -eq 127 ]
	run -127 docker run --rm --runtime seclude "$IMG" /nosuch
	[ "$status" -eq 127 ]
}

@test "docker run -d, docker logs, docker top, docker exec" {
	id=$(docker run -d --runtime seclude "$IMG" sh -c 'echo started; exec sleep 1000')
	for i in $(seq 50); do
		[ "$(docker logs "$id" 2>&1)" = started ] && break
		sleep 0.1
	done
	[ "$(docker logs "$id" 2>&1)" = started ]
	run docker top "$id"
	[ "$status" -eq 0 ]
	[[ "$output" == *"sleep 1000"* ]]
	run docker exec "$id" sh -c 'echo in-exec; unshare -m true 2>/dev/null || echo refused; exit 3'
	[ "$status" -eq 3 ]
	[ "${lines[0]}" = in-exec ]
	[ "${lines[1]}" = refused ]
	run docker exec -u 1000 "$id" id -u
	[ "$status" -eq 0 ]
	[ "$output" = 1000 ]
	run bash -c "echo via-exec | docker exec -i $id cat"
	[ "$output" = via-exec ]
	run script -qec "docker exec -t $id sh -c 'tty'" /dev/null
	[[ "$output" == */dev/pts/* ]]
	docker rm -f "$id"
}

@test "docker stop, kill, rm -f, pause and unpause" {
	id=$(docker run -d --runtime seclude "$IMG" sleep 1000)
	run docker stop -t 1 "$id"
	[ "$status" -eq 0 ]
	[ "$(docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' "$id")" = "exited 137" ]
	docker rm "$id"
	id=$(docker run -d --runtime seclude "$IMG" sh -c 'trap "exit 9" TERM; while :; do sleep 0.1; done')
	sleep 0.5
	run docker kill -s TERM "$id"
	[ "$status" -eq 0 ]
	[ "$(docker wait "$id")" = 9 ]
	docker rm "$id"
	id=$(docker run -d --runtime seclude "$IMG" sleep 1000)
	run docker pause "$id"
	[ "$status" -eq 0 ]
	[ "$(docker inspect -f '{{.State.Status}}' "$id")" = paused ]
	run docker unpause "$id"
	[ "$status" -eq 0 ]
	[ "$(docker inspect -f '{{.State.Status}}' "$id")" = running ]
	run docker kill "$id"
	[ "$status" -eq 0 ]
	[ "$(docker wait "$id")" = 137 ]
	run docker rm -f "$id"
	[ "$status" -eq 0 ]
	id=$(docker run -d --runtime seclude "$IMG" sleep 1000)
	run docker rm -f "$id"
	[ "$status" -eq 0 ]
	run docker inspect "$id"
	[ "$status" -ne 0 ]
}

@test "--read-only, -v, --cap-drop, --user and limits reach the container" {
	mkdir -p "$BATS_TEST_TMPDIR/vol"
	echo from-host > "$BATS_TEST_TMPDIR/vol/f"
	run docker run --rm --runtime seclude --read-only -v "$BATS_TEST_TMPDIR/vol:/vol:ro" --cap-drop ALL \
		--user 1000:1000 --memory 64m --pids-limit 50 "$IMG" \
		sh -c 'cat /vol/f; touch /x 2>&1 | grep -c "Read-only"; id -u; grep ^CapBnd: /proc/self/status'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = from-host ]
	[ "${lines[1]}" = 1 ]
	[ "${lines[2]}" = 1000 ]
	[ "${lines[3]}" = "CapBnd:	0000000000000000" ]
}

@test "daemon.json runtimeArgs --log-denials: each refused call named with its errno (moby#36081)" {
	jq '.syscalls |= map(.names = [.name] | del(.name))' "$SRC/tests/data/profiles/labs/default-no-chmod.json" \
		> "$BATS_TEST_TMPDIR/nochmod.json"
	run docker run --rm --runtime seclude-denials --security-opt seccomp="$BATS_TEST_TMPDIR/nochmod.json" "$IMG" \
		sh -c 'chmod 640 /etc/passwd; echo "rc=$?"'
	[ "$status" -eq 0 ]
	[[ "$output" == *"chmod: /etc/passwd: Operation not permitted"* ]]
	[[ "$output" == *"rc=1"* ]]
	for i in $(seq 100); do
		grep -q '"syscall":"chmod"' "$DOCKER_DIR/denials.json" 2>/dev/null && break
		sleep 0.05
	done
	run jq -r 'select(.syscall == "chmod") | "\(.comm) \(.result)"' "$DOCKER_DIR/denials.json"
	[ "$output" = "chmod errno 1 (EPERM)" ]
}
