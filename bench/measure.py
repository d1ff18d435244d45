#!/usr/bin/env python3
"""Run a command several times; print median seconds and peak RSS.

Usage: measure.py RUNS STDOUT_FILE [--stdin FILE] [--fresh DIR] [--self] -- CMD ARGS...
  --stdin FILE  the command reads FILE on its standard input
  --fresh DIR   DIR is moved into $B/trash before each run (not timed), not
                removed: right after thousands of files are deleted, ext4
                skips the freed inodes one by one while the next run creates
                its own (seconds of kernel time that are not the command's).
                table.py empties the trash after its last row.
  --self        the command prints its own seconds as the first word of its
                output (for baselines that time one phase); else wall time
Prints one JSON line: {"runs": [...], "median_s": x, "max_rss_kib": n, "rc": rc}.
Each run goes through bench/timerun (built by run.sh into $B): wall time
around fork and wait4(), and the child's own peak RSS.  A command whose
median is under SHORT_S (the one small file and its floor: a few ms, where
one hiccup of a VM's host moves a median of three) runs SHORT_RUNS times.
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile

SHORT_S, SHORT_RUNS = 0.05, 31


def set_aside(path):
    """Move path (if it exists) to a new name under $B/trash."""
    if not os.path.lexists(path):
        return
    trash = os.path.join(os.environ.get("B", "build/bench"), "trash")
    os.makedirs(trash, exist_ok=True)
    os.rename(path, tempfile.mkdtemp(dir=trash) + "/x")


def run_once(cmd, out, stdin):
    """One run through bench's timerun helper: (seconds, peak RSS KiB, exit code)."""
    helper = [os.path.join(os.environ.get("B", "build/bench"), "timerun"), out]
    if stdin:
        helper += ["--stdin", stdin]
    err = subprocess.run(helper + ["--"] + cmd, stderr=subprocess.PIPE, text=True).stderr
    t, rss, rc = err.strip().splitlines()[-1].split()
    return float(t), int(rss), int(rc)


def main():
    runs = int(sys.argv[1])
    out = sys.argv[2]
    dash = sys.argv.index("--")
    opts, cmd = sys.argv[3:dash], sys.argv[dash + 1:]
    stdin = opts[opts.index("--stdin") + 1] if "--stdin" in opts else None
    fresh = opts[opts.index("--fresh") + 1] if "--fresh" in opts else None
    own = "--self" in opts
    times, rss, rc = [], 0, 0
    while len(times) < runs or (len(times) < SHORT_RUNS and
                                statistics.median(times) < SHORT_S):
        if fresh:
            set_aside(fresh)
        t, r, rc = run_once(cmd, out, stdin)
        if own and rc == 0:
            with open(out) as f:
                t = float(f.read().split()[0])
        times.append(t)
        rss = max(rss, r)
    print(json.dumps({"runs": times, "median_s": statistics.median(times),
                      "max_rss_kib": rss, "rc": rc}))


if __name__ == "__main__":
    main()
