#!/usr/bin/env python3
"""Run a command several times; print median wall seconds and peak RSS.

Usage: measure.py RUNS STDOUT_FILE -- CMD ARGS...
Prints one JSON line: {"runs": [...], "median_s": x, "max_rss_kib": n, "rc": rc}.
The child's own peak RSS comes from wait4(), so nothing else is counted.
"""
import json
import os
import statistics
import sys
import time


def run_once(cmd, out):
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(fd, 1)
        try:
            os.execvp(cmd[0], cmd)
        finally:
            os._exit(127)
    _, status, ru = os.wait4(pid, 0)
    return time.perf_counter() - t0, ru.ru_maxrss, os.waitstatus_to_exitcode(status)


def main():
    runs = int(sys.argv[1])
    out = sys.argv[2]
    cmd = sys.argv[sys.argv.index("--") + 1:]
    times, rss, rc = [], 0, 0
    for _ in range(runs):
        t, r, rc = run_once(cmd, out)
        times.append(t)
        rss = max(rss, r)
    print(json.dumps({"runs": times, "median_s": statistics.median(times),
                      "max_rss_kib": rss, "rc": rc}))


if __name__ == "__main__":
    main()
