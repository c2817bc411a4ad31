#!/usr/bin/env bats
# seclude-runc: config.json fields beyond the basic ones (namespaces joined by
# path, device nodes, mounts, hooks, cgroup v2 resources), each honoured as
# runc honours it, and their refusals located with nothing left behind.
bats_require_minimum_version 1.5.0
load oci_bundle

teardown() {
	bundle_teardown
	# a host mount a test made (UMOUNT=PATH), whatever became of the test
	[ -z "${UMOUNT:-}" ] || umount -R "$UMOUNT"
}

# refused ID TEXT: create fails with exit 1 and one located line containing TEXT; nothing is left
refused() {
	local id=$1 text=$2
	local cgs
	run "$RUNC" --root "$STATE" create --bundle "$BUNDLE" "$id"
	echo "$output"
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == *"config.json:"[0-9]*":"[0-9]*": "*"$text"* ]]
	[ ! -e "$STATE/$id" ]
	cgs=$(find /sys/fs/cgroup -maxdepth 3 -name "$id" 2>/dev/null || true)
	[ -z "$cgs" ]
	! pgrep -f "seclude-runc.*$id" >/dev/null
	# no mount of the container's on the host
	! grep -q -e " $ROOTFS" -e " $BUNDLE" /proc/self/mountinfo
}

# ---- linux.namespaces joined by path --------------------------------------------

userns_config() {
	edit '.linux.namespaces += [{"type": "user"}]
	      | .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
	      | .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
}

@test "namespaces: a second container joins the first's pid, user, mount and cgroup namespaces by path and sees its processes" {
	userns_config
	cmd sleep 1000
	create first --pid-file "$BUNDLE/first.pid"
	"$RUNC" --root "$STATE" start first
	fpid=$(cat "$BUNDLE/first.pid")
	edit --arg p "/proc/$fpid/ns" '.linux.namespaces |= map(if .type == "pid" then .path = $p + "/pid"
		elif .type == "user" then .path = $p + "/user" elif .type == "mount" then .path = $p + "/mnt"
		elif .type == "cgroup" then .path = $p + "/cgroup" else . end)
		| del(.linux.uidMappings) | del(.linux.gidMappings)'
	cmd sh -c 'for n in pid user mnt cgroup net; do readlink /proc/self/ns/$n; done; cat /proc/1/comm; id -u; head -1 /proc/self/uid_map'
	run "$RUNC" --root "$STATE" run --bundle "$BUNDLE" second
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$(readlink /proc/$fpid/ns/pid)" ]
	[ "${lines[1]}" = "$(readlink /proc/$fpid/ns/user)" ]
	[ "${lines[2]}" = "$(readlink /proc/$fpid/ns/mnt)" ]
	[ "${lines[3]}" = "$(readlink /proc/$fpid/ns/cgroup)" ]
	[ "${lines[4]}" != "$(readlink /proc/$fpid/ns/net)" ]
	# pid 1 of the joined namespace is the first container's command
	[ "${lines[5]}" = sleep ]
	[ "${lines[6]}" = 0 ]
	[[ "${lines[7]}" == *"0"*"100000"*"65536"* ]]
}

@test "namespaces: a pid namespace joined by path, as a pod sharing its process namespace (shareProcessNamespace)" {
	cmd sleep 1000
	create pause --pid-file "$BUNDLE/pause.pid"
	"$RUNC" --root "$STATE" start pause
	ppid=$(cat "$BUNDLE/pause.pid")
	edit --arg p "/proc/$ppid/ns/pid" '.linux.namespaces |= map(if .type == "pid" then .path = $p else . end)'
	cmd sh -c 'readlink /proc/self/ns/pid; ps -o comm | grep -c sleep'
	run "$RUNC" --root "$STATE" run --bundle "$BUNDLE" app
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$(readlink /proc/$ppid/ns/pid)" ]
	[ "${lines[1]}" = 1 ]
	# the second is in the pause container's pid namespace: its own pid there is not 1
	[ "$(awk '/^NSpid/ { print NF }' /proc/$ppid/status)" = 3 ]
}

@test "namespaces: a user namespace without a path nor mappings is refused as runc refuses it, located, nothing left" {
	edit '.linux.namespaces += [{"type": "user"}]'
	refused u1 "user namespaces enabled, but no namespace path to join nor mappings to apply specified"
}

@test "namespaces: a user namespace path with mappings that are not its own is refused, located" {
	userns_config
	cmd sleep 1000
	create first --pid-file "$BUNDLE/first.pid"
	fpid=$(cat "$BUNDLE/first.pid")
	edit --arg p "/proc/$fpid/ns/user" '.linux.namespaces |= map(if .type == "user" then .path = $p else . end)
		| .linux.uidMappings[0].hostID = 200000'
	edit --arg p "/proc/$fpid/ns" '.linux.namespaces |= map(if .type == "pid" then .path = $p + "/pid" else . end)'
	refused u2 "user namespaces enabled, but both namespace path and non-matching mapping specified"
	# the same mappings as the namespace's are accepted (runc warns)
	edit '.linux.uidMappings[0].hostID = 100000'
	cmd true
	run "$RUNC" --root "$STATE" run --bundle "$BUNDLE" u3
	[ "$status" -eq 0 ]
}

