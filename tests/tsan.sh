#!/usr/bin/env bash
# tests/tsan.sh: the threaded paths under ThreadSanitizer (`make tsan` builds
# the programs with -fsanitize=thread and runs this).  sparklint -j4 over a
# generated corpus as files and as one stream, in every format; sparkgen -j4
# over generated descriptions to stdout, to a tree, --check, and over the
# catalogue of bad ones.  Any report fails the check: TSan exits 66 then.
# The libraries (libyaml, jansson, PCRE2, Lua) are not instrumented, so what
# is checked is this project's own code: its sharing and its locks.
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh

export TSAN_OPTIONS="halt_on_error=1 exitcode=66 ${TSAN_OPTIONS:-}"
export SPARKGEN_CACHE=off
tmp=$(t_tmpdir)
trap 'rm -rf "$tmp"' EXIT

# tsan DESC OKCODES CMD...: ok when CMD exits with one of OKCODES ("0 1")
# and TSan said nothing.
tsan() {
	local desc=$1 codes=$2 rc; shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"; rc=$?
	if grep -q 'ThreadSanitizer' "$tmp/err"; then
		t_fail "$desc" "$(grep -A30 'WARNING: ThreadSanitizer' "$tmp/err" | head -60)"
	elif [[ " $codes " != *" $rc "* ]]; then
		t_fail "$desc" "exit $rc, wanted one of: $codes" "$(head -20 "$tmp/err")"
	else
		t_ok "$desc"
	fi
}

if [ -z "${SHARED:-}" ] || [ ! -f "$SHARED/bench/gen_corpus.py" ]; then
	t_fail "tsan: ../shared/bench/gen_corpus.py is needed for the corpus"
	exit 1
fi
"$PYTHON" "$SHARED/bench/gen_corpus.py" --apps 40 --files-per-app --out "$tmp/files" >/dev/null 2>&1
"$PYTHON" "$SHARED/bench/gen_corpus.py" --apps 40 --single-stream --out "$tmp/stream" >/dev/null 2>&1
"$PYTHON" bench/gen_apps.py 60 "$tmp/apps" >/dev/null

for f in text json sarif github; do
	tsan "tsan: sparklint -j4 -f $f over $(find "$tmp/files" -name '*.yaml' | wc -l) files" "0 1" \
		"$SPARKLINT" -j4 -f "$f" "$tmp/files"
done
tsan "tsan: sparklint -j4 over one stream" "0 1" "$SPARKLINT" -j4 "$tmp/stream/stream.yaml"
tsan "tsan: sparklint -j2 with --context" "0 1" \
	"$SPARKLINT" -j2 --context "$tmp/stream" "$tmp/files"
# --test-rules deals each fixture's documents to two workers (the built-in
# rules' and the rules with state, which change a document).
tsan "tsan: --test-rules, fixtures dealt to two workers" 0 "$SPARKLINT" --test-rules rules
tsan "tsan: --test-rules, rules with state" 1 "$SPARKLINT" --test-rules tests/lint/stateful-rules

tsan "tsan: sparkgen -j4, 60 apps to stdout" 0 "$SPARKGEN" -j4 "$tmp/apps"
tsan "tsan: sparkgen -j4 --json" 0 "$SPARKGEN" -j4 --json "$tmp/apps" examples/*.yaml
tsan "tsan: sparkgen -j4 -o, a new tree" 0 "$SPARKGEN" -j4 -o "$tmp/tree" "$tmp/apps"
tsan "tsan: sparkgen -j4 --check" 0 "$SPARKGEN" -j4 --check -o "$tmp/tree" "$tmp/apps"
tsan "tsan: sparkgen -j4 over the bad descriptions" 2 "$SPARKGEN" -j4 tests/gen/bad/*.yaml

# A tree of more than 4 x 256 files: four writer threads (gen/tree_fs.c).
"$PYTHON" bench/gen_apps.py 130 "$tmp/apps130" >/dev/null
tsan "tsan: sparkgen -j4 -o, a new tree by four writers" 0 \
	"$SPARKGEN" -j4 -o "$tmp/tree4" "$tmp/apps130"
# ... read again by four (no-op) with every app rendered, a file edited by hand.
echo "edited: true" >> "$(find "$tmp/tree4" -name '*.yaml' | LC_ALL=C sort | sed -n 100p)"
tsan "tsan: sparkgen -j4 -o, the tree read by four readers" 0 \
	env SPARKGEN_CACHE=off "$SPARKGEN" -j4 -o "$tmp/tree4" "$tmp/apps130"
# ... and the writers failing at once: files over RLIMIT_FSIZE (2 KiB; the
# signal ignored, write() says EFBIG).  Nothing may be left behind.
tsan "tsan: sparkgen -j4 -o, writers failing at once" 2 \
	bash -c 'trap "" XFSZ; ulimit -f 2; exec "$0" -j4 -o "$1" "$2"' \
	"$SPARKGEN" "$tmp/fail/tree" "$tmp/apps130"
if [ -e "$tmp/fail" ]; then
	t_fail "tsan: the failed tree left nothing" "$(find "$tmp/fail" | head -5)"
else
	t_ok "tsan: the failed tree left nothing"
fi
exit $T_FAILED
