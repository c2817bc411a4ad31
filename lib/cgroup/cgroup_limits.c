/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Docker's resource options: their spellings, checks and defaults. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "seclude/cgroup.h"
#include "seclude/util.h"

const struct sc_limit_option sc_limit_options[] = {
	{ "memory", SC_LIMIT_MEMORY, "SIZE     memory limit (512m, 1g; at least 6m)" },
	{ "memory-swap", SC_LIMIT_MEMORY_SWAP, "SIZE     memory plus swap; -1 for unlimited swap" },
	{ "memory-reservation", SC_LIMIT_MEMORY_RESERVATION, "SIZE  soft limit, at most --memory" },
	{ "cpus", SC_LIMIT_CPUS, "N          number of CPUs (1.5 = one and a half)" },
	{ "cpu-shares", SC_LIMIT_CPU_SHARES, "N    relative CPU weight (default 1024)" },
	{ "cpu-period", SC_LIMIT_CPU_PERIOD, "US   CFS period in microseconds" },
	{ "cpu-quota", SC_LIMIT_CPU_QUOTA, "US    CFS quota in microseconds per period" },
	{ "cpuset-cpus", SC_LIMIT_CPUSET_CPUS, "LIST CPUs allowed (0-3, 0,1)" },
	{ "pids-limit", SC_LIMIT_PIDS, "N    process limit (-1 for unlimited)" },
	{ "blkio-weight", SC_LIMIT_BLKIO_WEIGHT, "N  block I/O weight, 10 to 1000" },
	{ "device-read-bps", SC_LIMIT_DEVICE_READ_BPS, "DEV:RATE  read rate limit (/dev/sda:1mb)" },
	{ "device-write-bps", SC_LIMIT_DEVICE_WRITE_BPS, "DEV:RATE write rate limit" },
	{ "cpuset-mems", SC_LIMIT_CPUSET_MEMS, "LIST memory nodes allowed (0-3, 0,1)" },
	{ "memory-swappiness", SC_LIMIT_MEMORY_SWAPPINESS, "N  0 to 100; -1 keeps the host's (v1)" },
	{ "oom-kill-disable", SC_LIMIT_OOM_KILL_DISABLE, "   the OOM killer leaves the sandbox alone (v1)" },
	{ "cpu-rt-period", SC_LIMIT_CPU_RT_PERIOD, "US  real-time period in microseconds (v1)" },
	{ "cpu-rt-runtime", SC_LIMIT_CPU_RT_RUNTIME, "US real-time runtime per period, -1 unlimited (v1)" },
	{ NULL, 0, NULL },
};

int sc_parse_size(const char *s, int64_t *out, struct sc_error *err)
{
	if (!s || !*s)
		return sc_error_set(err, -EINVAL, "empty size");
	const char *p = s;
	uint64_t whole = 0, frac_num = 0, frac_den = 1;
	if (!isdigit((unsigned char)*p))
		return sc_error_set(err, -EINVAL, "invalid size: '%s'", s);
	for (; isdigit((unsigned char)*p); p++) {
		if (whole > (UINT64_MAX - 9) / 10)
			return sc_error_set(err, -ERANGE, "size too large: '%s'", s);
		whole = whole * 10 + (uint64_t)(*p - '0');
	}
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return sc_error_set(err, -EINVAL, "invalid size: '%s'", s);
		for (; isdigit((unsigned char)*p); p++) {
			if (frac_den < UINT64_C(1000000000000)) {
				frac_num = frac_num * 10 + (uint64_t)(*p - '0');
				frac_den *= 10;
			}
		}
	}
	if (*p == ' ')
		p++;
	uint64_t mult = 1;
	switch (tolower((unsigned char)*p)) {
	case 'k': mult = UINT64_C(1) << 10; p++; break;
	case 'm': mult = UINT64_C(1) << 20; p++; break;
	case 'g': mult = UINT64_C(1) << 30; p++; break;
	case 't': mult = UINT64_C(1) << 40; p++; break;
	case 'p': mult = UINT64_C(1) << 50; p++; break;
	default: break;
	}
	if (mult > 1 && (*p == 'i' || *p == 'I'))
		p++;
	if (*p == 'b' || *p == 'B')
		p++;
	if (*p)
		return sc_error_set(err, -EINVAL, "invalid size: '%s'", s);
	if (whole > (uint64_t)INT64_MAX / mult)
		return sc_error_set(err, -ERANGE, "size too large: '%s'", s);
	uint64_t v = whole * mult;
	/* The fraction, truncated to whole bytes as Docker's int64(float) does. */
	v += (uint64_t)((unsigned __int128)frac_num * mult / frac_den);
	if (v > (uint64_t)INT64_MAX)
		return sc_error_set(err, -ERANGE, "size too large: '%s'", s);
	*out = (int64_t)v;
	return 0;
}

