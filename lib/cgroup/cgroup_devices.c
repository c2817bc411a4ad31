/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The device allow-list of a sandbox's cgroup, as Docker sets it through
 * runc: everything denied, then mknod of any node and the use of the
 * few devices a container has.  v1 writes the devices controller's
 * files; v2 has no such controller and takes a BPF_PROG_TYPE_CGROUP_DEVICE
 * program attached to the cgroup instead.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cgroup_fs.h"
#include "seclude/util.h"

/* runc's AllowedDevices, which Docker 20.10 uses for every unprivileged container. */
const struct sc_device_rule sc_docker_device_rules[] = {
	{ 'c', -1, -1, "m" },       /* mknod of any character device */
	{ 'b', -1, -1, "m" },       /* mknod of any block device */
	{ 'c', 1, 3, "rwm" },       /* /dev/null */
	{ 'c', 1, 8, "rwm" },       /* /dev/random */
	{ 'c', 1, 7, "rwm" },       /* /dev/full */
	{ 'c', 5, 0, "rwm" },       /* /dev/tty */
	{ 'c', 1, 5, "rwm" },       /* /dev/zero */
	{ 'c', 1, 9, "rwm" },       /* /dev/urandom */
	{ 'c', 5, 1, "rwm" },       /* /dev/console */
	{ 'c', 136, -1, "rwm" },    /* /dev/pts/N */
	{ 'c', 5, 2, "rwm" },       /* /dev/ptmx */
	{ 'c', 10, 200, "rwm" },    /* /dev/net/tun */
	{ 0, 0, 0, NULL },
};

static bool rule_valid(const struct sc_device_rule *r)
{
	if (r->type != 'a' && r->type != 'b' && r->type != 'c')
		return false;
	if (!r->access || !*r->access || strspn(r->access, "rwm") != strlen(r->access))
		return false;
	return r->major >= -1 && r->major <= INT32_MAX && r->minor >= -1 && r->minor <= INT32_MAX;
}

/* "c 1:3 rwm", "b *:* m", "a": what devices.allow and devices.list speak. */
int sc_device_rule_format(const struct sc_device_rule *r, char *buf, size_t len)
{
	if (r->type == 'a')
		return snprintf(buf, len, "a");
	char maj[24] = "*", min[24] = "*";
	if (r->major >= 0)
		snprintf(maj, sizeof(maj), "%" PRId64, r->major);
	if (r->minor >= 0)
		snprintf(min, sizeof(min), "%" PRId64, r->minor);
	return snprintf(buf, len, "%c %s:%s %s", r->type, maj, min, r->access);
}

static int restrict_v1(const char *dir, const struct sc_device_rule *rules, size_t n,
		       struct sc_error *err)
{
	if (!dir)
		return sc_error_set(err, -EOPNOTSUPP, "this host has no devices cgroup controller: "
				    "device access cannot be restricted");
	int r = sc_cgfs_write(dir, "devices.deny", "a", err);
	for (size_t i = 0; r == 0 && i < n; i++) {
		char line[64];
		sc_device_rule_format(&rules[i], line, sizeof(line));
		r = sc_cgfs_write(dir, "devices.allow", line, err);
	}
	return r;
}

/* ---- v2: a device program --------------------------------------------- */

#define INSN(c, d, s, o, i) ((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) })

/*
 * The program reads bpf_cgroup_dev_ctx { access_type = access << 16 | type,
 * major, minor } and answers 1 (allow) for the first rule that covers the
 * request, 0 (EPERM) when none does.  Each rule is a block of tests that
 * jumps to the next block on a mismatch; a block's size is known before
 * it is emitted, so the jumps need no patching.
 */
