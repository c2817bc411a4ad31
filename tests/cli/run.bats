#!/usr/bin/env bats
# seclude run, as a user runs it, on the busybox-static rootfs of rootfs.bash.
#
# Expected values marked "Docker:" were observed with Docker 20.10.24 (Debian's
# docker.io, runc 1.1.5) on this machine, running the same rootfs imported as an
# image with the same flags; the tests do not need a Docker daemon.
bats_require_minimum_version 1.5.0
load helpers
load rootfs

setup_file() {
	build_rootfs
}

# run_in ARGS... : seclude run --rootfs $ROOTFS ARGS
run_in() {
	run "$SECLUDE" run --rootfs "$ROOTFS" "$@"
}

status_field() {   # status_field NAME: the value of NAME: in $output
	printf '%s\n' "$output" | awk -v k="$1:" '$1 == k { print $2 }'
}

# ---- the seeds' exercises --------------------------------------------------

@test "seed: a container with deny.json cannot start, and says why" {
	run_in --security-opt seccomp="$PROFILES/labs/deny.json" -- true
	assert_error "the seccomp profile denies execve: the command cannot start"
	[ "${#lines[@]}" -eq 1 ]
}

@test "seed: default-no-chmod.json refuses chmod 777 / with EPERM, default.json allows it" {
	run_in --security-opt seccomp="$PROFILES/labs/default-no-chmod.json" -- chmod 777 / -v
	[ "$status" -eq 1 ]
	[[ "$output" == "chmod: /: Operation not permitted" ]]
	run_in --security-opt seccomp="$PROFILES/labs/default.json" -- chmod 777 / -v
	[ "$status" -eq 0 ]
	[[ "$output" == "mode of '/' changed to 0777 (rwxrwxrwx)" ]]
}

@test "seed: seccomp=unconfined lets unshare --map-root-user --user work, the default refuses it" {
	run_in --security-opt seccomp=unconfined -- unshare -r -U whoami
	[ "$status" -eq 0 ]
	[ "$output" = root ]
	run_in -- unshare -r -U whoami
	[ "$status" -eq 1 ]
	[[ "$output" == *"Operation not permitted"* ]]
}

@test "seed: --cap-drop NET_RAW stops a raw socket" {
	run_in -- probe raw_socket
	[ "$output" = ok ]
	run_in --cap-drop NET_RAW -- probe raw_socket
	[ "$output" = EPERM ]
}

@test "seed: --cap-add NET_ADMIN lets the container change its loopback MTU and address" {
	run_in -- ip link set lo mtu 1000
	[ "$status" -ne 0 ]
	run_in --cap-add NET_ADMIN -- sh -c 'ip link set lo mtu 1000 && ip addr add 10.9.8.7/32 dev lo && ip addr show lo'
	[ "$status" -eq 0 ]
	[[ "$output" == *"mtu 1000"* ]]
	[[ "$output" == *"10.9.8.7/32"* ]]
}