int sc_parse_cpus(const char *s, int64_t *nano, struct sc_error *err)
{
	if (!s || !*s)
		return sc_error_set(err, -EINVAL, "empty number of CPUs");
	const char *p = s;
	uint64_t whole = 0, frac = 0;
	int digits = 0;
	if (!isdigit((unsigned char)*p) && *p != '.')
		return sc_error_set(err, -EINVAL, "invalid number of CPUs: '%s'", s);
	for (; isdigit((unsigned char)*p); p++) {
		if (whole > 1000000)
			return sc_error_set(err, -ERANGE, "too many CPUs: '%s'", s);
		whole = whole * 10 + (uint64_t)(*p - '0');
	}
	if (*p == '.') {
		p++;
		for (; isdigit((unsigned char)*p); p++) {
			if (++digits > 9)
				return sc_error_set(err, -EINVAL, "value is too precise: '%s'", s);
			frac = frac * 10 + (uint64_t)(*p - '0');
		}
	}
	if (*p)
		return sc_error_set(err, -EINVAL, "invalid number of CPUs: '%s'", s);
	for (; digits < 9; digits++)
		frac *= 10;
	*nano = (int64_t)(whole * 1000000000 + frac);
	return 0;
}

int sc_parse_throttle(const char *s, struct sc_throttle *out, struct sc_error *err)
{
	const char *colon = s ? strrchr(s, ':') : NULL;
	if (!colon || colon == s || !colon[1])
		return sc_error_set(err, -EINVAL, "bad format '%s': expected DEVICE:RATE, e.g. /dev/sda:1mb",
				    s ? s : "");
	_cleanup_free_ char *path = strndup(s, (size_t)(colon - s));
	if (!path)
		return sc_error_set(err, -ENOMEM, "out of memory");
	if (path[0] != '/')
		return sc_error_set(err, -EINVAL, "bad device path '%s': not absolute", path);
	int64_t rate;
	int r = sc_parse_size(colon + 1, &rate, err);
	if (r < 0) {
		sc_error_prefix(err, "%s", s);
		return r;
	}
	struct stat st;
	if (stat(path, &st) < 0)
		return sc_error_errno(err, -errno, "%s", path);
	if (!S_ISBLK(st.st_mode))
		return sc_error_set(err, -EINVAL, "%s: not a block device", path);
	*out = (struct sc_throttle){
		.path = TAKE_PTR(path),
		.major = major(st.st_rdev),
		.minor = minor(st.st_rdev),
		.bps = (uint64_t)rate,
	};
	return 0;
}

static int parse_int(const char *s, int64_t *out)
{
	if (!s || !*s)
		return -EINVAL;
	char *end = NULL;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end || end == s)
		return errno ? -errno : -EINVAL;
	*out = v;
	return 0;
}

