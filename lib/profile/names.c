/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The names a profile is written in: actions, operators, flags and the
 * three spellings of an architecture (SCMP_ARCH_* in "architectures" and
 * "archMap", Go's short names in includes/excludes "arches", and what
 * people type on the command line).
 */
#include <errno.h>
#include <linux/audit.h>
#include <seccomp.h>
#include <string.h>
#include <strings.h>

#include "seclude/profile.h"
#include "seclude/util.h"

#ifndef AUDIT_ARCH_LOONGARCH64
#define AUDIT_ARCH_LOONGARCH64 0xc0000102u
#endif
#ifndef AUDIT_ARCH_M68K
#define AUDIT_ARCH_M68K 0x00000004u
#endif
#ifndef AUDIT_ARCH_SH
#define AUDIT_ARCH_SH 0x0000002au
#endif

static const struct {
	const char *name;
	enum sc_action action;
} action_names[] = {
	{ "SCMP_ACT_KILL", SC_ACT_KILL_THREAD },
	{ "SCMP_ACT_KILL_THREAD", SC_ACT_KILL_THREAD },
	{ "SCMP_ACT_KILL_PROCESS", SC_ACT_KILL_PROCESS },
	{ "SCMP_ACT_TRAP", SC_ACT_TRAP },
	{ "SCMP_ACT_ERRNO", SC_ACT_ERRNO },
	{ "SCMP_ACT_TRACE", SC_ACT_TRACE },
	{ "SCMP_ACT_LOG", SC_ACT_LOG },
	{ "SCMP_ACT_ALLOW", SC_ACT_ALLOW },
	{ "SCMP_ACT_NOTIFY", SC_ACT_NOTIFY },
};

const char *sc_action_name(enum sc_action a)
{
	switch (a) {
	case SC_ACT_KILL_THREAD: return "SCMP_ACT_KILL_THREAD";
	case SC_ACT_KILL_PROCESS: return "SCMP_ACT_KILL_PROCESS";
	case SC_ACT_TRAP: return "SCMP_ACT_TRAP";
	case SC_ACT_ERRNO: return "SCMP_ACT_ERRNO";
	case SC_ACT_TRACE: return "SCMP_ACT_TRACE";
	case SC_ACT_LOG: return "SCMP_ACT_LOG";
	case SC_ACT_ALLOW: return "SCMP_ACT_ALLOW";
	case SC_ACT_NOTIFY: return "SCMP_ACT_NOTIFY";
	}
	return "SCMP_ACT_?";
}

int sc_action_from_name(const char *s, enum sc_action *out)
{
	/* Exact spelling, as runc and crun compare them. */
	for (size_t i = 0; s && i < SC_ARRAY_SIZE(action_names); i++)
		if (strcmp(s, action_names[i].name) == 0) {
			*out = action_names[i].action;
			return 0;
		}
	return -EINVAL;
}

static const char *const op_names[] = {
	[SC_OP_NE] = "SCMP_CMP_NE",
	[SC_OP_LT] = "SCMP_CMP_LT",
	[SC_OP_LE] = "SCMP_CMP_LE",
	[SC_OP_EQ] = "SCMP_CMP_EQ",
	[SC_OP_GE] = "SCMP_CMP_GE",
	[SC_OP_GT] = "SCMP_CMP_GT",
	[SC_OP_MASKED_EQ] = "SCMP_CMP_MASKED_EQ",
};

const char *sc_op_name(enum sc_op op)
{
	if ((unsigned)op < SC_ARRAY_SIZE(op_names) && op_names[op])
		return op_names[op];
	return "SCMP_CMP_?";
}

int sc_op_from_name(const char *s, enum sc_op *out)
{
	for (unsigned i = SC_OP_NE; s && i <= SC_OP_MASKED_EQ; i++)
		if (strcmp(s, op_names[i]) == 0) {
			*out = (enum sc_op)i;
			return 0;
		}
	return -EINVAL;
}

static const struct {
	const char *name;
	unsigned flag;
} flag_names[] = {
	{ "SECCOMP_FILTER_FLAG_TSYNC", SC_FLAG_TSYNC },
	{ "SECCOMP_FILTER_FLAG_LOG", SC_FLAG_LOG },
	{ "SECCOMP_FILTER_FLAG_SPEC_ALLOW", SC_FLAG_SPEC_ALLOW },
	{ "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", SC_FLAG_WAIT_KILLABLE_RECV },
};

int sc_flag_from_name(const char *s, unsigned *out)
{
	for (size_t i = 0; s && i < SC_ARRAY_SIZE(flag_names); i++)
		if (strcmp(s, flag_names[i].name) == 0) {
			*out = flag_names[i].flag;
			return 0;
		}
	return -EINVAL;
}

const char *sc_flag_name(unsigned flag)
{
	for (size_t i = 0; i < SC_ARRAY_SIZE(flag_names); i++)
		if (flag_names[i].flag == flag)
			return flag_names[i].name;
	return NULL;
}

/*
 * go: what moby's goToNative gives for the daemon's GOARCH, i.e. the
 * string includes/excludes "arches" are compared with; go_alias: the other
 * spelling moby's nativeToSeccomp (or libseccomp-golang) uses.  user: the
 * kernel's/libseccomp's own name.
 */
