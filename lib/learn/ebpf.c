/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The eBPF recorder's user side: load learn.bpf.c for one cgroup, attach
 * it only while recording, read the per-CPU counters at the end.  Also the
 * cgroup v2 leaf that selects the traced tree.
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

/* The depth of a cgroup below the v2 root: what bpf_get_current_ancestor_cgroup_id wants. */
static int cgroup_level_of_id(uint64_t cgid, unsigned *level, struct sc_error *err);

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
	unsigned level;
	int r = cgroup_level_of_id(cgid, &level, err);
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

/* --- the cgroup v2 leaf ------------------------------------------------ */

/* Where cgroup2 is mounted (the first one in our mount namespace). */
static int cgroup2_mount(char *buf, size_t len, struct sc_error *err)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return sc_error_errno(err, -errno, "/proc/self/mountinfo: cannot open");
	_cleanup_free_ char *line = NULL;
	size_t cap = 0;
	while (getline(&line, &cap, f) > 0) {
		/* "36 25 0:31 / /sys/fs/cgroup/unified rw,... - cgroup2 cgroup2 rw" */
		char *sep = strstr(line, " - ");
		if (!sep || strncmp(sep + 3, "cgroup2 ", 8))
			continue;
		char root[4096], mnt[4096];
		if (sscanf(line, "%*s %*s %*s %4095s %4095s", root, mnt) != 2 || strcmp(root, "/"))
			continue;
		if (strlen(mnt) >= len)
			continue;
		strcpy(buf, mnt);
		return 0;
	}
	return sc_error_set(err, -ENOENT, "no cgroup2 file system is mounted (the eBPF recorder selects the traced tree by its cgroup v2)");
}

/* The v2 path of pid ("0::/a/b" in /proc/PID/cgroup). */
static int cgroup2_path_of(pid_t pid, char *buf, size_t len, struct sc_error *err)
{
	char p[64];
	snprintf(p, sizeof(p), "/proc/%d/cgroup", (int)pid);
	_cleanup_fclose_ FILE *f = fopen(p, "re");
	if (!f)
		return sc_error_errno(err, -errno, "%s: cannot open", p);
	_cleanup_free_ char *line = NULL;
	size_t cap = 0;
	while (getline(&line, &cap, f) > 0) {
		if (strncmp(line, "0::", 3))
			continue;
		line[strcspn(line, "\n")] = '\0';
		if (strlen(line + 3) >= len)
			return sc_error_set(err, -ENAMETOOLONG, "%s: path too long", p);
		strcpy(buf, line + 3);
		return 0;
	}
	return sc_error_set(err, -ENOENT, "%s: the process is in no cgroup v2", p);
}

static int cgroup_id_of(const char *path, uint64_t *id, struct sc_error *err)
{
	/* A cgroup's id is its kernfs inode number on 64-bit kernels. */
	struct stat st;
	if (stat(path, &st) < 0)
		return sc_error_errno(err, -errno, "%s: cannot stat", path);
	*id = (uint64_t)st.st_ino;
	return 0;
}

/* Search the v2 tree for the cgroup with this id; the depth is the level. */
static int find_level(const char *dir, uint64_t cgid, unsigned depth, unsigned *level)
{
	struct stat st;
	if (stat(dir, &st) == 0 && (uint64_t)st.st_ino == cgid) {
		*level = depth;
		return 0;
	}
	if (depth > 32)
		return -ENOENT;
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	DIR *d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return -ENOMEM;
	}
	int r = -ENOENT;
	struct dirent *de;
	while (r < 0 && (de = readdir(d))) {
		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		_cleanup_free_ char *sub = NULL;
		if (asprintf(&sub, "%s/%s", dir, de->d_name) < 0)
			break;
		r = find_level(sub, cgid, depth + 1, level);
	}
	closedir(d);
	return r;
}

static __attribute__((unused)) int cgroup_level_of_id(uint64_t cgid, unsigned *level, struct sc_error *err)
{
	char mnt[4096];
	int r = cgroup2_mount(mnt, sizeof(mnt), err);
	if (r < 0)
		return r;
	if (find_level(mnt, cgid, 0, level) < 0)
		return sc_error_set(err, -ENOENT, "no cgroup v2 with id %llu below %s",
				    (unsigned long long)cgid, mnt);
	return 0;
}

/* Leaves of recorders that were killed before they could clean up: empty ones go. */
static void remove_stale_leaves(const char *parent)
{
	DIR *d = opendir(parent);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		int owner;
		unsigned n;
		if (sscanf(de->d_name, "seclude-learn.%d.%u", &owner, &n) != 2)
			continue;
		if (owner <= 0 || (kill(owner, 0) < 0 && errno == ESRCH)) {
			_cleanup_free_ char *path = NULL;
			if (asprintf(&path, "%s/%s", parent, de->d_name) >= 0)
				rmdir(path);
		}
	}
	closedir(d);
}

