#!/usr/bin/env bats
# Known container escapes (runc, Docker, bubblewrap, crun, LXC), tried from
# inside seclude's sandboxes under the defaults: on the host's tree and on
# a --rootfs, for run, exec, --init, -d and learn.
#
# To add an attack, add a row to ROWS.  Fields, separated by " ¦ ":
#   NAME      what it is, with the CVE it comes from
#   MODES     "all", or the modes it applies to: run exec init detach learn
#             (learn runs under its recorder, which allows every call: rows
#             that test the profile leave it out; -d reports a start that
#             fails only in its record, so rows expecting a refused start
#             leave it out)
#   FLAGS     "-", or "pty": the command runs on a pseudo-terminal whose
#             shell, like the caller's, then runs one line of whatever
#             input is queued on it (what TIOCSTI would have typed)
#   OPTIONS   more options for the sandbox ("-" for none)
#   ATTACK    a sh script run in the sandbox; it prints ESCAPED when a step
#             that must be refused worked
#   EXPECTED  a glob the output (stdout and stderr) must match: the refusal
# Placeholders in OPTIONS and ATTACK: {E} the helper (tests/cli/escape.c),
# {D} a directory of the host the sandbox must not reach, {M} a file in it
# that must never appear; {fd} in OPTIONS tries each of 3..9.
#
# A row fails when the output holds ESCAPED, when {M} exists afterwards or
# when the output does not match EXPECTED.  The caller always holds fd 7
# (the directory {D}) and fd 8 (a file in it), as a careless shell would.
load helpers
load rootfs
bats_require_minimum_version 1.5.0

ROWS=(
	"workdir through a leaked fd (CVE-2024-21626) ¦ run init learn ¦ - ¦ -w /proc/self/fd/{fd} ¦ touch ..{M} && echo ESCAPED ¦ *seclude: error: *working directory*"
	"workdir with .. stays inside ¦ run init detach learn ¦ - ¦ --tmpfs /tmp -w /../../..{D} ¦ touch {M}; pwd ¦ {D}*"
	"workdir through a symlink to the host ¦ run init learn ¦ - ¦ --tmpfs /tmp -v {D}/vol:/tmp/v -w /tmp/v/link/wd ¦ touch marker; echo ESCAPED ¦ *seclude: error: *working directory*"
	"caller's fds passed on (CVE-2016-9962) ¦ all ¦ - ¦ - ¦ {E} fds; cd /proc/self/fd/7 && touch marker && echo ESCAPED ¦ none*"
	"volume target through a symlink to the host (CVE-2021-30465) ¦ run exec init learn ¦ - ¦ --tmpfs /tmp -v {D}/vol:/tmp/v -v /etc:/tmp/v/link/etc:ro ¦ echo ESCAPED ¦ *seclude: error: *"
	"TIOCSTI into the caller's terminal (CVE-2017-5226) ¦ all ¦ pty ¦ - ¦ {E} tiocsti 2 'touch {M}' && echo ESCAPED ¦ *EPERM*"
	"TIOCSTI with the high bits set (CVE-2019-10063) ¦ all ¦ pty ¦ - ¦ {E} tiocsti-high 2 'touch {M}' && echo ESCAPED ¦ *EPERM*"
	"TIOCLINUX on the caller's terminal ¦ all ¦ pty ¦ - ¦ {E} tioclinux 2 && echo ESCAPED ¦ *EPERM*"
	"the caller's controlling terminal ¦ all ¦ pty ¦ - ¦ {E} ctty && echo ESCAPED ¦ *ENXIO*"
	"seclude's binary as /proc/PID/exe (CVE-2019-5736) ¦ all ¦ - ¦ - ¦ for p in /proc/[0-9]*; do {E} readlink \$p/exe; done 2>&1 | grep seclude && echo ESCAPED; {E} open-write /proc/1/exe ¦ *"
	"seclude's binary as /proc/1/exe, even with CAP_SYS_PTRACE (CVE-2019-5736) ¦ init ¦ - ¦ --cap-add SYS_PTRACE ¦ x=\$({E} readlink /proc/1/exe | head -n 1); echo \$x; case \$x in /memfd:seclude*) ;; *) echo ESCAPED;; esac; {E} open-write /proc/1/exe && echo ESCAPED ¦ /memfd:seclude*E*"
	"ptrace of the init process (CVE-2019-5736, CVE-2016-9962) ¦ init ¦ - ¦ - ¦ {E} ptrace 1 && echo ESCAPED; {E} getfd 1 && echo ESCAPED ¦ EPERM*EPERM*"
	"cgroup v1 release_agent (CVE-2022-0492) ¦ run exec init detach ¦ - ¦ - ¦ for f in /sys/fs/cgroup/*/release_agent /sys/fs/cgroup/*/notify_on_release; do [ -e \$f ] && (echo 1 > \$f) 2>/dev/null && echo ESCAPED; done; {E} mount-cgroup /mnt && echo ESCAPED ¦ EPERM"
	"mount namespace: mount, umount, pivot_root, open_tree ¦ run exec init detach ¦ - ¦ - ¦ {E} mount-tmpfs /mnt; {E} umount /proc/kcore; {E} pivot_root; {E} open_tree /; {E} unshare-mount ¦ EPERM*EPERM*EPERM*EPERM*EPERM"
	"the host's keyrings (keyctl) ¦ run exec init detach ¦ - ¦ - ¦ {E} keyctl && echo ESCAPED ¦ EPERM"
	"/proc/sysrq-trigger and /proc/sys ¦ run exec init detach ¦ - ¦ - ¦ {E} open-write /proc/sysrq-trigger && echo ESCAPED; {E} open-write /proc/sys/kernel/hostname && echo ESCAPED ¦ E*E*"
)

