#!/usr/bin/env bats
# The seeds' nginx story, end to end, on real engines: nginx-light from
# Debian (a root filesystem built by debootstrap, cached), learned with
# seclude under real requests, a reload and a stop; then run with the
# learned profile by Docker (its own dockerd), crun (an OCI bundle),
# podman (run --rootfs) and containerd (ctr run --rootfs), with and without
# no-new-privileges, as root and as another user: it serves other requests
# with zero denials, and a call outside the profile (mount) is refused.
load helpers
load nginx_rootfs
load engines
bats_require_minimum_version 1.5.0

setup_file() {
	for t in dockerd containerd ctr podman crun debootstrap curl gcc; do
		command -v $t >/dev/null || skip "$t is not installed (scripts/install-deps)"
	done
	build_nginx_rootfs
	ENGINES=$(mktemp -d /tmp/seclude-engines.XXXXXX)
	chmod 755 "$ENGINES"
	export ENGINES
	W=$ENGINES/w
	mkdir -p "$W"
	cp -a "$NGINX_ROOTFS" "$W/rootfs"
	PORT=$((20000 + RANDOM % 20000))
	export W PORT
	# the site and its configuration, in the image
	nginx_site "$W/rootfs" "$PORT"
	# a call outside nginx's profile: mount, which succeeds with CAP_SYS_ADMIN and no filter
	cat >"$W/mount-probe.c" <<'C'
#include <errno.h>
#include <stdio.h>
#include <sys/mount.h>
int main(void)
{
	if (mount("none", "/mnt", "tmpfs", 0, NULL) == 0) {
		printf("mount: done\n");
		return 2;                          /* nothing refused it */
	}
	printf("mount: errno %d\n", errno);     /* 199: the profile's defaultErrnoRet */
	return errno == EPERM || errno == 199 ? 0 : 3;
}
C
	gcc -static -O2 -o "$W/rootfs/mount-probe" "$W/mount-probe.c"
	tar -C "$W/rootfs" --numeric-owner -cf "$W/rootfs.tar" .
	start_dockerd
	dk import "$W/rootfs.tar" seclude-nginx:test >/dev/null
	start_containerd
	mkdir -p "$ENGINES/podman"
	export DOCKER_SOCK CONTAINERD_SOCK
	# learn once for every engine below: nginx under curl, reloaded, stopped
	learn_nginx
}

teardown_file() {
	stop_dockerd
	stop_containerd
	[ -n "${ENGINES:-}" ] && unmount_under "$ENGINES" && rm -rf "$ENGINES"
}

url() { echo "http://127.0.0.1:$PORT$1"; }

wait_up() {
	curl -s --retry 60 --retry-delay 0 --retry-connrefused --retry-max-time 40 --max-time 10 -o /dev/null "$(url /)"
}

wait_down() {
	local i
	for i in $(seq 100); do
		curl -s -o /dev/null --max-time 1 "$(url /)" || return 0
		sleep 0.1
	done
	return 1
}

learn_nginx() {
	"$SECLUDE" learn --rootfs "$W/rootfs" --network host --default-errno 199 -o "$W/nginx.json" \
		-- nginx -e stderr -c /etc/nginx/seclude-test.conf >"$W/learn.out" 2>&1 &
	local learn=$!
	wait_up
	[ "$(curl -s "$(url /)")" = hello ]
	curl -s "$(url /big.bin)" | cmp - "$W/big.bin"
	[ "$(curl -s -o /dev/null -w '%{http_code}' "$(url /missing)")" = 404 ]
	kill -HUP $learn           # reload: new workers
	local i
	for i in $(seq 100); do
		[ "$(grep -c "start worker process" "$W/learn.out")" -ge 4 ] && break
		sleep 0.1
	done
	[ "$(curl -s "$(url /)")" = hello ]
	kill -QUIT $learn          # graceful stop
	wait $learn || { cat "$W/learn.out" >&2; return 1; }
	[ -s "$W/nginx.json" ]
	# and stopped as docker stop, podman stop and ctr task kill stop it: SIGTERM,
	# a fast shutdown whose timer (setitimer) the graceful one never sets
	"$SECLUDE" learn --rootfs "$W/rootfs" --network host --merge "$W/nginx.json" -o "$W/nginx.json" \
		-- nginx -e stderr -c /etc/nginx/seclude-test.conf >"$W/learn2.out" 2>&1 &
	learn=$!
	wait_up
	[ "$(curl -s "$(url /)")" = hello ]
	kill -TERM $learn
	wait $learn || { cat "$W/learn2.out" >&2; return 1; }
}