@test "namespaces: a joined user namespace with a new pid and mount namespace is refused, located" {
	userns_config
	cmd sleep 1000
	create first --pid-file "$BUNDLE/first.pid"
	fpid=$(cat "$BUNDLE/first.pid")
	edit --arg p "/proc/$fpid/ns/user" '.linux.namespaces |= map(if .type == "user" then .path = $p else . end)
		| del(.linux.uidMappings) | del(.linux.gidMappings)'
	refused u4 "a new pid namespace with a joined user namespace is not supported here"
}

@test "namespaces: a path that does not exist is refused, located, nothing left" {
	edit '.linux.namespaces |= map(if .type == "pid" then .path = "/proc/999999999/ns/pid" else . end)'
	refused p1 "cannot open the namespace /proc/999999999/ns/pid"
}

@test "namespaces: a cgroup namespace joined alone: the joined namespace's tree under /sys/fs/cgroup, the container's cgroup outside its root" {
	cmd sleep 1000
	edit '.linux.resources.pids.limit = 77'
	create first --pid-file "$BUNDLE/first.pid"
	fpid=$(cat "$BUNDLE/first.pid")
	edit --arg p "/proc/$fpid/ns/cgroup" '.linux.namespaces |= map(if .type == "cgroup" then .path = $p else . end)
		| .linux.resources.pids.limit = 55'
	cmd sh -c 'readlink /proc/self/ns/cgroup; grep :pids: /proc/self/cgroup; cat /sys/fs/cgroup/pids/pids.max'
	run "$RUNC" --root "$STATE" run --bundle "$BUNDLE" second
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$(readlink /proc/$fpid/ns/cgroup)" ]
	[[ "${lines[1]}" == *":pids:/../second" ]]
	# the first's cgroup, not the second's
	[ "${lines[2]}" = 77 ]
}

# ---- linux.devices -----------------------------------------------------------------

@test "devices: nodes made with their type, numbers, mode and owner; the cgroup opens only what resources.devices allows" {
	edit '.linux.devices = [
		{"path": "/dev/mynull", "type": "c", "major": 1, "minor": 3, "fileMode": 432, "uid": 1000, "gid": 0},
		{"path": "/dev/disk/myloop", "type": "b", "major": 7, "minor": 0},
		{"path": "/dev/myfifo", "type": "p", "fileMode": 384}]'
	cmd sh -c 'stat -c "%F %t:%T %a %u:%g" /dev/mynull /dev/disk/myloop; stat -c "%F %a" /dev/myfifo
		echo hi > /dev/mynull && echo null-ok; (: < /dev/disk/myloop) && echo loop-ok; true'
	run "$RUNC" --root "$STATE" run --bundle "$BUNDLE" d1
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "character special file 1:3 660 1000:0" ]
	[ "${lines[1]}" = "block special file 7:0 666 0:0" ]
	[ "${lines[2]}" = "fifo 600" ]
	[ "${lines[3]}" = null-ok ]
	# the node is there, but the device cgroup (Docker's list) does not let it be opened
	[[ "${lines[4]}" == *"myloop"*"Operation not permitted"* ]]
	[ "${#lines[@]}" -eq 5 ]

	edit '.linux.resources.devices += [{"allow": true, "type": "b", "major": 7, "minor": 0, "access": "r"}]'
	run "$RUNC" --root "$STATE" run --bundle "$BUNDLE" d2
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[4]}" = loop-ok ]
}

@test "devices: in a user namespace the host's node is bound, as runc does it (no mknod there)" {
	edit '.linux.namespaces += [{"type": "user"}]
	      | .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
	      | .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
	      | .linux.devices = [{"path": "/dev/loop-control", "type": "c", "major": 10, "minor": 237, "fileMode": 384},
	                          {"path": "/dev/full", "type": "c", "major": 1, "minor": 7}]'
	cmd sh -c 'stat -c "%F %t:%T" /dev/loop-control /dev/full; grep -c " /dev/loop-control " /proc/self/mountinfo
		grep -c " /dev/full " /proc/self/mountinfo; echo x > /dev/full'
	run "$RUNC" --root "$STATE" run --bundle "$BUNDLE" d3
	echo "$output"
	[ "${lines[0]}" = "character special file a:ed" ]
	[ "${lines[1]}" = "character special file 1:7" ]
	[ "${lines[2]}" = 1 ]
	[ "${lines[3]}" = 1 ]
	[[ "$output" == *"No space left on device"* ]]
}

@test "devices: a bad type or a node without numbers is refused, located, nothing left" {
	edit '.linux.devices = [{"path": "/dev/x", "type": "q", "major": 1, "minor": 3}]'
	refused dv1 'linux.devices[0]: invalid device type "q"'
	edit '.linux.devices = [{"path": "/dev/x", "type": "c"}]'
	refused dv2 'linux.devices[0]: device /dev/x needs its major and minor numbers'
}

