#!/usr/bin/env bats
# seclude-runc, the OCI runtime, driven the way engines drive it (runc's
# command line), without an engine: bundles made with `seclude-runc spec` on
# the busybox-static rootfs of rootfs.bash.
bats_require_minimum_version 1.5.0
load oci_bundle

# ---- the command line --------------------------------------------------------

@test "--version: seclude-runc version X, then the spec's version" {
	run "$RUNC" --version
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ ^seclude-runc\ version\ [0-9] ]]
	[[ "$output" == *$'\nspec: 1.'* ]]
}

@test "global flags before the verb, in both --flag value and --flag=value forms" {
	run "$RUNC" --root "$STATE" --log "$BATS_TEST_TMPDIR/log" --log-format json --debug --systemd-cgroup --rootless=false list -q
	[ "$status" -eq 0 ]
	run "$RUNC" --root="$STATE" --log="$BATS_TEST_TMPDIR/log" --log-format=text --rootless false list -q
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "an unknown global flag or verb is an error, exit 1" {
	run "$RUNC" --frobnicate list
	[ "$status" -eq 1 ]
	[[ "$output" == *"flag provided but not defined: --frobnicate"* ]]
	run "$RUNC" frobnicate
	[ "$status" -eq 1 ]
}

@test "state of an unknown id: runc's words, and a JSON line in the --log file" {
	run "$RUNC" --root "$STATE" --log "$BATS_TEST_TMPDIR/log.json" --log-format json state nosuch
	[ "$status" -eq 1 ]
	[[ "$output" == *"container does not exist"* ]]
	run jq -r 'select(.level == "error") | .msg' "$BATS_TEST_TMPDIR/log.json"
	[ "$output" = "container does not exist" ]
	run jq -r '.time' "$BATS_TEST_TMPDIR/log.json"
	[[ "$output" =~ ^20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]T ]]
}

@test "spec writes a config.json this runtime reads, and will not overwrite one" {
	run "$RUNC" spec --bundle "$BUNDLE"
	[ "$status" -eq 1 ]
	[[ "$output" == *"exists"* ]]
	rm "$BUNDLE/config.json"
	run "$RUNC" spec --rootless --bundle "$BUNDLE"
	[ "$status" -eq 0 ]
	run jq -r '.ociVersion, (.linux.namespaces | map(.type) | index("user") != null)' "$BUNDLE/config.json"
	[ "${lines[0]}" = 1.0.2 ]
	[ "${lines[1]}" = true ]
}

@test "features: JSON with the spec versions and seccomp" {
	run "$RUNC" features
	[ "$status" -eq 0 ]
	run jq -r '.ociVersionMin, .linux.seccomp.enabled, .linux.mountExtensions.idmap.enabled' <<<"$output"
	[ "${lines[0]}" = 1.0.0 ]
	[ "${lines[1]}" = true ]
	[ "${lines[2]}" = true ]
}

# ---- config.json errors --------------------------------------------------------

@test "config: a value of the wrong type is refused with file:line:col, nothing left behind" {
	cat > "$BUNDLE/config.json" <<EOF
{
  "ociVersion": "1.0.2",
  "root": { "path": "$ROOTFS" },
  "process": {
    "args": ["sh", 42],
    "cwd": "/"
  }
}
EOF
	run "$RUNC" --root "$STATE" create --bundle "$BUNDLE" bad
	[ "$status" -eq 1 ]
	[[ "$output" == *"$BUNDLE/config.json:5:20: process.args[1]: expected a string, got a number"* ]]
	[ ! -e "$STATE/bad" ]
}

@test "config: malformed JSON is located" {
	printf '{\n  "ociVersion": "1.0.2",\n  "root": {\n}}}\n' > "$BUNDLE/config.json"
	run "$RUNC" --root "$STATE" create --bundle "$BUNDLE" bad
	[ "$status" -eq 1 ]
	[[ "$output" == *"config.json:4:"* ]]
}

@test "config: unknown properties are ignored, as the spec requires" {
	edit '.frobnicate = {"x": 1} | .process.frob = [1] | .linux.frob = "y"'
	cmd true
	create u1
	[ "$(state_field u1 status)" = created ]
}

@test "config: a mount type the kernel does not know is refused, located" {
	edit '.mounts += [{"destination": "/mnt", "type": "nosuchfs", "source": "x", "options": []}]'
	run "$RUNC" --root "$STATE" create --bundle "$BUNDLE" m1
	[ "$status" -eq 1 ]
	[[ "$output" == *"config.json:"*": mounts[7]: unknown filesystem type \"nosuchfs\" for /mnt"* ]]
	[ ! -e "$STATE/m1" ]
}

@test "config: an selinux label is refused as runc refuses it on a host without SELinux" {
	edit '.process.selinuxLabel = "system_u:system_r:container_t:s0"'
	run "$RUNC" --root "$STATE" create --bundle "$BUNDLE" s1
	[ "$status" -eq 1 ]
	[[ "$output" == *"selinux label is specified in config, but selinux is disabled or not supported"* ]]
}

@test "config: a wrongly typed resource is refused, located" {
	edit '.linux.resources.memory = {"limit": "lots"}'
	run "$RUNC" --root "$STATE" create --bundle "$BUNDLE" r1
	[ "$status" -eq 1 ]
	[[ "$output" == *"linux.resources.memory.limit: expected an integer, got a string"* ]]
}

# ---- the lifecycle -------------------------------------------------------------

