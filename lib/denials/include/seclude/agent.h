/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * seclude as a seccomp agent (the runtime-spec's listenerPath protocol),
 * so that containers started by unmodified runc or crun get seclude's
 * exact-errno denial reports.
 *
 * The runtime loads a profile whose refusals are SCMP_ACT_NOTIFY
 * (sc_agent_notify_profile writes it from the user's profile), connects to
 * the agent's socket and hands it the listener with the container's state.
 * The agent answers each notified call with what the user's profile says
 * (listenerMetadata names that profile), run in the simulator: the same
 * errno the container would have had, and one report per call.
 */
#ifndef SECLUDE_AGENT_H
#define SECLUDE_AGENT_H

#include "seclude/error.h"
#include "seclude/notify.h"

/*
 * The OCI linux.seccomp object for config.json: profile's rules resolved
 * for Docker's default capabilities on this host, every ERRNO rule turned
 * into SCMP_ACT_NOTIFY (but write, which runc refuses to notify), and,
 * when the default action is ERRNO, a NOTIFY rule for every call of this
 * architecture that no rule names (runc refuses NOTIFY as the default
 * action); listenerPath is socket_path, listenerMetadata the profile's
 * absolute path.  JSON text, malloc'd.
 */
int sc_agent_notify_profile(const char *profile, const char *socket_path, char **out, struct sc_diags *diags,
			    struct sc_error *err);

struct sc_agent_opts {
	const char *socket;
	/* the profile for a container whose listenerMetadata names none (NULL: such a container is refused) */
	const char *profile;
	enum sc_denial_mode mode;
	/* every answered call, one at a time (serialised across containers) */
	void (*report)(void *ud, const char *container, const struct sc_denial *d);
	/* a container started or ended (container set), or one could not be served (container NULL) */
	void (*event)(void *ud, const char *container, const char *what);
	/* the socket listens */
	void (*ready)(void *ud);
	void *ud;
};

/* Serve until SIGINT or SIGTERM; the socket is removed then. */
int sc_agent_serve(const struct sc_agent_opts *o, struct sc_error *err);

#endif