int sc_learn_cgroup_create(pid_t pid, struct sc_learn_cgroup *cg, struct sc_error *err)
{
	char mnt[4096], rel[4096];
	int r = cgroup2_mount(mnt, sizeof(mnt), err);
	if (r < 0)
		return r;
	r = cgroup2_path_of(pid, rel, sizeof(rel), err);
	if (r < 0)
		return r;
	_cleanup_free_ char *parent = NULL, *path = NULL;
	if (asprintf(&parent, "%s%s", mnt, rel) < 0)
		return sc_error_set(err, -ENOMEM, "out of memory");
	remove_stale_leaves(parent);
	static unsigned counter;
	if (asprintf(&path, "%s%s%sseclude-learn.%d.%u", mnt, rel, rel[strlen(rel) - 1] == '/' ? "" : "/",
		     (int)getpid(), counter++) < 0)
		return sc_error_set(err, -ENOMEM, "out of memory");
	if (mkdir(path, 0755) < 0)
		return sc_error_errno(err, -errno, "%s: cannot create the recording cgroup", path);
	uint64_t id = 0;
	r = cgroup_id_of(path, &id, err);
	if (r >= 0) {
		_cleanup_free_ char *procs = NULL;
		char num[32];
		int n = snprintf(num, sizeof(num), "%d", (int)pid);
		if (asprintf(&procs, "%s/cgroup.procs", path) < 0)
			r = sc_error_set(err, -ENOMEM, "out of memory");
		else {
			_cleanup_close_ int fd = open(procs, O_WRONLY | O_CLOEXEC);
			if (fd < 0 || write(fd, num, (size_t)n) != n)
				r = sc_error_errno(err, -errno, "%s: cannot move process %d in", procs, (int)pid);
		}
	}
	if (r < 0) {
		rmdir(path);
		return r;
	}
	cg->path = TAKE_PTR(path);
	cg->id = id;
	return 0;
}

static int cgroup_populated(const char *path, struct sc_error *err)
{
	_cleanup_free_ char *events = NULL;
	if (asprintf(&events, "%s/cgroup.events", path) < 0)
		return sc_error_set(err, -ENOMEM, "out of memory");
	_cleanup_fclose_ FILE *f = fopen(events, "re");
	if (!f)
		return sc_error_errno(err, -errno, "%s: cannot open", events);
	char line[128];
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "populated ", 10))
			return line[10] == '1';
	return sc_error_set(err, -EIO, "%s: no \"populated\" line", events);
}

int sc_learn_cgroup_wait_empty(const struct sc_learn_cgroup *cg, int timeout_ms,
			       struct sc_error *err)
{
	_cleanup_free_ char *events = NULL;
	if (asprintf(&events, "%s/cgroup.events", cg->path) < 0)
		return sc_error_set(err, -ENOMEM, "out of memory");
	_cleanup_close_ int fd = open(events, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return sc_error_errno(err, -errno, "%s: cannot open", events);
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		int p = cgroup_populated(cg->path, err);
		if (p <= 0)
			return p;
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		long waited = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
		if (timeout_ms >= 0 && waited >= timeout_ms)
			return -ETIMEDOUT;
		/* kernfs wakes POLLPRI on a change of cgroup.events; the timeout is a safety net. */
		struct pollfd pfd = { .fd = fd, .events = POLLPRI };
		char buf[128];
		if (lseek(fd, 0, SEEK_SET) == 0 && read(fd, buf, sizeof(buf)) < 0)
			return sc_error_errno(err, -errno, "%s: cannot read", events);
		poll(&pfd, 1, 100);
	}
}

int sc_learn_cgroup_destroy(struct sc_learn_cgroup *cg, struct sc_error *err)
{
	if (!cg->path)
		return 0;
	int r = 0;
	if (cgroup_populated(cg->path, NULL) == 1) {
		_cleanup_free_ char *kill_file = NULL;
		if (asprintf(&kill_file, "%s/cgroup.kill", cg->path) >= 0) {
			_cleanup_close_ int fd = open(kill_file, O_WRONLY | O_CLOEXEC);
			if (fd < 0 || write(fd, "1", 1) != 1) {
				/* Before 5.14: one by one. */
				_cleanup_free_ char *procs = NULL;
				if (asprintf(&procs, "%s/cgroup.procs", cg->path) >= 0) {
					_cleanup_fclose_ FILE *f = fopen(procs, "re");
					int pid;
					while (f && fscanf(f, "%d", &pid) == 1)
						kill(pid, SIGKILL);
				}
			}
		}
		r = sc_learn_cgroup_wait_empty(cg, 5000, err);
	}
	if (rmdir(cg->path) < 0 && errno != ENOENT && r >= 0)
		r = sc_error_errno(err, -errno, "%s: cannot remove the recording cgroup", cg->path);
	free(cg->path);
	cg->path = NULL;
	return r;
}