@test "create holds the process: nothing of the command runs before start" {
	mkdir "$BUNDLE/vol"
	edit --arg v "$BUNDLE/vol" '.mounts += [{"destination": "/vol", "type": "bind", "source": $v, "options": ["rbind"]}]'
	cmd sh -c 'echo ran > /vol/marker; echo out; echo err >&2'
	create h1 --pid-file "$BUNDLE/pid"
	pid=$(cat "$BUNDLE/pid")
	[ "$(state_field h1 status)" = created ]
	[ "$(state_field h1 pid)" = "$pid" ]
	kill -0 "$pid"
	[ ! -e "$BUNDLE/vol/marker" ]
	[ ! -s "$BUNDLE/h1.out" ]
	# no seclude process is left: the held process is the container's own, seclude's code before execve
	[ "$(ps -o ppid= -p "$pid" | tr -d ' ')" != "$$" ]
	run "$RUNC" --root "$STATE" start h1
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	wait_stopped h1
	[ "$(cat "$BUNDLE/vol/marker")" = ran ]
	[ "$(cat "$BUNDLE/h1.out")" = out ]
	[ "$(cat "$BUNDLE/h1.err")" = err ]
	[ "$(state_field h1 pid)" = 0 ]
	run "$RUNC" --root "$STATE" start h1
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot start a container that has stopped"* ]]
}

@test "state: the runtime-spec fields, nothing on stderr" {
	edit '.annotations = {"org.example.k": "v"}'
	cmd true
	create st1
	run --separate-stderr "$RUNC" --root "$STATE" state st1
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	run jq -r '.ociVersion, .id, .status, .bundle, .annotations["org.example.k"], (.pid > 0)' <<<"$output"
	[ "${lines[1]}" = st1 ]
	[ "${lines[2]}" = created ]
	[ "${lines[3]}" = "$BUNDLE" ]
	[ "${lines[4]}" = v ]
	[ "${lines[5]}" = true ]
}

@test "create: an id in use is refused; a bad id is refused" {
	cmd true
	create d1
	run "$RUNC" --root "$STATE" create --bundle "$BUNDLE" d1
	[ "$status" -eq 1 ]
	[[ "$output" == *"container with id exists: d1"* ]]
	run "$RUNC" --root "$STATE" create --bundle "$BUNDLE" ../x
	[ "$status" -eq 1 ]
	[[ "$output" == *"invalid container ID format"* ]]
}

@test "kill by name with and without SIG, and by number; then container not running" {
	cmd sleep 1000
	for sig in TERM SIGKILL 9; do
		create k1
		"$RUNC" --root "$STATE" start k1
		[ "$(state_field k1 status)" = running ]
		# pid 1 of its pid namespace ignores TERM without a handler: KILL ends it
		run "$RUNC" --root "$STATE" kill k1 "$sig"
		[ "$status" -eq 0 ]
		"$RUNC" --root "$STATE" kill k1 KILL || true
		wait_stopped k1
		run "$RUNC" --root "$STATE" kill k1 KILL
		[ "$status" -eq 1 ]
		[[ "$output" == *"container not running"* ]]
		"$RUNC" --root "$STATE" delete k1
	done
	run "$RUNC" --root "$STATE" kill k1 NOSUCHSIG
	[ "$status" -eq 1 ]
}

@test "kill --all and -a signal the whole cgroup" {
	cmd sh -c 'sleep 1000 & sleep 1000'
	create ka
	"$RUNC" --root "$STATE" start ka
	run "$RUNC" --root "$STATE" kill --all ka 9
	[ "$status" -eq 0 ]
	wait_stopped ka
	run "$RUNC" --root "$STATE" kill -a ka 9
	[ "$status" -eq 0 ]
}

@test "delete: a running container needs --force; a missing one is an error unless --force" {
	cmd sleep 1000
	create del1
	"$RUNC" --root "$STATE" start del1
	run "$RUNC" --root "$STATE" delete del1
	[ "$status" -eq 1 ]
	[[ "$output" == *"is not stopped: running"* ]]
	pid=$(state_field del1 pid)
	run "$RUNC" --root "$STATE" delete --force del1
	[ "$status" -eq 0 ]
	[ ! -e "$STATE/del1" ]
	! kill -0 "$pid" 2>/dev/null || [ "$(awk '{print $3}' /proc/$pid/stat)" = Z ]
	run "$RUNC" --root "$STATE" delete del1
	[ "$status" -eq 1 ]
	[[ "$output" == *"container does not exist"* ]]
	run "$RUNC" --root "$STATE" delete -f del1
	[ "$status" -eq 0 ]
}

@test "delete of a created container kills the held process" {
	cmd true
	create dc1 --pid-file "$BUNDLE/pid"
	pid=$(cat "$BUNDLE/pid")
	run "$RUNC" --root "$STATE" delete dc1
	[ "$status" -eq 0 ]
	! kill -0 "$pid" 2>/dev/null || [ "$(awk '{print $3}' /proc/$pid/stat)" = Z ]
}