# The requests the profile was not learned with, then the log must be clean.
serve_other_requests() {
	wait_up || return 1
	[ "$(curl -s "$(url /other.html)")" = other ]
	[ "$(curl -s "$(url /sub/)")" = subindex ]
	[ "$(curl -s -o /dev/null -w '%{http_code}' "$(url /nothing/here)")" = 404 ]
	[ "$(curl -s -o /dev/null -w '%{http_code}' -X POST -d x=1 "$(url /index.html)")" = 405 ]
	[ "$(curl -s -o /dev/null -w '%{http_code}' -I "$(url /big.bin)")" = 200 ]
	[ "$(curl -s -r 10-19 "$(url /big.bin)" | wc -c)" -eq 10 ]
	curl -s "$(url /big.bin)" | cmp - "$W/big.bin"
	[ "$(curl -s "$(url /index.html)" "$(url /other.html)")" = "$(printf 'hello\nother')" ]
}

# Zero denials: no call nginx made was refused.  Where the engine passes the
# profile's defaultErrnoRet on (199), a refusal shows in nginx's log as
# "Unknown error 199"; where the kernel logs refusals (the engine sets
# SECCOMP_FILTER_FLAG_LOG), the audit records name no nginx process.
assert_no_denials() {
	local log=$1
	! grep -E "Unknown error 199|\(1: Operation not permitted\)|\[emerg\]|\[alert\]|\[crit\]" "$log" ||
		{ echo "nginx reported a failure" >&2; return 1; }
	if [ -s "${AUDIT_OUT:-/nonexistent}" ]; then
		! grep -E "comm=nginx" "$AUDIT_OUT" || { echo "the filter refused nginx" >&2; return 1; }
	fi
	return 0
}

# The profile with the kernel's log flag: refusals are then audited (the
# allowed set is the learned one, unchanged).
logging_profile() {
	python3 - "$W/nginx.json" "$1" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
p["flags"] = ["SECCOMP_FILTER_FLAG_LOG"]
json.dump(p, open(sys.argv[2], "w"), indent=1)
PY
}

@test "the learned profile: nginx's calls, what Docker's runtime needs, a header, and check --for says it is ready" {
	grep -q "learned for: runtime=docker" "$W/nginx.json"
	grep -q "runc 1.1.5" "$W/nginx.json"
	grep -qi "learned by seclude learn" "$W/nginx.json"
	for rt in docker runc containerd; do
		run "$SECLUDE" check --for $rt "$W/nginx.json"
		[ "$status" -eq 0 ] || { echo "$rt: $output"; return 1; }
		[[ "$output" == *"[runtime-ok]"* ]]
	done
	# learned for docker, so crun's set is not all there: check says so before deployment
	run "$SECLUDE" check --for crun "$W/nginx.json"
	[[ "$output" == *"[learned-for-other]"* ]]
}

@test "regression: without the runtime's set Docker cannot start nginx, and check --for runc names what is missing" {
	"$SECLUDE" learn --rootfs "$W/rootfs" --network host --for none -o "$W/bare.json" \
		-- nginx -e stderr -c /etc/nginx/seclude-test.conf -t 2>/dev/null
	run "$SECLUDE" check --for runc "$W/bare.json"
	[ "$status" -eq 125 ]
	[[ "$output" == *"fstatfs is not allowed"*"[runtime-missing]"* ]]
	[[ "$output" == *"capset is not allowed"*"[runtime-missing]"* ]]
	# and Docker does refuse it, as the issue reported
	run dk run --rm --network host --security-opt seccomp="$W/bare.json" seclude-nginx:test \
		nginx -e stderr -c /etc/nginx/seclude-test.conf -t
	[ "$status" -ne 0 ]
	[[ "$output" == *"operation not permitted"* || "$output" == *"OCI runtime"* ]]
}

