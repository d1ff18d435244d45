#!/usr/bin/env bash
# tests/fuzz/suite.sh: replay the libFuzzer targets' seed corpora and every
# saved crasher (tests/fuzz/regress/<target>/) once, without fuzzing, so a
# fixed bug stays fixed.  Builds the targets first (tests/fuzz/fuzz.mk, into
# build/fuzz/); skipped visibly when clang or its libFuzzer runtime is
# missing, and under `make check` (the targets are ASan/UBSan builds
# already).  One line per target corpus and one per regression input.
#   bash tests/fuzz/suite.sh [--built]   (--built: do not run make)
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

FUZZ_BUILD=${FUZZ_BUILD:-build/fuzz}
FUZZ_CC=${FUZZ_CC:-clang}
built=false
[ "${1:-}" = --built ] && built=true

if [ -n "${SK_SANITIZED:-}" ]; then
	t_skip "fuzz replay" "the targets are sanitizer builds already; run by make test"
	exit 0
fi
if ! command -v "$FUZZ_CC" >/dev/null 2>&1; then
	t_skip "fuzz replay" "no $FUZZ_CC (apt-get install clang libclang-rt-dev)"
	exit 0
fi
if ! echo 'int LLVMFuzzerTestOneInput(const char *d, long n) { return 0; }' |
	"$FUZZ_CC" -x c -fsanitize=fuzzer -o /dev/null - >/dev/null 2>&1; then
	t_skip "fuzz replay" "$FUZZ_CC has no libFuzzer runtime (apt-get install libclang-rt-dev)"
	exit 0
fi

tmp=$(t_tmpdir)
trap 'rm -rf "$tmp"' EXIT
export TMPDIR=$tmp		# fuzz_gen and fuzz_lint write their input there

if ! $built; then
	jobs=$(nproc 2>/dev/null || echo 2)
	if ! make --no-print-directory -s -j"$jobs" -f tests/fuzz/fuzz.mk \
		FUZZ_BUILD="$FUZZ_BUILD" FUZZ_CC="$FUZZ_CC" build >"$tmp/build.log" 2>&1; then
		t_fail "fuzz: targets build" "$(tail -n 30 "$tmp/build.log")"
		exit 0
	fi
	t_ok "fuzz: targets build"
fi

# replay BIN DESC FILE...: run every FILE once; ok when none crashes, leaks
# or times out.
replay() {
	local bin=$1 desc=$2 log=$tmp/replay.log; shift 2
	if timeout 120 "$bin" -rss_limit_mb=2048 -timeout=10 "$@" >"$log" 2>&1; then
		t_ok "$desc"
	else
		t_fail "$desc" "$(grep -m1 '^Running: ' <(tac "$log"))" \
			"$(grep -E 'ORACLE|runtime error|SUMMARY|ERROR: (Address|Leak)|timeout|^ +#[0-9]+ .* /[^ ]*/(lib|gen|lint|tests)/' "$log" |
				sed -E 's/ \(BuildId: [0-9a-f]+\)//' | head -n 24)"
	fi
}

shopt -s nullglob
for src in tests/fuzz/fuzz_*.c; do
	t=${src#tests/fuzz/fuzz_}
	t=${t%.c}
	bin=$FUZZ_BUILD/fuzz_$t
	if [ ! -x "$bin" ]; then
		t_fail "fuzz: $t is built" "missing $bin"
		continue
	fi
	seeds=(tests/fuzz/corpus/"$t"/*)
	if [ ${#seeds[@]} -eq 0 ]; then
		t_skip "fuzz: $t seed corpus" "no seeds in tests/fuzz/corpus/$t"
	else
		start=$SECONDS
		replay "$bin" "fuzz: $t replays its ${#seeds[@]} seeds" "${seeds[@]}"
		echo "# $t: ${#seeds[@]} seeds in $((SECONDS - start)) s"
	fi
	for f in tests/fuzz/regress/"$t"/*; do
		[ -f "$f" ] || continue
		replay "$bin" "fuzz: $t regression ${f##*/}" "$f"
	done
done
