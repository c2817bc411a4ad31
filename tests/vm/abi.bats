#!/usr/bin/env bats
# i386 and x32 for real: the kernel's own seccomp against programs of each
# ABI (tests/vm/abi.c built with -m32, -mx32 and -m64, in $VM_BIN).  Runs in
# the VM that tests/vm/run boots (IA-32 emulation on, syscall.x32=y).
load ../cli/helpers
bats_require_minimum_version 1.5.0

setup() {
	[ -n "${VM_BIN:-}" ] && [ -x "$VM_BIN/abi-32" ] || skip "not in the VM (run through tests/vm/run)"
	export SECLUDE_STATE_DIR=$BATS_TEST_TMPDIR/state
	V=(-v "$VM_BIN:/mnt:ro")
}

# The calls of the comparison, as abi.c names them.
CALLS="getpid keyctl socket-unix socket-vsock personality-query personality-other clone3 chmod unshare io_uring_setup 999"

# Each ABI's lines for CALLS, with a sandbox of OPTIONS... around them.
all_abis() {
	"$SECLUDE" run "${V[@]}" "$@" -- sh -c "for a in 64 32 x32; do echo \"== \$a\"; /mnt/abi-\$a $CALLS; done"
}

# "NAME RET ERRNO" -> "NAME ok|errno N" (what a filter decides: through, or an errno)
verdicts() {
	awk '/^==/ { print; next } { print $1, ($3 == 1 || $3 == 38) ? "errno " $3 : "through" }'
}

@test "the VM runs i386 and x32 programs, and int \$0x80 from a 64-bit one" {
	run "$VM_BIN/abi-32" info
	[[ "$output" == "i386 sizeof(long)=4 "* ]]
	run "$VM_BIN/abi-x32" info
	[[ "$output" == "x32 sizeof(long)=4 "* ]]
	run "$VM_BIN/abi-64" info int80-getpid x32-getpid
	[[ "${lines[0]}" == "x86_64 sizeof(long)=8 pid=$$"* ]] || [[ "${lines[0]}" == "x86_64 sizeof(long)=8 "* ]]
	pid=${lines[0]##*pid=}
	[ "${lines[1]}" = "int80-getpid $pid 0" ]
	[ "${lines[2]}" = "x32-getpid $pid 0" ]
}

@test "Docker's default profile refuses on i386 and x32 what it refuses on x86_64, with the same errno" {
	run all_abis
	[ "$status" -eq 0 ]
	printf '%s\n' "${lines[@]}"
	v=$(verdicts <<<"$output")
	# the three blocks agree line by line
	b64=$(awk '/^== 64/ { on = 1; next } /^==/ { on = 0 } on' <<<"$v")
	b32=$(awk '/^== 32/ { on = 1; next } /^==/ { on = 0 } on' <<<"$v")
	bx32=$(awk '/^== x32/ { on = 1; next } /^==/ { on = 0 } on' <<<"$v")
	[ "$b64" = "$b32" ]
	[ "$b64" = "$bx32" ]
	# and they are Docker's answers
	grep -qx "keyctl errno 1" <<<"$b64"
	grep -qx "socket-vsock errno 1" <<<"$b64"
	grep -qx "personality-other errno 1" <<<"$b64"
	grep -qx "clone3 errno 38" <<<"$b64"
	grep -qx "unshare errno 1" <<<"$b64"
	grep -qx "io_uring_setup errno 1" <<<"$b64"
	grep -qx "999 errno 38" <<<"$b64"
	grep -qx "getpid through" <<<"$b64"
	grep -qx "socket-unix through" <<<"$b64"
	grep -qx "personality-query through" <<<"$b64"
	# a 64-bit program that enters through int $0x80 or with the x32 bit is
	# held to the i386 and x32 rules
	run "$SECLUDE" run "${V[@]}" -- /mnt/abi-64 int80-keyctl x32-keyctl int80-getpid
	[ "${lines[0]}" = "int80-keyctl -1 1" ]
	[ "${lines[1]}" = "x32-keyctl -1 1" ]
	[ "${lines[2]}" = "int80-getpid 1 0" ]
}

# explain's verdict for call $2 on ABI $1, as "NAME through|errno N".
explain_one() {
	local arch=$1 name=$2 sc args=()
	case $name in
		getpid) sc=getpid ;;
		keyctl) sc=keyctl args=(0 -3 0) ;;
		socket-unix) sc=socket args=(1 1 0) ;;
		socket-vsock) sc=socket args=(40 1 0) ;;
		personality-query) sc=personality args=(0xffffffff) ;;
		personality-other) sc=personality args=(0x40000) ;;
		clone3) sc=clone3 ;;
		chmod) sc=chmod ;;
		unshare) sc=unshare ;;
		io_uring_setup) sc=io_uring_setup args=(1 0) ;;
		999) sc=999 ;;
	esac
	local v
	v=$("$SECLUDE" explain --arch "$arch" "$3" "$sc" -- "${args[@]}" | head -n1)
	case $v in
		ALLOW) echo "$name through" ;;
		"ERRNO "*) v=${v#ERRNO }; echo "$name errno ${v%% *}" ;;
		*) echo "$name $v" ;;
	esac
}

