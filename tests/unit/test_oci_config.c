/* SPDX-License-Identifier: GPL-2.0-or-later */
/* config.json -> struct sc_oci_config -> struct sc_spec: the fields engines write, and the refusals, located. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/mount.h>
#include <linux/mount.h>
#include <cmocka.h>

#include "seclude/names.h"
#include "seclude/oci.h"
#include "seclude/runtime.h"
#include "seclude/util.h"

static struct sc_oci_config *parse_ok(const char *text)
{
	struct sc_oci_config *c = NULL;
	struct sc_error err = {0};
	int r = sc_oci_config_parse(text, strlen(text), "config.json", &c, &err);
	if (r < 0)
		fprintf(stderr, "unexpected: %s\n", err.msg);
	assert_int_equal(r, 0);
	return c;
}

/* What Docker 20.10 writes for `docker run --memory 64m --pids-limit 50 -u 1000:100 --group-add 5 -h h busybox sh` (trimmed). */
static const char docker_config[] =
	"{\n"
	"  \"ociVersion\": \"1.0.2-dev\",\n"
	"  \"process\": {\n"
	"    \"user\": {\"uid\": 1000, \"gid\": 100, \"additionalGids\": [5]},\n"
	"    \"args\": [\"sh\", \"-c\", \"true\"],\n"
	"    \"env\": [\"PATH=/bin\", \"HOSTNAME=h\"],\n"
	"    \"cwd\": \"/\",\n"
	"    \"capabilities\": {\"bounding\": [\"CAP_CHOWN\", \"CAP_KILL\", \"CAP_NOT_YET_INVENTED\"],\n"
	"                     \"effective\": [\"CAP_CHOWN\"], \"permitted\": [\"CAP_CHOWN\"]},\n"
	"    \"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"hard\": 1048576, \"soft\": 1024}],\n"
	"    \"apparmorProfile\": \"docker-default\",\n"
	"    \"oomScoreAdj\": -500,\n"
	"    \"noNewPrivileges\": true,\n"
	"    \"terminal\": true, \"consoleSize\": {\"height\": 24, \"width\": 80}\n"
	"  },\n"
	"  \"root\": {\"path\": \"/var/lib/docker/overlay2/x/merged\", \"readonly\": true},\n"
	"  \"hostname\": \"h\",\n"
	"  \"mounts\": [\n"
	"    {\"destination\": \"/proc\", \"type\": \"proc\", \"source\": \"proc\", \"options\": [\"nosuid\", \"noexec\", \"nodev\"]},\n"
	"    {\"destination\": \"/etc/hosts\", \"type\": \"bind\", \"source\": \"/var/lib/docker/containers/x/hosts\", \"options\": [\"rbind\", \"rprivate\"]},\n"
	"    {\"destination\": \"/scratch\", \"type\": \"tmpfs\", \"source\": \"tmpfs\", \"options\": [\"nosuid\", \"size=1m\", \"mode=700\"]}\n"
	"  ],\n"
	"  \"hooks\": {\"prestart\": [{\"path\": \"/usr/bin/dockerd\", \"args\": [\"libnetwork-setkey\", \"x\"], \"timeout\": 5}]},\n"
	"  \"annotations\": {\"org.example\": \"yes\"},\n"
	"  \"linux\": {\n"
	"    \"resources\": {\n"
	"      \"devices\": [{\"allow\": false, \"access\": \"rwm\"}, {\"allow\": true, \"type\": \"c\", \"major\": 1, \"minor\": 5, \"access\": \"rwm\"}],\n"
	"      \"memory\": {\"limit\": 67108864, \"swap\": 134217728},\n"
	"      \"cpu\": {\"shares\": 512, \"quota\": 50000, \"period\": 100000, \"cpus\": \"0\", \"mems\": \"0\"},\n"
	"      \"pids\": {\"limit\": 50},\n"
	"      \"blockIO\": {\"weight\": 300, \"throttleReadBpsDevice\": [{\"major\": 8, \"minor\": 0, \"rate\": 1048576}]}\n"
	"    },\n"
	"    \"cgroupsPath\": \"/docker/x\",\n"
	"    \"namespaces\": [{\"type\": \"mount\"}, {\"type\": \"network\"}, {\"type\": \"uts\"}, {\"type\": \"pid\"}, {\"type\": \"ipc\"}],\n"
	"    \"maskedPaths\": [\"/proc/kcore\", \"/sys/firmware\"],\n"
	"    \"readonlyPaths\": [\"/proc/sys\"],\n"
	"    \"sysctl\": {\"net.ipv4.ping_group_range\": \"0 2147483647\"},\n"
	"    \"seccomp\": {\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": []},\n"
	"    \"Frobnicate\": {\"unknown\": [1, 2]}\n"
	"  }\n"
	"}\n";