static int push_throttle(struct sc_throttle **v, size_t *n, const char *value, struct sc_error *err)
{
	struct sc_throttle t;
	int r = sc_parse_throttle(value, &t, err);
	if (r < 0)
		return r;
	/* A second rate for the same device replaces the first. */
	for (size_t i = 0; i < *n; i++)
		if ((*v)[i].major == t.major && (*v)[i].minor == t.minor) {
			free((*v)[i].path);
			(*v)[i] = t;
			return 0;
		}
	struct sc_throttle *nv = realloc(*v, (*n + 1) * sizeof(**v));
	if (!nv) {
		free(t.path);
		return sc_error_set(err, -ENOMEM, "out of memory");
	}
	nv[(*n)++] = t;
	*v = nv;
	return 0;
}

int sc_limits_set(struct sc_cgroup_limits *l, const char *name, const char *value,
		  struct sc_error *err)
{
	const struct sc_limit_option *o = sc_limit_options;
	while (o->name && strcmp(o->name, name))
		o++;
	if (!o->name)
		return sc_error_set(err, -EINVAL, "unknown resource option --%s", name);

	int64_t v = 0;
	int r = 0;
	switch (o->bit) {
	case SC_LIMIT_MEMORY:
	case SC_LIMIT_MEMORY_RESERVATION:
		r = sc_parse_size(value, &v, err);
		if (r == 0 && o->bit == SC_LIMIT_MEMORY)
			l->memory = v;
		else if (r == 0)
			l->memory_reservation = v;
		break;
	case SC_LIMIT_MEMORY_SWAP:
		if (strcmp(value, "-1") == 0)
			v = -1;
		else
			r = sc_parse_size(value, &v, err);
		l->memory_swap = v;
		break;
	case SC_LIMIT_CPUS:
		r = sc_parse_cpus(value, &v, err);
		l->nano_cpus = v;
		break;
	case SC_LIMIT_CPU_SHARES:
	case SC_LIMIT_CPU_PERIOD:
		if (parse_int(value, &v) < 0 || v < 0)
			r = sc_error_set(err, -EINVAL, "invalid value '%s': expected a number", value);
		else if (o->bit == SC_LIMIT_CPU_SHARES)
			l->cpu_shares = (uint64_t)v;
		else
			l->cpu_period = (uint64_t)v;
		break;
	case SC_LIMIT_CPU_QUOTA:
		if (parse_int(value, &v) < 0)
			r = sc_error_set(err, -EINVAL, "invalid value '%s': expected a number", value);
		l->cpu_quota = v < 0 ? -1 : v;
		break;
	case SC_LIMIT_CPUSET_CPUS:
	case SC_LIMIT_CPUSET_MEMS: {
		/* Only the characters a cpu or node list can hold; the kernel checks the rest. */
		if (!*value || strspn(value, "0123456789,-") != strlen(value))
			return sc_error_set(err, -EINVAL, "--%s: invalid list '%s'", name, value);
		char *c = strdup(value);
		if (!c)
			return sc_error_set(err, -ENOMEM, "out of memory");
		char **slot = o->bit == SC_LIMIT_CPUSET_CPUS ? &l->cpuset_cpus : &l->cpuset_mems;
		free(*slot);
		*slot = c;
		break;
	}
	case SC_LIMIT_PIDS:
		if (parse_int(value, &v) < 0)
			r = sc_error_set(err, -EINVAL, "invalid value '%s': expected a number", value);
		/* Docker: 0 and any negative number mean no limit. */
		l->pids_limit = v <= 0 ? -1 : v;
		break;
	case SC_LIMIT_BLKIO_WEIGHT:
		if (parse_int(value, &v) < 0 || v < 0 || v > UINT16_MAX)
			r = sc_error_set(err, -EINVAL, "invalid value '%s': expected a number", value);
		l->blkio_weight = (uint16_t)v;
		break;
	case SC_LIMIT_DEVICE_READ_BPS:
		r = push_throttle(&l->read_bps, &l->n_read_bps, value, err);
		break;
	case SC_LIMIT_DEVICE_WRITE_BPS:
		r = push_throttle(&l->write_bps, &l->n_write_bps, value, err);
		break;
	case SC_LIMIT_MEMORY_SWAPPINESS:
		if (parse_int(value, &v) < 0 || v < -1 || v > 100)
			return sc_error_set(err, -EINVAL, "invalid value: %s, valid memory swappiness range is 0-100",
					    value);
		if (v == -1) {
			/* Docker's default: the host's value, nothing written */
			l->set &= ~(unsigned)SC_LIMIT_MEMORY_SWAPPINESS;
			return 0;
		}
		l->memory_swappiness = (uint64_t)v;
		break;
	case SC_LIMIT_OOM_KILL_DISABLE:
		/* a flag: --oom-kill-disable, or =true / =false */
		if (value && strcmp(value, "true") && strcmp(value, "1") && strcmp(value, "false") && strcmp(value, "0"))
			return sc_error_set(err, -EINVAL, "--%s: invalid boolean value '%s'", name, value);
		if (value && (!strcmp(value, "false") || !strcmp(value, "0"))) {
			l->set &= ~(unsigned)SC_LIMIT_OOM_KILL_DISABLE;
			return 0;
		}
		break;
	case SC_LIMIT_CPU_RT_PERIOD:
		if (parse_int(value, &v) < 0 || v < 0)
			r = sc_error_set(err, -EINVAL, "invalid value '%s': expected a number", value);
		l->cpu_rt_period = (uint64_t)v;
		break;
	case SC_LIMIT_CPU_RT_RUNTIME:
		if (parse_int(value, &v) < 0 || v < -1)
			r = sc_error_set(err, -EINVAL, "invalid value '%s': expected a number", value);
		l->cpu_rt_runtime = v;
		break;
	}
	if (r < 0) {
		sc_error_prefix(err, "--%s", name);
		return r;
	}
	l->set |= o->bit;
	return 0;
}

