/* SPDX-License-Identifier: GPL-2.0-or-later */
/* seclude compile PROFILE: the profile as raw seccomp BPF, or a listing of it. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "seclude/bpf.h"
#include "seclude/compile.h"
#include "seclude/profile.h"
#include "seclude/util.h"

#define PROFILE_MAX_BYTES (16u << 20)

enum {
	OPT_DISASM = CLI_OPT_FIRST_FREE,
	OPT_ARCH,
	OPT_KERNEL,
	OPT_NO_ENOSYS,
	OPT_NO_CACHE,
};

/*
 * The built-in profile names syscalls newer than this libseccomp; that is
 * a fact about the machine, not about a profile anyone can fix here.
 */
static void print_warnings(const char *path, const struct sc_diags *d)
{
	for (size_t i = 0; d && i < d->n; i++) {
		const struct sc_diag *g = &d->v[i];
		if (strcmp(path, "default") == 0 && g->code && strcmp(g->code, "unknown-syscall") == 0)
			continue;
		struct sc_diags one = { .v = (struct sc_diag *)g, .n = 1, .cap = 1 };
		cli_print_diags(&one);
	}
}

static void usage(FILE *out)
{
	fputs("Usage: seclude compile [OPTIONS] PROFILE\n"
	      "\n"
	      "Compile a Docker or OCI seccomp profile to seccomp BPF, as Docker would\n"
	      "load it: includes and excludes settled for the capabilities, the\n"
	      "architecture and the kernel; rules as runc adds them; syscalls newer than\n"
	      "the profile answered with ENOSYS.  The program is raw struct sock_filter\n"
	      "in host byte order, what bubblewrap's --seccomp FD and seccomp(2) take.\n"
	      "Compiled programs are cached by a hash of everything that shapes them.\n"
	      "\n"
	      "PROFILE is a file, '-' for standard input, or 'default' (built in).\n"
	      "\n"
	      "Options:\n"
	      "  -o, --output FILE      write the program to FILE ('-': standard output,\n"
	      "                         the default when it is not a terminal)\n"
	      "      --disasm           print a readable listing on standard output\n"
	      "                         (with -o FILE, the program goes to FILE as well)\n"
	      CLI_CAP_HELP
	      "      --arch ARCH        compile for another architecture (x86_64, aarch64, ...)\n"
	      "      --kernel X.Y       settle minKernel for another kernel version\n"
	      "      --no-enosys        leave out the ENOSYS prologue\n"
	      "      --no-cache         neither read nor write the compile cache\n"
	      "  -h, --help             show this help\n"
	      "\n"
	      "The cache lives in $SECLUDE_CACHE_DIR, else /var/cache/seclude for root,\n"
	      "else $XDG_CACHE_HOME/seclude or ~/.cache/seclude.\n", out);
}

static int parse_kernel(const char *s, unsigned *major, unsigned *minor)
{
	char tail;
	return sscanf(s, "%u.%u%c", major, minor, &tail) == 2 ? 0 : -1;
}

static int read_profile(const char *path, char **text, size_t *len, const char **origin,
			struct sc_error *err)
{
	if (strcmp(path, "default") == 0) {
		const char *t = sc_default_profile_text(len);
		*text = malloc(*len + 1);
		if (!*text)
			return sc_error_set(err, -ENOMEM, "out of memory");
		memcpy(*text, t, *len + 1);
		*origin = "default";
		return 0;
	}
	*origin = path;
	if (strcmp(path, "-") == 0) {
		*origin = "<stdin>";
		int r = sc_read_file("/dev/stdin", PROFILE_MAX_BYTES, text, len, err);
		if (r < 0)
			sc_error_prefix(err, "<stdin>");
		return r;
	}
	return sc_read_file(path, PROFILE_MAX_BYTES, text, len, err);
}

static int write_program(const char *out, const struct sc_bpf *b, struct sc_error *err)
{
	int fd = STDOUT_FILENO;
	if (out && strcmp(out, "-") != 0) {
		fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0)
			return sc_error_errno(err, -errno, "%s: cannot create", out);
	}
	int r = sc_write_all(fd, b->insns, b->len * sizeof(*b->insns));
	if (fd != STDOUT_FILENO && close(fd) < 0 && r == 0)
		r = -errno;
	if (r < 0)
		return sc_error_errno(err, r, "%s: cannot write", out && strcmp(out, "-") ? out : "standard output");
	return 0;
}

