/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Every spelling of an architecture, in one table: SCMP_ARCH_* as a profile's
 * "architectures" and "archMap" write it, Go's short names that
 * includes/excludes "arches" compare with, what people type on the command
 * line, and what audit prints.  Pure lookups, no allocation.
 */
#include <linux/audit.h>
#include <seccomp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "seclude/names.h"
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

/*
 * go: what moby's goToNative gives for the daemon's GOARCH, i.e. the
 * string includes/excludes "arches" are compared with; go_alias: the other
 * spelling moby's nativeToSeccomp (or libseccomp-golang) uses.  user: the
 * kernel's/libseccomp's own name; audit: what audit and strace print for
 * the AUDIT_ARCH_* value (an SCMP_ARCH_* token is the same number), which
 * messages about denials and recordings use.
 */
static const struct arch_entry {
	const char *scmp;
	uint32_t token;
	const char *go, *go_alias;
	const char *user, *user_alias;
	const char *audit;
} arches[] = {
	{ "SCMP_ARCH_X86_64", SCMP_ARCH_X86_64, "amd64", NULL, "x86_64", "amd64", "x86_64" },
	{ "SCMP_ARCH_X86", SCMP_ARCH_X86, "x86", "386", "x86", "i386", "i386" },
	{ "SCMP_ARCH_X32", SCMP_ARCH_X32, "x32", NULL, "x32", NULL, "x32" },
	{ "SCMP_ARCH_AARCH64", SCMP_ARCH_AARCH64, "arm64", NULL, "aarch64", "arm64", "aarch64" },
	{ "SCMP_ARCH_ARM", SCMP_ARCH_ARM, "arm", NULL, "arm", NULL, "arm" },
	{ "SCMP_ARCH_MIPS", SCMP_ARCH_MIPS, "mips", NULL, "mips", NULL, "mips" },
	{ "SCMP_ARCH_MIPS64", SCMP_ARCH_MIPS64, "mips64", NULL, "mips64", NULL, "mips64" },
	{ "SCMP_ARCH_MIPS64N32", SCMP_ARCH_MIPS64N32, "mips64n32", NULL, "mips64n32", NULL, "mips64n32" },
	{ "SCMP_ARCH_MIPSEL", SCMP_ARCH_MIPSEL, "mipsel", "mipsle", "mipsel", NULL, "mipsel" },
	{ "SCMP_ARCH_MIPSEL64", SCMP_ARCH_MIPSEL64, "mipsel64", "mips64le", "mipsel64", NULL, "mipsel64" },
	{ "SCMP_ARCH_MIPSEL64N32", SCMP_ARCH_MIPSEL64N32, "mipsel64n32", "mips64len32", "mipsel64n32", NULL, "mipsel64n32" },
	{ "SCMP_ARCH_PPC", SCMP_ARCH_PPC, "ppc", NULL, "ppc", NULL, "ppc" },
	{ "SCMP_ARCH_PPC64", SCMP_ARCH_PPC64, "ppc64", NULL, "ppc64", NULL, "ppc64" },
	{ "SCMP_ARCH_PPC64LE", SCMP_ARCH_PPC64LE, "ppc64le", NULL, "ppc64le", NULL, "ppc64le" },
	{ "SCMP_ARCH_S390", SCMP_ARCH_S390, "s390", NULL, "s390", NULL, "s390" },
	{ "SCMP_ARCH_S390X", SCMP_ARCH_S390X, "s390x", NULL, "s390x", NULL, "s390x" },
	{ "SCMP_ARCH_PARISC", SCMP_ARCH_PARISC, "parisc", NULL, "parisc", NULL, "parisc" },
	{ "SCMP_ARCH_PARISC64", SCMP_ARCH_PARISC64, "parisc64", NULL, "parisc64", NULL, "parisc64" },
	{ "SCMP_ARCH_RISCV64", SCMP_ARCH_RISCV64, "riscv64", NULL, "riscv64", NULL, "riscv64" },
	/* Named by Docker's profile; libseccomp 2.5 cannot build filters for them. */
	{ "SCMP_ARCH_LOONGARCH64", AUDIT_ARCH_LOONGARCH64, "loongarch64", "loong64", "loongarch64", NULL, "loongarch64" },
	{ "SCMP_ARCH_M68K", AUDIT_ARCH_M68K, "m68k", NULL, "m68k", NULL, "m68k" },
	{ "SCMP_ARCH_SH", AUDIT_ARCH_SH, "sh", NULL, "sh", NULL, "sh" },
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

const char *sc_arch_audit_name(uint32_t arch)
{
	const struct arch_entry *e = arch_by_token(arch);
	return e ? e->audit : "unknown";
}

int sc_arch_list_parse(const char *arg, uint32_t **v, size_t *n, char *bad, size_t bad_len)
{
	_cleanup_free_ char *copy = strdup(arg);
	if (!copy)
		return -ENOMEM;
	char *save = NULL;
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		uint32_t a = sc_arch_from_user_name(tok);
		if (!a) {
			snprintf(bad, bad_len, "%s", tok);
			return -EINVAL;
		}
		uint32_t *nv = realloc(*v, (*n + 1) * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		nv[(*n)++] = a;
		*v = nv;
	}
	return 0;
}
