/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The eBPF recorder's user side: load learn.bpf.c for one cgroup, attach
 * it only while recording, read the per-CPU counters at the end.  The
 * cgroup v2 leaf that selects the traced tree is lib/cgroup's.
 */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "seclude/cgroup.h"
#include "seclude/learn.h"
#include "seclude/util.h"
#include "learn_bpf.h"

#ifdef HAVE_LEARN_EBPF
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "learn.skel.h"
#endif

/* The ABI each slot of the program stands for, on this host. */
static uint32_t slot_arch(unsigned slot)
{
	uint32_t native = seccomp_arch_native();
	if (slot == LEARN_SLOT_NATIVE)
		return native;
	if (native != SCMP_ARCH_X86_64)
		return 0;
	return slot == LEARN_SLOT_I386 ? SCMP_ARCH_X86 : SCMP_ARCH_X32;
}

#ifdef HAVE_LEARN_EBPF

struct sc_learn_ebpf {
	struct learn_bpf *skel;
	uint8_t reported[LEARN_ENTRIES];   /* what progress has been told */
	int ncpus;
};

static int silent_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

bool sc_learn_ebpf_available(char *why, size_t len)
{
	if (access("/sys/kernel/btf/vmlinux", R_OK) < 0) {
		snprintf(why, len, "the kernel has no BTF (/sys/kernel/btf/vmlinux)");
		return false;
	}
	return true;
}

static int open_and_load(struct sc_learn_ebpf *e, enum sc_learn_arm arm,
			 const struct sc_arg_specs *args, bool raw, struct sc_error *err)
{
	struct learn_bpf *skel = learn_bpf__open();
	if (!skel)
		return sc_error_errno(err, -errno, "cannot open the eBPF recorder");
	skel->rodata->arm_nr_seccomp = seccomp_syscall_resolve_name("seccomp");
	skel->rodata->arm_nr_prctl = seccomp_syscall_resolve_name("prctl");
	skel->bss->armed = arm == SC_LEARN_ARM_NOW;
	for (unsigned s = 0; args && s < LEARN_SLOTS; s++) {
		uint32_t arch = slot_arch(s);
		if (!arch)
			continue;
		for (size_t i = 0; i < args->n; i++) {
			int nr = seccomp_syscall_resolve_name_arch(arch, args->v[i].name);
			if (nr == __NR_SCMP_ERROR || nr < 0)
				continue;
			nr &= ~(int)SC_X32_SYSCALL_BIT;
			if (nr < LEARN_MAX_NR) {
				skel->rodata->arg_index[s * LEARN_MAX_NR + nr] = (uint8_t)(args->v[i].index + 1);
				skel->rodata->want_args = 1;
			}
		}
	}
	bpf_program__set_autoload(skel->progs.learn_sys_enter, !raw);
	bpf_program__set_autoload(skel->progs.learn_sys_enter_raw, raw);
	int r = learn_bpf__load(skel);
	if (r < 0) {
		learn_bpf__destroy(skel);
		return sc_error_errno(err, r, "cannot load the eBPF recorder");
	}
	r = learn_bpf__attach(skel);
	if (r < 0) {
		learn_bpf__destroy(skel);
		return sc_error_errno(err, r, "cannot attach the eBPF recorder to sys_enter");
	}
	e->skel = skel;
	return 0;
}

int sc_learn_ebpf_open(enum sc_learn_arm arm, const struct sc_arg_specs *args,
		       struct sc_learn_ebpf **out, struct sc_error *err)
{
	libbpf_set_print(silent_print);
	struct sc_learn_ebpf *e = calloc(1, sizeof(*e));
	if (!e)
		return sc_error_set(err, -ENOMEM, "out of memory");
	e->ncpus = libbpf_num_possible_cpus();
	if (e->ncpus <= 0) {
		free(e);
		return sc_error_set(err, -EIO, "cannot count the possible CPUs");
	}
	int r = open_and_load(e, arm, args, false, err);
	if (r < 0) {
		/* Kernels that refuse BTF tracing programs still run a raw tracepoint. */
		struct sc_error err2 = {0};
		if (open_and_load(e, arm, args, true, &err2) < 0) {
			free(e);
			return r;
		}
	}
	*out = e;
	return 0;
}

int sc_learn_ebpf_set_target(struct sc_learn_ebpf *e, uint64_t cgid, struct sc_error *err)
{
	/* the depth below the v2 root: what bpf_get_current_ancestor_cgroup_id wants */
	unsigned level;
	int r = sc_cgroup_v2_level(cgid, &level, err);
	if (r < 0)
		return r;
	/* The level first: the program reads the id, then asks for that level. */
	__atomic_store_n(&e->skel->data->target_level, level, __ATOMIC_RELEASE);
	__atomic_store_n(&e->skel->data->target_cgid, cgid, __ATOMIC_RELEASE);
	return 0;
}