# ---- mounts ------------------------------------------------------------------------

# mnt_line MOUNTPOINT: the container's mountinfo line for it, from $output
mnt_line() {
	printf '%s\n' "$output" | awk -v m="$1" '$5 == m'
}

@test "mounts: any type with its options, in order (mqueue, devpts, proc, sysfs, tmpfs with size and mode, overlay)" {
	mkdir -p "$BUNDLE/lower/d" "$BUNDLE/upper" "$BUNDLE/work"
	echo low > "$BUNDLE/lower/d/f"
	edit --arg b "$BUNDLE" '.mounts += [
		{"destination": "/mnt/mq", "type": "mqueue", "source": "mqueue", "options": ["nosuid", "nodev", "noexec"]},
		{"destination": "/mnt/pts", "type": "devpts", "source": "devpts", "options": ["newinstance", "ptmxmode=0600", "mode=600", "nosuid"]},
		{"destination": "/mnt/proc", "type": "proc", "source": "proc", "options": ["nosuid", "nodev", "noexec"]},
		{"destination": "/mnt/sys", "type": "sysfs", "source": "sysfs", "options": ["ro", "nosuid"]},
		{"destination": "/mnt/t", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "size=1m", "mode=0710"]},
		{"destination": "/mnt/t/inner", "type": "tmpfs", "source": "tmpfs", "options": ["size=2m"]},
		{"destination": "/mnt/ov", "type": "overlay", "source": "overlay",
		 "options": ["lowerdir=\($b)/lower", "upperdir=\($b)/upper", "workdir=\($b)/work"]}]'
	cmd sh -c 'cat /proc/self/mountinfo; stat -c "mode %a" /mnt/t; echo up > /mnt/ov/d/f; cat /mnt/ov/d/f; ls /mnt/proc/self/ns | head -1'
	run "$RUNC" --root "$STATE" run --bundle "$BUNDLE" m1
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$(mnt_line /mnt/mq)" == *",nosuid,nodev,noexec"*" - mqueue "* ]]
	[[ "$(mnt_line /mnt/pts)" == *" - devpts devpts "*"mode=600,ptmxmode=600"* ]]
	[[ "$(mnt_line /mnt/proc)" == *" - proc proc "* ]]
	[[ "$(mnt_line /mnt/sys)" == *" ro,nosuid,"*" - sysfs "* ]]
	[[ "$(mnt_line /mnt/t)" == *" - tmpfs tmpfs "*"size=1024k,mode=710"* ]]
	[[ "$(mnt_line /mnt/t/inner)" == *"size=2048k"* ]]
	[[ "$(mnt_line /mnt/ov)" == *" - overlay overlay "*"lowerdir=$BUNDLE/lower"* ]]
	[[ "$output" == *"mode 710"* ]]
	[[ "$output" == *$'\nup\n'* ]]
	# the overlay wrote its upper layer, the lower one is untouched
	[ "$(cat "$BUNDLE/upper/d/f")" = up ]
	[ "$(cat "$BUNDLE/lower/d/f")" = low ]
	[[ "$output" == *$'\ncgroup'* ]]
}

@test "mounts: bind propagation options (rshared, rslave, rprivate) and rro, recursive read-only, against ro" {
	mkdir -p "$BUNDLE/src/sub" "$BUNDLE/s2" "$BUNDLE/s3"
	mount -t tmpfs tmpfs "$BUNDLE/src/sub"
	mount --make-shared "$BUNDLE/src/sub"
	edit --arg b "$BUNDLE" '.mounts += [
		{"destination": "/mnt/shared", "type": "bind", "source": "\($b)/s2", "options": ["rbind", "rshared"]},
		{"destination": "/mnt/slave", "type": "bind", "source": "\($b)/src", "options": ["rbind", "rslave"]},
		{"destination": "/mnt/private", "type": "bind", "source": "\($b)/s3", "options": ["rbind", "rprivate"]},
		{"destination": "/mnt/rro", "type": "bind", "source": "\($b)/src", "options": ["rbind", "rro"]},
		{"destination": "/mnt/ro", "type": "bind", "source": "\($b)/src", "options": ["rbind", "ro"]}]'
	cmd sh -c 'cat /proc/self/mountinfo; touch /mnt/rro/sub/x 2>&1; touch /mnt/ro/x 2>&1; touch /mnt/ro/sub/y && echo sub-writable'
	run "$RUNC" --root "$STATE" run --bundle "$BUNDLE" m2
	umount "$BUNDLE/src/sub"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$(mnt_line /mnt/shared)" == *" shared:"* ]]
	[[ "$(mnt_line /mnt/slave/sub)" == *" master:"* ]]
	[[ "$(mnt_line /mnt/private)" != *" shared:"* && "$(mnt_line /mnt/private)" != *" master:"* ]]
	# rro reaches the mount below; ro only the top one
	[[ "$(mnt_line /mnt/rro/sub)" == *" ro,"* ]]
	[[ "$(mnt_line /mnt/ro)" == *" ro,"* ]]
	[[ "$(mnt_line /mnt/ro/sub)" == *" rw,"* ]]
	[[ "$output" == *"/mnt/rro/sub/x"*"Read-only file system"* ]]
	[[ "$output" == *"/mnt/ro/x"*"Read-only file system"* ]]
	[[ "$output" == *sub-writable* ]]
}

