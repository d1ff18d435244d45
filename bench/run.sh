#!/bin/sh
# make bench: build the baselines, generate (or reuse) the inputs, measure,
# and print one table.  Figures only; nothing here passes or fails on speed.
#   BENCH_QUICK  1 = a fast sanity run: small corpus, 100 apps, one run
#   BENCH_APPS   corpus size (default 2800, the standard corpus; 280 quick)
#   BENCH_GEN    app descriptions for the sparkgen rows (default 1000; 100 quick)
#   BENCH_RUNS   runs per measurement, median reported (default 3; 1 quick)
#   BENCH_CACHE  where corpora are kept between runs
#   BENCH_SPARKLINT, BENCH_SPARKGEN  the binaries measured (default ./sparklint, ./sparkgen)
#   BENCH_LABEL  names the build in the table instead of the checkout's commit
#   BENCH_NO_WAIT  1 = do not wait for the previous run's deleted trees to age
#                out before the sparkgen rows (bench/table.py, INODE_RECENCY_S)
# The table is also kept as JSON in build/bench/results.json.
set -eu
cd "$(dirname "$0")/.."
if [ "${BENCH_QUICK:-0}" = 1 ]; then
	APPS=${BENCH_APPS:-280} GEN=${BENCH_GEN:-100} RUNS=${BENCH_RUNS:-1}
else
	APPS=${BENCH_APPS:-2800} GEN=${BENCH_GEN:-1000} RUNS=${BENCH_RUNS:-3}
fi
CACHE=${BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sparkgen-bench}
PY=/usr/bin/python3
B=build/bench
SHARED=${SHARED:-../shared}
mkdir -p "$B" "$CACHE"

YAML_FLAGS=$(pkg-config --cflags --libs yaml-0.1)
for prog in base_events base_nodes base_emit base_read timerun; do
	cc -O2 -o "$B/$prog" "bench/$prog.c" $YAML_FLAGS
done

corpus() {	# corpus LAYOUT: path of the cached corpus in that layout
	dir="$CACHE/apps$APPS-$1"
	if [ ! -f "$dir.ground_truth.json" ]; then
		echo "generating the $1 corpus ($APPS apps) in $dir ..." >&2
		rm -rf "$dir"
		$PY "$SHARED/bench/gen_corpus.py" --apps "$APPS" "--$1" --out "$dir" >/dev/null
	fi
	echo "$dir"
}
STREAM_DIR=$(corpus single-stream)
FILES=$(corpus files-per-app)
STREAM="$STREAM_DIR/stream.yaml"
# The file list is written once, so every tool reads the same files in the same order.
FILELIST="$B/files.txt"
find "$FILES" -type f -name '*.yaml' | LC_ALL=C sort > "$FILELIST"
# Every row reads the inputs from the page cache, the first one too.
xargs cat <"$FILELIST" >/dev/null
cat "$STREAM" >/dev/null
SMALL="$B/small.yaml"
$PY - "$STREAM" "$SMALL" <<'PY'
import sys
docs = open(sys.argv[1]).read().split("\n---\n")
open(sys.argv[2], "w").write("\n---\n".join(docs[:5]) + "\n")
PY
# App descriptions for sparkgen: cheap to make, so made afresh every run.
APPS_DIR="$B/apps"
rm -rf "$APPS_DIR"
$PY bench/gen_apps.py "$GEN" "$APPS_DIR"
TREE="$B/tree"
# sparkgen's render cache: the bench's own, emptied each run, never the user's.
SPARKGEN_CACHE="$B/render-cache"
rm -rf "$SPARKGEN_CACHE" "$B/trash"

export RUNS PY B STREAM FILELIST SMALL FILES APPS_DIR TREE SPARKGEN_CACHE
export CORPUS_APPS=$APPS SPARKLINT=${BENCH_SPARKLINT:-./sparklint} SPARKGEN=${BENCH_SPARKGEN:-./sparkgen}
exec $PY bench/table.py run
