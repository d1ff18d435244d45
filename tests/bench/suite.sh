#!/usr/bin/env bash
# tests/bench/suite.sh: bench/table.py turns a fixed results file into the
# expected table (targets, met/not met, missing rows).  Formatting only:
# benchmarks are never timed tests; `make bench` measures.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

here=tests/bench
out=$("$PYTHON" bench/table.py format "$here/results.json" 2>&1)
if [ "$out" = "$(cat "$here/expected.txt")" ]; then
	t_ok "bench: table.py formats a fixed results file as expected"
else
	t_fail "bench: table.py formats a fixed results file as expected" \
		"$(diff <(printf '%s\n' "$out") "$here/expected.txt")"
fi
t_run "bench: table.py refuses a bad command line" 1 "$PYTHON" bench/table.py