# concurrent VERB...: each verb line run at once against the running container
# $1; the container's pid, cgroup and poststop count are checked afterwards
concurrent_case() {
	local id=$1 i=0 line pids=()
	shift
	create "$id"
	"$RUNC" --root "$STATE" start "$id"
	pid=$(state_field "$id" pid)
	cg=$(jq -r '.cgroup.v1.pids // .cgroup.dir' "$STATE/$id/state.json")
	[ -d "$cg" ]
	rm -f "$BUNDLE"/c[0-9].*
	for line in "$@"; do
		i=$((i + 1))
		# shellcheck disable=SC2086
		( rc=0; "$RUNC" --root "$STATE" $line 2>"$BUNDLE/c$i.err" || rc=$?; echo $rc >"$BUNDLE/c$i.rc" ) &
		pids+=($!)
	done
	# the verbs' own pids: a bare wait would also wait for bats's timeout countdown
	wait "${pids[@]}"
	[ ! -e "$STATE/$id" ]
	[ ! -d "$cg" ]
	! kill -0 "$pid" 2>/dev/null || [ "$(awk '{print $3}' /proc/$pid/stat)" = Z ]
	# poststop ran once: one delete did the work, the others found it done
	[ "$(wc -l < "$BUNDLE/poststop")" -eq 1 ]
	rm -f "$BUNDLE/poststop"
}

@test "concurrent verbs on one id: delete --force x3, kill with delete: one does the work, nothing left, runc's words" {
	printf '#!/bin/sh\necho stopped >> "%s/poststop"\n' "$BUNDLE" > "$BUNDLE/hook"
	chmod +x "$BUNDLE/hook"
	edit --arg h "$BUNDLE/hook" '.hooks = {"poststop": [{"path": $h}]}'
	cmd sleep 1000
	for round in 1 2 3 4 5; do
		concurrent_case cc "delete --force cc" "delete --force cc" "delete --force cc"
		for i in 1 2 3; do
			[ "$(cat "$BUNDLE/c$i.rc")" = 0 ]
			[ ! -s "$BUNDLE/c$i.err" ]
		done
		concurrent_case ck "kill ck KILL" "delete --force ck"
		[ "$(cat "$BUNDLE/c2.rc")" = 0 ] && [ ! -s "$BUNDLE/c2.err" ]
		# kill: done before the delete, or after it: runc's words
		[ "$(cat "$BUNDLE/c1.rc")" = 0 ] || grep -qx 'seclude-runc: container does not exist' "$BUNDLE/c1.err"
		[ "$(cat "$BUNDLE/c1.rc")" != 0 ] || [ ! -s "$BUNDLE/c1.err" ]
	done
}

@test "run: create, start and wait, with the command's exit status" {
	cmd sh -c 'echo hi; exit 7'
	run "$RUNC" --root "$STATE" run --bundle "$BUNDLE" r7
	[ "$status" -eq 7 ]
	[ "$output" = hi ]
	[ ! -e "$STATE/r7" ]
}

@test "config: process fields reach the command (env, cwd, user, groups, caps, rlimits, no_new_privs, hostname)" {
	edit '.process.env = ["PATH=/bin", "A=b"] | .process.cwd = "/tmp" | .process.user = {"uid": 1000, "gid": 100, "additionalGids": [5, 7]}
	      | .process.rlimits = [{"type": "RLIMIT_NOFILE", "hard": 123, "soft": 99}] | .hostname = "ocihost"
	      | .process.capabilities.bounding = ["CAP_KILL"] | .process.noNewPrivileges = true'
	cmd sh -c 'echo $A; pwd; id -u; id -G; ulimit -n; hostname; grep -E "^(CapBnd|NoNewPrivs)" /proc/self/status'
	run "$RUNC" --root "$STATE" run --bundle "$BUNDLE" p1
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = b ]
	[ "${lines[1]}" = /tmp ]
	[ "${lines[2]}" = 1000 ]
	[ "${lines[3]}" = "100 5 7" ]
	[ "${lines[4]}" = 99 ]
	[ "${lines[5]}" = ocihost ]
	[[ "${lines[6]}" == *0000000000000020 ]]
	[[ "${lines[7]}" == *1 ]]
}

@test "capabilities: the five sets give /proc/self/status's Cap* lines runc gives, root or not, no_new_privs or not" {
	command -v runc >/dev/null || skip "runc is not installed"
	local caps='{"bounding":["CAP_CHOWN","CAP_NET_BIND_SERVICE","CAP_KILL","CAP_SETUID","CAP_SETGID","CAP_SETPCAP"],
		"effective":["CAP_CHOWN"],"permitted":["CAP_CHOWN","CAP_NET_BIND_SERVICE"],
		"inheritable":["CAP_NET_BIND_SERVICE","CAP_KILL"],"ambient":["CAP_NET_BIND_SERVICE","CAP_KILL"]}'
	local nnp uid n=0
	for nnp in true false; do
		for uid in 0 1000; do
			n=$((n + 1))
			edit --argjson c "$caps" --argjson u $uid --argjson n $nnp \
				'.process.capabilities = $c | .process.user.uid = $u | .process.noNewPrivileges = $n'
			cmd grep ^Cap /proc/self/status
			runc --root "$BATS_TEST_TMPDIR/runc" run --bundle "$BUNDLE" "r$n" </dev/null >"$BUNDLE/runc.txt" 2>&1
			"$RUNC" --root "$STATE" run --bundle "$BUNDLE" "s$n" </dev/null >"$BUNDLE/seclude.txt" 2>&1
			grep -q CapAmb "$BUNDLE/runc.txt"
			diff "$BUNDLE/runc.txt" "$BUNDLE/seclude.txt"
		done
	done
	# and exec takes them from its process.json the same way
	edit --argjson c "$caps" '.process.capabilities = $c | .process.user.uid = 0 | .process.noNewPrivileges = true'
	cmd sleep 100
	create cx
	"$RUNC" --root "$STATE" start cx
	jq '.process | .args = ["grep", "^Cap", "/proc/self/status"]' "$BUNDLE/config.json" > "$BUNDLE/p.json"
	"$RUNC" --root "$STATE" exec --process "$BUNDLE/p.json" cx </dev/null >"$BUNDLE/exec.txt" 2>&1
	grep -qx "CapPrm:	0000000000000401" "$BUNDLE/exec.txt"
	grep -qx "CapAmb:	0000000000000400" "$BUNDLE/exec.txt"
}

