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

# nginx_site ROOTFS PORT: a small site under ROOTFS/srv/www (index, another
# page, a directory index, a 2 MB file, copied beside ROOTFS as big.bin for
# range checks) and /etc/nginx/seclude-test.conf serving it on 127.0.0.1:PORT
# in the foreground, temporary files in /tmp
nginx_site() {
	local root=$1 port=$2
	mkdir -p "$root/srv/www/sub"
	echo hello >"$root/srv/www/index.html"
	echo other >"$root/srv/www/other.html"
	echo subindex >"$root/srv/www/sub/index.html"
	head -c 2000000 /dev/urandom >"$root/srv/www/big.bin"
	cp "$root/srv/www/big.bin" "$root/../big.bin"
	chmod -R a+rX "$root/srv/www"
	cat >"$root/etc/nginx/seclude-test.conf" <<CONF
daemon off;
master_process on;
worker_processes 2;
pid /tmp/nginx.pid;
error_log stderr notice;
events { worker_connections 64; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  client_body_temp_path /tmp/nginx-body;
  proxy_temp_path /tmp/nginx-proxy;
  fastcgi_temp_path /tmp/nginx-fastcgi;
  uwsgi_temp_path /tmp/nginx-uwsgi;
  scgi_temp_path /tmp/nginx-scgi;
  sendfile on;
  keepalive_timeout 5;
  server {
    listen 127.0.0.1:$port;
    root /srv/www;
  }
}
CONF
}
