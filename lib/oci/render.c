/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What seclude-runc prints for list, ps, features and --version, in runc's
 * forms (see oci_verbs.h).
 */
#include <jansson.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "seclude/oci.h"
#include "seclude/oci_verbs.h"
#include "seclude/runtime.h"
#include "seclude/util.h"

static const char *str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

int sc_oci_print_list(FILE *out, const char *root, enum sc_oci_list_format fmt, struct sc_error *err)
{
	char **ids = NULL;
	size_t n = 0;
	if (sc_oci_list(root, &ids, &n, err) < 0)
		return -1;
	json_t *arr = fmt == SC_OCI_LIST_JSON ? json_array() : NULL;
	if (fmt == SC_OCI_LIST_TABLE)
		fprintf(out, "%-12s %-8s %-10s %-40s %-31s %s\n", "ID", "PID", "STATUS", "BUNDLE", "CREATED",
			"OWNER");
	for (size_t i = 0; i < n; i++) {
		char *text = NULL;
		struct sc_error e = {0};
		if (sc_oci_state(root, ids[i], &text, &e) < 0)
			continue;
		json_t *st = json_loads(text, 0, NULL);
		free(text);
		if (!st)
			continue;
		if (fmt == SC_OCI_LIST_JSON)
			json_array_append(arr, st);
		else if (fmt == SC_OCI_LIST_QUIET)
			fprintf(out, "%s\n", ids[i]);
		else
			fprintf(out, "%-12s %-8lld %-10s %-40s %-31s %s\n", ids[i],
				(long long)json_integer_value(json_object_get(st, "pid")), str(st, "status"),
				str(st, "bundle"), str(st, "created"), str(st, "owner"));
		json_decref(st);
	}
	if (arr) {
		char *s = json_dumps(arr, JSON_COMPACT);
		fprintf(out, "%s\n", s ? s : "[]");
		free(s);
		json_decref(arr);
	}
	sc_strv_free(ids, n);
	return 0;
}

int sc_oci_print_ps(FILE *out, const char *root, const char *id, bool json, struct sc_error *err)
{
	pid_t *pids = NULL;
	size_t n = 0;
	if (sc_oci_pids(root, id, &pids, &n, err) < 0)
		return -1;
	if (json) {
		fputc('[', out);
		for (size_t i = 0; i < n; i++)
			fprintf(out, "%s%d", i ? "," : "", (int)pids[i]);
		fputs("]\n", out);
	} else {
		fprintf(out, "UID        PID  CMD\n");
		for (size_t i = 0; i < n; i++) {
			char path[64], cmd[256] = "";
			snprintf(path, sizeof(path), "/proc/%d/comm", (int)pids[i]);
			FILE *f = fopen(path, "re");
			if (f) {
				if (fgets(cmd, sizeof(cmd), f))
					cmd[strcspn(cmd, "\n")] = '\0';
				fclose(f);
			}
			struct stat st;
			snprintf(path, sizeof(path), "/proc/%d", (int)pids[i]);
			unsigned uid = stat(path, &st) == 0 ? (unsigned)st.st_uid : 0;
			fprintf(out, "%-8u %5d  %s\n", uid, (int)pids[i], cmd);
		}
	}
	free(pids);
	return 0;
}

void sc_oci_print_features(FILE *out)
{
	const struct scmp_version *v = seccomp_version();
	fprintf(out, "{\n"
	       "  \"ociVersionMin\": \"1.0.0\",\n"
	       "  \"ociVersionMax\": \"%s\",\n"
	       "  \"hooks\": [\"prestart\", \"createRuntime\", \"createContainer\", \"poststart\", \"poststop\"],\n"
	       "  \"mountOptions\": [\"bind\", \"rbind\", \"ro\", \"rw\", \"nosuid\", \"nodev\", \"noexec\", \"idmap\", "
	       "\"ridmap\"],\n"
	       "  \"linux\": {\n"
	       "    \"namespaces\": [\"cgroup\", \"ipc\", \"mount\", \"network\", \"pid\", \"user\", \"uts\"],\n"
	       "    \"capabilities\": [],\n"
	       "    \"cgroup\": { \"v1\": true, \"v2\": true, \"systemd\": false, \"systemdUser\": false },\n"
	       "    \"seccomp\": {\n"
	       "      \"enabled\": true,\n"
	       "      \"actions\": [\"SCMP_ACT_ALLOW\", \"SCMP_ACT_ERRNO\", \"SCMP_ACT_KILL\", "
	       "\"SCMP_ACT_KILL_PROCESS\", \"SCMP_ACT_KILL_THREAD\", \"SCMP_ACT_LOG\", \"SCMP_ACT_TRACE\", "
	       "\"SCMP_ACT_TRAP\", \"SCMP_ACT_NOTIFY\"],\n"
	       "      \"operators\": [\"SCMP_CMP_EQ\", \"SCMP_CMP_GE\", \"SCMP_CMP_GT\", \"SCMP_CMP_LE\", "
	       "\"SCMP_CMP_LT\", \"SCMP_CMP_MASKED_EQ\", \"SCMP_CMP_NE\"],\n"
	       "      \"knownFlags\": [\"SECCOMP_FILTER_FLAG_TSYNC\", \"SECCOMP_FILTER_FLAG_SPEC_ALLOW\", "
	       "\"SECCOMP_FILTER_FLAG_LOG\"],\n"
	       "      \"supportedFlags\": [\"SECCOMP_FILTER_FLAG_TSYNC\", \"SECCOMP_FILTER_FLAG_SPEC_ALLOW\", "
	       "\"SECCOMP_FILTER_FLAG_LOG\"]\n"
	       "    },\n"
	       "    \"apparmor\": { \"enabled\": false },\n"
	       "    \"selinux\": { \"enabled\": false },\n"
	       "    \"mountExtensions\": { \"idmap\": { \"enabled\": true } }\n"
	       "  },\n"
	       "  \"annotations\": {\n"
	       "    \"io.github.seccomp.libseccomp.version\": \"%u.%u.%u\"\n"
	       "  }\n"
	       "}\n", SC_OCI_VERSION, v ? v->major : 0, v ? v->minor : 0, v ? v->micro : 0);
}

void sc_oci_print_version(FILE *out, const char *version)
{
	const struct scmp_version *v = seccomp_version();
	fprintf(out, "seclude-runc version %s\n"
		"commit: seclude-%s\n"
		"spec: %s\n"
		"libseccomp: %u.%u.%u\n", version, version, SC_OCI_VERSION,
		v ? v->major : 0, v ? v->minor : 0, v ? v->micro : 0);
}
