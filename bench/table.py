#!/usr/bin/env python3
"""Measure each row and print the benchmark table (called by bench/run.sh).

Each row: median wall time of RUNS runs, MB/s and documents/s over the input,
peak RSS, and the ratio of its throughput to the libyaml event-parse floor
measured in this same run on the same input.
"""
import json
import os
import subprocess
import sys

RUNS = int(os.environ.get("RUNS", "3"))
B = os.environ["B"]
PY = os.environ.get("PY", sys.executable)


def measure(cmd):
    out = subprocess.run([PY, "bench/measure.py", str(RUNS), "/dev/null", "--"] + cmd,
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def main():
    stream, filelist, small, files_dir = sys.argv[1:5]
    files = open(filelist).read().split()
    stream_bytes = os.path.getsize(stream)
    files_bytes = sum(os.path.getsize(f) for f in files)
    docs = int(subprocess.run([f"{B}/base_events", stream], check=True,
                              capture_output=True, text=True).stdout)
    small_docs = 5
    rows = []

    def row(name, layout, cmd, nbytes, ndocs, floor=None):
        m = measure(cmd)
        if m["rc"] not in (0, 1):
            rows.append((name, layout, None, None, None, None, None, f"exit {m['rc']}"))
            return m
        s = m["median_s"]
        ratio = (floor["median_s"] / s) if floor else 1.0
        rows.append((name, layout, s, nbytes / s / 1e6, ndocs / s,
                     m["max_rss_kib"] / 1024, ratio, ""))
        return m

    lint = "./sparklint"
    have_lint = os.access(lint, os.X_OK)
    f_stream = row("libyaml event parse (floor)", "one stream",
                   [f"{B}/base_events", stream], stream_bytes, docs)
    row("libyaml node tree", "one stream", [f"{B}/base_nodes", stream],
        stream_bytes, docs, f_stream)
    f_files = row("libyaml event parse (floor)", f"{len(files)} files",
                  [f"{B}/base_events", "@" + filelist], files_bytes, docs)
    row("libyaml node tree", f"{len(files)} files", [f"{B}/base_nodes", "@" + filelist],
        files_bytes, docs, f_files)
    if have_lint:
        for j in ("1", "2"):
            row(f"sparklint -j{j}", "one stream",
                [lint, "-j", j, "-f", "text", stream], stream_bytes, docs, f_stream)
            row(f"sparklint -j{j}", f"{len(files)} files",
                [lint, "-j", j, "-f", "text", files_dir], files_bytes, docs, f_files)
    f_small = row("libyaml event parse (floor)", "one small file (5 docs)",
                  [f"{B}/base_events", small], os.path.getsize(small), small_docs)
    if have_lint:
        row("sparklint, all rules", "one small file (5 docs)",
            [lint, small], os.path.getsize(small), small_docs, f_small)

    print(f"corpus: {docs} documents, {stream_bytes / 1e6:.1f} MB; median of {RUNS} runs; "
          "ratio = throughput / floor on the same input")
    print()
    print("| what | input | median s | MB/s | docs/s | peak RSS MiB | ratio to floor |")
    print("|---|---|---|---|---|---|---|")
    for name, layout, s, mbs, dps, rss, ratio, note in rows:
        if s is None:
            print(f"| {name} | {layout} | {note} | | | | |")
            continue
        print(f"| {name} | {layout} | {s:.3f} | {mbs:.1f} | {dps:,.0f} | {rss:.1f} | {ratio:.2f} |")


if __name__ == "__main__":
    main()
