#!/bin/sh
# make bench: build the baselines, generate (or reuse) the corpus, measure,
# and print one table.  Figures only; nothing here passes or fails on speed.
#   BENCH_APPS   corpus size (default 2800, the standard corpus)
#   BENCH_RUNS   runs per measurement, median reported (default 3)
#   BENCH_CACHE  where corpora are kept between runs
set -eu
cd "$(dirname "$0")/.."
APPS=${BENCH_APPS:-2800}
RUNS=${BENCH_RUNS:-3}
CACHE=${BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sparkgen-bench}
PY=/usr/bin/python3
B=build/bench
SHARED=${SHARED:-../shared}
mkdir -p "$B" "$CACHE"

YAML_FLAGS=$(pkg-config --cflags --libs yaml-0.1)
for prog in base_events base_nodes; do
	cc -O2 -o "$B/$prog" "bench/$prog.c" $YAML_FLAGS
done

corpus() {	# corpus LAYOUT: path of the cached corpus in that layout
	dir="$CACHE/apps$APPS-$1"
	if [ ! -f "$dir.ground_truth.json" ]; then
		rm -rf "$dir"
		$PY "$SHARED/bench/gen_corpus.py" --apps "$APPS" "--$1" --out "$dir" >/dev/null 2>&1
	fi
	echo "$dir"
}
STREAM=$(corpus single-stream)
FILES=$(corpus files-per-app)
STREAM_FILES="$STREAM/stream.yaml"
# The file list is written once, so every tool reads the same files in the same order.
find "$FILES" -type f -name '*.yaml' | LC_ALL=C sort > "$B/files.txt"
SMALL="$B/small.yaml"
$PY - "$STREAM_FILES" "$SMALL" <<'PY'
import sys
docs = open(sys.argv[1]).read().split("\n---\n")
open(sys.argv[2], "w").write("\n---\n".join(docs[:5]) + "\n")
PY

export RUNS PY B
exec $PY bench/table.py "$STREAM_FILES" "$B/files.txt" "$SMALL" "$FILES"
