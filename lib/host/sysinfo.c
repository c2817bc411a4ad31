/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <linux/seccomp.h>
#include <zlib.h>

#include "seclude/sysinfo.h"
#include "seclude/util.h"

const char *sc_cgroup_mode_name(enum sc_cgroup_mode m)
{
	switch (m) {
	case SC_CGROUP_NONE: return "none";
	case SC_CGROUP_V1: return "v1";
	case SC_CGROUP_V2: return "v2";
	case SC_CGROUP_HYBRID: return "hybrid";
	}
	return "none";
}

const char *sc_seccomp_mode_name(int mode)
{
	switch (mode) {
	case SECCOMP_MODE_DISABLED: return "disabled";
	case SECCOMP_MODE_STRICT: return "strict";
	case SECCOMP_MODE_FILTER: return "filter";
	}
	return "unknown";
}

/* Undo mountinfo's octal escapes (\040 for a space) in place. */
static void unescape_octal(char *s)
{
	char *w = s;
	for (char *r = s; *r; ) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' &&
		    r[3] >= '0' && r[3] <= '7') {
			*w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
			r += 4;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
}

enum sc_cgroup_mode sc_cgroup_mode_from_mountinfo(const char *text, char *v2_path, size_t v2_len)
{
	bool v1 = false, v2 = false, v2_at_root = false;
	char found_v2[256] = "";

	for (const char *line = text; line && *line; ) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);
		char buf[4096];
		if (n < sizeof(buf)) {
			memcpy(buf, line, n);
			buf[n] = '\0';
			/* fields: id parent maj:min root mountpoint options [optional...] - fstype source super */
			char *save = NULL, *mnt = NULL, *fstype = NULL;
			int field = 0;
			bool after_sep = false;
			for (char *tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
				field++;
				if (field == 5)
					mnt = tok;
				else if (field > 6 && !after_sep && strcmp(tok, "-") == 0)
					after_sep = true;
				else if (after_sep) {
					fstype = tok;
					break;
				}
			}
			if (mnt && fstype) {
				unescape_octal(mnt);
				if (strcmp(fstype, "cgroup") == 0) {
					v1 = true;
				} else if (strcmp(fstype, "cgroup2") == 0) {
					v2 = true;
					bool root = strcmp(mnt, "/sys/fs/cgroup") == 0;
					if (root || !found_v2[0])
						snprintf(found_v2, sizeof(found_v2), "%s", mnt);
					if (root)
						v2_at_root = true;
				} else if (strcmp(mnt, "/sys/fs/cgroup") == 0) {
					/* Something else mounted over the root hides a v2 there. */
					v2_at_root = false;
				}
			}
		}
		line = nl ? nl + 1 : NULL;
	}

	if (v2_path && v2_len)
		snprintf(v2_path, v2_len, "%s", v2 ? found_v2 : "");
	if (v2_at_root)
		return SC_CGROUP_V2;
	if (v1 && v2)
		return SC_CGROUP_HYBRID;
	if (v1)
		return SC_CGROUP_V1;
	if (v2)
		return SC_CGROUP_V2;
	return SC_CGROUP_NONE;
}

int sc_kconfig_lookup(const char *text, const char *name, char *value, size_t len)
{
	size_t nl = strlen(name);
	for (const char *line = text; line && *line; ) {
		const char *end = strchr(line, '\n');
		size_t n = end ? (size_t)(end - line) : strlen(line);
		if (n > nl && strncmp(line, name, nl) == 0 && line[nl] == '=') {
			size_t vl = n - nl - 1;
			if (vl >= len)
				vl = len - 1;
			memcpy(value, line + nl + 1, vl);
			value[vl] = '\0';
			return 0;
		}
		if (n > 2 && line[0] == '#' && line[1] == ' ' && strncmp(line + 2, name, nl) == 0 &&
		    strncmp(line + 2 + nl, " is not set", 11) == 0) {
			snprintf(value, len, "n");
			return 0;
		}
		line = end ? end + 1 : NULL;
	}
	if (len)
		value[0] = '\0';
	return -ENOENT;
}

