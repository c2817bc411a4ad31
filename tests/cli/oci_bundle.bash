# A bundle for seclude-runc, shared by the oci*.bats files: made with
# `seclude-runc spec` on the busybox-static rootfs of rootfs.bash.  A file
# that loads it has these setup_file, setup and teardown unless it
# defines its own after the load.
load helpers
load rootfs

setup_file() { build_rootfs; }
setup() { bundle_setup; }
teardown() { bundle_teardown; }

RUNC=${SECLUDE_RUNC:-$(dirname "$SECLUDE")/seclude-runc}

# bundle_setup: STATE (a --root of the test's own) and BUNDLE (config.json
# with the rootfs by absolute path, writable, no terminal)
bundle_setup() {
	STATE=$BATS_TEST_TMPDIR/state
	BUNDLE=$BATS_TEST_TMPDIR/bundle
	mkdir -p "$BUNDLE"
	(cd "$BUNDLE" && "$RUNC" spec)
	edit --arg r "$ROOTFS" '.root.path = $r | .root.readonly = false | .process.terminal = false'
}

# bundle_teardown: every container left under STATE deleted
bundle_teardown() {
	local id
	for id in $("$RUNC" --root "$STATE" list -q 2>/dev/null); do
		"$RUNC" --root "$STATE" delete --force "$id" || true
	done
}

# edit JQ-ARGS...: rewrite config.json
edit() {
	jq "$@" "$BUNDLE/config.json" > "$BUNDLE/c.json" && mv "$BUNDLE/c.json" "$BUNDLE/config.json"
}

# cmd WORDS...: process.args
cmd() {
	local a='[' sep='' x
	for x in "$@"; do
		a+="$sep$(jq -n --arg x "$x" '$x')"
		sep=,
	done
	edit --argjson a "$a]" '.process.args = $a'
}

# create ID [FLAGS...]: create with the container's stdio in files of the bundle
# (bats' `run` would wait for the container's end on a pipe)
create() {
	local id=$1
	shift
	"$RUNC" --root "$STATE" create --bundle "$BUNDLE" "$@" "$id" \
		</dev/null >"$BUNDLE/$id.out" 2>"$BUNDLE/$id.err" || { cat "$BUNDLE/$id.err"; return 1; }
}

# state_field ID FIELD: a field of `state ID`
state_field() {
	"$RUNC" --root "$STATE" state "$1" | jq -r ".$2"
}

# wait_stopped ID: the container's state says stopped, within 10 s
wait_stopped() {
	local i
	for i in $(seq 200); do
		[ "$(state_field "$1" status)" = stopped ] && return 0
		sleep 0.05
	done
	return 1
}

# wait_for_line FILE PATTERN: a line of FILE matches, within 10 s
wait_for_line() {
	local i
	for i in $(seq 200); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}