static void test_docker_config(void **state)
{
	(void)state;
	struct sc_oci_config *c = parse_ok(docker_config);
	assert_int_equal(c->n_args, 3);
	assert_string_equal(c->args[1], "-c");
	assert_int_equal(c->n_env, 2);
	assert_int_equal(c->uid, 1000);
	assert_int_equal(c->gid, 100);
	assert_int_equal(c->n_additional_gids, 1);
	assert_int_equal(c->additional_gids[0], 5);
	/* an unknown capability name is skipped, as runc does */
	assert_true(c->caps[SC_CAPS_BOUNDING] == (SC_CAP_SET(sc_cap_from_name("CHOWN")) | SC_CAP_SET(sc_cap_from_name("KILL"))));
	assert_int_equal(c->n_rlimits, 1);
	assert_int_equal(c->rlimits[0].resource, RLIMIT_NOFILE);
	assert_true(c->rlimits[0].soft == 1024 && c->rlimits[0].hard == 1048576);
	assert_true(c->has_oom_score_adj);
	assert_int_equal(c->oom_score_adj, -500);
	assert_true(c->no_new_privileges);
	assert_true(c->terminal);
	assert_int_equal(c->console_width, 80);
	assert_string_equal(c->apparmor_profile, "docker-default");
	assert_true(c->root_readonly);
	assert_string_equal(c->hostname, "h");
	assert_int_equal(c->n_mounts, 3);
	assert_string_equal(c->mounts[1].destination, "/etc/hosts");
	assert_int_equal(c->mounts[1].loc.line, 20);
	assert_int_equal(c->n_hooks[SC_HOOK_PRESTART], 1);
	assert_int_equal(c->hooks[SC_HOOK_PRESTART][0].timeout, 5);
	assert_string_equal(sc_oci_annotation(c, "org.example"), "yes");
	assert_null(sc_oci_annotation(c, "nope"));
	assert_true(c->limits.set & SC_LIMIT_MEMORY);
	assert_int_equal(c->limits.memory, 67108864);
	assert_int_equal(c->limits.memory_swap, 134217728);
	assert_int_equal(c->limits.cpu_shares, 512);
	assert_int_equal(c->limits.cpu_quota, 50000);
	assert_string_equal(c->limits.cpuset_cpus, "0");
	assert_string_equal(c->limits.cpuset_mems, "0");
	assert_true(c->limits.set & SC_LIMIT_CPUSET_MEMS);
	assert_int_equal(c->limits.pids_limit, 50);
	assert_int_equal(c->limits.blkio_weight, 300);
	assert_int_equal(c->limits.n_read_bps, 1);
	assert_int_equal(c->limits.read_bps[0].major, 8);
	assert_false(c->devices_allow_all);
	assert_int_equal(c->device_rules[0].type, 'c');
	assert_int_equal(c->device_rules[0].minor, 5);
	assert_int_equal(c->device_rules[1].type, 0);
	assert_string_equal(c->cgroups_path, "/docker/x");
	assert_int_equal(c->namespaces, SC_NS_MOUNT | SC_NS_NET | SC_NS_UTS | SC_NS_PID | SC_NS_IPC);
	assert_int_equal(c->n_masked_paths, 2);
	assert_int_equal(c->n_readonly_paths, 1);
	assert_int_equal(c->n_sysctl, 1);
	assert_string_equal(c->sysctl[0].value, "0 2147483647");
	assert_true(c->has_seccomp);
	sc_oci_config_free(c);
}

/* Keys match as Go's encoding/json matches them: case-insensitively, the last duplicate winning. */
static void test_go_keys(void **state)
{
	(void)state;
	struct sc_oci_config *c = parse_ok("{\"ROOT\": {\"path\": \"r\"}, \"Process\": {\"Args\": [\"a\"], \"cwd\": \"/x\", "
					   "\"cwd\": \"/y\"}, \"hostname\": null}");
	assert_string_equal(c->args[0], "a");
	assert_string_equal(c->cwd, "/y");
	assert_null(c->hostname);
	sc_oci_config_free(c);
}

struct bad {
	const char *text;
	const char *msg;   /* the error, exactly */
};