@test "mounts: a destination through a symlink that points out of the rootfs lands inside it" {
	cp -a "$ROOTFS" "$BATS_TEST_TMPDIR/rootfs"
	ln -s /etc "$BATS_TEST_TMPDIR/rootfs/evil"
	ln -s ../../../../../../../../etc "$BATS_TEST_TMPDIR/rootfs/evil2"
	edit --arg r "$BATS_TEST_TMPDIR/rootfs" '.root.path = $r | .mounts += [
		{"destination": "/evil/seclude-test-a", "type": "tmpfs", "source": "tmpfs", "options": ["size=1m"]},
		{"destination": "/evil2/seclude-test-b", "type": "tmpfs", "source": "tmpfs", "options": ["size=2m"]}]'
	cmd sh -c 'grep seclude-test /proc/self/mountinfo'
	run "$RUNC" --root "$STATE" run --bundle "$BUNDLE" m3
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *" /etc/seclude-test-a "* ]]
	[[ "${lines[1]}" == *" /etc/seclude-test-b "* ]]
	# made inside the rootfs; nothing on the host's /etc
	[ -d "$BATS_TEST_TMPDIR/rootfs/etc/seclude-test-a" ]
	[ -d "$BATS_TEST_TMPDIR/rootfs/etc/seclude-test-b" ]
	[ ! -e /etc/seclude-test-a ] && [ ! -e /etc/seclude-test-b ]
	! grep -q seclude-test /proc/self/mountinfo
}

@test "mounts: linux.rootfsPropagation: rshared, rslave, private as runc applies them to /" {
	# the rootfs a shared mount of the host's, so that slave and shared can show
	cp -a "$ROOTFS" "$BATS_TEST_TMPDIR/rootfs"
	mount --bind "$BATS_TEST_TMPDIR/rootfs" "$BATS_TEST_TMPDIR/rootfs"
	mount --make-shared "$BATS_TEST_TMPDIR/rootfs"
	edit --arg r "$BATS_TEST_TMPDIR/rootfs" '.root.path = $r'
	for p in rshared rslave private ""; do
		edit --arg p "$p" '.linux.rootfsPropagation = $p'
		cmd sh -c 'awk "\$5 == \"/\"" /proc/self/mountinfo'
		run "$RUNC" --root "$STATE" run --bundle "$BUNDLE" "rp-$p"
		echo "$p: $output"
		[ "$status" -eq 0 ] || break
		case $p in
		rshared) [[ "$output" == *" shared:"* ]] || break ;;
		# runc's default is rslave too: the host's mounts reach the container
		rslave|"") [[ "$output" == *" master:"* && "$output" != *" shared:"* ]] || break ;;
		private) [[ "$output" != *" shared:"* && "$output" != *" master:"* ]] || break ;;
		esac
		p=done
	done
	umount "$BATS_TEST_TMPDIR/rootfs"
	[ "$p" = done ]
	# nothing of the container's reached the host
	! grep -q "$BATS_TEST_TMPDIR/rootfs/" /proc/self/mountinfo
}

@test "mounts: an unknown file system type is refused, located, nothing left" {
	edit '.mounts += [{"destination": "/mnt", "type": "nosuchfs", "source": "x", "options": []}]'
	refused mu1 'mounts[7]: unknown filesystem type "nosuchfs" for /mnt'
}

# ---- id-mapped mounts (a mount's uidMappings and gidMappings, idmap, ridmap) -----------

# idmapped DEST SOURCE OPTIONS-JSON [UID-MAP-JSON GID-MAP-JSON]: a bind mount appended to mounts
idmapped() {
	edit --arg d "$1" --arg s "$2" --argjson o "$3" --argjson u "${4:-null}" --argjson g "${5:-null}" \
		'.mounts += [{"destination": $d, "type": "bind", "source": $s, "options": $o}
		             + (if $u then {"uidMappings": $u, "gidMappings": $g} else {} end)]'
}

