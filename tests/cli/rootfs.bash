# Builds the busybox-static root filesystem the run tests start commands in,
# once, into tests/cli/.work/rootfs (rebuilt when busybox, probe.c or escape.c change).
# Usage from a bats file:  load rootfs; setup_file() { build_rootfs; }
# and then $ROOTFS.

ROOTFS_CACHE=${SECLUDE_TEST_WORK:-$SRC/tests/cli/.work}
ROOTFS=$ROOTFS_CACHE/rootfs

build_rootfs() {
	local bb=/bin/busybox probe_src=$SRC/tests/cli/probe.c escape_src=$SRC/tests/cli/escape.c
	local stamp
	stamp="$(sha256sum "$bb" "$probe_src" "$escape_src" | sha256sum | cut -c1-16)"
	if [ -f "$ROOTFS/.stamp" ] && [ "$(cat "$ROOTFS/.stamp")" = "$stamp" ]; then
		# shared by every file: /tmp as built, whatever a test left there
		chmod 1777 "$ROOTFS/tmp"
		chmod 644 "$ROOTFS/etc/passwd" "$ROOTFS/etc/group"
		return 0
	fi
	mkdir -p "$ROOTFS_CACHE"
	local tmp
	tmp=$(mktemp -d "$ROOTFS_CACHE/rootfs.XXXXXX")
	chmod 755 "$tmp"
	mkdir -p "$tmp"/{bin,proc,dev,sys,tmp,etc,root,mnt,home/user}
	chmod 1777 "$tmp/tmp"
	cp "$bb" "$tmp/bin/busybox"
	local a
	for a in $("$bb" --list); do
		[ "$a" = busybox ] || ln -s busybox "$tmp/bin/$a"
	done
	gcc -static -O2 -Wall -o "$tmp/bin/probe" "$probe_src" || { rm -rf "$tmp"; return 1; }
	gcc -static -O2 -Wall -o "$tmp/bin/escape" "$escape_src" || { rm -rf "$tmp"; return 1; }
	# the same program, setuid root: what no-new-privileges must neutralise
	cp "$tmp/bin/probe" "$tmp/bin/suid-probe"
	chmod 4755 "$tmp/bin/suid-probe"
	cat > "$tmp/etc/passwd" <<'PW'
root:x:0:0:root:/root:/bin/sh
user:x:1000:1000:user:/home/user:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PW
	cat > "$tmp/etc/group" <<'GR'
root:x:0:
users:x:100:user
user:x:1000:
nogroup:x:65534:
GR
	chown 1000:1000 "$tmp/home/user"
	echo "$stamp" > "$tmp/.stamp"
	rm -rf "$ROOTFS"
	mv "$tmp" "$ROOTFS"
}