int sc_limits_check(struct sc_cgroup_limits *l, bool updating, unsigned host_cpus,
		    struct sc_diags *warnings, struct sc_error *err)
{
	bool mem = l->set & SC_LIMIT_MEMORY, swap = l->set & SC_LIMIT_MEMORY_SWAP;
	bool resv = l->set & SC_LIMIT_MEMORY_RESERVATION;

	if (mem && l->memory != 0 && l->memory < SC_MEMORY_MIN)
		return sc_error_set(err, -EINVAL, "--memory: minimum memory limit allowed is 6MB");
	if (mem && l->memory == 0)
		l->set &= ~SC_LIMIT_MEMORY, mem = false;
	if (swap && l->memory_swap == 0)
		l->set &= ~SC_LIMIT_MEMORY_SWAP, swap = false;
	if (swap && l->memory_swap > 0 && !mem && !updating)
		return sc_error_set(err, -EINVAL,
				    "--memory-swap: you should always set --memory when using --memory-swap");
	if (swap && mem && l->memory_swap > 0 && l->memory_swap < l->memory)
		return sc_error_set(err, -EINVAL,
				    "--memory-swap: minimum memoryswap limit should be larger than memory limit");
	if (resv && l->memory_reservation != 0 && l->memory_reservation < SC_MEMORY_MIN)
		return sc_error_set(err, -EINVAL,
				    "--memory-reservation: minimum memory reservation allowed is 6MB");
	if (resv && mem && l->memory < l->memory_reservation)
		return sc_error_set(err, -EINVAL,
				    "--memory: minimum memory limit can not be less than memory reservation limit");
	/* Docker gives a new container as much swap as memory unless told otherwise. */
	if (mem && !swap && !updating) {
		l->memory_swap = l->memory * 2;
		l->set |= SC_LIMIT_MEMORY_SWAP;
	}

