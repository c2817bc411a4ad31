#!/usr/bin/env bats
# seclude for a user who is not root: the tests make a throwaway user with
# /etc/subuid and /etc/subgid ranges, give it a copy of the build and of
# the busybox root filesystem, and run everything as that user.
load helpers
load rootfs
bats_require_minimum_version 1.5.0

# one user per run (a run beside another must not share or remove it)
U=${ROOTLESS_TEST_USER:-}

setup_file() {
	[ "$(id -u)" -eq 0 ] || skip "needs root to create the test user"
	build_rootfs
	T=$(mktemp -d /tmp/seclude-rootless.XXXXXX)
	chmod 755 "$T"
	export ROOTLESS_TEST_USER="seclude-test-${T##*.}"
	U=$ROOTLESS_TEST_USER
	useradd -M -d "$T/home" -s /bin/sh "$U"
	grep -q "^$U:" /etc/subuid || usermod --add-subuids 300000-365535 "$U"
	grep -q "^$U:" /etc/subgid || usermod --add-subgids 300000-365535 "$U"
	mkdir -m 700 "$T/home" "$T/run"
	chown "$U:" "$T/home" "$T/run"
	# a copy of the build the user can execute, and a root filesystem the user owns
	install -m 755 "$SECLUDE" "$T/seclude"
	cp -a "$ROOTFS" "$T/rootfs"
	chown -R "$U:" "$T/rootfs"
	export T UUID=$(id -u "$U")
}

teardown_file() {
	[ -n "${T:-}" ] || return 0
	local id
	for id in $(sc ps -aq --no-trunc 2>/dev/null); do sc rm -f "$id" >/dev/null 2>&1 || true; done
	# a sandbox's last process may still be going away: userdel refuses a user with processes
	local i
	for i in 1 2 3 4 5 6 7 8 9 10; do
		userdel "$U" >/dev/null 2>&1 && break
		sleep 0.5
	done
	rm -rf "$T" "/tmp/seclude-$UUID"
}