int sc_device_program(const struct sc_device_rule *rules, size_t n, struct bpf_insn **out,
		      size_t *len, struct sc_error *err)
{
	/* six loads, at most eight instructions a rule, the final deny */
	size_t cap = 6 + n * 8 + 2;
	struct bpf_insn *p = calloc(cap, sizeof(*p));
	if (!p)
		return sc_error_set(err, -ENOMEM, "out of memory");
	size_t k = 0;
	/* r2 = type, r3 = access, r4 = major, r5 = minor */
	p[k++] = INSN(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_2, BPF_REG_1, 0, 0);
	p[k++] = INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_3, BPF_REG_2, 0, 0);
	p[k++] = INSN(BPF_ALU64 | BPF_AND | BPF_K, BPF_REG_2, 0, 0, 0xffff);
	p[k++] = INSN(BPF_ALU64 | BPF_RSH | BPF_K, BPF_REG_3, 0, 0, 16);
	p[k++] = INSN(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_4, BPF_REG_1, 4, 0);
	p[k++] = INSN(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_5, BPF_REG_1, 8, 0);
	for (size_t i = 0; i < n; i++) {
		const struct sc_device_rule *r = &rules[i];
		if (!rule_valid(r)) {
			free(p);
			return sc_error_set(err, -EINVAL, "device rule %zu is not valid", i);
		}
		int32_t acc = 0;
		acc |= strchr(r->access, 'm') ? BPF_DEVCG_ACC_MKNOD : 0;
		acc |= strchr(r->access, 'r') ? BPF_DEVCG_ACC_READ : 0;
		acc |= strchr(r->access, 'w') ? BPF_DEVCG_ACC_WRITE : 0;
		bool type = r->type != 'a', maj = r->type != 'a' && r->major >= 0,
		     min = r->type != 'a' && r->minor >= 0;
		/* tests, then "r0 = 1; exit" */
		int16_t left = (int16_t)(type + 3 + maj + min + 2);
		if (type) {
			left--;
			p[k++] = INSN(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_2, 0, left,
				      r->type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR);
		}
		/* every access asked for must be in the rule's */
		p[k++] = INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_6, BPF_REG_3, 0, 0);
		p[k++] = INSN(BPF_ALU64 | BPF_AND | BPF_K, BPF_REG_6, 0, 0, ~acc);
		left -= 3;
		p[k++] = INSN(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_6, 0, left, 0);
		if (maj) {
			left--;
			p[k++] = INSN(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_4, 0, left, (int32_t)r->major);
		}
		if (min) {
			left--;
			p[k++] = INSN(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_5, 0, left, (int32_t)r->minor);
		}
		p[k++] = INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 1);
		p[k++] = INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	}
	p[k++] = INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0);
	p[k++] = INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	*out = p;
	*len = k;
	return 0;
}

static int restrict_v2(const char *dir, const struct sc_device_rule *rules, size_t n,
		       struct sc_error *err)
{
	_cleanup_free_ struct bpf_insn *prog = NULL;
	size_t len = 0;
	int r = sc_device_program(rules, n, &prog, &len, err);
	if (r < 0)
		return r;
	union bpf_attr load;
	memset(&load, 0, sizeof(load));
	load.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	load.insns = (uint64_t)(uintptr_t)prog;
	load.insn_cnt = (uint32_t)len;
	load.license = (uint64_t)(uintptr_t)"GPL";
	_cleanup_close_ int pfd = (int)syscall(SYS_bpf, BPF_PROG_LOAD, &load, sizeof(load));
	if (pfd < 0)
		return sc_error_errno(err, -errno, "cannot load the device program for %s", dir);
	_cleanup_close_ int cfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cfd < 0)
		return sc_error_errno(err, -errno, "%s: cannot open", dir);
	union bpf_attr at;
	memset(&at, 0, sizeof(at));
	at.target_fd = (uint32_t)cfd;
	at.attach_bpf_fd = (uint32_t)pfd;
	at.attach_type = BPF_CGROUP_DEVICE;
	/* with ALLOW_MULTI a program further up (systemd's, say) still has its say */
	at.attach_flags = BPF_F_ALLOW_MULTI;
	if (syscall(SYS_bpf, BPF_PROG_ATTACH, &at, sizeof(at)) < 0)
		return sc_error_errno(err, -errno, "cannot attach the device program to %s", dir);
	/* attached, the program lives as long as the cgroup */
	return 0;
}

int sc_cgroup_restrict_devices(const struct sc_cgroup *cg, const struct sc_device_rule *rules,
			       struct sc_error *err)
{
	size_t n = 0;
	while (rules[n].type)
		n++;
	if (cg->version == SC_CGROUP_V2)
		return restrict_v2(cg->dir, rules, n, err);
	return restrict_v1(cg->v1[SC_CG_DEVICES], rules, n, err);
}