@test "seccomp: Docker's default profile in linux.seccomp refuses unshare with EPERM" {
	edit --slurpfile p "$SRC/lib/profile/default.json" '.linux.seccomp = $p[0]'
	cmd sh -c 'unshare -m true; echo "rc=$?"; grep ^Seccomp: /proc/self/status'
	run "$RUNC" --root "$STATE" run --bundle "$BUNDLE" sc1
	[ "$status" -eq 0 ]
	[[ "$output" == *"Operation not permitted"* ]]
	[[ "$output" == *"rc=1"* ]]
	[[ "$output" == *"Seccomp:	2"* ]]
}

@test "seccomp: a located error inside linux.seccomp names config.json" {
	edit '.linux.seccomp = {"defaultAction": "SCMP_ACT_NOPE"}'
	run "$RUNC" --root "$STATE" create --bundle "$BUNDLE" sc2
	[ "$status" -eq 1 ]
	[[ "$output" == *"config.json:"*"defaultAction"* ]]
	[ ! -e "$STATE/sc2" ]
}

@test "pid file, ps --format json, pause and resume" {
	cmd sleep 1000
	create pp --pid-file "$BUNDLE/pid"
	"$RUNC" --root "$STATE" start pp
	run "$RUNC" --root "$STATE" ps --format json pp
	[ "$status" -eq 0 ]
	[ "$(jq -r '.[0]' <<<"$output")" = "$(cat "$BUNDLE/pid")" ]
	run "$RUNC" --root "$STATE" pause pp
	[ "$status" -eq 0 ]
	[ "$(state_field pp status)" = paused ]
	run "$RUNC" --root "$STATE" resume pp
	[ "$status" -eq 0 ]
	[ "$(state_field pp status)" = running ]
}

@test "--preserve-fds: fd 3 reaches the command open" {
	cmd sh -c 'cat <&3'
	echo through-fd-3 > "$BUNDLE/in"
	run "$RUNC" --root "$STATE" run --preserve-fds 1 --bundle "$BUNDLE" pf 3<"$BUNDLE/in"
	[ "$status" -eq 0 ]
	[ "$output" = through-fd-3 ]
}

@test "hooks: prestart and poststop run with the state on stdin" {
	cat > "$BUNDLE/hook" <<EOF
#!/bin/sh
cat > "$BUNDLE/hook.\$1"
EOF
	chmod +x "$BUNDLE/hook"
	edit --arg h "$BUNDLE/hook" '.hooks = {"prestart": [{"path": $h, "args": ["hook", "pre"]}],
		"poststart": [{"path": $h, "args": ["hook", "poststart"]}], "poststop": [{"path": $h, "args": ["hook", "post"]}]}'
	cmd true
	create hk
	run jq -r '.id, .status, (.pid > 0)' "$BUNDLE/hook.pre"
	[ "${lines[0]}" = hk ]
	[ "${lines[2]}" = true ]
	"$RUNC" --root "$STATE" start hk
	[ "$(jq -r .status "$BUNDLE/hook.poststart")" = running ]
	wait_stopped hk
	"$RUNC" --root "$STATE" delete hk
	[ "$(jq -r .status "$BUNDLE/hook.post")" = stopped ]
}

@test "a prestart hook that fails fails create, and nothing is left" {
	edit '.hooks = {"prestart": [{"path": "/bin/false"}]}'
	cmd true
	run "$RUNC" --root "$STATE" create --bundle "$BUNDLE" hf
	[ "$status" -eq 1 ]
	[[ "$output" == *"error running prestart hook /bin/false"* ]]
	[ ! -e "$STATE/hf" ]
}

@test "maskedPaths and readonlyPaths as the config lists them" {
	edit '.linux.maskedPaths = ["/proc/version", "/etc"] | .linux.readonlyPaths = ["/proc/sys", "/tmp"]'
	cmd sh -c 'ls /etc | wc -l; wc -c < /proc/version; touch /tmp/x 2>&1 || echo tmp-ro; grep " /proc/sys " /proc/mounts | grep -c " ro,"'
	run "$RUNC" --root "$STATE" run --bundle "$BUNDLE" mk
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 0 ]
	[ "${lines[1]}" = 0 ]
	[[ "$output" == *tmp-ro* ]]
	[ "${lines[-1]}" = 1 ]
}

@test "exec: attached with the process's status; detached with a pid file; the container's filter" {
	edit --slurpfile p "$SRC/lib/profile/default.json" '.linux.seccomp = $p[0]'
	cmd sleep 1000
	create ex
	"$RUNC" --root "$STATE" start ex
	run "$RUNC" --root "$STATE" exec ex sh -c 'echo in; unshare -m true 2>/dev/null || echo refused; exit 4'
	[ "$status" -eq 4 ]
	[ "${lines[0]}" = in ]
	[ "${lines[1]}" = refused ]
	jq -n '{args: ["sh", "-c", "echo $X > /tmp/detached; id -u >> /tmp/detached"], env: ["PATH=/bin", "X=y"], cwd: "/",
		user: {uid: 1000, gid: 1000}, capabilities: {bounding: ["CAP_KILL"]}}' > "$BUNDLE/process.json"
	run "$RUNC" --root "$STATE" exec --process "$BUNDLE/process.json" --detach --pid-file "$BUNDLE/exec.pid" ex
	[ "$status" -eq 0 ]
	[ -s "$BUNDLE/exec.pid" ]
	for i in $(seq 100); do
		run "$RUNC" --root "$STATE" exec ex cat /tmp/detached
		[ "${#lines[@]}" -lt 2 ] || break
		sleep 0.05
	done
	[ "${lines[0]}" = y ]
	[ "${lines[1]}" = 1000 ]
	run "$RUNC" --root "$STATE" exec ex nosuchcmd
	[ "$status" -ne 0 ]
	[[ "$output" == *'executable file not found in $PATH'* ]]
}