static const struct bad bad_rows[] = {
	{ "{\"root\": {\"path\": \"r\"}, \"process\": {\"args\": \"sh\"}}",
	  "config.json:1:45: process.args: expected an array of strings, got a string" },
	{ "{\"root\": {\"path\": \"r\"},\n \"process\": {\"args\": [\"sh\"], \"user\": {\"uid\": -1}}}",
	  "config.json:2:46: process.user.uid: -1 is out of range" },
	{ "{\"root\": {\"path\": \"r\"}, \"process\": {\"args\": [\"sh\"], \"terminal\": \"yes\"}}",
	  "config.json:1:65: process.terminal: expected a boolean, got a string" },
	{ "{\"root\": {\"path\": \"r\"}, \"process\": {\"args\": [\"sh\"], \"rlimits\": [{\"type\": \"RLIMIT_NOPE\"}]}}",
	  "config.json:1:65: process.rlimits[0]: unknown rlimit type \"RLIMIT_NOPE\"" },
	{ "{\"root\": {\"path\": \"r\"}, \"process\": {\"args\": []}}",
	  "config.json:1:36: process.args: args must not be empty" },
	{ "{\"root\": {\"path\": \"r\"}, \"process\": {\"args\": [\"sh\"], \"cwd\": \"rel\"}}",
	  "config.json:1:60: process.cwd: cwd \"rel\" is not an absolute path" },
	{ "{\"process\": {\"args\": [\"sh\"]}}", "config.json:1:1: root.path: the root filesystem is not given" },
	{ "{\"root\": {\"path\": \"r\"}}", "config.json:1:1: process: the config has no process to run" },
	{ "{\"root\": {\"path\": \"r\"}, \"process\": {\"args\": [\"sh\"]}, \"mounts\": [{\"destination\": \"rel\"}]}",
	  "config.json:1:81: mounts[0]: mount destination rel is not an absolute path" },
	{ "{\"root\": {\"path\": \"r\"}, \"process\": {\"args\": [\"sh\"]}, \"linux\": {\"namespaces\": [{\"type\": \"pid\"}, {\"type\": \"pid\"}]}}",
	  "config.json:1:96: linux.namespaces[1]: malformed spec file: duplicated ns \"pid\"" },
	{ "{\"root\": {\"path\": \"r\"}, \"process\": {\"args\": [\"sh\"]}, \"linux\": {\"namespaces\": [{\"type\": \"nope\"}]}}",
	  "config.json:1:79: linux.namespaces[0]: namespace type \"nope\" is not supported" },
	{ "{\"root\": {\"path\": \"r\"}, \"process\": {\"args\": [\"sh\"]}, \"linux\": {\"resources\": {\"pids\": {\"limit\": 1.5}}}}",
	  "config.json:1:96: linux.resources.pids.limit: expected an integer, got 1.5" },
	{ "{\"root\": {\"path\": \"r\"}, \"process\": {\"args\": [\"sh\"]}, \"linux\": {\"rootfsPropagation\": \"sideways\"}}",
	  "config.json:1:85: linux.rootfsPropagation: invalid rootfs propagation \"sideways\"" },
	{ "{\"root\": {\"path\": \"r\"}, \"process\": {\"args\": [\"sh\"]}, \"hooks\": {\"prestart\": [{\"path\": \"rel\"}]}}",
	  "config.json:1:77: hooks.prestart[0]: a hook needs an absolute path" },
	{ "{\"root\": {\"path\": \"r\"}, \"process\": {\"args\": [\"sh\"]}, \"linux\": {\"seccomp\": []}}",
	  "config.json:1:75: linux.seccomp: expected an object, got an array" },
	{ "[1]", "config.json:1:1: (top): expected an object, got an array" },
	{ "{\"root\": {\"path\": \"r\"}, \"process\": {\"args\": [\"sh\"]},\n \"linux\": {\"resources\": {\"unified\": {\"a/b\": \"1\"}}}}",
	  "config.json:2:37: linux.resources.unified: unified resource \"a/b\" must be a file name (no slashes)" },
	{ "{\"root\": {\"path\": \"r\"}, \"process\": {\"args\": [\"sh\"]},\n \"linux\": {\"resources\": {\"unified\": {\"pids.max\": 1}}}}",
	  "config.json:2:50: linux.resources.unified.pids.max: expected a string, got a number" },
	{ "{\"root\": {\"path\": \"r\"}, \"process\": {\"args\": [\"sh\"]},\n \"linux\": {\"devices\": [{\"path\": \"/dev/x\", \"type\": \"q\"}]}}",
	  "config.json:2:24: linux.devices[0]: invalid device type \"q\"" },
	{ "{\"root\": {\"path\": \"r\"}, \"process\": {\"args\": [\"sh\"]},\n \"linux\": {\"devices\": [{\"path\": \"/dev/x\", \"type\": \"b\", \"major\": 7}]}}",
	  "config.json:2:24: linux.devices[0]: device /dev/x needs its major and minor numbers" },
	{ "{\"root\": {\"path\": \"r\"}, \"process\": {\"args\": [\"sh\"]},\n \"linux\": {\"devices\": [{\"path\": \"x\", \"type\": \"c\"}]}}",
	  "config.json:2:24: linux.devices[0]: a device needs an absolute path" },
	/* each array of objects, its item and its fields named */
	{ "{\"root\": {\"path\": \"r\"}, \"process\": {\"args\": [\"sh\"]}, \"mounts\": {}}",
	  "config.json:1:64: .mounts: expected an array, got an object" },
	{ "{\"root\": {\"path\": \"r\"}, \"process\": {\"args\": [\"sh\"]}, \"mounts\": [{\"destination\": \"/m\"}, 7]}",
	  "config.json:1:88: mounts[1]: expected an object, got a number" },
	{ "{\"root\": {\"path\": \"r\"}, \"process\": {\"args\": [\"sh\"]}, \"hooks\": {\"poststop\": {}}}",
	  "config.json:1:76: hooks.poststop: expected an array, got an object" },
	{ "{\"root\": {\"path\": \"r\"}, \"process\": {\"args\": [\"sh\"]}, \"hooks\": {\"poststop\": [\"x\"]}}",
	  "config.json:1:77: hooks.poststop[0]: expected an object, got a string" },
	/* the spec: a hook's timeout, if set, MUST be greater than zero */
	{ "{\"root\": {\"path\": \"r\"}, \"process\": {\"args\": [\"sh\"]}, \"hooks\": {\"poststop\": [{\"path\": \"/x\", \"timeout\": 0}]}}",
	  "config.json:1:103: hooks.poststop[0].timeout: 0 is out of range" },
	{ "{\"root\": {\"path\": \"r\"}, \"process\": {\"args\": [\"sh\"], \"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"hard\": \"x\"}]}}",
	  "config.json:1:99: process.rlimits[0].hard: expected an integer, got a string" },
	{ "{\"root\": {\"path\": \"r\"}, \"process\": {\"args\": [\"sh\"], \"rlimits\": [\"x\"]}}",
	  "config.json:1:65: process.rlimits[0]: expected an object, got a string" },
	{ "{\"root\": {\"path\": \"r\"}, \"process\": {\"args\": [\"sh\"]}, \"linux\": {\"namespaces\": [{\"type\": \"network\", \"path\": \"rel\"}]}}",
	  "config.json:1:107: linux.namespaces[0]: namespace path rel is not absolute" },
	{ "{\"root\": {\"path\": \"r\"}, \"process\": {\"args\": [\"sh\"]}, \"linux\": {\"namespaces\": {}}}",
	  "config.json:1:78: linux.namespaces: expected an array, got an object" },
	{ "{\"root\": {\"path\": \"r\"}, \"process\": {\"args\": [\"sh\"]}, \"linux\": {\"resources\": {\"devices\": [1]}}}",
	  "config.json:1:90: linux.resources.devices[0]: expected an object, got a number" },
	{ "{\"root\": {\"path\": \"r\"}, \"process\": {\"args\": [\"sh\"]}, \"linux\": {\"resources\": {\"devices\": [{\"allow\": true, \"type\": \"c\", \"access\": \"rwx\"}]}}}",
	  "config.json:1:90: linux.resources.devices[0]: invalid device access \"rwx\"" },
	{ "{\"root\": {\"path\": \"r\"}, \"process\": {\"args\": [\"sh\"]}, \"linux\": {\"resources\": {\"devices\": [{\"allow\": true, \"major\": \"1\"}]}}}",
	  "config.json:1:115: linux.resources.devices[0].major: expected an integer, got a string" },
	{ "{\"root\": {\"path\": \"r\"}, \"process\": {\"args\": [\"sh\"]}, \"linux\": {\"resources\": {\"blockIO\": {\"throttleReadBpsDevice\": [{\"major\": -1}]}}}}",
	  "config.json:1:126: linux.resources.blockIO.throttleReadBpsDevice[0].major: -1 is out of range" },
	{ "{\"root\": {\"path\": \"r\"}, \"process\": {\"args\": [\"sh\"]}, \"linux\": {\"resources\": {\"blockIO\": {\"throttleWriteBpsDevice\": [null]}}}}",
	  "config.json:1:117: linux.resources.blockIO.throttleWriteBpsDevice[0]: expected an object, got null" },
	{ "{\"root\": {\"path\": \"r\"}, \"process\": {\"args\": [\"sh\"]}, \"linux\": {\"devices\": [{\"path\": \"/dev/x\", \"type\": \"c\", \"major\": 1, \"minor\": 2, \"uid\": -3}]}}",
	  "config.json:1:139: linux.devices[0].uid: -3 is out of range" },
	{ "{\"root\": {\"path\": \"r\"}, \"process\": {\"args\": [\"sh\"]}, \"linux\": {\"uidMappings\": [\"0 0 1\"]}}",
	  "config.json:1:80: linux.uidMappings[0]: expected an object, got a string" },
	{ "{\"root\": {\"path\": \"r\"}, \"process\": {\"args\": [\"sh\"]}, \"linux\": {\"gidMappings\": [{\"size\": true}]}}",
	  "config.json:1:89: linux.gidMappings[0].size: expected an integer, got a boolean" },
	/* id mappings, a mount's and the container's, as the kernel takes a uid_map */
	{ "{\"root\": {\"path\": \"r\"}, \"process\": {\"args\": [\"sh\"]},\n \"mounts\": [{\"destination\": \"/m\", \"source\": \"/s\",\n"
	  "  \"uidMappings\": [{\"containerID\": 0, \"hostID\": 1000, \"size\": 0}], \"gidMappings\": []}]}",
	  "config.json:3:19: mounts[0].uidMappings[0]: size 0 maps no id" },
	{ "{\"root\": {\"path\": \"r\"}, \"process\": {\"args\": [\"sh\"]},\n \"mounts\": [{\"destination\": \"/m\", \"source\": \"/s\",\n"
	  "  \"uidMappings\": [{\"containerID\": 0, \"hostID\": 4294967295, \"size\": 1}]}]}",
	  "config.json:3:19: mounts[0].uidMappings[0]: the range of 1 ids from hostID 4294967295 passes the last id, "
	  "4294967294" },
	{ "{\"root\": {\"path\": \"r\"}, \"process\": {\"args\": [\"sh\"]},\n \"mounts\": [{\"destination\": \"/m\", \"source\": \"/s\",\n"
	  "  \"gidMappings\": [{\"containerID\": 4294967200, \"hostID\": 0, \"size\": 96}]}]}",
	  "config.json:3:19: mounts[0].gidMappings[0]: the range of 96 ids from containerID 4294967200 passes the "
	  "last id, 4294967294" },
	{ "{\"root\": {\"path\": \"r\"}, \"process\": {\"args\": [\"sh\"]},\n \"mounts\": [{\"destination\": \"/m\", \"source\": \"/s\",\n"
	  "  \"uidMappings\": [{\"containerID\": 0, \"hostID\": 1000, \"size\": 10}, {\"containerID\": 20, \"hostID\": 1005, \"size\": 1}]}]}",
	  "config.json:3:67: mounts[0].uidMappings[1]: its hostID range overlaps that of uidMappings[0]" },
	{ "{\"root\": {\"path\": \"r\"}, \"process\": {\"args\": [\"sh\"]},\n \"mounts\": [{\"destination\": \"/m\", \"source\": \"/s\",\n"
	  "  \"uidMappings\": [{\"containerID\": 0, \"hostID\": 1000, \"size\": 1}]}]}",
	  "config.json:3:18: mounts[0].uidMappings: given without gidMappings: an id-mapped mount needs both" },
	{ "{\"root\": {\"path\": \"r\"}, \"process\": {\"args\": [\"sh\"]},\n \"mounts\": [{\"destination\": \"/m\", \"source\": \"/s\",\n"
	  "  \"uidMappings\": [{\"containerID\": 0, \"hostID\": 1000, \"size\": 1}], \"gidMappings\": []}]}",
	  "config.json:3:82: mounts[0].gidMappings: no mapping given: an id-mapped mount needs uid and gid mappings both" },
	{ "{\"root\": {\"path\": \"r\"}, \"process\": {\"args\": [\"sh\"]},\n \"linux\": {\"namespaces\": [{\"type\": \"user\"}],"
	  " \"uidMappings\": [{\"containerID\": 0, \"hostID\": 1000, \"size\": 0}]}}",
	  "config.json:2:62: linux.uidMappings[0]: size 0 maps no id" },
	/* resources this runtime has no cgroup writer for: refused where they stand */
	{ "{\"root\": {\"path\": \"r\"}, \"process\": {\"args\": [\"sh\"]}, \"linux\": {\"resources\": {\"hugepageLimits\": [{\"pageSize\": \"2MB\", \"limit\": 1}]}}}",
	  "config.json:1:96: linux.resources.hugepageLimits: cannot set hugetlb limit: not supported by this runtime" },
	{ "{\"root\": {\"path\": \"r\"}, \"process\": {\"args\": [\"sh\"]}, \"linux\": {\"resources\": {\"memory\": {\"kernel\": 1048576}}}}",
	  "config.json:1:99: linux.resources.memory.kernel: cannot set kernel memory limit: not supported by this runtime" },
	{ "{\"root\": {\"path\": \"r\"}, \"process\": {\"args\": [\"sh\"]}, \"linux\": {\"resources\": {\"memory\": {\"swappiness\": 101}}}}",
	  "config.json:1:103: linux.resources.memory.swappiness: invalid memory swappiness value: 101 (valid range is 0-100)" },
	{ "{\"root\": {\"path\": \"r\"}, \"process\": {\"args\": [\"sh\"]}, \"linux\": {\"resources\": {\"network\": {\"classID\": 1}}}}",
	  "config.json:1:101: linux.resources.network.classID: cannot set net_cls classid: not supported by this runtime" },
	{ "{\"root\": {\"path\": \"r\"}, \"process\": {\"args\": [\"sh\"]}, \"linux\": {\"resources\": {\"blockIO\": {\"weightDevice\": [{}]}}}}",
	  "config.json:1:106: linux.resources.blockIO.weightDevice: cannot set blkio weight per device: not supported by this runtime" },
	{ "{\"root\": {\"path\": \"r\"}, \"process\": {\"args\": [\"sh\"]}, \"linux\": {\"resources\": {\"cpu\": {\"burst\": 5}}}}",
	  "config.json:1:95: linux.resources.cpu.burst: cannot set CPU burst: not supported by this runtime" },
};