int cmd_compile(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_CAP_LONGOPTS,
		{ "output", required_argument, NULL, 'o' },
		{ "disasm", no_argument, NULL, OPT_DISASM },
		{ "arch", required_argument, NULL, OPT_ARCH },
		{ "kernel", required_argument, NULL, OPT_KERNEL },
		{ "no-enosys", no_argument, NULL, OPT_NO_ENOSYS },
		{ "no-cache", no_argument, NULL, OPT_NO_CACHE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_caps caps = {0};
	const char *output = NULL, *arch = NULL, *kernel = NULL;
	bool disasm = false, no_cache = false;
	struct sc_compile_opts copts = {0};
	int opt;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
		if (cli_caps_option(&caps, opt, optarg))
			continue;
		switch (opt) {
		case 'h':
			usage(stdout);
			cli_caps_free(&caps);
			return 0;
		case 'o': output = optarg; break;
		case OPT_DISASM: disasm = true; break;
		case OPT_ARCH: arch = optarg; break;
		case OPT_KERNEL: kernel = optarg; break;
		case OPT_NO_ENOSYS: copts.no_enosys_stub = true; break;
		case OPT_NO_CACHE: no_cache = true; break;
		default:
			cli_caps_free(&caps);
			if (optopt)
				return cli_usage_error("compile", "option \"%s\" needs a value or is unknown",
						       argv[optind - 1]);
			return cli_usage_error("compile", "unknown option \"%s\"", argv[optind - 1]);
		}
	}
	if (optind != argc - 1) {
		cli_caps_free(&caps);
		return cli_usage_error("compile", optind >= argc ? "no profile given" : "one profile at a time");
	}
	const char *path = argv[optind];
	/* binary on a terminal helps nobody */
	if (!output && !disasm && isatty(STDOUT_FILENO)) {
		cli_caps_free(&caps);
		return cli_usage_error("compile", "standard output is a terminal; give -o FILE or --disasm");
	}

	struct sc_error err = {0};
	struct sc_target t;
	struct sc_diags diags = {0};
	struct sc_bpf bpf = {0};
	_cleanup_free_ char *text = NULL;
	size_t len = 0;
	const char *origin = path;
	bool hit = false;
	int ret = EXIT_SECLUDE;

	if (sc_target_host(&t, &err) < 0 || cli_caps_resolve(&caps, &t.caps, &err) < 0)
		goto out;
	if (arch && !(t.arch = sc_arch_from_user_name(arch))) {
		sc_error_set(&err, -EINVAL, "compile: unknown architecture \"%s\"", arch);
		goto out;
	}
	if (kernel && parse_kernel(kernel, &t.kernel_major, &t.kernel_minor) < 0) {
		sc_error_set(&err, -EINVAL, "compile: --kernel wants MAJOR.MINOR, not \"%s\"", kernel);
		goto out;
	}
	if (read_profile(path, &text, &len, &origin, &err) < 0)
		goto out;
	if (sc_compile_text(text, len, origin, &t, &copts, no_cache ? "" : NULL, &bpf, &hit, &diags, &err) < 0)
		goto out;
	print_warnings(path, &diags);

	if (output || !disasm)
		if (write_program(output, &bpf, &err) < 0)
			goto out;
	if (disasm) {
		printf("# %s: %zu instructions%s\n", origin, bpf.len, hit ? " (from the cache)" : "");
		if (sc_bpf_disasm(&bpf, stdout) < 0) {
			sc_error_set(&err, -EIO, "cannot write the listing");
			goto out;
		}
	}
	if (fflush(stdout) != 0) {
		sc_error_errno(&err, -errno, "cannot write standard output");
		goto out;
	}
	ret = 0;
out:
	if (ret != 0) {
		cli_print_diags(&diags);
		cli_fail(&err);
	}
	sc_bpf_free(&bpf);
	sc_diags_free(&diags);
	cli_caps_free(&caps);
	return ret;
}
