#!/usr/bin/env bats
load helpers

setup() {
	src=$(mktemp -d /tmp/seclude-vol.XXXXXX)
	echo "from the host" > "$src/f"
}

teardown() {
	rm -rf "$src"
}

@test "-v: a volume whose source lies under the host's /tmp is still reachable" {
	# the sandbox's own /tmp covers the host's: the source must be taken first
	run "$SECLUDE" run -v "$src:/tmp/data:ro" -- cat /tmp/data/f
	[ "$status" -eq 0 ]
	[ "$output" = "from the host" ]
}

@test "-v ...:ro: the volume cannot be written from inside" {
	run "$SECLUDE" run -v "$src:/tmp/data:ro" -- sh -c 'echo x > /tmp/data/g'
	[ "$status" -ne 0 ]
	[[ "$output" == *"Read-only file system"* ]]
	[ ! -e "$src/g" ]
}

@test "-v without :ro: writes reach the host" {
	run "$SECLUDE" run -v "$src:/tmp/data" -- sh -c 'echo written > /tmp/data/g'
	[ "$status" -eq 0 ]
	[ "$(cat "$src/g")" = written ]
}

@test "-v with a source that cannot be made is one clear error, exit 125, nothing run" {
	# a missing source directory is created, as Docker does; under a file it cannot be
	run "$SECLUDE" run -v "$src/f/sub:/tmp/data" -- sh -c 'echo ran'
	[ "$status" -eq 125 ]
	[[ "$output" == *"seclude: error: "*"$src/f/sub"* ]]
	[[ "$output" != *ran* ]]
}
