#!/usr/bin/env bats
# Without --rootfs: the host's tree, read-only, in everyday use (issue 15):
# mount points the tree lacks, the caller's directory, what a missing file
# is told.
bats_require_minimum_version 1.5.0
load helpers
load rootfs

setup_file() {
	build_rootfs
}

setup() {
	src=$(mktemp -d /tmp/seclude-ht.XXXXXX)
	echo "from the host" > "$src/f"
	# a name no host has: the mount points below must never appear on the host
	new=/seclude-ht-$$-$BATS_TEST_NUMBER
}

teardown() {
	rm -rf "$src"
	[ ! -e "$new" ] || { echo "$new was made on the host"; return 1; }
}

@test "-v to a path the read-only tree lacks: the mount point is made inside, the host keeps its tree" {
	run "$SECLUDE" run -w / -v "$src:$new:ro" -- sh -c "cat $new/f; ls -A /"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ "${lines[0]}" = "from the host" ]
	# / inside is the host's / and the new mount point, nothing hidden
	want=$( (ls -A /; basename "$new") | LC_ALL=C sort)
	got=$(printf '%s\n' "${lines[@]:1}" | LC_ALL=C sort)
	[ "$got" = "$want" ]
	[ ! -e "$new" ]
}

@test "-v under an existing directory: its entries stay visible, the parent stays read-only" {
	run "$SECLUDE" run -w / -v "$src:/usr/share$new/deeper:ro" -- sh -c \
		"cat /usr/share$new/deeper/f; ls -A /usr/share | wc -l; touch /usr/share/x 2>&1; cat /usr/share/doc/*/copyright | wc -c"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ "${lines[0]}" = "from the host" ]
	[ "${lines[1]}" -eq $(( $(ls -A /usr/share | wc -l) + 1 )) ]
	[[ "${lines[2]}" == *"Read-only file system"* ]]
	[ "${lines[3]}" -eq "$(cat /usr/share/doc/*/copyright | wc -c)" ]
	[ ! -e "/usr/share$new" ]
}

@test "nested mount points and --tmpfs on paths the tree lacks" {
	mkdir "$src/inner"
	echo inner > "$src/inner/g"
	run "$SECLUDE" run -w / -v "$src:$new/a:ro" -v "$src/inner:$new/a/b/c:ro" --tmpfs "$new/t" -- sh -c \
		"cat $new/a/f $new/a/b/c/g; echo x > $new/t/y && cat $new/t/y; touch $new/z 2>&1"
	[ "$status" -ne 0 ]
	[ "${lines[0]}" = "from the host" ]
	[ "${lines[1]}" = inner ]
	[ "${lines[2]}" = x ]
	[[ "${lines[3]}" == *"Read-only file system"* ]]
	# the read-only source got no mount point either: it was made on a layer
	[ ! -e "$src/b" ]
}

@test "a new mount point under the private /tmp needs no layer" {
	run "$SECLUDE" run -w / -v "$src:/tmp/a/b:ro" -- cat /tmp/a/b/f
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ "$output" = "from the host" ]
	[ ! -e /tmp/a/b ]
}

@test "links in a new mount point's path resolve inside the sandbox" {
	# a read-only volume holding links that point up and away
	mkdir "$src/links"
	ln -s ../../../../../../.. "$src/links/up"
	ln -s /usr/share "$src/links/abs"
	run "$SECLUDE" run -w / -v "$src/links:/vol:ro" -v "$src:/vol/up$new:ro" -v "$src:/vol/abs$new:ro" -- \
		sh -c "cat $new/f /usr/share$new/f"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ "${lines[0]}" = "from the host" ]
	[ "${lines[1]}" = "from the host" ]
	[ ! -e "/usr/share$new" ]
	[ "$(ls -A "$src/links")" = "$(printf 'abs\nup')" ]
}

@test "mount points are made in a user namespace too" {
	chmod 755 "$src"
	run "$SECLUDE" run -w / --userns -v "$src:$new:ro" -v "$src:/usr/lib$new:ro" -- cat "$new/f" "/usr/lib$new/f"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ "$output" = "$(printf 'from the host\nfrom the host')" ]
	[ ! -e "/usr/lib$new" ]
}

@test "--rootfs: a missing mount point is made in the rootfs, as before" {
	local root="$BATS_TEST_TMPDIR/root"
	cp -a "$ROOTFS" "$root"
	run "$SECLUDE" run --rootfs "$root" -v "$src:/made/here:ro" -- cat /made/here/f
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ "$output" = "from the host" ]
	[ -d "$root/made/here" ]
}

@test "--rootfs on a read-only mount: a missing mount point is made on a layer, the rootfs stays unwritten" {
	local ro="$BATS_TEST_TMPDIR/ro"
	mkdir "$ro"
	# the read-only bind lives in a mount namespace of this test's own
	run unshare -m --propagation private sh -c "mount --bind -o ro '$ROOTFS' '$ro' &&
		'$SECLUDE' run --rootfs '$ro' -v '$src:$new/x:ro' -- cat '$new/x/f'"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ "$output" = "from the host" ]
	[ ! -e "$ROOTFS$new" ]
}