# in_pty ROWS COLS INPUT WAIT LATER CMD...: CMD on a terminal of its own
# (python's pty) of that size; INPUT typed into it, and LATER once the
# terminal has shown WAIT; then what it showed, and "status=N"
in_pty() {
	python3 - "$@" <<'PY'
import fcntl, os, pty, signal, struct, sys, termios
rows, cols, typed, wait, later, argv = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6:]
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    os.execv(argv[0], argv)
# a safety net, not a measure: a hung case must not hold the machine's test lock
signal.signal(signal.SIGALRM, lambda *a: os.kill(pid, signal.SIGKILL))
signal.alarm(120)
os.write(fd, typed.encode())
out = b""
while True:
    try:
        d = os.read(fd, 4096)
    except OSError:
        break
    if not d:
        break
    out += d
    if wait and wait.encode() in out:
        os.write(fd, later.encode())
        wait = ""
_, st = os.waitpid(pid, 0)
text = out.decode(errors="replace").replace("\r", "")
sys.stdout.write(text if not text or text.endswith("\n") else text + "\n")
print("status=%d" % os.waitstatus_to_exitcode(st))
PY
}

@test "exec -t without a console socket: its own terminal, relayed to the caller's, with the process's status" {
	cmd sleep 1000
	create et
	"$RUNC" --root "$STATE" start et
	# typed once the terminal is there (the caller's is raw from then on)
	run in_pty 33 101 '' '# ' $'tty; stty size; echo $((6 * 7)); exit 4\n' "$RUNC" --root "$STATE" exec -t et sh
	[[ "$output" == *"
/dev/pts/"[0-9]*"
33 101
42
"* ]]
	[ "${lines[-1]}" = status=4 ]
	# a process.json with terminal: true is the same; a signal's end is 128+N
	jq -n '{args: ["sh", "-c", "test -t 0 && test -t 1 && echo both; kill -9 $$"], cwd: "/", terminal: true,
		user: {uid: 0, gid: 0}}' > "$BUNDLE/process.json"
	run in_pty 24 80 '' '' '' "$RUNC" --root "$STATE" exec --process "$BUNDLE/process.json" et
	[[ "$output" == *both* ]]
	[ "${lines[-1]}" = status=137 ]
	# what is typed goes through the terminal's line discipline: ^D ends cat's input, ^C interrupts
	run in_pty 24 80 '' ready $'abc\n\004' "$RUNC" --root "$STATE" exec -t et sh -c 'echo ready; cat; echo "after $?"'
	[ "${lines[0]}" = ready ] && [ "${lines[1]}" = abc ] && [ "${lines[2]}" = abc ] && [ "${lines[3]}" = "after 0" ]
	[ "${lines[-1]}" = status=0 ]
	run in_pty 24 80 '' ready $'\003' "$RUNC" --root "$STATE" exec -t et sh -c 'echo ready; cat; echo never'
	# what the terminal showed, for a failure to be read (once, the status here was not 130)
	echo "$output"
	[[ "$output" != *never* ]]
	[ "${lines[-1]}" = status=130 ]
	# detached, a terminal needs a console socket to go to, as runc says
	run "$RUNC" --root "$STATE" exec -t -d et true
	[ "$status" -eq 255 ]
	[[ "$output" == *"cannot allocate tty if runc will detach without setting console socket"* ]]
}

@test "exec in a stopped container: runc's words, status 255" {
	cmd true
	create en
	"$RUNC" --root "$STATE" start en
	wait_stopped en
	run "$RUNC" --root "$STATE" exec en true
	[ "$status" -eq 255 ]
	[ "$output" = "seclude-runc: exec failed: cannot exec in a stopped container" ]
}

@test "exec --process loads the filter create recorded: the bundle's config.json gone or broken, never unconfined" {
	nochmod
	cmd sleep 1000
	create ef
	"$RUNC" --root "$STATE" start ef
	# as containerd's shim runs every exec: --process
	jq -n '{args: ["sh", "-c", "grep ^Seccomp: /proc/self/status; touch /tmp/f; chmod 600 /tmp/f 2>/dev/null || echo refused"],
		cwd: "/", user: {uid: 0, gid: 0}}' > "$BATS_TEST_TMPDIR/process.json"
	confined() {
		run "$RUNC" --root "$STATE" exec --process "$BATS_TEST_TMPDIR/process.json" ef
		echo "$output"
		[ "$status" -eq 0 ]
		[ "${lines[0]}" = "Seccomp:	2" ]
		[ "${lines[1]}" = refused ]
	}
	confined
	mv "$BUNDLE/config.json" "$BUNDLE/config.away"
	confined
	echo '{"ociVersion": ' > "$BUNDLE/config.json"
	confined
	# what a record made before create recorded the filter falls back to: the
	# bundle's, or a refusal when it cannot be read
	local st="$STATE/ef/state.json"
	jq 'del(.exec_seccomp)' "$st" > "$st.new" && mv "$st.new" "$st"
	run "$RUNC" --root "$STATE" exec --process "$BATS_TEST_TMPDIR/process.json" ef
	[ "$status" -eq 255 ]
	[[ "$output" == "seclude-runc: exec failed: cannot exec: the container's seccomp filter is not recorded and its config.json cannot be read: "* ]]
	[ "${#lines[@]}" -eq 1 ]
	rm "$BUNDLE/config.json"
	run "$RUNC" --root "$STATE" exec --process "$BATS_TEST_TMPDIR/process.json" ef
	[ "$status" -eq 255 ]
	[[ "$output" == *"the container's seccomp filter is not recorded"* ]]
	mv "$BUNDLE/config.away" "$BUNDLE/config.json"
	confined
	# a damaged record is refused, not taken for "no filter"
	jq '.exec_seccomp = {bpf: "zz", flags: 0}' "$st" > "$st.new" && mv "$st.new" "$st"
	run "$RUNC" --root "$STATE" exec --process "$BATS_TEST_TMPDIR/process.json" ef
	[ "$status" -eq 255 ]
	[ "$output" = "seclude-runc: exec failed: cannot exec: the container's seccomp filter in its record is damaged (refusing to run the process without it)" ]
}