setup_file() {
	build_rootfs
}

setup() {
	[ "$(id -u)" -eq 0 ] || skip "needs root"
	export SECLUDE_STATE_DIR=$(mktemp -d /tmp/seclude-bats-esc.XXXXXX)
}

teardown() {
	[ -n "${SECLUDE_STATE_DIR:-}" ] || return 0
	for n in $("$SECLUDE" ps -aq --no-trunc 2>/dev/null); do
		"$SECLUDE" rm -f "$n" >/dev/null 2>&1 || true
	done
	rm -rf "$SECLUDE_STATE_DIR"
}

field() {  # field ROW N: the Nth field, trimmed
	local f
	f=$(awk -F ' ¦ ' -v n="$2" '{ print $n }' <<<"$1")
	printf '%s' "$f"
}

# The command line run on a pseudo-terminal; afterwards its shell runs one
# line of queued input, as the caller's interactive shell would.
on_pty() {
	python3 - "$@" <<'PY'
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execvp("bash", ["bash", "-c", '"$@"; read -r -t 1 line && eval "$line"', "on_pty"] + sys.argv[1:])
out = b""
while True:
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
_, st = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors="replace"))
sys.exit(os.waitstatus_to_exitcode(st))
PY
}

# Wait until detached sandbox $1 has exited (bounded), then print its log.
detached_output() {
	local i
	for i in $(seq 200); do
		[ "$("$SECLUDE" inspect "$1" | jq -r '.[0].State.Status')" = exited ] && break
		sleep 0.1
	done
	"$SECLUDE" logs "$1" 2>&1
	"$SECLUDE" rm -f "$1" >/dev/null 2>&1 || true
}

# attack MODE TREE FLAGS ATTACK OPTION...: the output of one attempt.
attack() {
	local mode=$1 tree=$2 flags=$3 script=$4; shift 4
	local -a opts=("$@") pre=()
	[ "$tree" = rootfs ] && opts=(--rootfs "$ROOTFS" "${opts[@]}")
	[ "$flags" = pty ] && pre=(on_pty)
	local name="esc-$BATS_TEST_NUMBER-$RANDOM"
	case $mode in
	run) "${pre[@]}" "$SECLUDE" run "${opts[@]}" -- sh -c "$script" 2>&1 ;;
	init) "${pre[@]}" "$SECLUDE" run --init "${opts[@]}" -- sh -c "$script" 2>&1 ;;
	learn) "${pre[@]}" "$SECLUDE" learn -o "$D/profile.json" "${opts[@]}" -- sh -c "$script" 2>&1 ;;
	detach)
		"$SECLUDE" run -d --name "$name" "${opts[@]}" -- sh -c "$script" >/dev/null 2>"$D/err" &&
			detached_output "$name" || cat "$D/err" ;;
	exec)
		if "$SECLUDE" run -d --name "$name" "${opts[@]}" -- sleep 60 >/dev/null 2>"$D/err"; then
			"${pre[@]}" "$SECLUDE" exec "$name" sh -c "$script" 2>&1
			"$SECLUDE" rm -f "$name" >/dev/null 2>&1
		else
			cat "$D/err"
		fi ;;
	esac
}