static void test_bad_rows(void **state)
{
	(void)state;
	size_t wrong = 0;   /* every row's, before the verdict */
	for (size_t i = 0; i < sizeof(bad_rows) / sizeof(bad_rows[0]); i++) {
		struct sc_oci_config *c = NULL;
		struct sc_error err = {0};
		int r = sc_oci_config_parse(bad_rows[i].text, strlen(bad_rows[i].text), "config.json", &c, &err);
		if (r == 0 || strcmp(err.msg, bad_rows[i].msg) != 0) {
			fprintf(stderr, "row %zu: got \"%s\"\n", i, err.msg);
			wrong++;
		}
		sc_oci_config_free(c);
	}
	assert_int_equal(wrong, 0);
}

static void test_resources_honoured(void **state)
{
	(void)state;
	struct sc_oci_config *c = parse_ok(
		"{\"root\": {\"path\": \"r\"}, \"process\": {\"args\": [\"sh\"]}, \"linux\": {\"resources\": {"
		"\"memory\": {\"swappiness\": 0, \"disableOOMKiller\": true, \"kernel\": 0},"
		"\"cpu\": {\"realtimePeriod\": 1000000, \"realtimeRuntime\": 950000, \"mems\": \"0-1\", \"idle\": 0},"
		"\"hugepageLimits\": [], \"network\": {\"priorities\": []}, \"blockIO\": {\"weight\": 0}}}}");
	unsigned want = SC_LIMIT_MEMORY_SWAPPINESS | SC_LIMIT_OOM_KILL_DISABLE | SC_LIMIT_CPU_RT_PERIOD |
			SC_LIMIT_CPU_RT_RUNTIME | SC_LIMIT_CPUSET_MEMS;
	assert_int_equal(c->limits.set, want);
	assert_int_equal(c->limits.memory_swappiness, 0);
	assert_int_equal(c->limits.cpu_rt_period, 1000000);
	assert_int_equal(c->limits.cpu_rt_runtime, 950000);
	assert_string_equal(c->limits.cpuset_mems, "0-1");
	sc_oci_config_free(c);
	/* swappiness -1, in either spelling, is not set (as runc reads it) */
	c = parse_ok("{\"root\": {\"path\": \"r\"}, \"process\": {\"args\": [\"sh\"]}, \"linux\": {\"resources\": {"
		     "\"memory\": {\"swappiness\": 18446744073709551615, \"disableOOMKiller\": false}}}}");
	assert_int_equal(c->limits.set, 0);
	sc_oci_config_free(c);
}