docker_case() {
	local name=seclude-nginx-$1; shift
	dk run -d --name "$name" --network host --security-opt seccomp="$W/nginx.json" "$@" \
		seclude-nginx:test nginx -e stderr -c /etc/nginx/seclude-test.conf >/dev/null
	serve_other_requests || { dk logs "$name" >&2; dk rm -f "$name" >/dev/null; return 1; }
	dk stop -t 10 "$name" >/dev/null
	wait_down
	dk logs "$name" >"$BATS_TEST_TMPDIR/$name.log" 2>&1
	local code
	code=$(dk inspect -f '{{.State.ExitCode}}' "$name")
	dk rm "$name" >/dev/null
	assert_no_denials "$BATS_TEST_TMPDIR/$name.log"
	[ "$code" -eq 0 ] || { cat "$BATS_TEST_TMPDIR/$name.log" >&2; return 1; }
	# a call outside the profile is still refused
	# (Docker 20.10 drops defaultErrnoRet: EPERM, where without the filter the mount is done)
	run dk run --rm --network none --cap-add SYS_ADMIN --security-opt seccomp="$W/nginx.json" "$@" \
		seclude-nginx:test /mount-probe
	[ "$status" -eq 0 ]
	[[ "$output" == *"mount: errno 1"* ]]
}

@test "docker: nginx serves other requests under the learned profile, zero denials; mount refused" {
	docker_case root
	docker_case nnp --security-opt no-new-privileges
	docker_case user --user 1000:1000
	docker_case user-nnp --user 1000:1000 --security-opt no-new-privileges
	# without the filter the same probe mounts: the refusal above is the filter's
	run dk run --rm --network none --cap-add SYS_ADMIN --security-opt seccomp=unconfined seclude-nginx:test /mount-probe
	[ "$status" -eq 2 ]
}

# An OCI bundle of the root filesystem with the learned profile (OCI's
# seccomp fields are Docker's: the profile goes in as it is, with its
# native arch as "architectures").
oci_bundle() {
	local b=$1 nnp=$2 uid=$3; shift 3
	mkdir -p "$b"
	[ -f "$b/config.json" ] || runc spec --bundle "$b"
	python3 - "$b/config.json" "$W/rootfs" "$nnp" "$uid" "$LOGPROFILE" "$@" <<'PY'
import json, sys
path, root, nnp, uid, prof = sys.argv[1:6]
args = sys.argv[6:]
spec = json.load(open(path))
spec["root"] = {"path": root, "readonly": False}
spec["process"]["terminal"] = False
spec["process"]["args"] = args
spec["process"]["noNewPrivileges"] = nnp == "yes"
spec["process"]["user"] = {"uid": int(uid), "gid": int(uid)}
# Docker's default capabilities (nginx's workers change user), CAP_SYS_ADMIN for the mount probe
caps = ["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW",
        "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
        "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE"] + (["CAP_SYS_ADMIN"] if args == ["/mount-probe"] else [])
spec["process"]["capabilities"] = {k: caps for k in ("bounding", "effective", "permitted")}
if int(uid):
    spec["process"]["capabilities"] = {"bounding": caps}
spec["linux"]["namespaces"] = [n for n in spec["linux"]["namespaces"] if n["type"] != "network"]
p = json.load(open(prof))
seccomp = {k: p[k] for k in ("defaultAction", "defaultErrnoRet", "flags") if k in p}
seccomp["architectures"] = [m["architecture"] for m in p.get("archMap", [])] + \
    [s for m in p.get("archMap", []) for s in m.get("subArchitectures", [])]
seccomp["syscalls"] = [{k: r[k] for k in ("names", "action", "errnoRet", "args") if k in r} for r in p["syscalls"]]
spec["linux"]["seccomp"] = seccomp
spec["linux"].pop("maskedPaths", None)
json.dump(spec, open(path, "w"), indent=1)
PY
}

