/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The three files Docker writes for every container and bind-mounts over
 * the image's: /etc/hostname, /etc/hosts and /etc/resolv.conf.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "seclude/sandbox.h"
#include "seclude/util.h"

/* Docker's /etc/hosts for a container without a network of its own to name. */
static const char default_hosts[] =
	"127.0.0.1\tlocalhost\n"
	"::1\tlocalhost ip6-localhost ip6-loopback\n"
	"fe00::0\tip6-localnet\n"
	"ff00::0\tip6-mcastprefix\n"
	"ff02::1\tip6-allnodes\n"
	"ff02::2\tip6-allrouters\n";

/* What Docker falls back to when the host names no usable server. */
static const char default_servers[] = "nameserver 8.8.8.8\nnameserver 8.8.4.4\n";

static bool is_local_server(const char *line)
{
	char addr[64];
	if (sscanf(line, " nameserver %63s", addr) != 1)
		return false;
	return strncmp(addr, "127.", 4) == 0 || strcmp(addr, "::1") == 0 ||
	       strcmp(addr, "0:0:0:0:0:0:0:1") == 0;
}

char *sc_resolv_conf_filter(const char *host)
{
	size_t len = host ? strlen(host) : 0;
	char *out = malloc(len + sizeof(default_servers) + 2);
	if (!out)
		return NULL;
	size_t n = 0;
	bool servers = false;
	for (const char *l = host; l && *l;) {
		const char *e = strchr(l, '\n');
		size_t ll = e ? (size_t)(e - l) : strlen(l);
		char line[1024];
		snprintf(line, sizeof(line), "%.*s", (int)ll, l);
		if (!is_local_server(line)) {
			char word[16];
			if (sscanf(line, " %15s", word) == 1 && strcmp(word, "nameserver") == 0)
				servers = true;
			memcpy(out + n, l, ll);
			n += ll;
			out[n++] = '\n';
		}
		l = e ? e + 1 : l + ll;
	}
	if (!servers) {
		memcpy(out + n, default_servers, sizeof(default_servers) - 1);
		n += sizeof(default_servers) - 1;
	}
	out[n] = '\0';
	return out;
}

static int write_text(const char *dir, const char *name, const char *text, struct sc_error *err)
{
	_cleanup_free_ char *path = NULL;
	if (asprintf(&path, "%s/%s", dir, name) < 0)
		return sc_error_set(err, -ENOMEM, "out of memory");
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return sc_error_errno(err, -errno, "cannot create %s", path);
	/* the sandbox's umask must not decide what it can read */
	if (fchmod(fd, 0644) < 0)
		return sc_error_errno(err, -errno, "cannot write %s", path);
	int r = sc_write_all(fd, text, strlen(text));
	if (r < 0)
		return sc_error_errno(err, r, "cannot write %s", path);
	return 0;
}

int sc_etc_files_make(const char *hostname, enum sc_net_mode net, struct sc_etc_text *out,
		      struct sc_error *err)
{
	*out = (struct sc_etc_text){0};
	_cleanup_free_ char *resolv = NULL;
	if (net == SC_NET_HOST)
		sc_read_file("/etc/hosts", 1 << 20, &out->hosts, NULL, NULL);
	if (!out->hosts)
		out->hosts = strdup(default_hosts);
	sc_read_file("/etc/resolv.conf", 1 << 20, &resolv, NULL, NULL);
	if (net == SC_NET_HOST && resolv)
		out->resolv_conf = TAKE_PTR(resolv);
	else
		out->resolv_conf = sc_resolv_conf_filter(resolv);
	if (asprintf(&out->hostname, "%s\n", hostname) < 0)
		out->hostname = NULL;
	if (!out->hostname || !out->hosts || !out->resolv_conf) {
		sc_etc_text_free(out);
		return sc_error_set(err, -ENOMEM, "out of memory");
	}
	return 0;
}

void sc_etc_text_free(struct sc_etc_text *t)
{
	free(t->hostname);
	free(t->hosts);
	free(t->resolv_conf);
	*t = (struct sc_etc_text){0};
}

int sc_etc_files_write(const char *dir, const char *hostname, enum sc_net_mode net,
		       struct sc_error *err)
{
	struct sc_etc_text t;
	int r = sc_etc_files_make(hostname, net, &t, err);
	if (r < 0)
		return r;
	if ((r = write_text(dir, "hostname", t.hostname, err)) == 0 &&
	    (r = write_text(dir, "hosts", t.hosts, err)) == 0)
		r = write_text(dir, "resolv.conf", t.resolv_conf, err);
	sc_etc_text_free(&t);
	return r;
}