@test "explain --arch agrees with the kernel on Docker's default profile and the labs profiles" {
	local profile arch a k e mismatch=0
	local calls
	for profile in default "$PROFILES/labs/default-no-chmod.json"; do
		# the whole table for Docker's profile; what the labs one changes and its prologue
		calls="getpid keyctl socket-vsock personality-other clone3 chmod 999"
		[ "$profile" = default ] || calls="chmod keyctl 999"
		opt=()
		[ "$profile" = default ] || opt=(--security-opt "seccomp=$profile")
		run all_abis "${opt[@]}"
		[ "$status" -eq 0 ]
		kernel=$(verdicts <<<"$output")
		for a in 64 32 x32; do
			case $a in 64) arch=x86_64 ;; 32) arch=i386 ;; x32) arch=x32 ;; esac
			for c in $calls; do
				k=$(awk -v a="== $a" -v c="$c" '$0 == a { on = 1; next } /^==/ { on = 0 } on && $1 == c' <<<"$kernel")
				e=$(explain_one "$arch" "$c" "$profile")
				if [ "$k" = "$e" ]; then
					echo "# $(basename "$profile") $arch $c: $e"
				else
					echo "# $(basename "$profile") $arch $c: explain says '$e', the kernel '$k'"
					mismatch=1
				fi
			done
		done
	done
	[ "$mismatch" -eq 0 ]
}

@test "labs allow.json lets everything through on every ABI; deny.json lets nothing start" {
	run all_abis --security-opt "seccomp=$PROFILES/labs/allow.json"
	[ "$status" -eq 0 ]
	[ "$(grep -c '^keyctl [0-9]' <<<"$output")" -eq 3 ]
	[ "$(grep -c '^unshare 0 0' <<<"$output")" -eq 3 ]
	run "$SECLUDE" run "${V[@]}" --security-opt "seccomp=$PROFILES/labs/deny.json" -- /mnt/abi-32 getpid
	[ "$status" -ne 0 ]
	[[ "$output" != *"getpid"* ]]
}

