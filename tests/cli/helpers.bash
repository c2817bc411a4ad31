# Shared setup for the bats tests: which seclude to run, where data lives.
SRC=${SECLUDE_SRC:-$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}
SECLUDE=${SECLUDE:-$SRC/build/cli/seclude}
PROFILES=$SRC/tests/data/profiles
DATA=$SRC/tests/data

# Assert the last `run` printed exactly one line on stderr of the form
# "seclude: error: ..." containing $1, and exited 125.
assert_error() {
	[ "$status" -eq 125 ] || { echo "status $status, expected 125; output: $output"; return 1; }
	[[ "$output" == *"seclude: error: "*"$1"* ]] || { echo "expected error with '$1', got: $output"; return 1; }
}
