/* SPDX-License-Identifier: GPL-2.0-or-later */
/* learn from a front-end's request: one recorded run, the profile made and saved. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "seclude/exit.h"
#include "seclude/learn_session.h"
#include "seclude/util.h"

int sc_learn_request_ready(struct sc_learn_request *q, struct sc_error *err)
{
	if (!q->has_errno)
		q->default_errno = EPERM;
	if (!q->target.runtime)
		q->target.runtime = SC_LEARN_FOR_DEFAULT;
	if (sc_learn_for_calls(&q->target, &q->runtime_calls, &q->for_version, err) < 0)
		return err->code < 0 ? err->code : -EINVAL;
	if (!q->minimal && sc_learn_any_moment_calls(&q->any_moment, err) < 0)
		return err->code < 0 ? err->code : -EINVAL;
	return 0;
}

void sc_learn_request_free(struct sc_learn_request *q)
{
	sc_arg_specs_free(&q->args);
	sc_learn_extras_free(&q->runtime_calls);
	sc_learn_extras_free(&q->any_moment);
}

int sc_learn_record_run(struct sc_sandbox_config *c, const struct sc_learn_request *q,
			struct sc_record *rec, FILE *out, int *exit_code, struct sc_error *err)
{
	struct sc_learn_tty x = { .out = out };
	bool show_progress = isatty(fileno(out));
	const struct sc_learn_progress progress = sc_learn_tty_progress(&x);
	const struct sc_learn_session_opts so = {
		.recorder = q->recorder, .args = &q->args, .rec = rec,
		.progress = show_progress ? &progress : NULL, .fallback = sc_learn_tty_fallback,
	};
	struct sc_learn_plug plug;
	*exit_code = SC_EXIT_SECLUDE;
	int r = sc_learn_begin(&so, &x.session, &plug, err);
	if (r < 0)
		return r;
	/* the recorder's filter in the profile's place; it brings its own cgroup and drives the child */
	c->bpf = plug.bpf;
	c->seccomp_flags = plug.seccomp_flags;
	c->want_listener = plug.want_listener;
	c->hooks = plug.hooks;
	r = sc_sandbox_run(c, exit_code, err);
	bool ran = r >= 0;
	struct sc_error end_err = {0};
	int e = sc_learn_end(x.session, ran, ran ? err : &end_err);
	if (ran && e < 0) {
		r = e;
		*exit_code = SC_EXIT_SECLUDE;
	}
	if (r >= 0)
		sc_learn_tty_recorded(&x, rec, show_progress);
	else if (show_progress)
		fputs("\r\033[K", out);
	sc_learn_session_free(x.session);
	return r < 0 ? r : 0;
}

int sc_learn_profile_make(const struct sc_learn_request *q, const struct sc_record *rec,
			  const char *command, char **json, struct sc_learn_summary *sum,
			  struct sc_diags *diags, struct sc_error *err)
{
	_cleanup_free_ char *merge_text = NULL;
	size_t merge_len = 0;
	if (q->merge && sc_read_user_file(q->merge, 16u << 20, &merge_text, &merge_len, err) < 0)
		return err->code < 0 ? err->code : -EIO;
	const struct sc_learn_write_opts wo = {
		.command = command,
		.when = time(NULL),
		.has_errno = q->has_errno,
		.default_errno = q->default_errno,
		.counts = q->counts,
		.args = &q->args,
		.merge_text = merge_text,
		.merge_len = merge_len,
		.merge_origin = q->merge,
		.runtime_calls = &q->runtime_calls,
		.any_moment = q->minimal ? NULL : &q->any_moment,
		.learned_for = &q->target,
		.for_version = q->for_version,
		.minimal = q->minimal,
	};
	return sc_learn_write(rec, &wo, json, sum, diags, err);
}

int sc_learn_profile_save(const struct sc_learn_request *q, const struct sc_record *rec,
			  const char *json, const struct sc_learn_summary *sum, FILE *out,
			  struct sc_error *err)
{
	sc_learn_summary_print(out, sum, q->target.runtime, q->for_version);
	if (q->counts)
		sc_record_write_counts(out, rec);
	int r = sc_write_output(q->output, json, err);
	if (r >= 0 && q->output && strcmp(q->output, "-"))
		sc_learn_wrote_print(out, q->output, sum);
	return r < 0 ? r : 0;
}