@test "exec --apparmor writes only to procfs: a /proc the container's root mounted over is refused (CVE-2019-16884)" {
	# a root that may mount puts a tmpfs over its /proc and plants the attribute files there
	edit '.process.capabilities |= with_entries(.value += ["CAP_SYS_ADMIN"])'
	cmd sh -c 'mount -t tmpfs none /proc && mkdir -p /proc/thread-self/attr/apparmor /proc/self/attr &&
		: > /proc/thread-self/attr/apparmor/exec && : > /proc/self/attr/exec && echo planted && exec sleep 1000'
	create ap
	"$RUNC" --root "$STATE" start ap
	wait_for_line "$BUNDLE/ap.out" planted
	run "$RUNC" --root "$STATE" exec --apparmor p ap sh -c 'echo ran'
	echo "$output"
	[ "$status" -eq 255 ]
	[[ "$output" != *ran* ]]
	[ "$output" = "seclude-runc: exec failed: unable to start container process: apparmor failed to apply profile: /proc/thread-self/attr/apparmor/exec is not on procfs" ]
	# without --apparmor the exec still runs there
	run "$RUNC" --root "$STATE" exec ap sh -c 'echo ran'
	[ "$status" -eq 0 ]
	[ "$output" = ran ]
}

@test "exec in a created container is refused; its held process is not dumpable: its host uid cannot read its environ or fds" {
	# in a user namespace: the held process is host uid 100000, whom only its dumpability keeps out
	edit '.linux.namespaces += [{"type": "user"}]
	      | .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
	      | .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
	cmd sleep 1000
	create eh
	# held, pid 1 is seclude's own code, not yet confined: nothing may run beside it
	run "$RUNC" --root "$STATE" exec eh echo in-created
	[ "$status" -eq 255 ]
	[ "$output" = "seclude-runc: exec failed: cannot exec in a created container: start it first" ]
	jq -n '{args: ["echo", "in-created"], cwd: "/", user: {uid: 0, gid: 0}}' > "$BATS_TEST_TMPDIR/process.json"
	run "$RUNC" --root "$STATE" exec --process "$BATS_TEST_TMPDIR/process.json" -d eh
	[ "$status" -eq 255 ]
	[[ "$output" != *in-created* ]]
	[ "$(state_field eh status)" = created ]
	# a process of its uid without capabilities (one sharing its pid namespace) cannot read it
	local pid
	pid=$(state_field eh pid)
	[ "$(awk '/^Uid:/ { print $2 }' "/proc/$pid/status")" = 100000 ]
	run setpriv --reuid=100000 --regid=100000 --clear-groups --inh-caps=-all --bounding-set=-all cat "/proc/$pid/environ"
	[ "$status" -ne 0 ]
	[[ "$output" == *"Permission denied"* ]]
	run setpriv --reuid=100000 --regid=100000 --clear-groups --inh-caps=-all --bounding-set=-all ls "/proc/$pid/fd"
	[ "$status" -ne 0 ]
	[[ "$output" == *"Permission denied"* ]]
	# started, exec runs
	"$RUNC" --root "$STATE" start eh
	run "$RUNC" --root "$STATE" exec eh echo started
	[ "$status" -eq 0 ]
	[ "$output" = started ]
}

# Docker's profile without chmod, as linux.seccomp holds a profile (names, not name)
nochmod() {
	edit --slurpfile p "$SRC/tests/data/profiles/labs/default-no-chmod.json" \
		'.linux.seccomp = ($p[0] | .syscalls |= map(.names = [.name] | del(.name)))'
}

@test "denials: annotation io.seclude.log-denials names each refused call with its errno, nothing of seclude stays behind" {
	nochmod
	edit --arg f "$BUNDLE/denials.json" '.annotations = {"io.seclude.log-denials": $f}'
	cmd sh -c 'chmod 640 /etc/passwd; echo "rc=$?"'
	create dn
	[ ! -s "$BUNDLE/denials.json" ]
	"$RUNC" --root "$STATE" start dn
	wait_stopped dn
	wait_for_line "$BUNDLE/denials.json" '"syscall":"chmod"'
	[ "$(cat "$BUNDLE/dn.out")" = "rc=1" ]
	run jq -r 'select(.syscall == "chmod") | "\(.comm) \(.errno_name) \(.complain)"' "$BUNDLE/denials.json"
	[ "$output" = "chmod EPERM false" ]
	# the monitor ends with the container
	for i in $(seq 100); do
		pgrep -f "create --bundle $BUNDLE dn" >/dev/null || break
		sleep 0.05
	done
	! pgrep -f "create --bundle $BUNDLE dn"
}