@test "-w to a directory the read-only tree lacks: made inside as Docker makes it, never on the host" {
	run "$SECLUDE" run -w "$new/work" -v "$src:$new/vol:ro" -- sh -c 'pwd; ls ..; touch x 2>&1'
	[ "$status" -ne 0 ]
	[ "${lines[0]}" = "$new/work" ]
	[ "${lines[1]}" = vol ]
	[ "${lines[2]}" = work ]
	[[ "${lines[3]}" == *"Read-only file system"* ]]
}

# ---- the caller's directory -----------------------------------------------------

# a project: a script that says where it runs
make_project() {
	mkdir -p "$1"
	printf '#!/bin/sh\necho "ran in $(pwd)"\n' > "$1/run.sh"
	chmod 755 "$1" "$1/run.sh"
}

@test "from a directory under /tmp: the command starts there and sees it, read-only" {
	make_project "$src/proj"
	touch "$src/sibling"
	cd "$src/proj"
	run "$SECLUDE" run -- sh -c "./run.sh; touch new 2>&1; ls -A $src"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "ran in $src/proj" ]
	[[ "${lines[1]}" == *"Read-only file system"* ]]
	# only the directory itself is shown, not what lies beside it
	[ "${lines[2]}" = proj ]
	[ "${#lines[@]}" -eq 3 ]
	[ ! -e "$src/proj/new" ]
}

@test "-v .:. makes the caller's directory writable; writes reach the host" {
	make_project "$src/proj"
	cd "$src/proj"
	run "$SECLUDE" run -v .:. -- sh -c './run.sh && echo built > out && mkdir -p sub && cd sub && pwd'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "ran in $src/proj" ]
	[ "${lines[1]}" = "$src/proj/sub" ]
	[ "$(cat "$src/proj/out")" = built ]
	# the rest of the tree stays read-only, /tmp beside it private
	run "$SECLUDE" run -v .:. -- sh -c "touch /etc/seclude-x 2>&1; ls -A $src"
	[[ "${lines[0]}" == *"Read-only file system"* ]]
	[ "${lines[1]}" = proj ]
}

@test "relative volume paths start from the current directory" {
	make_project "$src/proj"
	mkdir "$src/proj/cache"
	cd "$src/proj/cache"
	run "$SECLUDE" run -v ..:.. -v ../run.sh:/usr/local/bin/task:ro --tmpfs ./scratch -- sh -c \
		'task; echo x > ../out; echo y > scratch/z && cat scratch/z'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "ran in $src/proj/cache" ]
	[ "${lines[1]}" = y ]
	[ "$(cat "$src/proj/out")" = x ]
	[ ! -e "$src/proj/cache/scratch/z" ]
	[ ! -e /usr/local/bin/task ]
}

@test "from a directory under /root: the command starts there, read-only" {
	[ -w /root ] || skip "/root is not writable here"
	local dir
	dir=$(mktemp -d /root/.seclude-ht.XXXXXX)
	make_project "$dir"
	cd "$dir"
	run "$SECLUDE" run -- sh -c './run.sh; touch new 2>&1'
	local made=no
	[ ! -e "$dir/new" ] || made=yes
	cd /
	rm -rf "$dir"
	[ "$status" -ne 0 ]
	[ "${lines[0]}" = "ran in $dir" ]
	[[ "${lines[1]}" == *"Read-only file system"* ]]
	[ "$made" = no ]
}

@test "the private /tmp and /run themselves stay private when the caller stands in them" {
	touch "/tmp/seclude-ht-marker.$$"
	cd /tmp
	run "$SECLUDE" run -- sh -c 'pwd; ls -A | wc -l'
	rm -f "/tmp/seclude-ht-marker.$$"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '/tmp\n0')" ]
}

@test "-w and --rootfs decide the working directory as before" {
	make_project "$src/proj"
	cd "$src/proj"
	run "$SECLUDE" run -w /usr -- pwd
	[ "$output" = /usr ]
	# -w: nothing of the caller's directory is bound
	run "$SECLUDE" run -w / -- ls "$src/proj"
	[ "$status" -ne 0 ]
	run "$SECLUDE" run --rootfs "$ROOTFS" -- pwd
	[ "$output" = / ]
	run "$SECLUDE" run --rootfs "$ROOTFS" -w /home/user -- pwd
	[ "$output" = /home/user ]
	run "$SECLUDE" run --rootfs "$ROOTFS" -v .:/src:ro -w /src -- ./run.sh
	[ "$output" = "ran in /src" ]
	run "$SECLUDE" run --rootfs "$ROOTFS" -v .:. -- true
	assert_error "relative path inside"
}

@test "a caller's directory the sandbox cannot show: the command starts in /" {
	# under /proc the sandbox has its own: the caller's pid is not there
	cd /proc/self
	run "$SECLUDE" run -- pwd
	[ "$status" -eq 0 ]
	[ "$output" = / ]
}

# ---- what a missing command is told -------------------------------------------------