# A command as the user, with a clean environment of its own.
as_user() {
	(cd "$T/home" && runuser -u "$U" -- env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$T/home" \
		XDG_RUNTIME_DIR="$T/run" "$@")
}
sc() { as_user "$T/seclude" "$@"; }

status_lines() { grep -E '^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp):'; }

@test "rootless: the user is root in a namespace of its own, and the status matches root's" {
	run sc run -- id -u
	[ "$status" -eq 0 ]
	[ "$output" = 0 ]
	run sc run -- cat /proc/self/uid_map
	[ "$status" -eq 0 ]
	[[ "$output" == *"0"*"$UUID"*"1"* ]]
	local mine root
	mine=$(sc run -- cat /proc/self/status | status_lines)
	root=$("$SECLUDE" run -- cat /proc/self/status | status_lines)
	[ "$mine" = "$root" ]
	[[ "$mine" == *"Seccomp:	2"* ]]
	mine=$(sc run --security-opt no-new-privileges --cap-drop ALL -- cat /proc/self/status | status_lines)
	root=$("$SECLUDE" run --security-opt no-new-privileges --cap-drop ALL -- cat /proc/self/status | status_lines)
	[ "$mine" = "$root" ]
	[[ "$mine" == *"NoNewPrivs:	1"* ]]
	[[ "$mine" == *"CapBnd:	0000000000000000"* ]]
}

@test "rootless: the subuid range maps --user 1000, and --userns=subuid without it" {
	local start
	start=$(awk -F: -v u="$U" '$1 == u { print $2 }' /etc/subuid)
	run sc run --rootfs "$T/rootfs" --user 1000 -- id
	[ "$status" -eq 0 ]
	[ "$output" = "uid=1000(user) gid=1000(user) groups=100(users),1000(user)" ]
	run sc run --rootfs "$T/rootfs" --user 1000 -- cat /proc/self/uid_map
	[[ "$output" == *"1"*"$start"* ]]
	# as root inside, only the user's own ids: a change of owner to another is refused
	run sc run --rootfs "$T/rootfs" -- cat /proc/self/uid_map
	[ "$status" -eq 0 ]
	[ "$(echo $output)" = "0 $UUID 1" ]
	run sc run --rootfs "$T/rootfs" --tmpfs /tmp -- sh -c 'touch /tmp/f && chown 1000:1000 /tmp/f'
	[ "$status" -ne 0 ]
	# --userns=subuid maps the range for a command that changes owner or user itself
	run sc run --rootfs "$T/rootfs" --userns=subuid -- cat /proc/self/uid_map
	[ "$status" -eq 0 ]
	[[ "$output" == *"1"*"$start"* ]]
	run sc run --rootfs "$T/rootfs" --userns=subuid --tmpfs /tmp -- \
		sh -c 'touch /tmp/f && chown 1000:1000 /tmp/f && stat -c %u:%g /tmp/f'
	[ "$status" -eq 0 ]
	[ "$output" = 1000:1000 ]
	run "$SECLUDE" run --userns=subuid -- true
	[ "$status" -eq 125 ]
	[[ "$output" == *"--userns=subuid is for a user who is not root"* ]]
	# a user with no range: --user 1000 is refused before anything starts, saying why
	if ! grep -q '^nobody:' /etc/subuid; then
		mkdir -m 700 "$T/nobody-run" && chown nobody: "$T/nobody-run"
		run runuser -u nobody -- env -i PATH=/usr/bin:/bin XDG_RUNTIME_DIR="$T/nobody-run" \
			"$T/seclude" run --rootfs "$T/rootfs" --user 1000 -- true
		[ "$status" -eq 125 ]
		[ "${#lines[@]}" -eq 1 ]
		[[ "$output" == *"--user 1000: only your own id can be mapped (to root inside): no range of yours"* ]]
		[ -z "$(ls -A "$T/nobody-run/seclude" 2>/dev/null)" ]
	fi
}

@test "rootless: namespaces, /proc, /dev and /sys" {
	local host
	for ns in user pid mnt uts ipc net cgroup; do
		host=$(as_user readlink "/proc/self/ns/$ns")
		run sc run -- readlink "/proc/self/ns/$ns"
		[ "$status" -eq 0 ]
		[ "$output" != "$host" ] || { echo "$ns shared"; return 1; }
	done
	run sc run -- sh -c 'echo $$; ls /sys/class/net; ls /dev | tr "\n" " "'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 1 ]
	[ "${lines[1]}" = lo ]
	[ "${lines[2]}" = "console fd full mqueue null ptmx pts random shm stderr stdin stdout tty urandom zero " ] || \
		[ "${lines[2]}" = "fd full mqueue null ptmx pts random shm stderr stdin stdout tty urandom zero " ]
	# the nodes are the host's, bound: they work, and no new one can be made
	run sc run -- sh -c 'head -c 4 /dev/zero | od -An -tx1; echo x > /dev/null && echo null'
	[ "${lines[0]}" = " 00 00 00 00" ]
	[ "${lines[1]}" = null ]
	run sc run --rootfs "$T/rootfs" -- sh -c 'mknod /tmp/sda b 8 0 && echo ESCAPED; mount | grep -E " on /(sys|proc) "'
	[[ "$output" != *ESCAPED* ]]
	[[ "$output" == *"on /proc type proc"* ]]
	[[ "$output" == *"on /sys type sysfs (ro"* ]]
	# the host's network: its sysfs cannot be mounted from the user namespace, the host's is bound read-only
	run sc run --network host --rootfs "$T/rootfs" -- sh -c 'mount | grep " on /sys "; touch /sys/x 2>&1; touch /sys/fs/cgroup/x 2>&1'
	[ "$status" -ne 0 ]
	[[ "${lines[0]}" == "sysfs on /sys type sysfs (ro,nosuid,nodev,noexec"* ]]
	[[ "$output" == *"/sys/x: Read-only file system"* ]]
	[[ "$output" != *"Invalid argument"* ]]
}

