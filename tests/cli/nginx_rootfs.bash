# A Debian root filesystem with nginx-light, built by debootstrap once and
# kept under $SECLUDE_TEST_CACHE (default /var/cache/seclude-test), keyed by
# what goes into it: a second run reuses it, a change of recipe builds anew.
# Usage from a bats file:  load nginx_rootfs; setup_file() { build_nginx_rootfs; }
# and then $NGINX_ROOTFS (a directory) and $NGINX_ROOTFS_TAR (the same as a tar).

NGINX_ROOTFS_CACHE=${SECLUDE_TEST_CACHE:-/var/cache/seclude-test}
NGINX_ROOTFS_SUITE=${NGINX_ROOTFS_SUITE:-bookworm}
NGINX_ROOTFS_MIRROR=${NGINX_ROOTFS_MIRROR:-http://deb.debian.org/debian}
NGINX_ROOTFS_PACKAGES=nginx-light,curl,ca-certificates,procps,coreutils,tar,gzip,xz-utils

nginx_rootfs_key() {
	# the recipe: this file, the suite, the mirror and the package list
	{ cat "${BASH_SOURCE[0]}"; echo "$NGINX_ROOTFS_SUITE $NGINX_ROOTFS_MIRROR $NGINX_ROOTFS_PACKAGES"; } |
		sha256sum | cut -c1-16
}

build_nginx_rootfs() {
	local key dir tmp
	key=$(nginx_rootfs_key)
	dir=$NGINX_ROOTFS_CACHE/nginx-$key
	NGINX_ROOTFS=$dir/rootfs
	NGINX_ROOTFS_TAR=$dir/rootfs.tar
	if [ -f "$dir/done" ]; then
		return 0
	fi
	command -v debootstrap >/dev/null || { echo "debootstrap is not installed" >&2; return 1; }
	mkdir -p "$NGINX_ROOTFS_CACHE"
	# one builder at a time; the others wait and reuse
	exec {lock}>"$NGINX_ROOTFS_CACHE/.lock-$key"
	flock "$lock"
	if [ ! -f "$dir/done" ]; then
		tmp=$(mktemp -d "$NGINX_ROOTFS_CACHE/build.XXXXXX")
		if ! debootstrap --variant=minbase --include="$NGINX_ROOTFS_PACKAGES" \
			"$NGINX_ROOTFS_SUITE" "$tmp/rootfs" "$NGINX_ROOTFS_MIRROR" >"$tmp/debootstrap.log" 2>&1; then
			tail -20 "$tmp/debootstrap.log" >&2
			rm -rf "$tmp"
			exec {lock}>&-
			return 1
		fi
		rm -rf "$tmp/rootfs/var/cache/apt/archives/"*.deb "$tmp/rootfs/var/lib/apt/lists/"*
		# a user that is not root, for --user runs
		chroot "$tmp/rootfs" useradd -u 1000 -m -s /bin/sh user 2>/dev/null || true
		tar -C "$tmp/rootfs" --numeric-owner -cf "$tmp/rootfs.tar" .
		rm -rf "$dir"
		mv "$tmp" "$dir"
		touch "$dir/done"
	fi
	exec {lock}>&-
}
