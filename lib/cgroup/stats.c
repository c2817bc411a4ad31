/* SPDX-License-Identifier: GPL-2.0-or-later */
/* docker stats' arithmetic; see stats.h. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "seclude/stats.h"
#include "seclude/util.h"

int sc_stats_read_system_ns(const char *proc_stat, uint64_t *ns, struct sc_error *err)
{
	_cleanup_free_ char *s = NULL;
	int r = sc_read_file(proc_stat, 1 << 20, &s, NULL, err);
	if (r < 0)
		return r;
	unsigned long long f[7];
	if (strncmp(s, "cpu ", 4) != 0 ||
	    sscanf(s + 4, "%llu %llu %llu %llu %llu %llu %llu", &f[0], &f[1], &f[2], &f[3], &f[4],
		   &f[5], &f[6]) != 7)
		return sc_error_set(err, -EINVAL, "%s: no cpu line", proc_stat);
	/* user, nice, system, idle, iowait, irq, softirq: what docker adds up */
	uint64_t ticks = 0;
	for (int i = 0; i < 7; i++)
		ticks += f[i];
	long hz = sysconf(_SC_CLK_TCK);
	if (hz <= 0)
		hz = 100;
	*ns = ticks * (1000000000ULL / (uint64_t)hz);
	return 0;
}

