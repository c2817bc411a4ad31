#!/usr/bin/env bats
# docker run --runtime seclude against docker run --runtime runc, side by side
# through one dockerd of this file's own (own socket, data root, exec root and
# pid file): each case runs the same probe under both runtimes and the two
# normalised outputs must be equal: /proc/self/status, mounts, namespaces,
# cgroup limits read back, rlimits, hostname, /etc files, id, umask, cwd, env,
# devices, and the exit status. A difference is either a bug of seclude-runc or
# a deliberate one, documented in docs/oci.md and dropped below by name.
bats_require_minimum_version 1.5.0
load helpers
load rootfs

RUNC=${SECLUDE_RUNC:-$(dirname "$SECLUDE")/seclude-runc}
IMG=seclude-oci-cmp

setup_file() {
	command -v dockerd >/dev/null || skip "dockerd is not installed"
	command -v runc >/dev/null || skip "runc is not installed"
	build_rootfs
	export DOCKER_DIR
	DOCKER_DIR=$(mktemp -d /tmp/seclude-oci-cmp.XXXXXX)
	export DOCKER_HOST=unix://$DOCKER_DIR/docker.sock
	jq -n --arg r "$RUNC" '{runtimes: {seclude: {path: $r}}}' > "$DOCKER_DIR/daemon.json"
	# the runtime's own leak reports are not dockerd's business
	ASAN_OPTIONS=detect_leaks=0 dockerd --config-file "$DOCKER_DIR/daemon.json" --host "$DOCKER_HOST" \
		--data-root "$DOCKER_DIR/data" --exec-root "$DOCKER_DIR/exec" --pidfile "$DOCKER_DIR/dockerd.pid" \
		--bridge none --iptables=false --ip-masq=false \
		--init-path "$(command -v tini-static || echo /usr/bin/tini-static)" >"$DOCKER_DIR/dockerd.log" 2>&1 &
	local i
	for i in $(seq 120); do
		docker info >/dev/null 2>&1 && break
		sleep 0.5
	done
	docker info >/dev/null 2>&1 || { cat "$DOCKER_DIR/dockerd.log"; return 1; }
	tar -C "$ROOTFS" -c . | docker import - "$IMG:latest" >/dev/null
	mkdir -p "$DOCKER_DIR/vol"
	echo from-host > "$DOCKER_DIR/vol/f"
	# a custom profile: Docker's default without chmod
	jq '.syscalls |= map(.names = [.name] | del(.name))' "$SRC/tests/data/profiles/labs/default-no-chmod.json" \
		> "$DOCKER_DIR/nochmod.json"
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
	local m
	for m in $(awk -v d="$DOCKER_DIR/" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo | sort -r); do
		umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
	done
	rm -rf "$DOCKER_DIR" 2>/dev/null || true
}

# What the container prints about itself, section by section. Namespaces are
# printed raw (name, own link, pid 1's link) and named by norm_ns below.
read -r -d '' PROBE <<'SH' || true
echo "== status"
grep -E '^(Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs|Seccomp|Seccomp_filters|Uid|Gid|Groups):' /proc/self/status
echo "== mounts"
awk '{
	mp = $5; o = $6; i = 7
	while ($i != "-") i++
	fs = $(i + 1); so = $(i + 3)
	n = split(o, a, ","); keep = ""
	for (k = 1; k <= n; k++)
		if (a[k] ~ /^(ro|rw|nosuid|nodev|noexec|relatime|noatime|strictatime)$/) keep = keep "," a[k]
	sro = (so ~ /(^|,)ro(,|$)/) ? "ro" : "rw"
	extra = ""
	if (fs == "tmpfs") {
		m = split(so, b, ",")
		for (k = 1; k <= m; k++) if (b[k] ~ /^(size|mode|nr_inodes)=/) extra = extra "," b[k]
	}
	print mp, fs, substr(keep, 2), sro substr(extra, 1)
}' /proc/self/mountinfo | sort
echo "== ns"
for n in /proc/self/ns/*; do
	b=${n##*/}
	echo "ns $b $(readlink "$n" 2>&1) $(readlink "/proc/1/ns/$b" 2>&1 || echo unreadable)"