@test "a command the private /tmp hides: the error says so and names the volume, exit 127" {
	make_project "$src/proj"
	cd "$src/proj"
	# -w: the directory is made in the sandbox's own /tmp, empty
	run -127 "$SECLUDE" run -w "$src/proj" -- ./run.sh
	[ "$output" = "seclude: error: exec \"./run.sh\": No such file or directory in the sandbox (/tmp is private there; -v $src:$src to show it)" ]
	run -127 "$SECLUDE" run -w / -- "$src/proj/run.sh"
	[ "$output" = "seclude: error: exec \"$src/proj/run.sh\": No such file or directory in the sandbox (/tmp is private there; -v $src:$src to show it)" ]
	# and what it says works
	run "$SECLUDE" run -w / -v "$src:$src" -- "$src/proj/run.sh"
	[ "$output" = "ran in /" ]
}

@test "a command outside --rootfs: the error says where the sandbox starts, exit 127" {
	make_project "$src/proj"
	cd "$src/proj"
	run -127 "$SECLUDE" run --rootfs "$ROOTFS" -- ./run.sh
	[ "$output" = "seclude: error: exec \"./run.sh\": No such file or directory in the sandbox (it starts in the rootfs, not in $src/proj; -v $src/proj:$src/proj -w $src/proj to run it there)" ]
	run -127 "$SECLUDE" run --rootfs "$ROOTFS" -- "$src/proj/run.sh"
	[ "$output" = "seclude: error: exec \"$src/proj/run.sh\": No such file or directory in the sandbox (the rootfs has no $src/proj/run.sh; -v $src/proj:$src/proj to show it)" ]
}

@test "a script whose interpreter is missing names the interpreter, exit 127" {
	mkdir "$src/proj" "$src/bin"
	printf '#!/nonexistent/sh\necho hi\n' > "$src/proj/a.sh"
	printf '#!%s/bin/sh\necho hi\n' "$src" > "$src/proj/b.sh"
	ln -s /bin/sh "$src/bin/sh"
	chmod 755 "$src/proj/a.sh" "$src/proj/b.sh"
	cd "$src/proj"
	run -127 "$SECLUDE" run -- ./a.sh
	[ "$output" = 'seclude: error: exec "./a.sh": its interpreter /nonexistent/sh: No such file or directory' ]
	run -127 "$SECLUDE" run -- ./b.sh
	[ "$output" = "seclude: error: exec \"./b.sh\": its interpreter $src/bin/sh: No such file or directory in the sandbox (/tmp is private there; -v $src:$src to show it)" ]
}

@test "a command missing on the host too gets the plain message" {
	cd "$src"
	run -127 "$SECLUDE" run -- ./nonexistent
	[ "$output" = 'seclude: error: exec "./nonexistent": No such file or directory' ]
	run -127 "$SECLUDE" run --rootfs "$ROOTFS" -- /nonexistent/x
	[ "$output" = 'seclude: error: exec "/nonexistent/x": No such file or directory' ]
}

@test "a command only the caller's PATH finds: the error says the sandbox's PATH is Docker's" {
	mkdir "$src/bin"
	printf '#!/bin/sh\necho tool ran\n' > "$src/bin/seclude-ht-tool"
	chmod 755 "$src" "$src/bin" "$src/bin/seclude-ht-tool"
	cd /
	PATH=$src/bin:$PATH run -127 "$SECLUDE" run -- seclude-ht-tool
	[ "$output" = "seclude: error: exec \"seclude-ht-tool\": executable file not found in \$PATH (the sandbox's PATH is Docker's; yours has $src/bin/seclude-ht-tool: give that path, or -e PATH)" ]
	# with a PATH of one's own, nothing to explain
	PATH=$src/bin:$PATH run -127 "$SECLUDE" run -e PATH=/bin -- seclude-ht-tool
	[ "$output" = 'seclude: error: exec "seclude-ht-tool": executable file not found in $PATH' ]
	# and what it says works (the path under /tmp needs its volume, which it names in turn)
	run "$SECLUDE" run -v "$src:$src" -e PATH="$src/bin:/usr/bin:/bin" -- seclude-ht-tool
	[ "$output" = "tool ran" ]
}

@test "volume paths that mean nothing are one clear error, exit 125, nothing run" {
	cd "$src"
	local bad
	while IFS='|' read -r bad want; do
		# shellcheck disable=SC2086
		run --separate-stderr "$SECLUDE" run $bad -- sh -c 'echo ran'
		[ "$status" -eq 125 ] || { echo "$bad: $status $stderr"; return 1; }
		[ -z "$output" ] || { echo "$bad: ran"; return 1; }
		[ "${#stderr_lines[@]}" -eq 1 ] || { echo "$bad: $stderr"; return 1; }
		[[ "$stderr" == "seclude: error: run: $want"* ]] || { echo "$bad: $stderr"; return 1; }
	done <<'TABLE'
-v .:/|--volume ".:/": the path inside cannot be /
--tmpfs /|--tmpfs "/": the path inside cannot be /
-v proj:/x|--volume "proj:/x": the host path must be absolute or start with .
--rootfs / -v .:.|a relative path inside (-v, --tmpfs) names a place in the host's tree
--rootfs / --tmpfs scratch|a relative path inside (-v, --tmpfs) names a place in the host's tree
TABLE
}