int sc_stats_read_net_dev(const char *net_dev, uint64_t *rx, uint64_t *tx, struct sc_error *err)
{
	_cleanup_free_ char *s = NULL;
	int r = sc_read_file(net_dev, 1 << 20, &s, NULL, err);
	if (r < 0)
		return r;
	*rx = *tx = 0;
	char *save = NULL;
	for (char *line = strtok_r(s, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *colon = strchr(line, ':');
		if (!colon)
			continue;  /* the two header lines */
		*colon = '\0';
		char *ifname = line + strspn(line, " ");
		if (strcmp(ifname, "lo") == 0)
			continue;
		unsigned long long v[9];
		if (sscanf(colon + 1, "%llu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2],
			   &v[3], &v[4], &v[5], &v[6], &v[7], &v[8]) != 9)
			continue;
		*rx += v[0];
		*tx += v[8];
	}
	return 0;
}

int sc_stats_read_memtotal(const char *meminfo, uint64_t *bytes, struct sc_error *err)
{
	_cleanup_free_ char *s = NULL;
	int r = sc_read_file(meminfo, 1 << 20, &s, NULL, err);
	if (r < 0)
		return r;
	const char *p = strstr(s, "MemTotal:");
	unsigned long long kb;
	if (!p || sscanf(p + 9, "%llu", &kb) != 1)
		return sc_error_set(err, -EINVAL, "%s: no MemTotal", meminfo);
	*bytes = kb * 1024;
	return 0;
}

int sc_stats_sample(const struct sc_cgroup *cg, pid_t pid, struct sc_stats_sample *out,
		    struct sc_error *err)
{
	*out = (struct sc_stats_sample){0};
	int r = sc_cgroup_read_stats(cg, &out->cg, err);
	if (r < 0)
		return r;
	if ((r = sc_stats_read_system_ns("/proc/stat", &out->system_ns, err)) < 0)
		return r;
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	out->online_cpus = n > 0 ? (unsigned)n : 1;
	sc_stats_read_memtotal("/proc/meminfo", &out->host_memory, NULL);
	if (pid > 0) {
		char path[64];
		snprintf(path, sizeof(path), "/proc/%d/net/dev", (int)pid);
		out->has_net = sc_stats_read_net_dev(path, &out->net_rx, &out->net_tx, NULL) == 0;
	}
	return 0;
}

double sc_stats_cpu_percent(const struct sc_stats_sample *prev, const struct sc_stats_sample *cur)
{
	if (!prev || cur->system_ns <= prev->system_ns || cur->cg.cpu_usage_ns < prev->cg.cpu_usage_ns)
		return 0.0;
	double cpu = (double)(cur->cg.cpu_usage_ns - prev->cg.cpu_usage_ns);
	double sys = (double)(cur->system_ns - prev->system_ns);
	return cpu / sys * (double)cur->online_cpus * 100.0;
}

uint64_t sc_stats_mem_used(const struct sc_stats_sample *s)
{
	/* The page cache the kernel can drop is not the sandbox's use. */
	if (s->cg.memory_inactive_file < s->cg.memory_usage)
		return s->cg.memory_usage - s->cg.memory_inactive_file;
	return s->cg.memory_usage;
}

uint64_t sc_stats_mem_limit(const struct sc_stats_sample *s)
{
	if (s->cg.memory_limit == SC_UNLIMITED || (s->host_memory && s->cg.memory_limit > s->host_memory))
		return s->host_memory;
	return s->cg.memory_limit;
}

double sc_stats_mem_percent(const struct sc_stats_sample *s)
{
	uint64_t lim = sc_stats_mem_limit(s);
	return lim ? (double)sc_stats_mem_used(s) / (double)lim * 100.0 : 0.0;
}

static void format_size(uint64_t bytes, double base, const char *const *units, size_t n,
			char *buf, size_t len)
{
	double v = (double)bytes;
	size_t i = 0;
	while (v >= base && i < n - 1) {
		v /= base;
		i++;
	}
	snprintf(buf, len, "%.4g%s", v, units[i]);
}

void sc_stats_format_binary(uint64_t bytes, char *buf, size_t len)
{
	static const char *const u[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	format_size(bytes, 1024.0, u, SC_ARRAY_SIZE(u), buf, len);
}

void sc_stats_format_decimal(uint64_t bytes, char *buf, size_t len)
{
	static const char *const u[] = { "B", "kB", "MB", "GB", "TB", "PB", "EB" };
	/* docker stats prints I/O with three significant digits */
	double v = (double)bytes;
	size_t i = 0;
	while (v >= 1000.0 && i < SC_ARRAY_SIZE(u) - 1) {
		v /= 1000.0;
		i++;
	}
	snprintf(buf, len, "%.3g%s", v, u[i]);
}

/* ---- what seclude stats shows ---- */

void sc_stats_write_header(FILE *out)
{
	fprintf(out, "%-14s %-20s %-8s %-22s %-8s %-16s %-16s %s\n", "SANDBOX ID", "NAME", "CPU %",
		"MEM USAGE / LIMIT", "MEM %", "NET I/O", "BLOCK I/O", "PIDS");
}

void sc_stats_write_row(FILE *out, const char *full_id, const char *name,
			const struct sc_stats_sample *prev, const struct sc_stats_sample *cur)
{
	char id[13];
	snprintf(id, sizeof(id), "%.12s", full_id);
	if (!cur) {
		fprintf(out, "%-14s %-20s %-8s %-22s %-8s %-16s %-16s %s\n", id, name, "--", "-- / --",
			"--", "--", "--", "--");
		return;
	}
	char used[16], lim[16], mem[40], rx[16], tx[16], net[40], br[16], bw[16], blk[40], cpu[16], mp[16];
	sc_stats_format_binary(sc_stats_mem_used(cur), used, sizeof(used));
	sc_stats_format_binary(sc_stats_mem_limit(cur), lim, sizeof(lim));
	snprintf(mem, sizeof(mem), "%s / %s", used, lim);
	sc_stats_format_decimal(cur->net_rx, rx, sizeof(rx));
	sc_stats_format_decimal(cur->net_tx, tx, sizeof(tx));
	snprintf(net, sizeof(net), "%s / %s", rx, tx);
	sc_stats_format_decimal(cur->cg.blkio_read, br, sizeof(br));
	sc_stats_format_decimal(cur->cg.blkio_write, bw, sizeof(bw));
	snprintf(blk, sizeof(blk), "%s / %s", br, bw);
	snprintf(cpu, sizeof(cpu), "%.2f%%", sc_stats_cpu_percent(prev, cur));
	snprintf(mp, sizeof(mp), "%.2f%%", sc_stats_mem_percent(cur));
	fprintf(out, "%-14s %-20s %-8s %-22s %-8s %-16s %-16s %llu\n", id, name, cpu, mem, mp, net, blk,
		(unsigned long long)cur->cg.pids_current);
}

json_t *sc_stats_to_json(const char *id, const char *name, const struct sc_stats_sample *prev,
			 const struct sc_stats_sample *c)
{
	return json_pack("{s:s, s:s, s:f, s:I, s:I, s:I, s:f, s:I, s:I, s:I, s:I, s:I, s:I}",
			 "id", id, "name", name,
			 "cpu_percent", sc_stats_cpu_percent(prev, c),
			 "cpu_usage_ns", (json_int_t)c->cg.cpu_usage_ns,
			 "memory_usage", (json_int_t)sc_stats_mem_used(c),
			 "memory_limit", (json_int_t)sc_stats_mem_limit(c),
			 "memory_percent", sc_stats_mem_percent(c),
			 "net_rx", (json_int_t)c->net_rx, "net_tx", (json_int_t)c->net_tx,
			 "block_read", (json_int_t)c->cg.blkio_read,
			 "block_write", (json_int_t)c->cg.blkio_write,
			 "pids", (json_int_t)c->cg.pids_current,
			 "oom_kills", (json_int_t)c->cg.oom_kills);
}