done
echo "== pid1"
cat /proc/1/comm 2>&1
echo "== cgroup"
for f in memory/memory.limit_in_bytes memory/memory.memsw.limit_in_bytes memory/memory.swappiness \
	memory/memory.soft_limit_in_bytes memory/memory.kmem.limit_in_bytes pids/pids.max \
	cpu/cpu.cfs_quota_us cpu/cpu.cfs_period_us cpu/cpu.shares cpuset/cpuset.cpus cpuset/cpuset.mems \
	blkio/blkio.weight; do
	echo "$f $(cat "/sys/fs/cgroup/$f" 2>&1)"
done
sed 's/^[0-9]*://' /proc/self/cgroup | sort
echo "== ulimit"
ulimit -a
echo "== uts"
hostname
echo "== files"
for f in /etc/hosts /etc/resolv.conf /etc/hostname; do
	if [ -e "$f" ]; then echo "$f present"; else echo "$f absent"; fi
done
cat /etc/hostname 2>&1
grep -v '^#' /etc/hosts 2>&1 | sort
echo "== user"
id
umask
pwd
cat /proc/self/oom_score_adj
echo "== env"
env | sort
echo "== sysctl"
cat /proc/sys/net/ipv4/ip_forward 2>&1
echo "== dev"
for f in /dev/* /dev/pts/* /dev/shm /dev/mqueue; do
	stat -c '%n %F %t:%T %a %U:%G' "$f" 2>&1
done
echo "== writes"
touch /probe-root 2>/dev/null && echo "root writable" || echo "root read-only"
touch /tmp/probe 2>/dev/null && echo "tmp writable" || echo "tmp read-only"
{ echo x > /proc/sys/kernel/domainname; } 2>/dev/null && echo "proc/sys writable" || echo "proc/sys read-only"
SH

# norm_ns: turns "ns NAME SELF PID1" into "ns NAME host|own pid1=same|other".
norm_ns() {
	local name self one host
	while IFS= read -r line; do
		if [[ $line == "ns "* ]]; then
			read -r _ name self one <<<"$line"
			host=$(readlink "/proc/$$/ns/$name" 2>/dev/null)
			local where=own
			[ "$self" = "$host" ] && where=host
			local p1=other
			[ "$one" = "$self" ] && p1=same
			[ "$one" = unreadable ] && p1=unreadable
			echo "ns $name $where pid1=$p1"
		else
			printf '%s\n' "$line"
		fi
	done
}

# one RUNTIME [docker run args] IMAGE ARGS...: docker run, attached, and
# prints its output (ids replaced by ID) then "exit=STATUS". Sets ONE_ID; the
# container is removed unless KEEP is set.
one() {
	local rt=$1 cid=$BATS_TEST_TMPDIR/cid
	shift
	rm -f "$cid"
	local st=0 out
	out=$(docker run --cidfile "$cid" --runtime "$rt" "$@" 2>&1) || st=$?
	ONE_ID=$(cat "$cid" 2>/dev/null) || ONE_ID=none
	printf '%s\n' "$out" | sed "s/$ONE_ID/ID/g; s/${ONE_ID:0:12}/ID/g" | norm_ns
	echo "exit=$st"
	[ -n "${KEEP:-}" ] || [ "$ONE_ID" = none ] || docker rm -f "$ONE_ID" >/dev/null
}

# The deliberate differences (docs/oci.md, "Side by side with runc"), dropped
# from both outputs before they are compared:
# - /sys/fs/cgroup's tmpfs is read-only under seclude; runc 1.1 leaves it
#   writable when it binds the host cgroup namespace's directories (the
#   hierarchies below it are read-only under both);
# - on a hybrid host the container's cgroup is made in each controller's
#   hierarchy only: not in the named systemd one nor in the controller-less
#   v2 tree, which runc also joins (nothing there limits anything).
ALWAYS_EXCEPT='\|^/sys/fs/cgroup tmpfs |d; \|^/sys/fs/cgroup/systemd |d; \|^:/|d; \|^name=systemd:/|d'

# compare [docker create args]: the probe under runc and under seclude; their
# outputs after the filter named by $EXCEPT (a sed script, empty for none)
# must be equal. Both are left in $BATS_TEST_TMPDIR/{runc,seclude}.out.
compare() {
	local rt
	for rt in runc seclude; do
		one "$rt" "$@" "$IMG" sh -c "$PROBE" > "$BATS_TEST_TMPDIR/$rt.out"
		sed -i "$ALWAYS_EXCEPT; ${EXCEPT:-}" "$BATS_TEST_TMPDIR/$rt.out"
	done
	grep -q '^exit=0$' "$BATS_TEST_TMPDIR/runc.out" || { cat "$BATS_TEST_TMPDIR/runc.out" "$BATS_TEST_TMPDIR/seclude.out"; return 1; }
	diff -u "$BATS_TEST_TMPDIR/runc.out" "$BATS_TEST_TMPDIR/seclude.out"
}

@test "default" {
	compare
}

@test "--privileged" {
	# runc refuses --privileged where the caller's bounding set lacks one of
	# the capabilities Docker asks for ("unable to apply caps"); seclude-runc
	# then gives the container those the caller holds (docs/oci.md)
	local bnd
	bnd=$(awk '/^CapBnd:/ { print $2 }' /proc/self/status)
	if [ "$bnd" != "$(printf '%016x' $(( (1 << ($(cat /proc/sys/kernel/cap_last_cap) + 1)) - 1 )))" ]; then
		run one seclude --privileged "$IMG" sh -c 'grep -E "^(CapBnd|Seccomp):" /proc/self/status'
		[ "${lines[-1]}" = exit=0 ]
		[[ "$output" == *"Seccomp:	0"* ]]
		skip "this session's bounding set ($bnd) lacks a capability: runc cannot start --privileged to compare"
	fi
	compare --privileged
}

@test "--init" {
	compare --init
}

@test "--read-only" {
	compare --read-only
}

@test "-v host:ctr and -v host:ctr:ro" {
	compare -v "$DOCKER_DIR/vol:/vol" -v "$DOCKER_DIR/vol:/vol-ro:ro"
}

@test "--tmpfs" {
	compare --tmpfs /scratch --tmpfs /sized:rw,size=1m,mode=700,noexec
}

@test "--cap-add NET_ADMIN --cap-drop CHOWN" {
	compare --cap-add NET_ADMIN --cap-drop CHOWN
}

@test "--user 1000:1000 --group-add 10" {
	compare --user 1000:1000 --group-add 10
}

@test "--security-opt no-new-privileges" {
	compare --security-opt no-new-privileges
}

@test "--security-opt seccomp=unconfined" {
	compare --security-opt seccomp=unconfined
}

@test "--security-opt seccomp=PROFILE" {
	compare --security-opt seccomp="$DOCKER_DIR/nochmod.json"
}

@test "--memory 64m --pids-limit 50 --cpus 0.5 --cpuset-cpus 0 --blkio-weight 300" {
	compare --memory 64m --pids-limit 50 --cpus 0.5 --cpuset-cpus 0 --blkio-weight 300
}

@test "--cpuset-mems 0 --memory-swappiness 10 --oom-kill-disable --memory 64m" {
	compare --cpuset-mems 0 --memory-swappiness 10 --oom-kill-disable --memory 64m
}

@test "--ipc host" {
	compare --ipc host
}

@test "--pid host" {
	compare --pid host
}

@test "--network none" {
	compare --network none
}

@test "--network host" {
	compare --network host
}

@test "--sysctl net.ipv4.ip_forward=1 in a network namespace of its own" {
	compare --network none --sysctl net.ipv4.ip_forward=1
	grep -qx 1 "$BATS_TEST_TMPDIR/seclude.out"
}

@test "--shm-size" {
	compare --shm-size 8m
}

@test "--ulimit nofile=100:200" {
	compare --ulimit nofile=100:200
}

@test "-w, -e, --hostname" {
	compare -w /tmp -e FOO=bar -e EMPTY= --hostname probe-host
}

@test "--device /dev/null:/dev/mynull" {
	compare --device /dev/null:/dev/mynull
}

# docker update of a running container, read back from inside with docker exec
@test "docker update --memory --memory-swap --pids-limit on a running container" {
	local rt
	for rt in runc seclude; do
		id=$(docker run -d --runtime "$rt" --memory 64m --pids-limit 50 "$IMG" sleep 1000)
		docker update --memory 128m --memory-swap 256m --pids-limit 60 --cpus 0.25 "$id" >/dev/null
		docker exec "$id" sh -c 'for f in memory/memory.limit_in_bytes memory/memory.memsw.limit_in_bytes pids/pids.max cpu/cpu.cfs_quota_us cpu/cpu.cfs_period_us; do echo "$f $(cat /sys/fs/cgroup/$f)"; done' \
			> "$BATS_TEST_TMPDIR/$rt.out"
		docker rm -f "$id" >/dev/null
	done
	grep -qx 'pids/pids.max 60' "$BATS_TEST_TMPDIR/runc.out"
	diff -u "$BATS_TEST_TMPDIR/runc.out" "$BATS_TEST_TMPDIR/seclude.out"
}

# exit statuses: the command's own (0, 3), not executable (126), not found
# (127), docker kill (137), docker stop of a command that ends on SIGTERM (143)
@test "exit statuses: 0, 3, 126, 127" {
	local rt
	for rt in runc seclude; do
		{
			one "$rt" "$IMG" true | tail -1
			one "$rt" "$IMG" sh -c 'exit 3' | tail -1
			one "$rt" "$IMG" /etc/passwd | tail -1
			one "$rt" "$IMG" nosuchcmd | tail -1
			one "$rt" "$IMG" /nosuch | tail -1
		} > "$BATS_TEST_TMPDIR/$rt.out"
	done
	[ "$(cat "$BATS_TEST_TMPDIR/runc.out" | tr '\n' ' ')" = "exit=0 exit=3 exit=126 exit=127 exit=127 " ]
	diff -u "$BATS_TEST_TMPDIR/runc.out" "$BATS_TEST_TMPDIR/seclude.out"
}

# docker exec of a command that cannot start: Docker 20.10 gives 126 whatever the
# runtime's words (docker run tells 127 from 126 by them; exec does not)
@test "docker exec: the statuses of a missing and an unexecutable command, and the process's own" {
	local rt id c st
	for rt in runc seclude; do
		id=$(docker run -d --runtime "$rt" "$IMG" sleep 1000)
		for c in nosuchcmd /nosuch /etc/passwd "sh -c 'exit 5'"; do
			st=0
			eval "docker exec $id $c" >"$BATS_TEST_TMPDIR/err" 2>&1 || st=$?
			echo "$c exit=$st"
			# and the runtime's words, as Docker passes them on
			head -1 "$BATS_TEST_TMPDIR/err" >> "$BATS_TEST_TMPDIR/$rt.words"
		done > "$BATS_TEST_TMPDIR/$rt.out"
		docker rm -f "$id" >/dev/null
	done
	cat "$BATS_TEST_TMPDIR/runc.out"
	[ "$(cat "$BATS_TEST_TMPDIR/runc.out" | tr '\n' ' ')" = "nosuchcmd exit=126 /nosuch exit=126 /etc/passwd exit=126 sh -c 'exit 5' exit=5 " ]
	diff -u "$BATS_TEST_TMPDIR/runc.out" "$BATS_TEST_TMPDIR/seclude.out"
	cat "$BATS_TEST_TMPDIR/runc.words"
	grep -q 'exec: "nosuchcmd": executable file not found in \$PATH' "$BATS_TEST_TMPDIR/runc.words"
	diff -u "$BATS_TEST_TMPDIR/runc.words" "$BATS_TEST_TMPDIR/seclude.words"
}

@test "exit statuses: 137 after docker kill, 143 after docker stop" {
	local rt
	for rt in runc seclude; do
		{
			id=$(docker run -d --runtime "$rt" "$IMG" sleep 1000)
			docker kill "$id" >/dev/null
			echo "kill $(docker wait "$id")"
			docker rm -f "$id" >/dev/null
			id=$(docker run -d --runtime "$rt" --init "$IMG" sleep 1000)
			docker stop -t 20 "$id" >/dev/null
			echo "stop --init $(docker wait "$id")"
			docker rm -f "$id" >/dev/null
			id=$(docker run -d --runtime "$rt" "$IMG" sh -c 'trap "exit 143" TERM; while :; do sleep 0.1; done')
			docker stop -t 20 "$id" >/dev/null
			echo "stop trap $(docker wait "$id")"
			docker rm -f "$id" >/dev/null
		} > "$BATS_TEST_TMPDIR/$rt.out"
	done
	[ "$(cat "$BATS_TEST_TMPDIR/runc.out" | tr '\n' ' ')" = "kill 137 stop --init 143 stop trap 143 " ]
	diff -u "$BATS_TEST_TMPDIR/runc.out" "$BATS_TEST_TMPDIR/seclude.out"
}