static void test_to_spec(void **state)
{
	(void)state;
	char cfg[] = "{\"root\": {\"path\": \"/\"}, \"process\": {\"args\": [\"sh\"], \"env\": [\"A=1\"],"
		     " \"user\": {\"uid\": 7, \"gid\": 8}, \"capabilities\": {\"bounding\": [\"CAP_KILL\"]}},"
		     " \"hostname\": \"h\", \"mounts\": [{\"destination\": \"/proc\", \"type\": \"proc\"},"
		     " {\"destination\": \"/v\", \"source\": \"rel\", \"options\": [\"rbind\", \"ro\"]}],"
		     " \"linux\": {\"namespaces\": [{\"type\": \"mount\"}, {\"type\": \"uts\"}],"
		     " \"maskedPaths\": [\"/proc/kcore\"], \"readonlyPaths\": [\"/proc/sys\"]}}";
	struct sc_oci_config *c = parse_ok(cfg);
	struct sc_spec s;
	struct sc_error err = {0};
	assert_int_equal(sc_oci_to_spec(c, "/bundle", false, false, &s, &err), 0);
	assert_string_equal(s.process.args[0], "sh");
	assert_string_equal(s.process.env[0], "A=1");
	assert_string_equal(s.process.user, "7:8");
	assert_true(s.process.stdin_open);
	assert_true(s.process.caps == SC_CAP_SET(sc_cap_from_name("KILL")));
	assert_string_equal(s.hostname, "h");
	assert_int_equal(s.net, SC_NET_HOST);
	/* /proc is the launcher's; the bind is relative to the bundle; masks come after */
	assert_int_equal(s.n_mounts, 3);
	assert_int_equal(s.mounts[0].kind, SC_MOUNT_OCI);
	assert_null(s.mounts[0].fstype);
	assert_string_equal(s.mounts[0].source, "/bundle/rel");
	assert_true(s.mounts[0].flags == (MS_BIND | MS_REC | MS_RDONLY));
	assert_true(s.mounts[0].readonly);
	assert_int_equal(s.mounts[1].kind, SC_MOUNT_MASK);
	assert_int_equal(s.mounts[2].kind, SC_MOUNT_READONLY);
	assert_false(s.privileged);
	assert_false(s.seccomp.confined);
	sc_spec_free(&s);
	sc_oci_config_free(c);
}

