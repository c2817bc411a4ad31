#!/usr/bin/env bats
# The seeds' nginx story inside Docker, through seclude-runc alone: nginx
# (Debian's nginx-light, a debootstrap root filesystem imported as an
# image) learned through the runtime (its --learn DIR in daemon.json's
# runtimeArgs: this dockerd, 20.10, passes no annotations) while
# curl exercises it, stopped with docker stop; then served by
# `docker run --runtime seclude --security-opt seccomp=learned.json` with
# every request answered and zero denials (counted by the runtime's
# --log-denials), the profile far smaller than Docker's default, and a call
# outside it (mount) still refused.  A dockerd of its own.
bats_require_minimum_version 1.5.0
load helpers
load nginx_rootfs
load engines

RUNC=${SECLUDE_RUNC:-$(dirname "$SECLUDE")/seclude-runc}
IMG=seclude-learn-nginx:test

setup_file() {
	for t in dockerd debootstrap curl gcc; do
		command -v $t >/dev/null || skip "$t is not installed (scripts/install-deps)"
	done
	build_nginx_rootfs
	ENGINES=$(mktemp -d /tmp/seclude-docker-learn.XXXXXX)
	chmod 755 "$ENGINES"
	W=$ENGINES/w
	PORT=$((20000 + RANDOM % 20000))
	export ENGINES W PORT
	mkdir -p "$W"
	cp -a "$NGINX_ROOTFS" "$W/rootfs"
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
		return 2;
	}
	printf("mount: errno %d\n", errno);
	return errno == EPERM ? 0 : 3;
}
C
	gcc -static -O2 -o "$W/rootfs/mount-probe" "$W/mount-probe.c"
	tar -C "$W/rootfs" --numeric-owner -cf "$W/rootfs.tar" .
	rm -rf "$W/rootfs"
	# seclude, seclude learning each container's profile, and seclude naming each refused call
	local d=$ENGINES/docker
	mkdir -p "$d" "$W/learned"
	jq -n --arg r "$RUNC" --arg den "$W/denials.json" --arg l "$W/learned" \
		'{runtimes: {seclude: {path: $r}, "seclude-learn": {path: $r, runtimeArgs: ["--learn", $l]},
		  "seclude-denials": {path: $r, runtimeArgs: ["--log-denials", $den]}}}' \
		>"$d/daemon.json"
	DOCKER_SOCK=$d/docker.sock
	export DOCKER_SOCK
	ASAN_OPTIONS=detect_leaks=0 dockerd --config-file "$d/daemon.json" --host "unix://$DOCKER_SOCK" \
		--data-root "$d/data" --exec-root "$d/exec" --pidfile "$d/dockerd.pid" \
		--bridge none --iptables=false --ip-masq=false >"$d/dockerd.log" 2>&1 &
	echo $! >"$d/pid"
	local i
	for i in $(seq 300); do
		dk info >/dev/null 2>&1 && break
		sleep 0.2
	done
	dk info >/dev/null 2>&1 || { tail -20 "$d/dockerd.log" >&2; return 1; }
	dk import "$W/rootfs.tar" "$IMG" >/dev/null
	learn_nginx
}

teardown_file() {
	[ -n "${ENGINES:-}" ] || return 0
	stop_dockerd
	unmount_under "$ENGINES"
	rm -rf "$ENGINES"
}

url() { echo "http://127.0.0.1:$PORT$1"; }

wait_up() {
	curl -s --retry 60 --retry-delay 0 --retry-connrefused --retry-max-time 40 --max-time 10 -o /dev/null "$(url /)"
}

NGINX=(nginx -e stderr -c /etc/nginx/seclude-test.conf)

# nginx learned through the runtime: requests, then docker stop (SIGTERM, a fast shutdown)
learn_nginx() {
	local id
	id=$(dk run -d --name learn --runtime seclude-learn --network host "$IMG" "${NGINX[@]}")
	wait_up
	[ "$(curl -s "$(url /)")" = hello ]
	curl -s "$(url /big.bin)" | cmp - "$W/big.bin"
	[ "$(curl -s -o /dev/null -w '%{http_code}' "$(url /missing)")" = 404 ]
	[ "$(curl -s -o /dev/null -w '%{http_code}' -I "$(url /)")" = 200 ]
	dk stop learn >/dev/null
	dk logs learn >"$W/learn.log" 2>&1
	dk rm learn >/dev/null
	# written by the runtime's learner once the container's last process has ended
	local i
	for i in $(seq 200); do
		[ -s "$W/learned/$id.json" ] && break
		sleep 0.05
	done
	cp "$W/learned/$id.json" "$W/learned.json" || { cat "$W/learned/$id.json.error" >&2; return 1; }
}