@test "idmap: a file of host uid 1000 in the bind source is uid 0 inside (containerID 1000 -> hostID 0); a write lands as 1000 on the host" {
	# the bundle's own file system (ext4 here) takes id-mapped mounts
	mkdir "$BUNDLE/vol"
	echo hi > "$BUNDLE/vol/f"
	echo other > "$BUNDLE/vol/o"
	chown 1000:1000 "$BUNDLE/vol" "$BUNDLE/vol/f"
	chown 5:5 "$BUNDLE/vol/o"
	idmapped /mnt/idm "$BUNDLE/vol" '["rbind"]' '[{"containerID": 1000, "hostID": 0, "size": 1}]' \
		'[{"containerID": 1000, "hostID": 0, "size": 1}]'
	idmapped /mnt/plain "$BUNDLE/vol" '["rbind"]'
	cmd sh -c 'cat /proc/self/mountinfo; stat -c "f %u:%g" /mnt/idm/f; stat -c "o %u:%g" /mnt/idm/o;
		stat -c "plain %u:%g" /mnt/plain/f; echo new > /mnt/idm/new && stat -c "new %u:%g" /mnt/idm/new'
	run "$RUNC" --root "$STATE" run --bundle "$BUNDLE" idm1
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$(mnt_line /mnt/idm)" == *",idmapped"* ]]
	[[ "$(mnt_line /mnt/plain)" != *idmapped* ]]
	[[ "$output" == *$'
f 0:0
'* ]]
	# an id the mapping does not cover shows as the overflow id
	[[ "$output" == *$'
o 65534:65534
'* ]]
	[[ "$output" == *$'
plain 1000:1000
'* ]]
	[[ "$output" == *$'
new 0:0'* ]]
	# on the host: the new file is the mapped host owner's, the others as they were
	[ "$(stat -c %u:%g "$BUNDLE/vol/new")" = 1000:1000 ]
	[ "$(cat "$BUNDLE/vol/new")" = new ]
	[ "$(stat -c %u:%g "$BUNDLE/vol/f")" = 1000:1000 ]
	! grep -q " $BUNDLE" /proc/self/mountinfo
}

@test "idmap: in a user namespace (0 -> 100000), the source's root files are root's inside with the container's mapping, given or implied by idmap" {
	userns_config
	# the mount points made beforehand: the container's root (host uid 100000) cannot make them
	mkdir -p "$ROOTFS"/mnt/{given,implied}
	mkdir "$BUNDLE/vol"
	touch "$BUNDLE/vol/r" "$BUNDLE/vol/u"
	chown 1000:1000 "$BUNDLE/vol/u"
	chmod 777 "$BUNDLE/vol"
	idmapped /mnt/given "$BUNDLE/vol" '["rbind", "idmap"]' '[{"containerID": 0, "hostID": 100000, "size": 65536}]' \
		'[{"containerID": 0, "hostID": 100000, "size": 65536}]'
	idmapped /mnt/implied "$BUNDLE/vol" '["rbind", "idmap"]'
	cmd sh -c 'cat /proc/self/mountinfo; for m in given implied; do stat -c "$m %u:%g" /mnt/$m/r; done; stat -c "plain %u:%g" /bin;
		stat -c "u %u:%g" /mnt/given/u; touch /mnt/given/w && stat -c "w %u:%g" /mnt/given/w'
	run "$RUNC" --root "$STATE" run --bundle "$BUNDLE" idm2
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$(mnt_line /mnt/given)" == *",idmapped"* ]]
	[[ "$(mnt_line /mnt/implied)" == *",idmapped"* ]]
	[[ "$output" == *$'
given 0:0
'* ]]
	[[ "$output" == *$'
implied 0:0
'* ]]
	# without a mapping the host's root is no one in the container (the rootfs's /bin)
	[[ "$output" == *$'
plain 65534:65534
'* ]]
	[[ "$output" == *$'
u 1000:1000
'* ]]
	[[ "$output" == *$'
w 0:0'* ]]
	# written by the container's root (host uid 100000): on the disk, root's
	[ "$(stat -c %u:%g "$BUNDLE/vol/w")" = 0:0 ]
}

@test "idmap: a shared source does not share the container's mounts with the host (the detached copy is made private)" {
	userns_config
	edit '.process.capabilities |= with_entries(.value += ["CAP_SYS_ADMIN"])'
	mkdir -p "$ROOTFS/mnt/sh" "$BUNDLE/shsrc"
	mount -t tmpfs -o size=1m tmpfs "$BUNDLE/shsrc"
	UMOUNT=$BUNDLE/shsrc
	mount --make-shared "$BUNDLE/shsrc"
	mkdir "$BUNDLE/shsrc/sub"
	chmod 777 "$BUNDLE/shsrc" "$BUNDLE/shsrc/sub"
	idmapped /mnt/sh "$BUNDLE/shsrc" '["rbind", "idmap"]' '[{"containerID": 0, "hostID": 100000, "size": 65536}]' \
		'[{"containerID": 0, "hostID": 100000, "size": 65536}]'
	cmd sh -c 'mount -t tmpfs evil /mnt/sh/sub && touch /mnt/sh/sub/planted && echo mounted; grep " /mnt/sh " /proc/self/mountinfo'
	run "$RUNC" --root "$STATE" run --bundle "$BUNDLE" idmsh
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *mounted* ]]
	[[ "$(grep " /mnt/sh " <<< "$output")" != *shared:* ]]
	# the container's mount stayed in the container
	! grep -q " $BUNDLE/shsrc/sub " /proc/self/mountinfo
	[ ! -e "$BUNDLE/shsrc/sub/planted" ]
}

@test "idmap: ridmap maps the mounts under a recursive bind too, idmap only the top one (a tmpfs below: tmpfs takes id-mapped mounts)" {
	mkdir -p "$BUNDLE/tree/sub"
	touch "$BUNDLE/tree/top"
	mount -t tmpfs -o size=1m tmpfs "$BUNDLE/tree/sub"
	UMOUNT=$BUNDLE/tree/sub
	touch "$BUNDLE/tree/sub/below"
	chown 1000:1000 "$BUNDLE/tree/top" "$BUNDLE/tree/sub/below"
	local map='[{"containerID": 1000, "hostID": 0, "size": 1}]'
	idmapped /mnt/i "$BUNDLE/tree" '["rbind", "idmap"]' "$map" "$map"
	idmapped /mnt/r "$BUNDLE/tree" '["rbind", "ridmap"]' "$map" "$map"
	cmd sh -c 'cat /proc/self/mountinfo; for m in i r; do stat -c "$m top %u" /mnt/$m/top; stat -c "$m below %u" /mnt/$m/sub/below; done'
	run "$RUNC" --root "$STATE" run --bundle "$BUNDLE" idm3
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *$'
i top 0
'* ]]
	[[ "$output" == *$'
i below 1000
'* ]]
	[[ "$output" == *$'
r top 0
'* ]]
	[[ "$output" == *$'
r below 0'* ]]
	[[ "$(mnt_line /mnt/i/sub)" != *idmapped* ]]
	[[ "$(mnt_line /mnt/r/sub)" == *",idmapped"* ]]
}

@test "idmap: mappings on a tmpfs are refused, located, nothing left" {
	edit '.mounts += [{"destination": "/mnt", "type": "tmpfs", "source": "tmpfs",
		"uidMappings": [{"containerID": 0, "hostID": 1000, "size": 1}],
		"gidMappings": [{"containerID": 0, "hostID": 1000, "size": 1}]}]'
	refused idr1 'mounts[7].uidMappings: id-mapped mounts are only supported for bind mounts'
}

@test "idmap: a source on a file system that cannot be id-mapped (sysfs, overlay on this kernel) is refused, located, nothing left" {
	local map='[{"containerID": 0, "hostID": 1000, "size": 1}]'
	idmapped /mnt "/sys/kernel" '["rbind"]' "$map" "$map"
	refused idr2 'mounts[7]: cannot id-map /sys/kernel: its file system (sysfs) does not support id-mapped mounts (mount_setattr: EINVAL)'
	mkdir -p "$BATS_TEST_TMPDIR"/{lo,up,wk,ov}
	mount -t overlay overlay -o "lowerdir=$BATS_TEST_TMPDIR/lo,upperdir=$BATS_TEST_TMPDIR/up,workdir=$BATS_TEST_TMPDIR/wk" "$BATS_TEST_TMPDIR/ov"
	UMOUNT=$BATS_TEST_TMPDIR/ov
	edit --arg s "$BATS_TEST_TMPDIR/ov" '.mounts[7].source = $s'
	refused idr3 'its file system (overlay) does not support id-mapped mounts'
}

@test "idmap: a size 0, a range past the last id, uid without gid mappings, idmap with no maps to take: refused, located, nothing left" {
	mkdir "$BUNDLE/vol"
	idmapped /mnt "$BUNDLE/vol" '["rbind"]' '[{"containerID": 0, "hostID": 1000, "size": 0}]' \
		'[{"containerID": 0, "hostID": 1000, "size": 1}]'
	refused idr4 'mounts[7].uidMappings[0]: size 0 maps no id'
	edit '.mounts[7].uidMappings[0] = {"containerID": 4294967295, "hostID": 0, "size": 1}'
	refused idr5 'mounts[7].uidMappings[0]: the range of 1 ids from containerID 4294967295 passes the last id, 4294967294'
	edit '.mounts[7].uidMappings[0].containerID = 0 | del(.mounts[7].gidMappings)'
	refused idr6 'mounts[7].uidMappings: given without gidMappings: an id-mapped mount needs both'
	edit 'del(.mounts[7].uidMappings) | .mounts[7].options = ["rbind", "ridmap"]'
	refused idr7 "mounts[7]: option idmap or ridmap without uidMappings and gidMappings needs the container's user namespace"
}

# ---- hooks.startContainer ------------------------------------------------------------

@test "hooks: startContainer runs in the container (its namespaces and root) after start, before the command, with the state on stdin" {
	mkdir -p "$BUNDLE/out"
	edit --arg b "$BUNDLE" '.mounts += [{"destination": "/out", "type": "bind", "source": "\($b)/out", "options": ["rbind"]}]
		| .hooks.startContainer = [{"path": "/bin/sh", "args": ["sh", "-c",
		  "cat > /out/state; readlink /proc/self/ns/pid /proc/self/ns/mnt > /out/ns; echo \"$PATH\" > /out/env; test -e /out/ran && echo late > /out/order; true"]}]'
	cmd sh -c 'touch /out/ran; readlink /proc/self/ns/pid /proc/self/ns/mnt; cat /out/order 2>/dev/null; true'
	create h1 --pid-file "$BUNDLE/h1.pid"
	# nothing before start
	[ ! -e "$BUNDLE/out/state" ]
	"$RUNC" --root "$STATE" start h1
	for i in $(seq 100); do [ -s "$BUNDLE/h1.out" ] && break; sleep 0.05; done
	cat "$BUNDLE/h1.out" "$BUNDLE/out/ns" "$BUNDLE/out/state"
	run jq -r '.id, .status, .pid, .bundle' "$BUNDLE/out/state"
	[ "${lines[0]}" = h1 ]
	[ "${lines[1]}" = created ]
	[ "${lines[2]}" = 1 ]
	[ "${lines[3]}" = "$BUNDLE" ]
	# the container's namespaces; the command ran after the hook
	[ "$(cat "$BUNDLE/out/ns")" = "$(head -2 "$BUNDLE/h1.out")" ]
	[ ! -e "$BUNDLE/out/order" ]
	# without an env of its own, the container's
	[ "$(cat "$BUNDLE/out/env")" = "$(jq -r '.process.env[] | select(startswith("PATH=")) | .[5:]' "$BUNDLE/config.json")" ]
}

@test "hooks: a startContainer hook that fails: the command never runs" {
	mkdir -p "$BUNDLE/out"
	edit --arg b "$BUNDLE" '.mounts += [{"destination": "/out", "type": "bind", "source": "\($b)/out", "options": ["rbind"]}]
		| .hooks.startContainer = [{"path": "/bin/false"}]'
	cmd touch /out/ran
	run "$RUNC" --root "$STATE" run --bundle "$BUNDLE" h2
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"error running startContainer hook /bin/false: exit status 1"* ]]
	[ ! -e "$BUNDLE/out/ran" ]
}

# ---- resources.unified ---------------------------------------------------------------

@test "resources.unified on a cgroup v1 host: refused as runc refuses it, located, nothing left" {
	[ "$(stat -f -c %T /sys/fs/cgroup)" != cgroup2fs ] || skip "a cgroup v2 host (tests/vm/cgroup_v2.bats covers it)"
	edit '.linux.resources.unified = {"pids.max": "12"}'
	refused un1 "linux.resources.unified: invalid configuration: cannot use unified on cgroup v1"
}

@test "resources.unified: a key with a slash is refused, located" {
	edit '.linux.resources.unified = {"../pids.max": "12"}'
	refused un2 'linux.resources.unified: unified resource "../pids.max" must be a file name (no slashes)'
}

@test "mounts: a mount the kernel refuses at create fails it, exit 1, and nothing is left" {
	edit '.mounts += [{"destination": "/mnt/ov", "type": "overlay", "source": "overlay", "options": []}]'
	cmd true
	run "$RUNC" --root "$STATE" create --bundle "$BUNDLE" mk1
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"overlay"*"/mnt/ov"* ]]
	[ ! -e "$STATE/mk1" ]
	[ -z "$(find /sys/fs/cgroup -maxdepth 3 -name mk1 2>/dev/null || true)" ]
	! pgrep -f "seclude-runc.*mk1" >/dev/null
	! grep -q " $ROOTFS" /proc/self/mountinfo
}

@test "resources.unified in update --resources on a cgroup v1 host: refused in runc's words, nothing written" {
	cmd sleep 1000
	create up1
	pid=$(jq -r .pid < <("$RUNC" --root "$STATE" state up1))
	pids_dir=$(awk -F: '$2 == "pids" { print $3 }' /proc/$pid/cgroup)
	before=$(cat /sys/fs/cgroup/pids$pids_dir/pids.max)
	run "$RUNC" --root "$STATE" update --resources - up1 <<<'{"pids": {"limit": 9}, "unified": {"pids.max": "9"}}'
	echo "$output"
	[ "$status" -eq 1 ]
	[ "$output" = "seclude-runc: invalid configuration: cannot use unified on cgroup v1" ]
	[ "$(cat /sys/fs/cgroup/pids$pids_dir/pids.max)" = "$before" ]
}

# ---- resources: every field honoured or refused ----------------------------------

@test "resources: swappiness, disableOOMKiller, realtimePeriod and cpu.mems reach the cgroup as runc writes them on v1" {
	[ "$(stat -f -c %T /sys/fs/cgroup)" != cgroup2fs ] || skip "v1 files"
	[ -e /sys/fs/cgroup/cpu/cpu.rt_period_us ] || skip "no real-time group scheduling on this kernel"
	edit '.linux.resources.memory = {"swappiness": 17, "disableOOMKiller": true}
	      | .linux.resources.cpu = {"realtimePeriod": 500000, "mems": "0"}'
	cmd sh -c 'cd /sys/fs/cgroup && cat memory/memory.swappiness && grep oom_kill_disable memory/memory.oom_control && cat cpu/cpu.rt_period_us cpuset/cpuset.mems'
	run "$RUNC" --root "$STATE" run --bundle "$BUNDLE" rs1
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '17\noom_kill_disable 1\n500000\n0')" ]
}

@test "resources: the neutral values Docker sends (disableOOMKiller false, shares 0, weight 0, swappiness -1 as uint64) and empty ones are not set, not refused" {
	# (jq would round the uint64 spelling of -1: written in by sed)
	edit '.linux.resources.memory = {"disableOOMKiller": false, "swappiness": "U64", "kernel": 0}
	      | .linux.resources.cpu = {"shares": 0, "burst": 0, "idle": 0, "realtimeRuntime": 0}
	      | .linux.resources.blockIO = {"weight": 0, "leafWeight": 0, "weightDevice": [], "throttleReadIOPSDevice": []}
	      | .linux.resources.hugepageLimits = [] | .linux.resources.network = {"priorities": []} | .linux.resources.rdma = {}'
	cmd sh -c 'grep oom_kill_disable /sys/fs/cgroup/memory/memory.oom_control'
	sed -i 's/"U64"/18446744073709551615/' "$BUNDLE/config.json"
	grep -q '"swappiness": 18446744073709551615' "$BUNDLE/config.json"
	run "$RUNC" --root "$STATE" run --bundle "$BUNDLE" rs2
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "oom_kill_disable 0" ]
}

@test "resources: each field this runtime cannot write is refused, located, nothing left" {
	local base
	base=$(cat "$BUNDLE/config.json")
	local i=0 field text
	while IFS='|' read -r field text; do
		i=$((i + 1))
		printf '%s' "$base" > "$BUNDLE/config.json"
		edit ".linux.resources$field"
		refused "rf$i" "$text"
	done <<'CASES'
.memory = {"kernel": 67108864}|linux.resources.memory.kernel: cannot set kernel memory limit: not supported by this runtime
.memory = {"kernelTCP": 1048576}|linux.resources.memory.kernelTCP: cannot set kernel TCP memory limit
.memory = {"useHierarchy": true}|linux.resources.memory.useHierarchy: cannot set memory use_hierarchy
.memory = {"checkBeforeUpdate": true}|linux.resources.memory.checkBeforeUpdate: cannot set memory checkBeforeUpdate
.memory = {"swappiness": 101}|linux.resources.memory.swappiness: invalid memory swappiness value: 101 (valid range is 0-100)
.cpu = {"burst": 10000}|linux.resources.cpu.burst: cannot set CPU burst
.cpu = {"idle": 1}|linux.resources.cpu.idle: cannot set CPU idle
.blockIO = {"leafWeight": 500}|linux.resources.blockIO.leafWeight: cannot set blkio leaf weight
.blockIO = {"weightDevice": [{"major": 8, "minor": 0, "weight": 500}]}|linux.resources.blockIO.weightDevice: cannot set blkio weight per device
.blockIO = {"throttleReadIOPSDevice": [{"major": 8, "minor": 0, "rate": 100}]}|linux.resources.blockIO.throttleReadIOPSDevice: cannot set blkio read IOPS limit
.blockIO = {"throttleWriteIOPSDevice": [{"major": 8, "minor": 0, "rate": 100}]}|linux.resources.blockIO.throttleWriteIOPSDevice: cannot set blkio write IOPS limit
.hugepageLimits = [{"pageSize": "2MB", "limit": 2097152}]|linux.resources.hugepageLimits: cannot set hugetlb limit
.network = {"classID": 1048577}|linux.resources.network.classID: cannot set net_cls classid
.network = {"priorities": [{"name": "eth0", "priority": 5}]}|linux.resources.network.priorities: cannot set net_prio ifpriomap
.rdma = {"mlx5_1": {"hcaHandles": 3}}|linux.resources.rdma: cannot set rdma limit
CASES
}

@test "resources: update --resources refuses a field it cannot write in runc's words, and writes swappiness" {
	[ "$(stat -f -c %T /sys/fs/cgroup)" != cgroup2fs ] || skip "v1 files"
	cmd sleep 1000
	create up2
	pid=$(jq -r .pid < <("$RUNC" --root "$STATE" state up2))
	mem_dir=$(awk -F: '$2 == "memory" { print $3 }' /proc/$pid/cgroup)
	run "$RUNC" --root "$STATE" update --resources - up2 <<<'{"hugepageLimits": [{"pageSize": "2MB", "limit": 2097152}]}'
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == "seclude-runc: "*":1:"*"hugepageLimits: cannot set hugetlb limit: not supported by this runtime" ]]
	"$RUNC" --root "$STATE" update --resources - up2 <<<'{"memory": {"swappiness": 3}}'
	[ "$(cat /sys/fs/cgroup/memory$mem_dir/memory.swappiness)" = 3 ]
}
