/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SECLUDE_STATS_H
#define SECLUDE_STATS_H

/*
 * The figures of `docker stats`, computed the way the docker CLI does:
 *   CPU %    = (cgroup CPU time delta / host CPU time delta) x online CPUs x 100,
 *              host time from /proc/stat (user..softirq) in ns;
 *   MEM      = usage minus inactive file cache, against the limit (the
 *              host's memory when there is none), and its percentage;
 *   NET I/O  = bytes through the sandbox's interfaces (its network
 *              namespace's /proc/PID/net/dev, loopback left out);
 *   BLOCK I/O and PIDS straight from the cgroup.
 */

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>
#include <sys/types.h>

#include "seclude/cgroup.h"
#include "seclude/error.h"

struct sc_stats_sample {
	struct sc_cgroup_stats cg;
	uint64_t system_ns;     /* host CPU time, all CPUs */
	unsigned online_cpus;
	uint64_t host_memory;   /* MemTotal in bytes */
	uint64_t net_rx, net_tx;
	bool has_net;
};

/* Sample now: the cgroup's accounting, /proc/stat, and pid's network (pid 0: none). */
int sc_stats_sample(const struct sc_cgroup *cg, pid_t pid, struct sc_stats_sample *out,
		    struct sc_error *err);

/* The pieces, each reading a file given by path so tests can feed their own. */
int sc_stats_read_system_ns(const char *proc_stat, uint64_t *ns, struct sc_error *err);
int sc_stats_read_net_dev(const char *net_dev, uint64_t *rx, uint64_t *tx, struct sc_error *err);
int sc_stats_read_memtotal(const char *meminfo, uint64_t *bytes, struct sc_error *err);

/* 0.0 when there is no earlier sample or no time passed. */
double sc_stats_cpu_percent(const struct sc_stats_sample *prev, const struct sc_stats_sample *cur);
uint64_t sc_stats_mem_used(const struct sc_stats_sample *s);
uint64_t sc_stats_mem_limit(const struct sc_stats_sample *s);
double sc_stats_mem_percent(const struct sc_stats_sample *s);

/* "1.5MiB", "12kB" as docker stats prints them (binary for memory, decimal for I/O). */
void sc_stats_format_binary(uint64_t bytes, char *buf, size_t len);
void sc_stats_format_decimal(uint64_t bytes, char *buf, size_t len);

/*
 * What seclude stats shows, as docker stats does: the header and one
 * row per container (cur NULL: "--" everywhere; prev NULL: the CPU share
 * since start), or one JSON object (a new reference).
 */
void sc_stats_write_header(FILE *out);
void sc_stats_write_row(FILE *out, const char *id, const char *name,
			const struct sc_stats_sample *prev, const struct sc_stats_sample *cur);
json_t *sc_stats_to_json(const char *id, const char *name, const struct sc_stats_sample *prev,
			 const struct sc_stats_sample *cur);

#endif