int sc_read_gzip_file(const char *path, size_t max_bytes, char **out, size_t *len,
		      struct sc_error *err)
{
	gzFile gz = gzopen(path, "rb");
	if (!gz)
		return sc_error_errno(err, errno ? -errno : -ENOMEM, "%s: cannot open", path);
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap + 1);
	int r = 0;
	if (!buf) {
		r = sc_error_set(err, -ENOMEM, "%s: out of memory", path);
		goto out;
	}
	for (;;) {
		if (n == cap) {
			if (cap >= max_bytes) {
				r = sc_error_set(err, -EFBIG, "%s: larger than %zu bytes once inflated",
						 path, max_bytes);
				goto out;
			}
			cap = cap * 2 > max_bytes ? max_bytes : cap * 2;
			char *nb = realloc(buf, cap + 1);
			if (!nb) {
				r = sc_error_set(err, -ENOMEM, "%s: out of memory", path);
				goto out;
			}
			buf = nb;
		}
		size_t want = cap - n > (size_t)INT32_MAX ? (size_t)INT32_MAX : cap - n;
		int got = gzread(gz, buf + n, (unsigned)want);
		if (got < 0) {
			int zerr = 0;
			const char *msg = gzerror(gz, &zerr);
			r = sc_error_set(err, -EIO, "%s: cannot inflate: %s", path,
					 msg && *msg ? msg : "corrupt data");
			goto out;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	buf[n] = '\0';
	*out = TAKE_PTR(buf);
	if (len)
		*len = n;
out:
	free(buf);
	gzclose(gz);
	return r;
}

int sc_kconfig_read(const char *release, char **text, char **source, struct sc_error *err)
{
	char *t = NULL;
	int r = sc_read_gzip_file("/proc/config.gz", 16u << 20, &t, NULL, err);
	if (r == 0) {
		*source = strdup("/proc/config.gz");
		if (!*source) {
			free(t);
			return sc_error_set(err, -ENOMEM, "out of memory");
		}
		*text = t;
		return 0;
	}
	char path[256];
	snprintf(path, sizeof(path), "/boot/config-%s", release);
	r = sc_read_file(path, 16u << 20, &t, NULL, err);
	if (r < 0)
		return sc_error_set(err, -ENOENT,
				    "no readable kernel config (/proc/config.gz, %s)", path);
	*source = strdup(path);
	if (!*source) {
		free(t);
		return sc_error_set(err, -ENOMEM, "out of memory");
	}
	*text = t;
	return 0;
}

static const char *const kconfig_names[] = {
	"CONFIG_SECCOMP", "CONFIG_SECCOMP_FILTER", "CONFIG_HAVE_ARCH_SECCOMP_FILTER",
	"CONFIG_SECCOMP_CACHE_DEBUG", "CONFIG_USER_NS", "CONFIG_PID_NS", "CONFIG_NET_NS",
	"CONFIG_UTS_NS", "CONFIG_IPC_NS", "CONFIG_TIME_NS", "CONFIG_CGROUPS", "CONFIG_MEMCG",
	"CONFIG_CGROUP_PIDS", "CONFIG_AUDITSYSCALL", "CONFIG_IA32_EMULATION",
	"CONFIG_X86_X32_ABI", "CONFIG_BPF_SYSCALL", "CONFIG_SECURITY_LANDLOCK",
};
_Static_assert(SC_ARRAY_SIZE(kconfig_names) <= SC_SYSINFO_N_KCONFIG, "kconfig table too small");

static const struct {
	const char *name;
	uint32_t ret;
} action_table[SC_SYSINFO_N_ACTIONS] = {
	/* the names and order of the kernel's actions_avail */
	{ "kill_process", SECCOMP_RET_KILL_PROCESS },
	{ "kill_thread", SECCOMP_RET_KILL_THREAD },
	{ "trap", SECCOMP_RET_TRAP },
	{ "errno", SECCOMP_RET_ERRNO },
	{ "user_notif", SECCOMP_RET_USER_NOTIF },
	{ "trace", SECCOMP_RET_TRACE },
	{ "log", SECCOMP_RET_LOG },
	{ "allow", SECCOMP_RET_ALLOW },
};

static const struct {
	const char *name;
	unsigned long flag;
} flag_table[SC_SYSINFO_N_FLAGS] = {
	{ "tsync", 1UL << 0 },
	{ "log", 1UL << 1 },
	{ "spec_allow", 1UL << 2 },
	{ "new_listener", 1UL << 3 },
	{ "tsync_esrch", 1UL << 4 },
	{ "wait_killable_recv", 1UL << 5 },
};

/* Whether word appears as a whole word in a space-separated list. */
static bool word_in(const char *list, const char *word)
{
	size_t wl = strlen(word);
	for (const char *p = list; (p = strstr(p, word)); p += wl) {
		bool start = p == list || p[-1] == ' ';
		bool end = p[wl] == '\0' || p[wl] == ' ' || p[wl] == '\n';
		if (start && end)
			return true;
	}
	return false;
}

static char *read_line_file(const char *path)
{
	char *buf = NULL;
	if (sc_read_file(path, 4096, &buf, NULL, NULL) < 0)
		return NULL;
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

static long long read_number_file(const char *path)
{
	_cleanup_free_ char *s = read_line_file(path);
	uint64_t v;
	if (!s || sc_parse_u64(s, &v) < 0 || v > INT64_MAX)
		return -1;
	return (long long)v;
}

static void probe_seccomp(struct sc_sysinfo *si)
{
	int mode = prctl(PR_GET_SECCOMP, 0, 0, 0, 0);
	si->seccomp_mode = mode < 0 ? -errno : mode;

	/* An unknown operation is EINVAL; a missing syscall is ENOSYS. */
	long r = syscall(SYS_seccomp, 0xffffffffu, 0, NULL);
	si->seccomp_syscall = !(r < 0 && errno == ENOSYS);

	bool action_op = true;
	for (size_t i = 0; i < SC_SYSINFO_N_ACTIONS; i++) {
		struct sc_seccomp_action *a = &si->actions[i];
		a->name = action_table[i].name;
		a->ret = action_table[i].ret;
		a->avail = -1;
		if (!si->seccomp_syscall || !action_op)
			continue;
		uint32_t act = a->ret;
		r = syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &act);
		if (r == 0)
			a->avail = 1;
		else if (errno == EOPNOTSUPP)
			a->avail = 0;
		else if (errno == EINVAL)
			action_op = false;   /* before Linux 4.14 */
	}

	/*
	 * A known flag with a NULL program fails with EFAULT when the kernel
	 * copies the program; an unknown flag is refused first, with EINVAL.
	 * Nothing is ever installed.
	 */
	for (size_t i = 0; i < SC_SYSINFO_N_FLAGS; i++) {
		struct sc_seccomp_flag *f = &si->flags[i];
		f->name = flag_table[i].name;
		f->flag = flag_table[i].flag;
		f->avail = -1;
		if (!si->seccomp_syscall)
			continue;
		/* WAIT_KILLABLE_RECV is only valid together with NEW_LISTENER. */
		unsigned long probe = f->flag;
		if (probe == (1UL << 5))
			probe |= 1UL << 3;
		r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, probe, NULL);
		if (r < 0 && errno == EFAULT)
			f->avail = 1;
		else if (r < 0 && errno == EINVAL)
			f->avail = 0;
	}

	/* Filter mode works when the kernel at least knows ALLOW or the filter op. */
	si->seccomp_filter = si->actions[SC_SYSINFO_N_ACTIONS - 1].avail == 1 ||
			     si->flags[0].avail == 1;

	si->actions_avail = read_line_file("/proc/sys/kernel/seccomp/actions_avail");
	si->actions_logged = read_line_file("/proc/sys/kernel/seccomp/actions_logged");
	for (size_t i = 0; i < SC_SYSINFO_N_ACTIONS; i++) {
		struct sc_seccomp_action *a = &si->actions[i];
		a->listed = si->actions_avail ? word_in(si->actions_avail, a->name) : -1;
		a->logged = si->actions_logged ? word_in(si->actions_logged, a->name) : -1;
	}
}