@test "learned through the runtime: nginx's calls, Docker's runtime set with why, far fewer calls than Docker's default" {
	[ -s "$W/learned.json" ]
	grep -q "learned for: runtime=docker" "$W/learned.json"
	grep -q "runc 1.1.5" "$W/learned.json"
	run jq -r '[.syscalls[] | select(.action == "SCMP_ACT_ALLOW") | .names[]] | unique | length' "$W/learned.json"
	local learned=$output
	run jq -r '[.syscalls[] | (.names // [.name])[]] | unique | length' "$SRC/tests/data/profiles/labs/default.json"
	local docker=$output
	echo "# learned $learned calls, Docker's default $docker" >&3
	[ "$learned" -gt 40 ]
	[ $((learned * 2)) -lt "$docker" ]
	# what nginx does, seen through the notify recorder
	for c in accept4 epoll_wait sendfile socket bind listen clone; do
		jq -e --arg c "$c" '[.syscalls[].names[]] | index($c) != null' "$W/learned.json" >/dev/null ||
			{ echo "$c not learned"; return 1; }
	done
	! jq -e '[.syscalls[].names[]] | index("mount") != null' "$W/learned.json"
	! grep -E "\[emerg\]|\[alert\]|\[crit\]" "$W/learn.log"
}

@test "docker run --runtime seclude --security-opt seccomp=learned.json: every request served, zero denials" {
	rm -f "$W/denials.json"
	dk run -d --name serve --runtime seclude-denials --network host \
		--security-opt seccomp="$W/learned.json" "$IMG" "${NGINX[@]}" >/dev/null
	wait_up
	[ "$(curl -s "$(url /)")" = hello ]
	[ "$(curl -s "$(url /other.html)")" = other ]
	[ "$(curl -s "$(url /sub/)")" = subindex ]
	[ "$(curl -s -o /dev/null -w '%{http_code}' "$(url /nothing/here)")" = 404 ]
	[ "$(curl -s -o /dev/null -w '%{http_code}' -I "$(url /big.bin)")" = 200 ]
	[ "$(curl -s -r 10-19 "$(url /big.bin)" | wc -c)" -eq 10 ]
	curl -s "$(url /big.bin)" | cmp - "$W/big.bin"
	dk stop serve >/dev/null
	run dk logs serve
	dk rm serve >/dev/null
	! grep -E "Operation not permitted|\[emerg\]|\[alert\]|\[crit\]" <<<"$output"
	# the runtime named no refused call (the report holds one line per refusal)
	[ ! -s "$W/denials.json" ] || { cat "$W/denials.json"; return 1; }
}

@test "the profile learned through seclude-runc also serves under Docker's own runtime (runc)" {
	dk run -d --name serve-runc --network host --security-opt seccomp="$W/learned.json" "$IMG" "${NGINX[@]}" >/dev/null
	wait_up
	[ "$(curl -s "$(url /other.html)")" = other ]
	[ "$(curl -s -o /dev/null -w '%{http_code}' -I "$(url /big.bin)")" = 200 ]
	curl -s "$(url /big.bin)" | cmp - "$W/big.bin"
	dk stop serve-runc >/dev/null
	run dk logs serve-runc
	dk rm serve-runc >/dev/null
	! grep -E "Operation not permitted|\[emerg\]|\[alert\]|\[crit\]" <<<"$output"
}

@test "the learned profile still refuses what nginx never did: mount, named with its errno" {
	rm -f "$W/denials.json"
	run dk run --rm --runtime seclude-denials --cap-add SYS_ADMIN --security-opt seccomp="$W/learned.json" \
		"$IMG" /mount-probe
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "mount: errno 1" ]
	local i
	for i in $(seq 100); do
		grep -q '"syscall":"mount"' "$W/denials.json" 2>/dev/null && break
		sleep 0.05
	done
	run jq -r 'select(.syscall == "mount") | "\(.comm) \(.errno_name) \(.complain)"' "$W/denials.json"
	[ "$output" = "mount-probe EPERM false" ]
}