/* Refused in the translation (what the file says is readable, but cannot be honoured as given). */
static const struct bad spec_rows[] = {
	{ "{\"root\": {\"path\": \"/\"}, \"process\": {\"args\": [\"sh\"]},\n"
	  " \"linux\": {\"namespaces\": [{\"type\": \"mount\"}, {\"type\": \"user\"}]}}",
	  "config.json:2:46: linux.namespaces: user namespaces enabled, but no namespace path to join nor "
	  "mappings to apply specified" },
	{ "{\"root\": {\"path\": \"/\"}, \"process\": {\"args\": [\"sh\"]},\n"
	  " \"linux\": {\"namespaces\": [{\"type\": \"mount\"}, {\"type\": \"pid\"},\n"
	  "  {\"type\": \"user\", \"path\": \"/proc/self/ns/user\"}]}}",
	  "config.json:2:46: linux.namespaces: a new pid namespace with a joined user namespace is not "
	  "supported here (join its pid or mount namespace too)" },
	{ "{\"root\": {\"path\": \"/\"}, \"process\": {\"args\": [\"sh\"]},\n"
	  " \"linux\": {\"namespaces\": [{\"type\": \"mount\"}, {\"type\": \"network\", \"path\": \"/nonexistent/net\"}]}}",
	  "config.json:2:46: linux.namespaces: cannot open the namespace /nonexistent/net: No such file or directory" },
	{ "{\"root\": {\"path\": \"/\"}, \"process\": {\"args\": [\"sh\"]}, \"linux\": {\"namespaces\": [{\"type\": \"mount\"}]},\n"
	  " \"mounts\": [{\"destination\": \"/m\", \"type\": \"nosuchfs\", \"source\": \"x\"}]}",
	  "config.json:2:13: mounts[0]: unknown filesystem type \"nosuchfs\" for /m" },
	{ "{\"root\": {\"path\": \"/\"}, \"process\": {\"args\": [\"sh\"]}, \"linux\": {\"namespaces\": [{\"type\": \"mount\"}]},\n"
	  " \"mounts\": [{\"destination\": \"/m\", \"options\": [\"rbind\"]}]}",
	  "config.json:2:13: mounts[0]: a bind mount needs a source" },
	{ "{\"root\": {\"path\": \"/\"}, \"process\": {\"args\": [\"sh\"]}, \"linux\": {\"namespaces\": [{\"type\": \"mount\"}]},\n"
	  " \"mounts\": [{\"destination\": \"/m\", \"source\": \"/s\", \"options\": [\"rbind\", \"idmap\"]}]}",
	  "config.json:2:13: mounts[0]: option idmap or ridmap without uidMappings and gidMappings needs the "
	  "container's user namespace to take them from (it has none)" },
	{ "{\"root\": {\"path\": \"/\"}, \"process\": {\"args\": [\"sh\"]}, \"linux\": {\"namespaces\": [{\"type\": \"mount\"}]},\n"
	  " \"mounts\": [{\"destination\": \"/m\", \"type\": \"tmpfs\", \"source\": \"tmpfs\",\n"
	  "   \"uidMappings\": [{\"containerID\": 0, \"hostID\": 1000, \"size\": 1}],"
	  " \"gidMappings\": [{\"containerID\": 0, \"hostID\": 1000, \"size\": 1}]}]}",
	  "config.json:3:19: mounts[0].uidMappings: id-mapped mounts are only supported for bind mounts" },
	{ "{\"root\": {\"path\": \"/\"}, \"process\": {\"args\": [\"sh\"]}, \"linux\": {\"namespaces\": [{\"type\": \"mount\"}]},\n"
	  " \"mounts\": [{\"destination\": \"/m\", \"type\": \"proc\", \"source\": \"proc\", \"options\": [\"ridmap\"]}]}",
	  "config.json:2:13: mounts[0]: id-mapped mounts are only supported for bind mounts" },
	{ "{\"root\": {\"path\": \"/\"}, \"process\": {\"args\": [\"sh\"]}, \"linux\": {\"namespaces\": [{\"type\": \"mount\"}]},\n"
	  " \"mounts\": [{\"destination\": \"/m\", \"source\": \"/s\", \"options\": [\"rbind\", \"idmap=uids=0-1-10;gids=0-100-10\"]}]}",
	  "config.json:2:13: mounts[0]: option idmap=uids=0-1-10;gids=0-100-10: crun's mapping syntax is not read here "
	  "(give the mount uidMappings and gidMappings)" },
};

