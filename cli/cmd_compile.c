/* SPDX-License-Identifier: GPL-2.0-or-later */
/* seclude compile PROFILE: the profile as raw seccomp BPF, or a listing of it. */
#include <errno.h>
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

enum {
	OPT_DISASM = CLI_OPT_FIRST_FREE,
	OPT_ARCH,
	OPT_NO_ENOSYS,
	OPT_NO_CACHE,
};

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
	      CLI_PROFILE_HELP
	      "      --arch ARCH        compile for another architecture (x86_64, aarch64, ...)\n"
	      "      --no-enosys        leave out the ENOSYS prologue\n"
	      "      --no-cache         neither read nor write the compile cache\n"
	      "  -h, --help             show this help\n"
	      "\n"
	      "The cache lives in $SECLUDE_CACHE_DIR, else /var/cache/seclude for root,\n"
	      "else $XDG_CACHE_HOME/seclude or ~/.cache/seclude.\n", out);
}

int cmd_compile(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_PROFILE_LONGOPTS,
		{ "output", required_argument, NULL, 'o' },
		{ "disasm", no_argument, NULL, OPT_DISASM },
		{ "arch", required_argument, NULL, OPT_ARCH },
		{ "no-enosys", no_argument, NULL, OPT_NO_ENOSYS },
		{ "no-cache", no_argument, NULL, OPT_NO_CACHE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_profile_opts po = {0};
	const char *output = NULL, *arch = NULL;
	bool disasm = false, no_cache = false;
	struct sc_compile_opts copts = {0};
	int opt;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
		if (cli_profile_option(&po, opt, optarg))
			continue;
		switch (opt) {
		case 'h':
			usage(stdout);
			cli_profile_opts_free(&po);
			return 0;
		case 'o': output = optarg; break;
		case OPT_DISASM: disasm = true; break;
		case OPT_ARCH: arch = optarg; break;
		case OPT_NO_ENOSYS: copts.no_enosys_stub = true; break;
		case OPT_NO_CACHE: no_cache = true; break;
		default:
			cli_profile_opts_free(&po);
			return cli_bad_option("compile", argv);
		}
	}
	if (optind != argc - 1) {
		cli_profile_opts_free(&po);
		return cli_usage_error("compile", optind >= argc ? "no profile given" : "one profile at a time");
	}
	const char *path = argv[optind];
	/* binary on a terminal helps nobody */
	if (!output && !disasm && isatty(STDOUT_FILENO)) {
		cli_profile_opts_free(&po);
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
	int ret = SC_EXIT_SECLUDE;

	copts.unknown_syscall_is_error = po.strict;
	if (cli_target("compile", &po, arch, &t, &err) < 0 ||
	    sc_profile_read(path, &text, &len, &origin, &err) < 0 ||
	    sc_compile_text(text, len, origin, &t, &copts, no_cache ? "" : NULL, &bpf, &hit, &diags, &err) < 0)
		goto out;
	cli_print_profile_warnings(path, &diags);
	sc_diags_free(&diags);

	if (output || !disasm)
		if (sc_bpf_save(output, &bpf, &err) < 0)
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
		cli_print_profile_warnings(path, &diags);
		cli_fail(&err);
	}
	sc_bpf_free(&bpf);
	sc_diags_free(&diags);
	cli_profile_opts_free(&po);
	return ret;
}