crun_case() {
	local tag=$1 nnp=$2 uid=$3
	local b=$ENGINES/bundle-$tag id=seclude-nginx-$tag
	LOGPROFILE=$BATS_TEST_TMPDIR/log.json
	logging_profile "$LOGPROFILE"
	oci_bundle "$b" "$nnp" "$uid" nginx -e stderr -c /etc/nginx/seclude-test.conf
	start_audit
	in_v1_ns crun --cgroup-manager=disabled --root "$ENGINES/crun" run --bundle "$b" "$id" \
		>"$BATS_TEST_TMPDIR/$id.log" 2>&1 &
	local pid=$!
	serve_other_requests || { in_v1_ns crun --root "$ENGINES/crun" kill "$id" KILL; wait $pid; cat "$BATS_TEST_TMPDIR/$id.log" >&2; return 1; }
	in_v1_ns crun --root "$ENGINES/crun" kill "$id" QUIT || echo "crun $tag: kill failed" >&2
	local code=0
	wait $pid || code=$?
	wait_down
	stop_audit
	assert_no_denials "$BATS_TEST_TMPDIR/$id.log"
	[ "$code" -eq 0 ] || { cat "$BATS_TEST_TMPDIR/$id.log" >&2; return 1; }
	# mount: refused by the filter, and the kernel says so
	start_audit
	oci_bundle "$b-probe" "$nnp" "$uid" /mount-probe
	run in_v1_ns crun --cgroup-manager=disabled --root "$ENGINES/crun" run --bundle "$b-probe" "$id-probe"
	stop_audit
	[ "$status" -eq 0 ]
	[[ "$output" == *"mount: errno 199"* ]] || { echo "$output" >&2; return 1; }
	grep -q "exe=/mount-probe syscall=165 code=0x50000" "$AUDIT_OUT" ||
		{ echo "crun $tag: no audit record of the refused mount" >&2; cat "$AUDIT_OUT" >&2; return 1; }
}

@test "crun: nginx serves other requests under the learned profile, zero denials; mount refused" {
	# learned for docker: crun's own calls are another set; learn --merge --for crun adds them
	"$SECLUDE" learn --merge "$W/nginx.json" --for crun -o "$W/nginx-crun.json" 2>/dev/null
	run "$SECLUDE" check --for crun "$W/nginx-crun.json"
	[ "$status" -eq 0 ]
	cp "$W/nginx.json" "$W/nginx-docker.json"
	cp "$W/nginx-crun.json" "$W/nginx.json"
	local rc=0
	{ crun_case root yes 0 && crun_case root-nonnp no 0 && crun_case user yes 1000 && crun_case user-nonnp no 1000; } || rc=1
	cp "$W/nginx-docker.json" "$W/nginx.json"
	[ $rc -eq 0 ]
}

podman_case() {
	local tag=$1; shift
	local name=seclude-nginx-$tag
	LOGPROFILE=$BATS_TEST_TMPDIR/log.json
	logging_profile "$LOGPROFILE"
	local lim=(--ulimit nofile=1024:1024 --ulimit nproc=4096:4096)
	start_audit
	in_v1_ns podman --root "$ENGINES/podman/root" --runroot "$ENGINES/podman/runroot" --tmpdir "$ENGINES/podman/tmp" \
		--cgroup-manager cgroupfs --events-backend none run --rm --name "$name" --network host "${lim[@]}" \
		--security-opt seccomp="$LOGPROFILE" "$@" --rootfs "$W/rootfs" \
		nginx -e stderr -c /etc/nginx/seclude-test.conf >"$BATS_TEST_TMPDIR/$name.log" 2>&1 &
	local pid=$!
	serve_other_requests || { kill -KILL $pid; wait $pid; cat "$BATS_TEST_TMPDIR/$name.log" >&2; return 1; }
	pkill -QUIT -f "nginx: master process nginx -e stderr -c /etc/nginx/seclude-test.conf" || true
	local code=0
	wait $pid || code=$?
	wait_down
	stop_audit
	assert_no_denials "$BATS_TEST_TMPDIR/$name.log"
	[ "$code" -eq 0 ] || { cat "$BATS_TEST_TMPDIR/$name.log" >&2; return 1; }
	start_audit
	in_v1_ns podman --root "$ENGINES/podman/root" --runroot "$ENGINES/podman/runroot" --tmpdir "$ENGINES/podman/tmp" \
		--cgroup-manager cgroupfs --events-backend none run --rm --network none "${lim[@]}" --cap-add SYS_ADMIN \
		--security-opt seccomp="$LOGPROFILE" "$@" --rootfs "$W/rootfs" /mount-probe >"$BATS_TEST_TMPDIR/probe.out" 2>&1 ||
		{ cat "$BATS_TEST_TMPDIR/probe.out" >&2; return 1; }
	stop_audit
	grep -q "mount: errno 199" "$BATS_TEST_TMPDIR/probe.out" || { cat "$BATS_TEST_TMPDIR/probe.out" >&2; return 1; }
}