@test "seed: the hostname inside differs from the host's: 12 hex digits, or --hostname" {
	run_in -- hostname
	[ "$status" -eq 0 ]
	[ "$output" != "$(hostname)" ]
	[[ "$output" =~ ^[0-9a-f]{12}$ ]]
	run_in --hostname box1 -- sh -c 'hostname; echo $HOSTNAME'
	[ "$output" = "box1
box1" ]
}

@test "seed: Seccomp is mode 2 with the default profile, 0 unconfined" {
	run_in -- grep Seccomp: /proc/self/status
	[ "$(status_field Seccomp)" = 2 ]
	run_in --security-opt seccomp=unconfined -- grep Seccomp: /proc/self/status
	[ "$(status_field Seccomp)" = 0 ]
}

@test "seed: a profile with SCMP_ACT_KILL for chmod makes the shell exit 159" {
	cat > "$BATS_TEST_TMPDIR/kill-chmod.json" <<'EOF'
{ "defaultAction": "SCMP_ACT_ALLOW",
  "syscalls": [ { "names": ["chmod", "fchmod", "fchmodat"], "action": "SCMP_ACT_KILL" } ] }
EOF
	run_in --security-opt seccomp="$BATS_TEST_TMPDIR/kill-chmod.json" -- sh -c 'chmod 777 /'
	[ "$status" -eq 159 ]
}

# ---- capabilities, against Docker's values -----------------------------------

caps_of() {
	run_in "$@" -- grep -E '^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs)' /proc/self/status
	[ "$status" -eq 0 ]
	echo "$(status_field CapInh) $(status_field CapPrm) $(status_field CapEff) $(status_field CapBnd) $(status_field CapAmb) $(status_field NoNewPrivs)"
}

@test "capability sets end as Docker leaves them" {
	# flags | CapInh CapPrm CapEff CapBnd CapAmb NoNewPrivs (Docker: each line)
	[ "$(caps_of)" = "0000000000000000 00000000a80425fb 00000000a80425fb 00000000a80425fb 0000000000000000 0" ]
	[ "$(caps_of --cap-drop ALL)" = "0000000000000000 0000000000000000 0000000000000000 0000000000000000 0000000000000000 0" ]
	[ "$(caps_of --cap-drop ALL --cap-add CHOWN)" = "0000000000000000 0000000000000001 0000000000000001 0000000000000001 0000000000000000 0" ]
	[ "$(caps_of --cap-add SYS_ADMIN --cap-drop chown)" = "0000000000000000 00000000a82425fa 00000000a82425fa 00000000a82425fa 0000000000000000 0" ]
	[ "$(caps_of --user 1000)" = "0000000000000000 0000000000000000 0000000000000000 00000000a80425fb 0000000000000000 0" ]
	[ "$(caps_of --security-opt no-new-privileges)" = "0000000000000000 00000000a80425fb 00000000a80425fb 00000000a80425fb 0000000000000000 1" ]
	[ "$(caps_of --user 1000 --security-opt no-new-privileges=true)" = "0000000000000000 0000000000000000 0000000000000000 00000000a80425fb 0000000000000000 1" ]
}

@test "--privileged and --cap-add ALL take what the host has (Docker fails here)" {
	local host
	host=$(awk '$1 == "CapBnd:" { print $2 }' /proc/self/status)
	[ "$(caps_of --privileged)" = "0000000000000000 $host $host $host 0000000000000000 0" ]
	[ "$(caps_of --cap-add ALL)" = "0000000000000000 $host $host $host 0000000000000000 0" ]
}

@test "a capability the host lacks is a clear error" {
	local bnd
	bnd=$((0x$(awk '$1 == "CapBnd:" { print $2 }' /proc/self/status)))
	(( (bnd >> 24) & 1 )) && skip "this host has CAP_SYS_RESOURCE"
	run_in --cap-add SYS_RESOURCE -- true
	assert_error "CAP_SYS_RESOURCE is not in this host's capability bounding set"
}

@test "--user resolves names, groups and HOME from the sandbox's files as Docker does" {
	# Docker: Uid, Gid, Groups and HOME for each --user
	local u want
	while IFS='|' read -r u want; do
		run_in ${u:+--user "$u"} -- sh -c 'echo "$(id -u) $(id -g) $(grep ^Groups: /proc/self/status | cut -f2 | xargs) HOME=$HOME"'
		[ "$status" -eq 0 ]
		[ "$output" = "$want" ] || { echo "--user $u: got '$output', want '$want'"; return 1; }
	done <<'EOF'
|0 0 0 HOME=/root
1000|1000 1000 100 1000 HOME=/home/user
1000:100|1000 100 100 HOME=/home/user
2000|2000 0 0 HOME=/
user:root|1000 0 0 HOME=/home/user
EOF
}

# ---- file system -------------------------------------------------------------

@test "Docker's masked paths are empty and its read-only paths refuse writes" {
	run_in -- sh -c 'wc -c < /proc/keys; ls -A /proc/acpi | wc -l; ls -A /sys/firmware | wc -l; echo x > /proc/sys/kernel/domainname'
	[ "$status" -ne 0 ]
	[ "${lines[0]}" = 0 ]
	[ "${lines[1]}" = 0 ]
	[ "${lines[2]}" = 0 ]
	[[ "${lines[3]}" == *"Read-only file system"* ]]
	run_in -- sh -c 'grep -E " /proc/(sys|bus|fs|irq) " /proc/self/mounts | cut -d" " -f2,4'
	[[ "$output" == *"/proc/sys ro,"* ]]
	[[ "$output" == *"/proc/bus ro,"* ]]
}

@test "/dev holds Docker's devices, /dev/pts, /dev/shm, /dev/mqueue; /sys is read-only" {
	run_in -- sh -c 'ls /dev | tr "\n" " "; echo; grep -E " /(sys|dev/shm|dev/mqueue|dev/pts) " /proc/self/mounts | cut -d" " -f1-4'
	[ "${lines[0]}" = "fd full mqueue null ptmx pts random shm stderr stdin stdout tty urandom zero " ]
	[[ "$output" == *"sysfs /sys sysfs ro,nosuid,nodev,noexec"* ]]
	[[ "$output" == *"shm /dev/shm tmpfs rw,nosuid,nodev,noexec"* ]]
	[[ "$output" == *"mqueue /dev/mqueue mqueue rw,nosuid,nodev,noexec"* ]]
	[[ "$output" == *"devpts /dev/pts devpts rw,nosuid,noexec"* ]]
}

@test "/etc/hostname, /etc/hosts and /etc/resolv.conf are Docker's, bound over the rootfs's" {
	# Docker (--network none -h box1): the sandbox's name, the localhost lines, the host's server
	run_in -h box1 -- sh -c 'cat /etc/hostname; echo --; cat /etc/hosts; echo --; cat /etc/resolv.conf; echo --; grep -c " /etc/\(hosts\|hostname\|resolv.conf\) rw," /proc/self/mountinfo'
	[ "$status" -eq 0 ]
	local want
	want="box1
--
$(printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters')
--
$(grep -v '^nameserver \(127\.\|::1\)' /etc/resolv.conf | grep . || printf 'nameserver 8.8.8.8\nnameserver 8.8.4.4')
--
3"
	[ "$output" = "$want" ]
	# the host's network: the host's name and files (Docker: the same)
	run_in --network host -- sh -c 'hostname; cat /etc/hostname; cat /etc/hosts'
	[ "$output" = "$(hostname; hostname; cat /etc/hosts)" ]
	# --read-only makes them read-only too; a volume on one of them wins
	echo "10.1.2.3 mine" > "$BATS_TEST_TMPDIR/hosts"
	run_in --read-only -v "$BATS_TEST_TMPDIR/hosts:/etc/hosts:ro" -- sh -c 'cat /etc/hosts; echo x >> /etc/hostname'
	[ "${lines[0]}" = "10.1.2.3 mine" ]
	[[ "${lines[1]}" == *"/etc/hostname: Read-only file system" ]]
}

@test "/sys/fs/cgroup is Docker's: a tmpfs with each hierarchy read-only, rooted at the sandbox's cgroup" {
	run_in -- sh -c 'grep " /sys/fs/cgroup" /proc/self/mountinfo | cut -d" " -f4-6,9; cat /proc/self/cgroup; echo 1 > /sys/fs/cgroup/pids/pids.max'
	[ "$status" -ne 0 ]
	# Docker: "/ /sys/fs/cgroup ro,nosuid,nodev,noexec,relatime tmpfs"
	[[ "$output" == *"/ /sys/fs/cgroup ro,nosuid,nodev,noexec,relatime tmpfs"* ]]
	local c
	if grep -q '^[0-9]*:pids:' /proc/self/cgroup; then
		# Docker --cgroupns private: "/ /sys/fs/cgroup/pids ro,nosuid,nodev,noexec,relatime cgroup"
		for c in cpu cpuacct cpuset memory devices freezer blkio pids; do
			[[ "$output" == *"/ /sys/fs/cgroup/$c ro,nosuid,nodev,noexec,relatime cgroup"* ]] || { echo "no $c"; return 1; }
		done
		[[ "$output" == *":pids:/"$'\n'* ]]
		[[ "$output" == *"pids.max: Read-only file system"* ]]
		# the limit the host set is what the sandbox reads in its own root
		run_in --pids-limit 77 -- cat /sys/fs/cgroup/pids/pids.max
		[ "$output" = 77 ]
		# the host's cgroup namespace: the sandbox's own directory, as runc binds it
		run_in --cgroupns host --pids-limit 78 -- sh -c 'cat /sys/fs/cgroup/pids/pids.max; grep " /sys/fs/cgroup/pids " /proc/self/mountinfo | cut -d" " -f4'
		[ "${lines[0]}" = 78 ]
		[[ "${lines[1]}" =~ /seclude/[0-9a-f]{64}$ ]]
	fi
}

@test "nothing can be made in /sys/fs/cgroup, with the rootfs or the host's tree; --privileged can, as in Docker" {
	grep -q '^[0-9]*:[a-z]' /proc/self/cgroup || skip "no cgroup v1 hierarchy: /sys/fs/cgroup is the cgroup2 mount"
	local -a roots=("--rootfs=$ROOTFS" "--network=none")
	local r
	for r in "${roots[@]}"; do
		# Docker: "mkdir: can't create directory '/sys/fs/cgroup/x': Read-only file system"
		run "$SECLUDE" run "$r" -- sh -c 'mkdir /sys/fs/cgroup/x || ln -s / /sys/fs/cgroup/y || exit 0; echo made; exit 1'
		[ "$status" -eq 0 ] || { echo "$r: $output"; return 1; }
		[[ "$output" == *"/sys/fs/cgroup/x"*"Read-only file system"* ]] || { echo "$r: $output"; return 1; }
		run "$SECLUDE" run "$r" -- sh -c 'touch /sys/fs/cgroup/x'
		[ "$status" -ne 0 ] || { echo "$r: touch worked"; return 1; }
	done
	run "$SECLUDE" run --rootfs "$ROOTFS" --privileged -- mkdir /sys/fs/cgroup/x
	[ "$status" -eq 0 ]
}

@test "/dev's devices are nodes as in Docker, not mounts, and work" {
	# Docker: ls -l /dev (dates aside) and no mount below /dev but pts, shm and mqueue
	run_in -- sh -c 'ls -l /dev | awk "NR > 1 { print \$1, (\$1 ~ /^c/ ? \$5 \" \" \$6 : \"-\"), \$NF }"; echo --; awk "\$5 ~ /^\/dev\// { print \$5 }" /proc/self/mountinfo | sort | tr "\n" " "; echo; echo hi > /dev/null && head -c 3 /dev/zero | wc -c'
	[ "$status" -eq 0 ]
	[ "$output" = "lrwxrwxrwx - /proc/self/fd
crw-rw-rw- 1, 7 full
drwxrwxrwt - mqueue
crw-rw-rw- 1, 3 null
lrwxrwxrwx - pts/ptmx
drwxr-xr-x - pts
crw-rw-rw- 1, 8 random
drwxrwxrwt - shm
lrwxrwxrwx - /proc/self/fd/2
lrwxrwxrwx - /proc/self/fd/0
lrwxrwxrwx - /proc/self/fd/1
crw-rw-rw- 5, 0 tty
crw-rw-rw- 1, 9 urandom
crw-rw-rw- 1, 5 zero
--
/dev/mqueue /dev/pts /dev/shm 
3" ] || { echo "$output"; return 1; }
}

@test "--read-only, --tmpfs and -v HOST:PATH:ro" {
	mkdir -p "$BATS_TEST_TMPDIR/vol"
	echo hello > "$BATS_TEST_TMPDIR/vol/f"
	run_in --read-only --tmpfs /scratch -v "$BATS_TEST_TMPDIR/vol:/data:ro" -v "$BATS_TEST_TMPDIR/vol:/rw" -- \
		sh -c 'touch /x 2>&1; touch /scratch/x && echo scratch-ok; cat /data/f; touch /data/y 2>&1; touch /rw/z && echo rw-ok'
	[[ "${lines[0]}" == *"/x: Read-only file system" ]]
	[ "${lines[1]}" = scratch-ok ]
	[ "${lines[2]}" = hello ]
	[[ "${lines[3]}" == *"/data/y: Read-only file system" ]]
	[ "${lines[4]}" = rw-ok ]
	[ -f "$BATS_TEST_TMPDIR/vol/z" ]
}

@test "-v with a host directory that does not exist creates it, as Docker does" {
	local src="$BATS_TEST_TMPDIR/new/deeper"
	run_in -v "$src:/data" -- sh -c 'touch /data/f && ls -ld /data'
	[ "$status" -eq 0 ]
	[[ "$output" == "drwxr-xr-x "* ]]
	[ -f "$src/f" ]
	# Docker: mkdir -p, 0755, owned by root
	[ "$(stat -c '%a %u' "$BATS_TEST_TMPDIR/new" "$src" | tr '\n' ' ')" = "755 0 755 0 " ]
	# also read-only ones
	run_in -v "$BATS_TEST_TMPDIR/ro-new:/ro:ro" -- sh -c 'touch /ro/x'
	[ "$status" -ne 0 ]
	[ -d "$BATS_TEST_TMPDIR/ro-new" ]
}

@test "a volume target that is a symlink in the rootfs stays inside the rootfs" {
	local root="$BATS_TEST_TMPDIR/root"
	cp -a "$ROOTFS" "$root"
	ln -s /etc "$root/escape"
	mkdir -p "$BATS_TEST_TMPDIR/vol"
	run "$SECLUDE" run --rootfs "$root" -v "$BATS_TEST_TMPDIR/vol:/escape/sub" -- true
	[ "$status" -eq 0 ]
	[ ! -e /etc/sub ]
	[ -d "$root/etc/sub" ]
}

@test "without --rootfs the host's tree is read-only with a private /tmp" {
	touch /tmp/seclude-host-marker.$$
	run "$SECLUDE" run -w / -- sh -c 'touch /etc/seclude-x 2>&1; ls -A /tmp | wc -l; touch /tmp/y && echo tmp-ok; grep Seccomp: /proc/self/status'
	rm -f /tmp/seclude-host-marker.$$
	[[ "${lines[0]}" == *"Read-only file system"* ]]
	[ "${lines[1]}" = 0 ]
	[ "${lines[2]}" = tmp-ok ]
	[[ "${lines[3]}" == *"2" ]]
	[ ! -e /etc/seclude-x ]
}

# ---- escapes the default configuration stops ----------------------------------

@test "escape attempts fail with Docker's errnos" {
	# Docker: open_by_handle_at, mount, keyctl, unshare(CLONE_NEWUSER),
	# init_module and finit_module all EPERM (seccomp)
	local t
	for t in open_by_handle_at mount keyctl unshare_user init_module finit_module; do
		run_in -- probe "$t"
		[ "$output" = EPERM ] || { echo "$t: $output"; return 1; }
	done
}

@test "a block device made with mknod cannot be opened: EPERM from the devices cgroup, as in Docker" {
	# Docker: mknod ok everywhere; open EPERM (devices cgroup), EACCES on the nodev /dev/shm
	local where want
	while read -r where want; do
		run_in -- probe mknod_block "$where"
		[ "$output" = "mknod ok open $want" ] || { echo "$where: $output"; return 1; }
	done <<'EOF'
/tmp/blk EPERM
/dev/blk EPERM
/dev/shm/blk EACCES
EOF
	# --privileged: no list, the host's devices (Docker cannot run --privileged on this host)
	run_in --privileged -- probe mknod_block /tmp/blk
	[ "$output" = "mknod ok open ok" ]
}

@test "/proc/sysrq-trigger cannot be written" {
	# Docker: ENOENT on this kernel (no magic SysRq); EROFS where it exists
	run_in -- probe sysrq
	[[ "$output" == ENOENT || "$output" == EROFS ]]
}

@test "a setuid binary gains root without no-new-privileges and not with it" {
	run_in --user 1000 -- suid-probe euid
	[ "$output" = 0 ]
	run_in --user 1000 --security-opt no-new-privileges -- suid-probe euid
	[ "$output" = 1000 ]
}

@test "no descriptor of seclude's is inherited" {
	exec 7</dev/null 8>"$BATS_TEST_TMPDIR/leak"
	run_in -- ls /proc/self/fd
	exec 7<&- 8>&-
	[ "$output" = "0
1
2
3" ]
}

# ---- processes, init, signals, exit status ------------------------------------

@test "the command is pid 1; --init reaps orphaned zombies and the command is not pid 1" {
	run_in -- sh -c 'echo $$'
	[ "$output" = 1 ]
	run_in -- probe zombies 3
	[ "$output" = 3 ]
	run_in --init -- probe zombies 3
	[ "$output" = 0 ]
	run_in --init -- sh -c 'echo $$'
	[ "$output" != 1 ]
}

@test "--init's pid 1 has docker-init's capabilities and no_new_privs" {
	# Docker: grep of /proc/1/status under --init, per flag set
	local flags want
	while IFS='|' read -r flags want; do
		run_in --init $flags -- grep -E '^(CapPrm|CapEff|CapBnd|NoNewPrivs|Seccomp):' /proc/1/status
		[ "$status" -eq 0 ]
		got="$(status_field CapPrm) $(status_field CapEff) $(status_field CapBnd) $(status_field NoNewPrivs) $(status_field Seccomp)"
		[ "$got" = "$want" ] || { echo "--init $flags: got '$got', want '$want'"; return 1; }
	done <<'EOF'
|00000000a80425fb 00000000a80425fb 00000000a80425fb 0 2
--user 1000|0000000000000000 0000000000000000 00000000a80425fb 0 2
--security-opt no-new-privileges|00000000a80425fb 00000000a80425fb 00000000a80425fb 1 2
--security-opt seccomp=unconfined|00000000a80425fb 00000000a80425fb 00000000a80425fb 0 0
EOF
}

@test "--init forwards signals and keeps the exit status" {
	"$SECLUDE" run --rootfs "$ROOTFS" --init -- sleep 30 &
	local pid=$!
	sleep 1
	kill -TERM "$pid"
	local st=0
	wait "$pid" || st=$?
	[ "$st" -eq 143 ]
	run_in --init -- sh -c 'exit 7'
	[ "$status" -eq 7 ]
	run_in --init -- sh -c 'kill -KILL $$'
	[ "$status" -eq 137 ]
}

@test "signals the caller ignores or blocks are at their default in the command" {
	# Docker: SigIgn and SigBlk 0 whatever the client's shell ignores
	run bash -c 'trap "" USR1 PIPE HUP; exec "$0" run --rootfs "$1" -- grep -E "^Sig(Ign|Blk):" /proc/self/status' \
		"$SECLUDE" "$ROOTFS"
	[ "$status" -eq 0 ]
	[ "$(status_field SigIgn)" = 0000000000000000 ]
	[ "$(status_field SigBlk)" = 0000000000000000 ]
}

@test "exit status: the command's, 127 not found, 126 not executable" {
	run_in -- sh -c 'exit 3'
	[ "$status" -eq 3 ]
	run -127 "$SECLUDE" run --rootfs "$ROOTFS" -- nonexistent
	[ "$output" = 'seclude: error: exec "nonexistent": executable file not found in $PATH' ]
	run_in -- /etc/passwd
	[ "$status" -eq 126 ]
}

@test "when seclude is killed nothing it started survives" {
	"$SECLUDE" run --rootfs "$ROOTFS" -- sh -c 'sleep 4242 & sleep 4243' &
	local pid=$!
	sleep 1
	pgrep -f "sleep 424[23]" >/dev/null
	kill -KILL "$pid"
	local i
	for i in 1 2 3 4 5 6 7 8 9 10; do
		pgrep -f "sleep 424[23]" >/dev/null || break
		sleep 0.2
	done
	! pgrep -f "sleep 424[23]"
}

@test "--pid host: when seclude is killed nothing it started survives, grandchildren included" {
	local before
	before=$(ls /run/seclude 2>/dev/null | wc -l)
	"$SECLUDE" run --rootfs "$ROOTFS" --pid host -- sh -c 'sleep 4252 & sleep 4253 & wait' &
	local pid=$! i cg=
	for i in $(seq 50); do
		[ "$(pgrep -f "^sleep 425[23]$" | wc -l)" -eq 2 ] && break
		sleep 0.1
	done
	[ "$(pgrep -f "^sleep 425[23]$" | wc -l)" -eq 2 ]
	cg=$(awk -F: '$2 == "pids" { print $3 }' /proc/$(pgrep -f "^sleep 4252$")/cgroup)
	[ -d "/sys/fs/cgroup/pids$cg" ] || [ -z "$cg" ]
	kill -KILL "$pid"
	for i in $(seq 50); do
		pgrep -f "^sleep 425[23]$" >/dev/null || break
		sleep 0.1
	done
	[ -z "$(pgrep -f "^sleep 425[23]$")" ]
	# and nothing is left behind: no cgroup, no record
	for i in $(seq 50); do
		[ -n "$cg" ] && [ -e "/sys/fs/cgroup/pids$cg" ] || break
		sleep 0.1
	done
	[ -z "$cg" ] || [ ! -e "/sys/fs/cgroup/pids$cg" ]
	[ "$(ls /run/seclude 2>/dev/null | wc -l)" -le "$before" ]
	# a normal end kills what the command left running, as Docker does without a pid namespace
	run_in --pid host -- sh -c 'sleep 4254 & echo started'
	[ "$output" = started ]
	[ -z "$(pgrep -f "^sleep 4254$")" ]
}

@test "a run leaves no mount behind on the host" {
	local before after
	before=$(wc -l < /proc/self/mountinfo)
	run_in --tmpfs /scratch -v /etc:/mnt/etc:ro -- true
	[ "$status" -eq 0 ]
	run "$SECLUDE" run -- true
	[ "$status" -eq 0 ]
	after=$(wc -l < /proc/self/mountinfo)
	[ "$before" -eq "$after" ]
}

# ---- environment, user, terminal, namespaces ----------------------------------

@test "-e, --env-file, --workdir, --ulimit" {
	printf 'A=from-file\n# comment\nB=b\n' > "$BATS_TEST_TMPDIR/env"
	export SECLUDE_T_PASS=passed
	run_in --env-file "$BATS_TEST_TMPDIR/env" -e A=from-flag -e SECLUDE_T_PASS -e SECLUDE_T_UNSET \
		-w /work/dir --ulimit nofile=100:200 -- sh -c 'echo $A $B $SECLUDE_T_PASS ${SECLUDE_T_UNSET-unset}; pwd; ulimit -n; ulimit -Hn'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "from-flag b passed unset" ]
	[ "${lines[1]}" = /work/dir ]
	[ "${lines[2]}" = 100 ]
	[ "${lines[3]}" = 200 ]
}

@test "stdin is /dev/null without -i and passed through with -i" {
	run bash -c "echo hi | '$SECLUDE' run --rootfs '$ROOTFS' -- cat"
	[ "$output" = "" ]
	run bash -c "echo hi | '$SECLUDE' run --rootfs '$ROOTFS' -i -- cat"
	[ "$output" = hi ]
}

@test "-t gives the command a terminal" {
	command -v script >/dev/null || skip "script(1) is not installed"
	run script -qec "'$SECLUDE' run --rootfs '$ROOTFS' -t -- sh -c 'test -t 0 && test -t 1 && echo on-a-tty'" /dev/null
	[[ "$output" == *on-a-tty* ]]
	run_in -- sh -c 'test -t 1 || echo no-tty'
	[ "$output" = no-tty ]
}

@test "--userns: root inside, an unprivileged range outside" {
	run_in --userns --security-opt seccomp=unconfined -- sh -c 'id -u; cat /proc/self/uid_map'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 0 ]
	[[ "${lines[1]}" =~ ^\ +0\ +100000\ +65536$ ]]
}

@test "--pid host, --network host and --uts host share the host's" {
	run_in --pid host -- sh -c 'echo $$'
	[ "$output" != 1 ]
	run_in --uts host -- hostname
	[ "$output" = "$(hostname)" ]
	run_in -- sh -c 'ls /sys/class/net | tr "\n" " "'
	[ "$output" = "lo " ]
	run_in --network host -- sh -c 'ls /sys/class/net | wc -l'
	[ "$output" -eq "$(ls /sys/class/net | wc -l)" ]
}

# ---- bad input ---------------------------------------------------------------

@test "bad flags are one line and exit 125" {
	local args
	while IFS= read -r args; do
		eval "run \"\$SECLUDE\" run $args"
		[ "$status" -eq 125 ] || { echo "$args: status $status"; return 1; }
		[ "${#lines[@]}" -eq 1 ] || { echo "$args: $output"; return 1; }
		[[ "$output" == "seclude: error: "* ]]
	done <<'EOF'
--network bridge -- true
--ulimit bogus=1 -- true
--ulimit nofile=9:1 -- true
-v relative:/x -- true
-v /tmp -- true
--security-opt seccomp=/nonexistent/profile.json -- true
--security-opt bogus -- true
--cap-add NOT_A_CAP -- true
--user nosuchuser --rootfs "$ROOTFS" -- true
--frob -- true
--userns=1:2 -- true
--init --pid host -- true
--hostname
--rootfs /nonexistent -- true
EOF
}

@test "an AppArmor profile or SELinux label is refused, never dropped; unconfined and label=disable pass" {
	local aa="AppArmor is not enabled on this host"
	if [ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" = Y ]; then
		aa="no such AppArmor profile is loaded"
	fi
	run "$SECLUDE" run --security-opt apparmor=seclude-no-such-profile -- true
	assert_error "--security-opt apparmor=seclude-no-such-profile: $aa"
	[ "${#lines[@]}" -eq 1 ]
	run "$SECLUDE" run --security-opt apparmor:docker-default -- true
	[ "$status" -eq 125 ] && [ "${#lines[@]}" -eq 1 ] && [[ "$output" == "seclude: error: --security-opt apparmor=docker-default: "* ]]
	run "$SECLUDE" learn --security-opt apparmor=seclude-no-such-profile -- true
	assert_error "--security-opt apparmor=seclude-no-such-profile: $aa"
	for l in label=type:svirt_apache_t label=level:s0:c100,c200 label=user:USER label=nested label; do
		run "$SECLUDE" run --security-opt "$l" -- true
		assert_error "seclude does not apply SELinux labels; only label=disable is accepted" || { echo "$l"; return 1; }
		[ "${#lines[@]}" -eq 1 ]
	done
	run "$SECLUDE" run --security-opt apparmor=unconfined --security-opt label=disable --security-opt label:disable -- echo ok
	[ "$status" -eq 0 ]
	[ "$output" = ok ]
	run "$SECLUDE" run --help
	[[ "$output" == *"--security-opt apparmor=unconfined, --security-opt label=disable"* ]]
}

@test "run --help explains the options and exits 0" {
	run "$SECLUDE" run --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"--security-opt seccomp=PROFILE|unconfined"* ]]
	[[ "$output" == *"--init"* ]]
}