@test "a deny-list that leaves out i386 and x32: check warns, the kernel kills their calls" {
	cat > "$BATS_TEST_TMPDIR/p.json" <<-'EOF'
	{
		"defaultAction": "SCMP_ACT_ALLOW",
		"architectures": ["SCMP_ARCH_X86_64"],
		"syscalls": [{ "names": ["keyctl"], "action": "SCMP_ACT_ERRNO" }]
	}
	EOF
	run "$SECLUDE" check "$BATS_TEST_TMPDIR/p.json"
	[[ "$output" == *"leaves out SCMP_ARCH_X86 and SCMP_ARCH_X32"* ]]
	run "$SECLUDE" run "${V[@]}" --security-opt "seccomp=$BATS_TEST_TMPDIR/p.json" -- sh -c \
		'/mnt/abi-64 keyctl getpid; /mnt/abi-32 getpid; echo "i386 $?"; /mnt/abi-x32 getpid; echo "x32 $?"'
	printf '%s\n' "${lines[@]}"
	[ "${lines[0]}" = "keyctl -1 1" ]
	[ "${lines[1]}" = "getpid 2 0" ] || [[ "${lines[1]}" == "getpid "*" 0" ]]
	# SIGSYS (31): killed, not let through
	grep -qx "i386 159" <<<"$output"
	grep -qx "x32 159" <<<"$output"
}

@test "a deny-list of chown without chown32: check warns, and i386 programs chown through chown32" {
	cat > "$BATS_TEST_TMPDIR/p.json" <<-'EOF'
	{
		"defaultAction": "SCMP_ACT_ALLOW",
		"architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
		"syscalls": [{ "names": ["chown"], "action": "SCMP_ACT_ERRNO" }]
	}
	EOF
	run "$SECLUDE" check "$BATS_TEST_TMPDIR/p.json"
	[[ "$output" == *"denies chown but not chown32"* ]]
	run "$SECLUDE" run "${V[@]}" --security-opt "seccomp=$BATS_TEST_TMPDIR/p.json" -- sh -c \
		'/mnt/abi-32 chown chown32; /mnt/abi-x32 chown; /mnt/abi-64 chown'
	printf '%s\n' "${lines[@]}"
	[ "${lines[0]}" = "chown -1 1" ]
	[ "${lines[1]}" = "chown32 -1 14" ]      # EFAULT: the kernel ran it
	[ "${lines[2]}" = "chown -1 1" ]
	[ "${lines[3]}" = "chown -1 1" ]
}

@test "--log-denials names the ABI of each refused call" {
	run "$SECLUDE" run "${V[@]}" --log-denials -- sh -c '/mnt/abi-64 keyctl; /mnt/abi-32 keyctl; /mnt/abi-x32 keyctl'
	printf '%s\n' "${lines[@]}"
	[[ "$output" == *"(abi-64) x86_64 keyctl("*"errno 1 (EPERM)"* ]]
	[[ "$output" == *"(abi-32) i386 keyctl("*"errno 1 (EPERM)"* ]]
	[[ "$output" == *"(abi-x32) x32 keyctl("*"errno 1 (EPERM)"* ]]
}

@test "learn's eBPF recorder, keyed by the v2 cgroup, records i386 and x32 calls by ABI" {
	run --separate-stderr "$SECLUDE" learn --recorder ebpf --counts "${V[@]}" -o "$BATS_TEST_TMPDIR/l.json" -- \
		sh -c '/mnt/abi-32 keyctl; /mnt/abi-x32 keyctl io_uring_setup'
	printf '%s\n' "$stderr"
	[ "$status" -eq 0 ]
	grep -Eq ' keyctl \(i386\) \(x32\)$' <<<"$stderr"
	grep -Eq ' io_uring_setup \(x32\)$' <<<"$stderr"
	jq -e '.archMap[] | select(.architecture == "SCMP_ARCH_X86_64") | .subArchitectures | index("SCMP_ARCH_X86") and index("SCMP_ARCH_X32")' "$BATS_TEST_TMPDIR/l.json"
	# what was learned lets the same calls through
	run "$SECLUDE" run "${V[@]}" --security-opt "seccomp=$BATS_TEST_TMPDIR/l.json" -- sh -c '/mnt/abi-32 keyctl; /mnt/abi-x32 keyctl'
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ ^keyctl\ [0-9]+\ 0$ ]]
	[[ "${lines[1]}" =~ ^keyctl\ [0-9]+\ 0$ ]]
}