@test "podman: nginx serves other requests under a profile learned --for podman, zero denials; mount refused" {
	"$SECLUDE" learn --merge "$W/nginx.json" --for podman -o "$W/nginx-podman.json" 2>/dev/null
	run "$SECLUDE" check --for podman "$W/nginx-podman.json"
	[ "$status" -eq 0 ]
	cp "$W/nginx.json" "$W/nginx-docker.json"
	cp "$W/nginx-podman.json" "$W/nginx.json"
	local rc=0
	{ podman_case root && podman_case nnp --security-opt no-new-privileges && podman_case user --user 1000:1000 &&
		podman_case user-nnp --user 1000:1000 --security-opt no-new-privileges; } || rc=1
	cp "$W/nginx-docker.json" "$W/nginx.json"
	[ $rc -eq 0 ]
}

# runc 1.1.5 refuses seccomp flags: no kernel log of refusals here, but it
# passes defaultErrnoRet on, so a refusal is errno 199 in nginx's log.
ctr_case() {
	local tag=$1; shift
	local id=seclude-nginx-$tag-$RANDOM
	# (ctr's spec sets no PATH with --rootfs: the command by its path)
	ct run --rm --net-host --seccomp --seccomp-profile "$W/nginx.json" "$@" --rootfs "$W/rootfs" "$id" \
		/usr/sbin/nginx -e stderr -c /etc/nginx/seclude-test.conf >"$BATS_TEST_TMPDIR/$id.log" 2>&1 &
	local pid=$!
	wait_up
	ct task ls | grep -q "^$id .*RUNNING" || { echo "ctr $tag: no task"; cat "$BATS_TEST_TMPDIR/$id.log"; return 1; } >&2
	serve_other_requests || { ct task kill -s KILL "$id"; wait $pid; cat "$BATS_TEST_TMPDIR/$id.log" >&2; return 1; }
	ct task kill -s QUIT "$id" || { cat "$BATS_TEST_TMPDIR/$id.log" >&2; return 1; }
	local code=0
	wait $pid || code=$?
	wait_down
	assert_no_denials "$BATS_TEST_TMPDIR/$id.log"
	[ "$code" -eq 0 ] || { cat "$BATS_TEST_TMPDIR/$id.log" >&2; return 1; }
	# mount, with CAP_SYS_ADMIN: the filter's errno, not the capability check's
	run ct run --rm --seccomp --seccomp-profile "$W/nginx.json" --cap-add CAP_SYS_ADMIN "$@" \
		--rootfs "$W/rootfs" "$id-probe" /mount-probe
	[ "$status" -eq 0 ]
	[[ "$output" == *"mount: errno 199"* ]] || { echo "$output" >&2; return 1; }
}

@test "containerd (ctr run --rootfs, the runc shim): nginx serves under the learned profile, zero denials; mount refused" {
	ctr_case nnp
	ctr_case nonnp --allow-new-privs
}

@test "seclude run: nginx serves under the learned profile, as root and another user, zero denials; mount refused" {
	local u
	for u in root user; do
		local args=(--rootfs "$W/rootfs" --network host --security-opt seccomp="$W/nginx.json")
		[ $u = user ] && args+=(--user 1000:1000)
		"$SECLUDE" run "${args[@]}" -- nginx -e stderr -c /etc/nginx/seclude-test.conf \
			>"$BATS_TEST_TMPDIR/seclude-$u.log" 2>&1 &
		local pid=$!
		serve_other_requests || { kill -KILL $pid; cat "$BATS_TEST_TMPDIR/seclude-$u.log" >&2; return 1; }
		kill -QUIT $pid
		wait $pid
		wait_down
		assert_no_denials "$BATS_TEST_TMPDIR/seclude-$u.log"
		run "$SECLUDE" run --rootfs "$W/rootfs" --cap-add SYS_ADMIN --security-opt seccomp="$W/nginx.json" -- /mount-probe
		[ "$status" -eq 0 ]
		[[ "$output" == *"mount: errno 199"* ]]
	done
}