	if (l->set & SC_LIMIT_CPUS) {
		if ((l->set & SC_LIMIT_CPU_PERIOD) && l->cpu_period)
			return sc_error_set(err, -EINVAL,
					    "conflicting options: --cpus and --cpu-period cannot both be set");
		if ((l->set & SC_LIMIT_CPU_QUOTA) && l->cpu_quota > 0)
			return sc_error_set(err, -EINVAL,
					    "conflicting options: --cpus and --cpu-quota cannot both be set");
		if (l->nano_cpus < 0 || (host_cpus && l->nano_cpus > (int64_t)host_cpus * 1000000000))
			return sc_error_set(err, -EINVAL,
					    "--cpus: range of CPUs is from 0.01 to %u.00, as there are only %u CPUs available",
					    host_cpus, host_cpus);
		if (l->nano_cpus > 0 && l->nano_cpus < 10000000)
			return sc_error_set(err, -EINVAL,
					    "--cpus: range of CPUs is from 0.01 to %u.00", host_cpus);
	}
	if (l->set & SC_LIMIT_CPU_SHARES) {
		if (l->cpu_shares == 0) {
			l->set &= ~SC_LIMIT_CPU_SHARES;
		} else if (l->cpu_shares < 2) {
			sc_diags_add(warnings, SC_DIAG_WARNING, "cpu-shares", NULL, NULL,
				     "changing requested CPUShares of %" PRIu64 " to minimum allowed of 2",
				     l->cpu_shares);
			l->cpu_shares = 2;
		} else if (l->cpu_shares > 262144) {
			sc_diags_add(warnings, SC_DIAG_WARNING, "cpu-shares", NULL, NULL,
				     "changing requested CPUShares of %" PRIu64 " to maximum allowed of 262144",
				     l->cpu_shares);
			l->cpu_shares = 262144;
		}
	}
	if ((l->set & SC_LIMIT_CPU_PERIOD) && l->cpu_period != 0 &&
	    (l->cpu_period < 1000 || l->cpu_period > 1000000))
		return sc_error_set(err, -EINVAL,
				    "--cpu-period: CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1 second (i.e. 1000000)");
	if ((l->set & SC_LIMIT_CPU_QUOTA) && l->cpu_quota > 0 && l->cpu_quota < 1000)
		return sc_error_set(err, -EINVAL,
				    "--cpu-quota: CPU cfs quota can not be less than 1ms (i.e. 1000)");
	if ((l->set & SC_LIMIT_BLKIO_WEIGHT) && l->blkio_weight != 0 &&
	    (l->blkio_weight < 10 || l->blkio_weight > 1000))
		return sc_error_set(err, -EINVAL, "--blkio-weight: range of blkio weight is from 10 to 1000");
	if ((l->set & SC_LIMIT_BLKIO_WEIGHT) && l->blkio_weight == 0)
		l->set &= ~SC_LIMIT_BLKIO_WEIGHT;
	return 0;
}

static int copy_throttles(struct sc_throttle **dst, size_t *nd, const struct sc_throttle *src, size_t ns)
{
	struct sc_throttle *v = calloc(ns ? ns : 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < ns; i++) {
		v[i] = src[i];
		if (!(v[i].path = strdup(src[i].path ? src[i].path : ""))) {
			for (size_t j = 0; j < i; j++)
				free(v[j].path);
			free(v);
			return -ENOMEM;
		}
	}
	for (size_t i = 0; i < *nd; i++)
		free((*dst)[i].path);
	free(*dst);
	*dst = v;
	*nd = ns;
	return 0;
}

