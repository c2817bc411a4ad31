/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A spec, as the launcher executes it. */
#include <errno.h>

#include "seclude/sandbox.h"

int sc_sandbox_config_from_spec(const struct sc_spec *spec, struct sc_sandbox_config *c,
				struct sc_error *err)
{
	(void)err;
	c->ns_join = (const char *const *)spec->ns_path;
	const struct sc_spec_process *p = &spec->process;
	c->argv = p->args;
	c->env = p->env;
	c->bpf = spec->seccomp.confined ? &spec->seccomp.filter.bpf : NULL;
	c->seccomp_flags = spec->seccomp.filter.flags;
	c->want_listener = spec->seccomp.notify;
	c->caps = p->caps;
	c->no_new_privs = p->no_new_privs;
	c->namespaces = spec->namespaces;
	c->net = spec->net;
	c->hostname = spec->hostname;
	c->uid_map = spec->uid_map;
	c->n_uid_map = spec->n_uid_map;
	c->gid_map = spec->gid_map;
	c->n_gid_map = spec->n_gid_map;
	c->rootfs = spec->root.path;
	c->read_only = spec->root.readonly;
	c->root_propagation = spec->root.propagation;
	c->mounts = spec->mounts;
	c->n_mounts = spec->n_mounts;
	c->devices = spec->devices;
	c->n_devices = spec->n_devices;
	c->privileged = spec->privileged;
	c->user = p->user;
	c->workdir = p->cwd;
	c->workdir_optional = p->cwd_optional;
	c->rlimits = p->rlimits;
	c->n_rlimits = p->n_rlimits;
	c->init = p->init;
	c->tty = p->terminal;
	c->stdin_open = p->stdin_open;
	return 0;
}