static void test_to_spec_refusals(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(spec_rows) / sizeof(spec_rows[0]); i++) {
		struct sc_oci_config *c = parse_ok(spec_rows[i].text);
		struct sc_spec s;
		struct sc_error err = {0};
		int r = sc_oci_to_spec(c, "/bundle", false, false, &s, &err);
		if (r == 0 || strcmp(err.msg, spec_rows[i].msg) != 0)
			fprintf(stderr, "row %zu: got \"%s\"\n", i, err.msg);
		assert_true(r < 0);
		assert_string_equal(err.msg, spec_rows[i].msg);
		sc_oci_config_free(c);
	}
}

/* Mount options as runc's parseMountOptions reads them: one row per mount. */
static const struct {
	const char *mount;
	const char *fstype, *data;
	unsigned long flags, cleared;
	unsigned long prop0, prop1;
	uint64_t attr_set, attr_clr;
} mount_rows[] = {
	{ "{\"destination\": \"/m\", \"type\": \"tmpfs\", \"source\": \"tmpfs\", \"options\": [\"nosuid\", \"size=1m\", \"mode=700\", \"noexec\"]}",
	  "tmpfs", "size=1m,mode=700", MS_NOSUID | MS_NOEXEC, 0, 0, 0, 0, 0 },
	{ "{\"destination\": \"/m\", \"type\": \"overlay\", \"source\": \"overlay\", \"options\": [\"lowerdir=/a\", \"upperdir=/b\", \"workdir=/c\", \"ro\", \"rw\"]}",
	  "overlay", "lowerdir=/a,upperdir=/b,workdir=/c", 0, MS_RDONLY, 0, 0, 0, 0 },
	{ "{\"destination\": \"/m\", \"source\": \"/s\", \"options\": [\"bind\", \"rslave\", \"private\", \"rro\", \"rnoatime\"]}",
	  NULL, NULL, MS_BIND, 0, MS_SLAVE | MS_REC, MS_PRIVATE, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOATIME, MOUNT_ATTR__ATIME },
	{ "{\"destination\": \"/m\", \"type\": \"bind\", \"source\": \"/s\", \"options\": [\"rshared\", \"tmpcopyup\"]}",
	  NULL, NULL, MS_BIND | MS_REC, 0, MS_SHARED | MS_REC, 0, 0, 0 },
	{ "{\"destination\": \"/m\", \"type\": \"mqueue\", \"source\": \"mqueue\", \"options\": [\"nosuid\", \"nodev\", \"rro\", \"rrw\"]}",
	  "mqueue", NULL, MS_NOSUID | MS_NODEV, 0, 0, 0, 0, MOUNT_ATTR_RDONLY },
};

static void test_mount_options(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(mount_rows) / sizeof(mount_rows[0]); i++) {
		char text[1024];
		snprintf(text, sizeof(text), "{\"root\": {\"path\": \"/\"}, \"process\": {\"args\": [\"sh\"]},"
			 " \"linux\": {\"namespaces\": [{\"type\": \"mount\"}]}, \"mounts\": [%s]}", mount_rows[i].mount);
		struct sc_oci_config *c = parse_ok(text);
		struct sc_spec s;
		struct sc_error err = {0};
		assert_int_equal(sc_oci_to_spec(c, "/bundle", false, false, &s, &err), 0);
		assert_int_equal(s.n_mounts, 1);
		const struct sc_mount *m = &s.mounts[0];
		assert_int_equal(m->kind, SC_MOUNT_OCI);
		if (mount_rows[i].fstype)
			assert_string_equal(m->fstype, mount_rows[i].fstype);
		else
			assert_null(m->fstype);
		if (mount_rows[i].data)
			assert_string_equal(m->options, mount_rows[i].data);
		else
			assert_null(m->options);
		assert_int_equal(m->flags, mount_rows[i].flags);
		assert_int_equal(m->cleared, mount_rows[i].cleared);
		assert_int_equal(m->propagation[0], mount_rows[i].prop0);
		assert_int_equal(m->propagation[1], mount_rows[i].prop1);
		assert_int_equal(m->attr_set, mount_rows[i].attr_set);
		assert_int_equal(m->attr_clr, mount_rows[i].attr_clr);
		sc_spec_free(&s);
		sc_oci_config_free(c);
	}
}

