#!/usr/bin/env bash
# tests/run.sh: run every test suite and print one closing line
# "N passed, N failed, N skipped".  Unit tests are cmocka binaries in
# $UNITDIR (TAP output); shell suites are tests/*/suite.sh (TAP-style lines).
# Exit 0 only when nothing failed and something ran.
set -u
cd "$(dirname "$0")/.."
export SPARKGEN SPARKLINT UNITDIR TOOLDIR
export SHARED="${SHARED:-$(cd ../shared 2>/dev/null && pwd)}"
log=$(mktemp)
# sparkgen -o keeps a render cache; the tests get one of their own, never
# the user's ~/.cache/sparkgen.
cache=$(mktemp -d)
export SPARKGEN_CACHE="$cache/sparkgen"
trap 'rm -f "$log"; rm -rf "$cache"' EXIT
status=0

run() {		# run NAME CMD...: stream output, remember it, note crashes
	local name=$1 rc; shift
	echo "# --- $name"
	"$@" 2>&1 | tee -a "$log"
	rc=${PIPESTATUS[0]}
	if [ "$rc" -ne 0 ]; then
		echo "not ok - $name exited with status $rc" | tee -a "$log"
		status=1
	fi
}

for t in "$UNITDIR"/test_*; do
	[ -x "$t" ] || continue
	run "unit/$(basename "$t")" env CMOCKA_MESSAGE_OUTPUT=TAP "$t"
done
for s in tests/*/suite.sh; do
	[ -f "$s" ] || continue
	run "$s" bash "$s"
done

pass=$(grep -Ec '^ok [0-9]* ?-? ?' "$log" | tr -d ' ')
# cmocka's TAP writes a skipped test as "not ok N # SKIP".
skip=$(grep -Ec '^ok .*# SKIP' "$log" | tr -d ' ')
uskip=$(grep -Ec '^not ok [0-9]+ # SKIP' "$log" | tr -d ' ')
fail=$(grep -E '^not ok' "$log" | grep -Evc '^not ok [0-9]+ # SKIP' | tr -d ' ')
pass=$((pass - skip))
skip=$((skip + uskip))
echo
grep -E '^not ok' "$log" | grep -Ev '^not ok [0-9]+ # SKIP' | sed 's/^/FAILED: /'
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] && [ "$status" -eq 0 ] && [ "$pass" -gt 0 ]