static const struct arch_entry {
	const char *scmp;
	uint32_t token;
	const char *go, *go_alias;
	const char *user, *user_alias;
} arches[] = {
	{ "SCMP_ARCH_X86_64", SCMP_ARCH_X86_64, "amd64", NULL, "x86_64", "amd64" },
	{ "SCMP_ARCH_X86", SCMP_ARCH_X86, "x86", "386", "x86", "i386" },
	{ "SCMP_ARCH_X32", SCMP_ARCH_X32, "x32", NULL, "x32", NULL },
	{ "SCMP_ARCH_AARCH64", SCMP_ARCH_AARCH64, "arm64", NULL, "aarch64", "arm64" },
	{ "SCMP_ARCH_ARM", SCMP_ARCH_ARM, "arm", NULL, "arm", NULL },
	{ "SCMP_ARCH_MIPS", SCMP_ARCH_MIPS, "mips", NULL, "mips", NULL },
	{ "SCMP_ARCH_MIPS64", SCMP_ARCH_MIPS64, "mips64", NULL, "mips64", NULL },
	{ "SCMP_ARCH_MIPS64N32", SCMP_ARCH_MIPS64N32, "mips64n32", NULL, "mips64n32", NULL },
	{ "SCMP_ARCH_MIPSEL", SCMP_ARCH_MIPSEL, "mipsel", "mipsle", "mipsel", NULL },
	{ "SCMP_ARCH_MIPSEL64", SCMP_ARCH_MIPSEL64, "mipsel64", "mips64le", "mipsel64", NULL },
	{ "SCMP_ARCH_MIPSEL64N32", SCMP_ARCH_MIPSEL64N32, "mipsel64n32", "mips64len32", "mipsel64n32", NULL },
	{ "SCMP_ARCH_PPC", SCMP_ARCH_PPC, "ppc", NULL, "ppc", NULL },
	{ "SCMP_ARCH_PPC64", SCMP_ARCH_PPC64, "ppc64", NULL, "ppc64", NULL },
	{ "SCMP_ARCH_PPC64LE", SCMP_ARCH_PPC64LE, "ppc64le", NULL, "ppc64le", NULL },
	{ "SCMP_ARCH_S390", SCMP_ARCH_S390, "s390", NULL, "s390", NULL },
	{ "SCMP_ARCH_S390X", SCMP_ARCH_S390X, "s390x", NULL, "s390x", NULL },
	{ "SCMP_ARCH_PARISC", SCMP_ARCH_PARISC, "parisc", NULL, "parisc", NULL },
	{ "SCMP_ARCH_PARISC64", SCMP_ARCH_PARISC64, "parisc64", NULL, "parisc64", NULL },
	{ "SCMP_ARCH_RISCV64", SCMP_ARCH_RISCV64, "riscv64", NULL, "riscv64", NULL },
	/* Named by Docker's profile; libseccomp 2.5 cannot build filters for them. */
	{ "SCMP_ARCH_LOONGARCH64", AUDIT_ARCH_LOONGARCH64, "loongarch64", "loong64", "loongarch64", NULL },
	{ "SCMP_ARCH_M68K", AUDIT_ARCH_M68K, "m68k", NULL, "m68k", NULL },
	{ "SCMP_ARCH_SH", AUDIT_ARCH_SH, "sh", NULL, "sh", NULL },
};

static const struct arch_entry *arch_by_token(uint32_t token)
{
	for (size_t i = 0; i < SC_ARRAY_SIZE(arches); i++)
		if (arches[i].token == token)
			return &arches[i];
	return NULL;
}

uint32_t sc_arch_from_go_name(const char *name)
{
	for (size_t i = 0; name && i < SC_ARRAY_SIZE(arches); i++)
		if (strcmp(name, arches[i].go) == 0 ||
		    (arches[i].go_alias && strcmp(name, arches[i].go_alias) == 0))
			return arches[i].token;
	return 0;
}

const char *sc_arch_go_name(uint32_t arch)
{
	const struct arch_entry *e = arch_by_token(arch);
	return e ? e->go : NULL;
}

uint32_t sc_arch_from_scmp_name(const char *name)
{
	for (size_t i = 0; name && i < SC_ARRAY_SIZE(arches); i++)
		if (strcmp(name, arches[i].scmp) == 0)
			return arches[i].token;
	return 0;
}

const char *sc_arch_scmp_name(uint32_t arch)
{
	const struct arch_entry *e = arch_by_token(arch);
	return e ? e->scmp : NULL;
}

const char *sc_arch_user_name(uint32_t arch)
{
	const struct arch_entry *e = arch_by_token(arch);
	return e ? e->user : NULL;
}

uint32_t sc_arch_from_user_name(const char *name)
{
	if (!name)
		return 0;
	if (strcmp(name, "i686") == 0 || strcmp(name, "i586") == 0)
		return SCMP_ARCH_X86;
	for (size_t i = 0; i < SC_ARRAY_SIZE(arches); i++) {
		const struct arch_entry *e = &arches[i];
		if (strcasecmp(name, e->user) == 0 ||
		    (e->user_alias && strcasecmp(name, e->user_alias) == 0) ||
		    strcmp(name, e->scmp) == 0)
			return e->token;
	}
	return sc_arch_from_go_name(name);
}