int sc_limits_merge(struct sc_cgroup_limits *dst, const struct sc_cgroup_limits *src)
{
	unsigned s = src->set;
	if (s & SC_LIMIT_MEMORY)
		dst->memory = src->memory;
	if (s & SC_LIMIT_MEMORY_SWAP)
		dst->memory_swap = src->memory_swap;
	if (s & SC_LIMIT_MEMORY_RESERVATION)
		dst->memory_reservation = src->memory_reservation;
	if (s & SC_LIMIT_CPUS)
		dst->nano_cpus = src->nano_cpus;
	if (s & SC_LIMIT_CPU_SHARES)
		dst->cpu_shares = src->cpu_shares;
	if (s & SC_LIMIT_CPU_PERIOD)
		dst->cpu_period = src->cpu_period;
	if (s & SC_LIMIT_CPU_QUOTA)
		dst->cpu_quota = src->cpu_quota;
	if (s & SC_LIMIT_CPUSET_CPUS) {
		char *c = strdup(src->cpuset_cpus ? src->cpuset_cpus : "");
		if (!c)
			return -ENOMEM;
		free(dst->cpuset_cpus);
		dst->cpuset_cpus = c;
	}
	if (s & SC_LIMIT_CPUSET_MEMS) {
		char *c = strdup(src->cpuset_mems ? src->cpuset_mems : "");
		if (!c)
			return -ENOMEM;
		free(dst->cpuset_mems);
		dst->cpuset_mems = c;
	}
	if (s & SC_LIMIT_MEMORY_SWAPPINESS)
		dst->memory_swappiness = src->memory_swappiness;
	if (s & SC_LIMIT_CPU_RT_PERIOD)
		dst->cpu_rt_period = src->cpu_rt_period;
	if (s & SC_LIMIT_CPU_RT_RUNTIME)
		dst->cpu_rt_runtime = src->cpu_rt_runtime;
	if (s & SC_LIMIT_PIDS)
		dst->pids_limit = src->pids_limit;
	if (s & SC_LIMIT_BLKIO_WEIGHT)
		dst->blkio_weight = src->blkio_weight;
	if ((s & SC_LIMIT_DEVICE_READ_BPS) &&
	    copy_throttles(&dst->read_bps, &dst->n_read_bps, src->read_bps, src->n_read_bps) < 0)
		return -ENOMEM;
	if ((s & SC_LIMIT_DEVICE_WRITE_BPS) &&
	    copy_throttles(&dst->write_bps, &dst->n_write_bps, src->write_bps, src->n_write_bps) < 0)
		return -ENOMEM;
	/* --cpus and an explicit period/quota replace each other. */
	if (s & SC_LIMIT_CPUS)
		dst->set &= ~(unsigned)(SC_LIMIT_CPU_PERIOD | SC_LIMIT_CPU_QUOTA);
	if (s & (SC_LIMIT_CPU_PERIOD | SC_LIMIT_CPU_QUOTA))
		dst->set &= ~(unsigned)SC_LIMIT_CPUS;
	dst->set |= s;
	return 0;
}

void sc_limits_free(struct sc_cgroup_limits *l)
{
	if (!l)
		return;
	free(l->cpuset_cpus);
	free(l->cpuset_mems);
	for (size_t i = 0; i < l->n_read_bps; i++)
		free(l->read_bps[i].path);
	for (size_t i = 0; i < l->n_write_bps; i++)
		free(l->write_bps[i].path);
	free(l->read_bps);
	free(l->write_bps);
	*l = (struct sc_cgroup_limits){0};
}

uint64_t sc_cpu_shares_to_weight(uint64_t shares)
{
	/* runc's linear map of [2, 262144] onto [1, 10000]. */
	if (shares == 0)
		return 0;
	if (shares < 2)
		shares = 2;
	if (shares > 262144)
		shares = 262144;
	return 1 + ((shares - 2) * 9999) / 262142;
}

uint64_t sc_blkio_weight_to_io_weight(uint64_t weight)
{
	/* runc's linear map of [10, 1000] onto [1, 10000]. */
	if (weight == 0)
		return 0;
	if (weight < 10)
		weight = 10;
	if (weight > 1000)
		weight = 1000;
	return 1 + ((weight - 10) * 9999) / 990;
}
