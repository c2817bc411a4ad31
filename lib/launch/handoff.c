/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The one child -> parent failure channel (handoff.h). */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "seclude/handoff.h"

void sc_handoff_fail(struct sc_handoff *h, int exit_code, const struct sc_error *err)
{
	h->code = err && err->code ? err->code : -EINVAL;
	if (err)
		memcpy(h->msg, err->msg, sizeof(h->msg));
	__atomic_store_n(&h->exit_code, exit_code, __ATOMIC_RELEASE);
}

int sc_handoff_failed(const struct sc_handoff *h, const char *suffix, struct sc_error *err)
{
	int exit_code = __atomic_load_n(&h->exit_code, __ATOMIC_ACQUIRE);
	if (!exit_code)
		return 0;
	char msg[sizeof(h->msg)];
	memcpy(msg, h->msg, sizeof(msg));
	msg[sizeof(msg) - 1] = '\0';
	sc_error_set(err, h->code ? h->code : -EINVAL, "%s%s", msg, suffix ? suffix : "");
	return exit_code;
}

void *sc_handoff_map(size_t size, struct sc_error *err)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		sc_error_errno(err, -errno, "cannot map memory shared with the sandbox");
		return NULL;
	}
	return p;
}

void sc_handoff_unmap(void *p, size_t size)
{
	if (p)
		munmap(p, size);
}