int sc_sysinfo_collect(struct sc_sysinfo *si, struct sc_error *err)
{
	*si = (struct sc_sysinfo){0};

	struct utsname u;
	if (uname(&u) == 0) {
		snprintf(si->kernel_release, sizeof(si->kernel_release), "%s", u.release);
		snprintf(si->machine, sizeof(si->machine), "%s", u.machine);
	}

	probe_seccomp(si);

	_cleanup_free_ char *kc = NULL;
	int r = sc_kconfig_read(si->kernel_release, &kc, &si->kconfig_source, NULL);
	if (r == -ENOMEM)
		return sc_error_set(err, r, "out of memory");
	if (r == 0) {
		for (size_t i = 0; i < SC_ARRAY_SIZE(kconfig_names); i++) {
			struct sc_kconfig_item *it = &si->kconfig[si->n_kconfig++];
			it->name = kconfig_names[i];
			sc_kconfig_lookup(kc, it->name, it->value, sizeof(it->value));
		}
	}

	const struct scmp_version *v = seccomp_version();
	if (v) {
		si->libseccomp_major = v->major;
		si->libseccomp_minor = v->minor;
		si->libseccomp_micro = v->micro;
	}
	si->libseccomp_api = seccomp_api_get();
	si->native_arch = seccomp_arch_native();

	_cleanup_free_ char *mi = NULL;
	if (sc_read_file("/proc/self/mountinfo", 16u << 20, &mi, NULL, NULL) == 0)
		si->cgroup = sc_cgroup_mode_from_mountinfo(mi, si->cgroup_v2_path,
							   sizeof(si->cgroup_v2_path));

	si->max_user_namespaces = read_number_file("/proc/sys/user/max_user_namespaces");
	long long k = read_number_file("/proc/sys/kernel/unprivileged_userns_clone");
	si->unprivileged_userns_clone = k < 0 ? -1 : (int)(k != 0);
	k = read_number_file("/proc/sys/kernel/apparmor_restrict_unprivileged_userns");
	si->apparmor_restrict_userns = k < 0 ? -1 : (int)(k != 0);

	return 0;
}