/* linux.devices as runc reads them: u is c, fileMode 0666 when absent and without its type bits. */
static void test_to_spec_devices(void **state)
{
	(void)state;
	struct sc_oci_config *c = parse_ok("{\"root\": {\"path\": \"/\"}, \"process\": {\"args\": [\"sh\"]},"
		" \"linux\": {\"namespaces\": [{\"type\": \"mount\"}], \"devices\": ["
		"{\"path\": \"/dev/a\", \"type\": \"u\", \"major\": 1, \"minor\": 3, \"fileMode\": 8630, \"uid\": 5, \"gid\": 6},"
		"{\"path\": \"/dev/b\", \"type\": \"p\"}]}}");
	struct sc_spec s;
	struct sc_error err = {0};
	assert_int_equal(sc_oci_to_spec(c, "/bundle", false, false, &s, &err), 0);
	assert_int_equal(s.n_devices, 2);
	assert_string_equal(s.devices[0].path, "/dev/a");
	assert_int_equal(s.devices[0].type, 'c');
	assert_int_equal(s.devices[0].major, 1);
	assert_int_equal(s.devices[0].minor, 3);
	assert_int_equal(s.devices[0].mode, 0666);   /* 8630 is S_IFCHR | 0666 */
	assert_int_equal(s.devices[0].uid, 5);
	assert_int_equal(s.devices[0].gid, 6);
	assert_int_equal(s.devices[1].type, 'p');
	assert_int_equal(s.devices[1].mode, 0666);
	sc_spec_free(&s);
	sc_oci_config_free(c);
}

/* Namespaces joined by path reach the spec, by their index. */
static void test_to_spec_joins(void **state)
{
	(void)state;
	struct sc_oci_config *c = parse_ok("{\"root\": {\"path\": \"/\"}, \"process\": {\"args\": [\"sh\"]},"
		" \"linux\": {\"namespaces\": [{\"type\": \"mount\"}, {\"type\": \"pid\", \"path\": \"/proc/self/ns/pid\"},"
		" {\"type\": \"cgroup\", \"path\": \"/proc/self/ns/cgroup\"}, {\"type\": \"network\"}]}}");
	struct sc_spec s;
	struct sc_error err = {0};
	assert_int_equal(sc_oci_to_spec(c, "/bundle", false, false, &s, &err), 0);
	assert_int_equal(s.namespaces, SC_NS_MOUNT | SC_NS_PID | SC_NS_CGROUP | SC_NS_NET);
	assert_string_equal(s.ns_path[sc_ns_index(SC_NS_PID)], "/proc/self/ns/pid");
	assert_string_equal(s.ns_path[sc_ns_index(SC_NS_CGROUP)], "/proc/self/ns/cgroup");
	assert_null(s.ns_path[sc_ns_index(SC_NS_NET)]);
	assert_null(s.ns_path[sc_ns_index(SC_NS_MOUNT)]);
	assert_int_equal(s.net, SC_NET_NONE);
	sc_spec_free(&s);
	sc_oci_config_free(c);
}

static void test_signals(void **state)
{
	(void)state;
	assert_int_equal(sc_oci_signal_from_name("9"), SIGKILL);
	assert_int_equal(sc_oci_signal_from_name("KILL"), SIGKILL);
	assert_int_equal(sc_oci_signal_from_name("SIGTERM"), SIGTERM);
	assert_int_equal(sc_oci_signal_from_name("sigusr1"), SIGUSR1);
	assert_int_equal(sc_oci_signal_from_name("RTMIN+1"), SIGRTMIN + 1);
	assert_true(sc_oci_signal_from_name("NOPE") < 0);
	assert_true(sc_oci_signal_from_name("0") < 0);
}

static void test_ids(void **state)
{
	(void)state;
	assert_true(sc_oci_id_valid("abc-1.2_x+y"));
	assert_false(sc_oci_id_valid(".."));
	assert_false(sc_oci_id_valid("a/b"));
	assert_false(sc_oci_id_valid(""));
}

static void test_default_spec_reads_back(void **state)
{
	(void)state;
	for (int rootless = 0; rootless < 2; rootless++) {
		char *text = sc_oci_default_spec(rootless);
		assert_non_null(text);
		struct sc_oci_config *c = parse_ok(text);
		assert_string_equal(c->args[0], "sh");
		assert_int_equal(!!(c->namespaces & SC_NS_USER), rootless);
		sc_oci_config_free(c);
		free(text);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_docker_config),
		cmocka_unit_test(test_go_keys),
		cmocka_unit_test(test_bad_rows),
		cmocka_unit_test(test_resources_honoured),
		cmocka_unit_test(test_to_spec),
		cmocka_unit_test(test_to_spec_refusals),
		cmocka_unit_test(test_to_spec_joins),
		cmocka_unit_test(test_to_spec_devices),
		cmocka_unit_test(test_mount_options),
		cmocka_unit_test(test_signals),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_default_spec_reads_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