@test "rootless: -v, --tmpfs, --read-only, -w, -e, -t, --init and exit codes" {
	mkdir "$T/home/vol" && echo hi > "$T/home/vol/f" && chown -R "$U:" "$T/home/vol"
	run sc run --rootfs "$T/rootfs" -v "$T/home/vol:/data" -- sh -c 'cat /data/f; echo more >> /data/f'
	[ "$status" -eq 0 ]
	[ "$output" = hi ]
	[ "$(cat "$T/home/vol/f")" = "hi
more" ]
	run sc run -v "$T/home/vol:/data:ro" -- sh -c 'touch /data/g'
	[ "$status" -ne 0 ]
	run sc run --rootfs "$T/rootfs" --tmpfs /scratch -- sh -c 'touch /scratch/x && mount | grep " /scratch "'
	[ "$status" -eq 0 ]
	[[ "$output" == *"tmpfs on /scratch"* ]]
	run sc run --rootfs "$T/rootfs" --read-only -- touch /etc/x
	[ "$status" -ne 0 ]
	[[ "$output" == *"Read-only file system"* ]]
	run sc run --rootfs "$T/rootfs" -- sh -c 'echo new > /etc/new && cat /etc/new'
	[ "$output" = new ]
	[ -f "$T/rootfs/etc/new" ]
	run sc run -w /var -e FOO=bar -- sh -c 'pwd; echo $FOO'
	[ "${lines[0]}" = /var ]
	[ "${lines[1]}" = bar ]
	run sc run -t -- tty
	[ "$status" -eq 0 ]
	[[ "$output" == /dev/* ]]
	run sc run --init -- sh -c 'cat /proc/1/comm; exit 3'
	[ "$status" -eq 3 ]
	run sc run --init -- sh -c 'kill -9 $$'
	[ "$status" -eq 137 ]
	run -127 sc run -- no-such-command
	[ "$status" -eq 127 ]
	run sc run -- /etc/passwd
	[ "$status" -eq 126 ]
}

@test "rootless: a limit is refused without a delegated cgroup, and a run without one starts" {
	if [ -f /sys/fs/cgroup/cgroup.controllers ] && ls -ld /sys/fs/cgroup/user.slice/user-"$UUID".slice 2>/dev/null | grep -q "$U"; then
		skip "this host delegates a cgroup to the user"
	fi
	for opt in "-m 64m" "--pids-limit 10" "--cpus 1" "--cgroup-parent x"; do
		# shellcheck disable=SC2086
		run sc run $opt -- touch "$T/home/started"
		assert_error "a cgroup of your own, and you have none here"
		[ "${#lines[@]}" -eq 1 ]
		[ ! -e "$T/home/started" ]
	done
	run sc run -- true
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ -z "$(find /sys/fs/cgroup -maxdepth 3 -name 'seclude*' -user "$U" 2>/dev/null)" ]
	# nor can a running one get a limit later
	sc run -d --name nocg -- sleep 60
	run sc update --memory 64m nocg
	assert_error "cannot update sandbox nocg: it has no cgroup"
	sc rm -f nocg
}

@test "rootless: named sandboxes are the user's own, in the user's runtime directory" {
	run sc run -d --name mine -- sleep 60
	[ "$status" -eq 0 ]
	[ -d "$T/run/seclude/mine" ]
	[ "$(stat -c %U "$T/run/seclude")" = "$U" ]
	run sc ps
	[ "$(awk 'NR > 1 { print $NF }' <<<"$output")" = mine ]
	run sc exec mine sh -c 'id -u; cat /proc/1/cmdline | tr "\0" " "'
	[ "${lines[0]}" = 0 ]
	[ "${lines[1]}" = "sleep 60 " ]
	run sc inspect mine
	[ "$(jq -r '.[0].State.Status' <<<"$output")" = running ]
	# root's sandboxes are elsewhere, and the user's are not root's
	local rootdir
	rootdir=$(mktemp -d /tmp/seclude-rootless-root.XXXXXX)
	run env SECLUDE_STATE_DIR="$rootdir" "$SECLUDE" ps -q
	[ -z "$output" ]
	rm -rf "$rootdir"
	run sc stop -t 1 mine
	[ "$status" -eq 0 ]
	run sc logs mine
	[ "$status" -eq 0 ]
	run sc rm mine
	[ "$status" -eq 0 ]
	run sc ps -aq
	[ -z "$output" ]
}

@test "rootless: without XDG_RUNTIME_DIR the state is in a private /tmp directory, never one someone else made" {
	rm -rf "/tmp/seclude-$UUID"
	run runuser -u "$U" -- env -i PATH=/usr/bin:/bin HOME="$T/home" "$T/seclude" run --name tmpstate -- true
	[ "$status" -eq 0 ]
	[ "$(stat -c '%U %a' "/tmp/seclude-$UUID")" = "$U 700" ]
	rm -rf "/tmp/seclude-$UUID"
	mkdir -m 777 "/tmp/seclude-$UUID"
	run runuser -u "$U" -- env -i PATH=/usr/bin:/bin HOME="$T/home" "$T/seclude" run --name tmpstate -- true
	assert_error "not a private directory of yours"
	run runuser -u "$U" -- env -i PATH=/usr/bin:/bin HOME="$T/home" "$T/seclude" ps
	assert_error "not a private directory of yours"
	rm -rf "/tmp/seclude-$UUID"
}

@test "rootless: escape attempts as the user" {
	# a file of the user's outside, a process of the user's outside
	echo keep > "$T/home/hostfile" && chown "$U:" "$T/home/hostfile"
	as_user sleep 60 &
	local outside=$!
	local script='
		(echo gone > '"$T"'/home/hostfile) 2>/dev/null && echo ESCAPED-write
		mount --bind /tmp /etc 2>/dev/null && echo ESCAPED-mount
		mount -t tmpfs x /mnt 2>/dev/null && echo ESCAPED-mount-tmpfs
		ls /dev | grep -E "^(sd|vd|nvme|mem|kmem|kmsg|port)" && echo ESCAPED-dev
		mknod /tmp/mem c 1 1 2>/dev/null && echo ESCAPED-mknod
		ulimit -H -n $(( $(ulimit -H -n) + 1 )) 2>/dev/null && echo ESCAPED-rlimit
		kill -0 '"$outside"' 2>/dev/null && echo ESCAPED-kill
		unshare -U -r true 2>/dev/null && echo ESCAPED-userns
		echo done'
	local how
	for how in "" "--init" "--rootfs $T/rootfs" "-v $T/home:$T/home:ro"; do
		# shellcheck disable=SC2086
		run sc run $how -- sh -c "$script"
		echo "$how: $output"
		[ "$output" = done ]
	done
	[ "$(cat "$T/home/hostfile")" = keep ]
	# the escape helper's steps, as in escapes.bats: refused as they are for root
	local steps='/bin/escape mount-tmpfs /mnt; /bin/escape umount /proc/kcore; /bin/escape pivot_root
		/bin/escape open_tree /; /bin/escape keyctl; /bin/escape unshare-mount
		/bin/escape open-write /proc/sysrq-trigger; /bin/escape open-write /proc/sys/kernel/hostname'
	run sc run --rootfs "$T/rootfs" -- sh -c "$steps"
	# (/proc/sys is read-only for both; its files belong to the host's root, so the user is refused first)
	[ "${output//EACCES/EROFS}" = "$("$SECLUDE" run --rootfs "$ROOTFS" -- sh -c "$steps")" ]
	[ "${lines[0]}" = EPERM ]
	[[ "$output" != *ok* ]]
	# ptrace: a process of the user's outside is out of sight, seclude's init is not dumpable
	run sc run --rootfs "$T/rootfs" -- /bin/escape ptrace "$outside"
	[ "$output" = ESRCH ]
	run sc run --init --rootfs "$T/rootfs" -- sh -c '/bin/escape ptrace 1; /bin/escape getfd 1'
	[ "$output" = "EPERM
EPERM" ]
	kill "$outside" 2>/dev/null || true
	wait "$outside" 2>/dev/null || true
}

# The same isolation checks in seclude and in bubblewrap, as the same user.
@test "rootless: the same isolation as bwrap --unshare-all" {
	command -v bwrap >/dev/null || skip "bubblewrap is not installed"
	echo keep > "$T/home/hostfile" && chown "$U:" "$T/home/hostfile"
	as_user sleep 60 &
	local outside=$! ns
	local script='
		for ns in user mnt pid net ipc uts cgroup; do
			[ "$(readlink /proc/self/ns/$ns)" = "$(cat '"$T"'/home/ns.$ns)" ] && echo shared-$ns
		done
		[ -e /proc/'"$outside"' ] && echo sees-outside-pid
		awk "NR > 2 { print \$1 }" /proc/net/dev
		(echo gone > '"$T"'/home/hostfile) 2>/dev/null && echo wrote-host-file
		mount -t tmpfs x /mnt 2>/dev/null && echo mounted
		mknod /tmp/mem c 1 1 2>/dev/null && echo made-node
		ls /dev | grep -E "^(sd|vd|nvme|mem|kmem|kmsg)"
		ulimit -H -n $(( $(ulimit -H -n) + 1 )) 2>/dev/null && echo raised-rlimit
		echo end'
	for ns in user mnt pid net ipc uts cgroup; do
		as_user sh -c "readlink /proc/self/ns/$ns > $T/home/ns.$ns"
	done
	local mine theirs
	mine=$(sc run -v "$T/home:$T/home:ro" -- sh -c "$script")
	theirs=$(as_user bwrap --unshare-all --die-with-parent --ro-bind / / --dev /dev --proc /proc \
		--tmpfs /tmp --tmpfs /run --ro-bind "$T/home" "$T/home" -- sh -c "$script")
	kill "$outside" 2>/dev/null || true
	wait "$outside" 2>/dev/null || true
	echo "seclude: $mine"
	echo "bwrap: $theirs"
	[ "$mine" = "$theirs" ]
	[ "$mine" = "lo:
end" ]
}

# profile NAME ACTION [ERRNO]: everything allowed but chmod, which gets ACTION; a file the user reads
profile() {
	local errno=${3:+, \"errnoRet\": $3}
	cat > "$T/$1.json" <<EOP
{
	"defaultAction": "SCMP_ACT_ALLOW",
	"syscalls": [
		{ "names": ["chmod", "fchmodat", "fchmodat2"], "action": "$2"$errno }
	]
}
EOP
	chmod 644 "$T/$1.json"
}

reports() { printf '%s\n' "$stderr" | grep -E '^seclude: (denied|complain) ' || true; }

@test "rootless: --log-denials names each refusal with its exact errno" {
	profile eacces SCMP_ACT_ERRNO 13
	run --separate-stderr sc run --rootfs "$T/rootfs" --security-opt seccomp="$T/eacces.json" --log-denials -- chmod 777 /tmp
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"chmod: /tmp: Permission denied"* ]]
	[[ "$(reports)" == 'seclude: denied pid 1 (chmod) x86_64 chmod("/tmp", 0777) -> errno 13 (EACCES) by syscalls[0] ('"$T"'/eacces.json:4:3)' ]]
	run --separate-stderr sc run --log-denials -- unshare -m true
	[ "$status" -eq 1 ]
	[[ "$(reports)" == "seclude: denied pid 1 (unshare) x86_64 unshare(CLONE_NEWNS) -> errno 1 (EPERM) by defaultAction"* ]]
	[[ "$stderr" == *"seclude:   unshare              x86_64   errno 1 (EPERM)          1"* ]]
	# --complain lets it through and says what would have been refused
	run --separate-stderr sc run --rootfs "$T/rootfs" --security-opt seccomp="$T/eacces.json" --complain -- chmod 700 /tmp
	[ "$status" -eq 0 ]
	[[ "$(reports)" == 'seclude: complain pid 1 (chmod) x86_64 chmod("/tmp", 0700) would be errno 13 (EACCES) by syscalls[0]'* ]]
}

@test "rootless: --init with --log-denials and --complain: the listener is the command's, taken through init" {
	profile eacces SCMP_ACT_ERRNO 13
	run --separate-stderr sc run --init --rootfs "$T/rootfs" --security-opt seccomp="$T/eacces.json" --log-denials -- \
		sh -c 'chmod 777 /tmp; exit 6'
	[ "$status" -eq 6 ]
	[[ "$stderr" == *"chmod: /tmp: Permission denied"* ]]
	[[ "$(reports)" == 'seclude: denied pid '*' (chmod) x86_64 chmod("/tmp", 0777) -> errno 13 (EACCES) by syscalls[0]'* ]]
	run --separate-stderr sc run --init --rootfs "$T/rootfs" --security-opt seccomp="$T/eacces.json" --complain -- chmod 700 /tmp
	[ "$status" -eq 0 ]
	[[ "$(reports)" == 'seclude: complain pid 2 (chmod) x86_64 chmod("/tmp", 0700) would be errno 13 (EACCES) by syscalls[0]'* ]]
}

@test "rootless: kills and traps are named, with the exit status they have without reporting" {
	local action want
	for action in SCMP_ACT_KILL_PROCESS:"kill process" SCMP_ACT_KILL:"kill thread" SCMP_ACT_TRAP:trap; do
		want=${action#*:}
		profile p "${action%%:*}"
		run sc run --rootfs "$T/rootfs" --security-opt seccomp="$T/p.json" -- chmod 777 /tmp
		local plain=$status
		[ "$plain" -eq 159 ]
		run --separate-stderr sc run --rootfs "$T/rootfs" --security-opt seccomp="$T/p.json" --log-denials -- chmod 777 /tmp
		[ "$status" -eq "$plain" ] || { echo "$want: status $status"; return 1; }
		[[ "$(reports)" == 'seclude: denied pid 1 (chmod) x86_64 chmod("/tmp", 0777) -> '"$want"' (SIGSYS) by syscalls[0]'* ]]
		[[ "$stderr" != *"cannot be named"* ]]
	done
	# in a child: the shell goes on, the child's pid is named once
	profile p SCMP_ACT_KILL_PROCESS
	run --separate-stderr sc run --rootfs "$T/rootfs" --security-opt seccomp="$T/p.json" --log-denials -- \
		sh -c 'sh -c "echo \$\$; exec chmod 777 /tmp"; echo after $?'
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "after 159" ]
	[ "$(reports | grep -c .)" -eq 1 ]
	[[ "$(reports)" == "seclude: denied pid ${lines[0]} (chmod) x86_64 chmod(\"/tmp\", 0777) -> kill process (SIGSYS)"* ]]
}

@test "rootless: learn records with ptrace and gives the same set as root's for the same workload" {
	local work='ls / > /dev/null; cat /etc/passwd > /dev/null; echo x | wc -c; mkdir -p /tmp/d && rmdir /tmp/d'
	run --separate-stderr sc learn -o "$T/home/user.json" --rootfs "$T/rootfs" -- sh -c "$work"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"seen by the ptrace recorder"* ]]
	[[ "$stderr" != *"not available"* ]]
	"$SECLUDE" learn -o "$T/root.json" --rootfs "$ROOTFS" -- sh -c "$work" 2>/dev/null
	local mine theirs
	mine=$(jq -r '.syscalls[].names[]' "$T/home/user.json" | sort)
	theirs=$(jq -r '.syscalls[].names[]' "$T/root.json" | sort)
	[ -n "$mine" ]
	[ "$mine" = "$theirs" ]
	# the profile learned runs the workload as the user
	run sc run --rootfs "$T/rootfs" --security-opt seccomp="$T/home/user.json" -- sh -c "$work"
	[ "$status" -eq 0 ]
	# ebpf, asked for, is refused with the reason
	run sc learn --recorder ebpf -o "$T/home/x.json" -- true
	assert_error "cannot load the eBPF recorder"
}

@test "rootless: --userns host is refused to a user who is not root" {
	run sc run --userns=host -- true
	[ "$status" -eq 125 ]
	[[ "$output" == *"--userns host needs root"* ]]
}

@test "rootless: info says what this user can and cannot do here" {
	run sc info
	[ "$status" -eq 0 ]
	[[ "$output" == *"This user:         uid $UUID ($U), not root"* ]]
	[[ "$output" == *"run:             yes, in a user namespace of its own"* ]]
	[[ "$output" == *"--user inside:   ids 0-65536"* ]]
	[[ "$output" == *"learn:           ptrace recorder"* ]]
	[[ "$output" == *"state:           $T/run/seclude"* ]]
	run sc info --json
	[ "$status" -eq 0 ]
	[ "$(jq -c '[.user.uid, .user.root, .user.user_namespace, .user.id_ranges, .user.recorders]' <<<"$output")" = "[$UUID,false,true,true,[\"ptrace\"]]" ]
	# limits: what run does, said beforehand
	if [ "$(jq -r .user.limits <<<"$output")" = false ]; then
		[[ "$(sc info)" == *"limits:          no: "*"a run asking for one is refused"* ]]
	fi
	run "$SECLUDE" info
	[[ "$output" == *"This user:         uid 0 (root), root"* ]]
}
