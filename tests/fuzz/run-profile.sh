#!/bin/sh
# Build the parse+resolve+compile fuzz target with clang in its own build
# directory (build-fuzz, or $SECLUDE_FUZZ_BUILD) and run it for
# $SECLUDE_FUZZ_SECONDS (30) on a corpus seeded from tests/data/profiles.
# The argument scripts/test passes (its build directory) is not used: the
# target needs clang and libFuzzer.  Longer runs:
#   SECLUDE_FUZZ_SECONDS=3600 tests/fuzz/run-profile.sh
set -eu
cd "$(dirname "$0")/../.."
dir=${SECLUDE_FUZZ_BUILD:-build-fuzz}
secs=${SECLUDE_FUZZ_SECONDS:-30}

mkdir -p "$dir"
if [ ! -f "$dir/build.ninja" ]; then
	CC=clang meson setup "$dir" -Dfuzz=true -Dbuildtype=debugoptimized \
		-Db_sanitize=address,undefined -Db_lundef=false \
		-Dc_args=-fsanitize=fuzzer-no-link >"$dir/fuzz-setup.log" 2>&1 ||
		{ cat "$dir/fuzz-setup.log"; exit 1; }
fi
ninja -C "$dir" tests/fuzz/fuzz_profile >"$dir/fuzz-build.log" 2>&1 || { tail -30 "$dir/fuzz-build.log"; exit 1; }

corpus=$dir/fuzz-corpus
mkdir -p "$corpus"
for f in tests/data/profiles/*/*.json lib/profile/default.json; do
	cp "$f" "$corpus/seed-$(basename "$(dirname "$f")")-$(basename "$f")"
done

log=$dir/fuzz-profile.log
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
if "$dir/tests/fuzz/fuzz_profile" -max_total_time="$secs" -max_len=65536 -timeout=20 \
	-rss_limit_mb=4096 -dict=tests/fuzz/profile.dict -artifact_prefix="$dir/" -print_final_stats=1 \
	"$corpus" >"$log" 2>&1; then
	grep -E "^stat::number_of_executed_units|^#[0-9]+.*DONE" "$log" | tail -2 >&2 || true
	exit 0
fi
tail -60 "$log"
exit 1