void sc_sysinfo_free(struct sc_sysinfo *si)
{
	free(si->actions_avail);
	free(si->actions_logged);
	free(si->kconfig_source);
	si->actions_avail = si->actions_logged = si->kconfig_source = NULL;
}

static int parse_hex64(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	size_t n = 0;
	for (; *s && *s != '\n'; s++, n++) {
		int d;
		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			return -EINVAL;
		if (n >= 16)
			return -ERANGE;
		v = v << 4 | (uint64_t)d;
	}
	if (n == 0)
		return -EINVAL;
	*out = v;
	return 0;
}

static int parse_small_int(const char *s, int *out)
{
	uint64_t v;
	if (sc_parse_u64(s, &v) < 0 || v > INT32_MAX)
		return -EINVAL;
	*out = (int)v;
	return 0;
}

int sc_proc_status_parse(const char *text, struct sc_proc_status *st, struct sc_error *err)
{
	pid_t pid = st->pid;
	*st = (struct sc_proc_status){ .pid = pid, .seccomp = -1, .seccomp_filters = -1,
				       .no_new_privs = -1 };
	unsigned seen = 0;
	enum { S_INH = 1, S_PRM = 2, S_EFF = 4, S_BND = 8 };

	for (const char *line = text; line && *line; ) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);
		char buf[256];
		if (n < sizeof(buf)) {
			memcpy(buf, line, n);
			buf[n] = '\0';
			char *colon = strchr(buf, ':');
			if (colon) {
				*colon = '\0';
				char *val = colon + 1;
				val += strspn(val, " \t");
				const char *key = buf;
				int r = 0;
				if (!strcmp(key, "Name"))
					snprintf(st->name, sizeof(st->name), "%s", val);
				else if (!strcmp(key, "Pid")) {
					int p;
					if ((r = parse_small_int(val, &p)) == 0)
						st->pid = p;
				} else if (!strcmp(key, "Seccomp"))
					r = parse_small_int(val, &st->seccomp);
				else if (!strcmp(key, "Seccomp_filters"))
					r = parse_small_int(val, &st->seccomp_filters);
				else if (!strcmp(key, "NoNewPrivs"))
					r = parse_small_int(val, &st->no_new_privs);
				else if (!strcmp(key, "CapInh")) {
					r = parse_hex64(val, &st->cap_inh);
					seen |= S_INH;
				} else if (!strcmp(key, "CapPrm")) {
					r = parse_hex64(val, &st->cap_prm);
					seen |= S_PRM;
				} else if (!strcmp(key, "CapEff")) {
					r = parse_hex64(val, &st->cap_eff);
					seen |= S_EFF;
				} else if (!strcmp(key, "CapBnd")) {
					r = parse_hex64(val, &st->cap_bnd);
					seen |= S_BND;
				} else if (!strcmp(key, "CapAmb")) {
					r = parse_hex64(val, &st->cap_amb);
					st->has_cap_amb = r == 0;
				}
				if (r < 0)
					return sc_error_set(err, -EINVAL, "status: %s: malformed value \"%s\"",
							    key, val);
			}
		}
		line = nl ? nl + 1 : NULL;
	}
	if (seen != (S_INH | S_PRM | S_EFF | S_BND))
		return sc_error_set(err, -EINVAL, "status: no capability sets (CapInh/CapPrm/CapEff/CapBnd)");
	return 0;
}

int sc_proc_status_read(pid_t pid, struct sc_proc_status *st, struct sc_error *err)
{
	char path[64];
	if (pid < 0)
		return sc_error_set(err, -EINVAL, "invalid pid %d", (int)pid);
	if (pid == 0)
		snprintf(path, sizeof(path), "/proc/self/status");
	else
		snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	_cleanup_free_ char *text = NULL;
	int r = sc_read_file(path, 1u << 20, &text, NULL, NULL);
	if (r == -ENOENT)
		return sc_error_set(err, -ESRCH, "no process with pid %d", (int)pid);
	if (r < 0)
		return sc_error_errno(err, r, "%s: cannot read", path);
	st->pid = pid ? pid : getpid();
	r = sc_proc_status_parse(text, st, err);
	if (r < 0)
		sc_error_prefix(err, "%s", path);
	return r;
}