@test "denials: the monitor killed between create and start: the container ends at start, its command never runs" {
	nochmod
	edit --arg f "$BUNDLE/denials.json" '.annotations = {"io.seclude.log-denials": $f}'
	cmd sh -c 'echo ran'
	create dk
	local pid m
	pid=$(state_field dk pid)
	# create's forks: the held container (not yet exec'd) and the monitor
	m=$(pgrep -f "create --bundle $BUNDLE dk" | grep -vx "$pid")
	[ -n "$m" ]
	kill -9 $m
	"$RUNC" --root "$STATE" start dk
	timeout 20 sh -c "while [ \"\$('$RUNC' --root '$STATE' state dk | jq -r .status)\" != stopped ]; do sleep 0.05; done"
	[ ! -s "$BUNDLE/dk.out" ]
	! pgrep -f "create --bundle $BUNDLE dk"
}

@test "denials: --complain (a global flag, as Docker's runtimeArgs put it) reports and refuses nothing" {
	nochmod
	# complain lets the chmod through: on a file of the test's, not the shared rootfs's /etc/passwd
	cmd sh -c ': > /tmp/complain-$$ && chmod 640 /tmp/complain-$$; echo "rc=$?"; rm -f /tmp/complain-$$'
	"$RUNC" --root "$STATE" --complain --log-denials "$BUNDLE/c.json" create --bundle "$BUNDLE" cm \
		</dev/null >"$BUNDLE/cm.out" 2>&1
	"$RUNC" --root "$STATE" start cm
	wait_stopped cm
	wait_for_line "$BUNDLE/c.json" '"syscall":"chmod"'
	[ "$(cat "$BUNDLE/cm.out")" = "rc=0" ]
	run jq -r 'select(.syscall == "chmod") | "\(.errno_name) \(.complain)"' "$BUNDLE/c.json"
	[ "$output" = "EPERM true" ]
}

@test "denials: --preserve-fds 3 with 3-5 free: the container gets /dev/null there, none of seclude's fds; the report is whole" {
	nochmod
	cmd sh -c 'for n in 3 4 5; do echo "fd$n=$(readlink /proc/self/fd/$n)"; echo hacked 2>/dev/null >&$n; done
		chmod 640 /etc/passwd; echo "rc=$?"'
	# bats holds 3: free 3-5, as an engine that passes nothing there leaves them
	"$RUNC" --root "$STATE" --log-denials "$BUNDLE/report.json" run --preserve-fds 3 --bundle "$BUNDLE" pz \
		</dev/null >"$BUNDLE/pz.out" 2>&1 3>&- 4>&- 5>&-
	cat "$BUNDLE/pz.out"
	grep -qx "rc=1" "$BUNDLE/pz.out"
	for n in 3 4 5; do
		grep -qx "fd$n=/dev/null" "$BUNDLE/pz.out"
	done
	wait_for_line "$BUNDLE/report.json" '"syscall":"chmod"'
	run jq -r 'select(.syscall == "chmod") | .errno_name' "$BUNDLE/report.json"
	[ "$output" = EPERM ]
	! grep -q hacked "$BUNDLE/report.json"
}

@test "denials: stdin and stdout closed by the caller: the container gets /dev/null there, never seclude's report" {
	nochmod
	cmd sh -c 'echo "fd0=$(readlink /proc/$$/fd/0) fd1=$(readlink /proc/$$/fd/1)" >&2; echo hacked; chmod 640 /etc/passwd'
	"$RUNC" --root "$STATE" --log-denials "$BUNDLE/report.json" run --bundle "$BUNDLE" pc <&- >&- 2>"$BUNDLE/pc.err" || true
	cat "$BUNDLE/pc.err"
	grep -qx "fd0=/dev/null fd1=/dev/null" "$BUNDLE/pc.err"
	wait_for_line "$BUNDLE/report.json" '"syscall":"chmod"'
	! grep -q hacked "$BUNDLE/report.json"
}

@test "denials: --preserve-fds 3 with the caller's file on 3: the container writes to it, the report is seclude's" {
	nochmod
	cmd sh -c 'echo "fd4=$(readlink /proc/self/fd/4)"; echo through-3 >&3; chmod 640 /etc/passwd; echo "rc=$?"'
	"$RUNC" --root "$STATE" --log-denials "$BUNDLE/report.json" run --preserve-fds 3 --bundle "$BUNDLE" py \
		</dev/null >"$BUNDLE/py.out" 2>&1 3>"$BUNDLE/passed" 4>&- 5>&-
	cat "$BUNDLE/py.out"
	grep -qx "rc=1" "$BUNDLE/py.out"
	grep -qx "fd4=/dev/null" "$BUNDLE/py.out"
	[ "$(cat "$BUNDLE/passed")" = through-3 ]
	wait_for_line "$BUNDLE/report.json" '"syscall":"chmod"'
	! grep -q through-3 "$BUNDLE/report.json"
}