# One attempt of one row; prints why it failed, if it did.
try_row() {
	local mode=$1 tree=$2 row=$3 fdnum=$4
	local name modes flags optstr script expected E
	name=$(field "$row" 1); modes=$(field "$row" 2); flags=$(field "$row" 3)
	optstr=$(field "$row" 4); script=$(field "$row" 5); expected=$(field "$row" 6)
	E=$ROOTFS/bin/escape
	[ "$tree" = rootfs ] && E=/bin/escape
	D=$(mktemp -d "$BATS_TEST_TMPDIR/d.XXXXXX")
	mkdir -p "$D/vol"
	ln -s "../../../../../../../../..$D/out" "$D/vol/link"
	local M=$D/marker
	local -a opts=()
	optstr=${optstr//\{D\}/$D}; optstr=${optstr//\{fd\}/$fdnum}
	[ "$optstr" = - ] || read -r -a opts <<<"$optstr"
	script=${script//\{E\}/$E}; script=${script//\{M\}/$M}; script=${script//\{D\}/$D}
	expected=${expected//\{D\}/$D}
	local out
	out=$(attack "$mode" "$tree" "$flags" "$script" "${opts[@]}" 7<"$D" 8>>"$D/held")
	local why=""
	[[ "$out" == *ESCAPED* ]] && why="a step that must be refused worked"
	[ -e "$M" ] && why="$M was created on the host"
	[ -e "$D/out" ] && why="$D/out was created on the host"
	[ -z "$why" ] && [[ "$out" != $expected ]] && why="output does not match '$expected'"
	[ -n "$why" ] && printf '[%s] %s%s: %s\n  output: %s\n' "$name" "$mode/$tree" \
		"${fdnum:+ (fd $fdnum)}" "$why" "$(head -c 600 <<<"$out")"
	rm -rf "$D"
	return 0
}

# Every row that applies to MODE, on TREE; fails naming each row that let an attack through.
run_rows() {
	local mode=$1 tree=$2 failures="" row modes fd
	for row in "${ROWS[@]}"; do
		modes=$(field "$row" 2)
		[ "$modes" = all ] || [[ " $modes " == *" $mode "* ]] || continue
		if [[ "$(field "$row" 4)" == *"{fd}"* ]]; then
			for fd in $(seq 3 9); do
				failures+=$(try_row "$mode" "$tree" "$row" "$fd")$'\n'
			done
		else
			failures+=$(try_row "$mode" "$tree" "$row" "")$'\n'
		fi
	done
	failures=$(grep -v '^$' <<<"$failures" || true)
	[ -z "$failures" ] || { echo "$failures"; return 1; }
}

@test "escapes: run, host tree" { run_rows run host; }
@test "escapes: run --rootfs" { run_rows run rootfs; }
@test "escapes: exec, host tree" { run_rows exec host; }
@test "escapes: exec, --rootfs" { run_rows exec rootfs; }
@test "escapes: run --init, host tree" { run_rows init host; }
@test "escapes: run --init --rootfs" { run_rows init rootfs; }
@test "escapes: run -d, host tree" { run_rows detach host; }
@test "escapes: run -d --rootfs" { run_rows detach rootfs; }
@test "escapes: learn, host tree" { run_rows learn host; }
@test "escapes: learn --rootfs" { run_rows learn rootfs; }

# ^C typed on the caller's terminal while COMMAND... runs on it: the exit status and output.
ctrl_c() {
	python3 - "$@" <<'PY'
import os, pty, select, sys
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
out = b""
while b"ready" not in out:
    r, _, _ = select.select([fd], [], [], 30)
    if not r:
        break
    out += os.read(fd, 4096)
os.write(fd, b"\x03")
while True:
    r, _, _ = select.select([fd], [], [], 30)
    if not r:
        os.kill(pid, 9)
        break
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
_, st = os.waitpid(pid, 0)
print(os.waitstatus_to_exitcode(st), out.decode(errors="replace").replace("\r", "").replace("\n", " "))
PY
}

@test "the sandbox is a session of its own, and ^C on the caller's terminal still ends it" {
	local mode
	"$SECLUDE" run -d --name ctl sleep 60 >/dev/null
	for mode in run "run --init" "run --rootfs $ROOTFS" "learn -o $BATS_TEST_TMPDIR/p.json" "exec ctl"; do
		# ready is printed by the process that becomes sleep: ^C cannot come before it
		local sep=--
		[[ $mode == exec* ]] && sep=
		run ctrl_c "$SECLUDE" $mode $sep sh -c 'sh -c "echo ready; exec sleep 60"; echo survived'
		[[ "$output" == "130 "*ready* ]] || { echo "$mode: $output"; return 1; }
		[[ "$output" != *survived* ]] || { echo "$mode: $output"; return 1; }
	done
}