bool sc_learn_ebpf_armed(const struct sc_learn_ebpf *e)
{
	return __atomic_load_n(&e->skel->bss->armed, __ATOMIC_RELAXED) != 0;
}

int sc_learn_ebpf_poll(struct sc_learn_ebpf *e, const struct sc_learn_progress *progress,
		       struct sc_record *seen)
{
	const volatile uint8_t *s = e->skel->bss->seen;
	for (unsigned i = 0; i < LEARN_ENTRIES; i++) {
		if (!s[i] || e->reported[i])
			continue;
		e->reported[i] = 1;
		uint32_t arch = slot_arch(i / LEARN_MAX_NR);
		if (!arch)
			continue;
		sc_record_add(seen, arch, i % LEARN_MAX_NR, 1);
		if (progress && progress->new_syscall)
			progress->new_syscall(progress->ud, arch, (int)(i % LEARN_MAX_NR), seen);
	}
	return 0;
}

int sc_learn_ebpf_collect(struct sc_learn_ebpf *e, struct sc_record *rec, struct sc_error *err)
{
	int fd = bpf_map__fd(e->skel->maps.counts);
	_cleanup_free_ uint64_t *vals = calloc((size_t)e->ncpus, sizeof(uint64_t));
	if (!vals)
		return sc_error_set(err, -ENOMEM, "out of memory");
	const volatile uint8_t *s = e->skel->bss->seen;
	for (uint32_t i = 0; i < LEARN_ENTRIES; i++) {
		if (!s[i])
			continue;
		if (bpf_map_lookup_elem(fd, &i, vals) < 0)
			return sc_error_errno(err, -errno, "cannot read the eBPF counters");
		uint64_t sum = 0;
		for (int c = 0; c < e->ncpus; c++)
			sum += vals[c];
		uint32_t arch = slot_arch(i / LEARN_MAX_NR);
		if (arch && sum)
			sc_record_add(rec, arch, i % LEARN_MAX_NR, sum);
	}
	int afd = bpf_map__fd(e->skel->maps.argvals);
	struct learn_argkey key, next;
	struct learn_argkey *prev = NULL;
	while (bpf_map_get_next_key(afd, prev, &next) == 0) {
		uint64_t count;
		if (bpf_map_lookup_elem(afd, &next, &count) == 0) {
			uint32_t arch = slot_arch(next.entry / LEARN_MAX_NR);
			int nr = (int)(next.entry % LEARN_MAX_NR);
			if (arch && sc_record_add_arg(rec, arch, nr, next.index, next.value, count) < 0)
				return sc_error_set(err, -ENOMEM, "out of memory");
		}
		key = next;
		prev = &key;
	}
	return 0;
}

void sc_learn_ebpf_close(struct sc_learn_ebpf *e)
{
	if (!e)
		return;
	learn_bpf__destroy(e->skel);
	free(e);
}

#else /* !HAVE_LEARN_EBPF */

struct sc_learn_ebpf {
	int unused;
};

bool sc_learn_ebpf_available(char *why, size_t len)
{
	snprintf(why, len, "this seclude was built without the eBPF recorder (no kernel BTF, clang or bpftool at build time)");
	return false;
}

int sc_learn_ebpf_open(enum sc_learn_arm arm, const struct sc_arg_specs *args,
		       struct sc_learn_ebpf **out, struct sc_error *err)
{
	char why[200];
	sc_learn_ebpf_available(why, sizeof(why));
	return sc_error_set(err, -EOPNOTSUPP, "%s", why);
}

int sc_learn_ebpf_set_target(struct sc_learn_ebpf *e, uint64_t cgid, struct sc_error *err)
{
	return sc_error_set(err, -EOPNOTSUPP, "no eBPF recorder in this build");
}
bool sc_learn_ebpf_armed(const struct sc_learn_ebpf *e) { return false; }
int sc_learn_ebpf_poll(struct sc_learn_ebpf *e, const struct sc_learn_progress *progress,
		       struct sc_record *seen) { return -EOPNOTSUPP; }
int sc_learn_ebpf_collect(struct sc_learn_ebpf *e, struct sc_record *rec, struct sc_error *err)
{
	return sc_error_set(err, -EOPNOTSUPP, "no eBPF recorder in this build");
}
void sc_learn_ebpf_close(struct sc_learn_ebpf *e) { free(e); }

#endif