@test "exec --preserve-fds 2 with 3-4 free: the process gets /dev/null there, none of seclude's fds" {
	cmd sleep 1000
	create pe
	"$RUNC" --root "$STATE" start pe
	"$RUNC" --root "$STATE" exec --preserve-fds 2 pe sh -c 'for n in 3 4; do echo "fd$n=$(readlink /proc/self/fd/$n)"; done' \
		</dev/null >"$BUNDLE/pe.out" 2>&1 3>&- 4>&-
	cat "$BUNDLE/pe.out"
	[ "$(cat "$BUNDLE/pe.out")" = "$(printf 'fd3=/dev/null\nfd4=/dev/null')" ]
}

@test "denials: without a filter there is nothing to report, and the container runs" {
	edit --arg f "$BUNDLE/d.json" '.annotations = {"io.seclude.log-denials": $f}'
	cmd true
	run "$RUNC" --root "$STATE" run --bundle "$BUNDLE" nf
	[ "$status" -eq 0 ]
	[ ! -e "$BUNDLE/d.json" ]
}

@test "update --resources FILE and -: the limits reach the cgroup; a bad one is located" {
	cmd sleep 1000
	create up
	"$RUNC" --root "$STATE" start up
	pid=$(state_field up pid)
	echo '{"pids": {"limit": 42}}' > "$BUNDLE/res.json"
	run "$RUNC" --root "$STATE" update --resources "$BUNDLE/res.json" up
	[ "$status" -eq 0 ]
	pids_dir=$(awk -F: '$2 == "pids" { print $3 }' /proc/$pid/cgroup)
	[ "$(cat /sys/fs/cgroup/pids$pids_dir/pids.max)" = 42 ]
	run "$RUNC" --root "$STATE" update --resources=- up <<<'{"pids": {"limit": 43}}'
	[ "$status" -eq 0 ]
	[ "$(cat /sys/fs/cgroup/pids$pids_dir/pids.max)" = 43 ]
	run "$RUNC" --root "$STATE" update --resources - up <<<'{"pids": {"limit": "many"}}'
	[ "$status" -eq 1 ]
	[[ "$output" == *"<stdin>:1:20: linux.resources.pids.limit: expected an integer, got a string"* ]]
}

@test "namespaces joined by path (network, ipc, uts), as Kubernetes pods join their pause container's; domainname" {
	cmd sleep 1000
	edit '.hostname = "pod" | .domainname = "example.org"'
	create pause --pid-file "$BUNDLE/pause.pid"
	"$RUNC" --root "$STATE" start pause
	ppid=$(cat "$BUNDLE/pause.pid")
	edit --arg n "/proc/$ppid/ns/net" --arg i "/proc/$ppid/ns/ipc" --arg u "/proc/$ppid/ns/uts" \
		'.linux.namespaces |= map(if .type == "network" then .path = $n elif .type == "ipc" then .path = $i
		 elif .type == "uts" then .path = $u else . end) | del(.hostname) | del(.domainname)'
	cmd sh -c 'for n in net ipc uts pid; do readlink /proc/self/ns/$n; done; hostname; cat /proc/sys/kernel/domainname'
	run "$RUNC" --root "$STATE" run --bundle "$BUNDLE" member
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$(readlink /proc/$ppid/ns/net)" ]
	[ "${lines[1]}" = "$(readlink /proc/$ppid/ns/ipc)" ]
	[ "${lines[2]}" = "$(readlink /proc/$ppid/ns/uts)" ]
	[ "${lines[3]}" != "$(readlink /proc/$ppid/ns/pid)" ]
	[ "${lines[4]}" = pod ]
	[ "${lines[5]}" = example.org ]
}

@test "linux.seccomp.listenerPath: the agent gets the ContainerProcessState and the listener, and answers" {
	sock=$BATS_TEST_TMPDIR/agent.sock
	python3 "$SRC/tests/cli/seccomp-agent.py" "$sock" "$BUNDLE/agent.json" 18 &
	agent=$!
	# python's start on a loaded machine can take seconds: the agent must listen before the run
	for i in $(seq 600); do [ -e "$BUNDLE/agent.json.ready" ] && break; sleep 0.05; done
	[ -e "$BUNDLE/agent.json.ready" ]
	edit --arg s "$sock" '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": $s, "listenerMetadata": "meta",
		"syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_NOTIFY"}]}'
	edit '.root.readonly = false'
	cmd sh -c 'mkdir /tmp/agent-dir; echo "rc=$?"'
	run "$RUNC" --root "$STATE" run --bundle "$BUNDLE" ag
	wait "$agent"
	[ "$status" -eq 0 ]
	[[ "$output" == *"Invalid cross-device link"* ]]
	[[ "$output" == *"rc=1"* ]]
	run jq -r '.fds[0], .metadata, .state.id, .state.status, (.pid > 0), .received_fds' "$BUNDLE/agent.json"
	[ "${lines[0]}" = seccompFd ]
	[ "${lines[1]}" = meta ]
	[ "${lines[2]}" = ag ]
	[ "${lines[3]}" = creating ]
	[ "${lines[4]}" = true ]
	[ "${lines[5]}" = 1 ]
	[ -s "$BUNDLE/agent.json.calls" ]
}

@test "listenerMetadata without listenerPath is refused, located" {
	edit '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "listenerMetadata": "m"}'
	run "$RUNC" --root "$STATE" create --bundle "$BUNDLE" lm
	[ "$status" -eq 1 ]
	[[ "$output" == *"config.json:"*"linux.seccomp: listenerMetadata is set without listenerPath"* ]]
}
