#!/usr/bin/env python3
"""Measure each row of `make bench` and print one table (called by bench/run.sh).

  table.py run     measure (inputs come from the environment, see run.sh),
                   write $B/results.json, print the table
  table.py format FILE.json
                   print the table of a results file (no measuring)

Each row: the median wall time of RUNS runs (more for a row of a few ms:
measure.py; rows compared with each other, -j1 with -j2 and one process with
two, run in turns: Bench.alternating), MB/s and documents/s over its
input, peak RSS, its throughput as a ratio to the baseline measured in this
same run on the same bytes, and the issue's target (issue 8) with whether it
is met.  Figures only: nothing here passes or fails a build.
"""
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

from measure import SHORT_RUNS, SHORT_S, set_aside

MIB = 1024 * 1024

# ext4 without a journal (this project's VMs) does not reuse an inode freed in
# the last 60 s, or 360 s while its inode table block is dirty: it skips them
# one by one (ext4/ialloc.c, recently_deleted), so creating 8,854 files right
# after the previous run deleted ~70,000 took 1.9-2.3 s instead of 0.2-0.3 s.
INODE_RECENCY_S = 360


# ---------------------------------------------------------------- formatting

def fmt_s(s):
    return f"{s:.3f}" if s >= 0.1 else f"{s * 1000:.1f} ms"


def fmt_target(row, by_key, meta):
    """(target text, met text) of a row; ('', '') when it has none."""
    texts, mets = [], []
    for t in row.get("targets", []):
        kind = t["kind"]
        if kind == "min_ratio":		# throughput >= x * baseline
            v = row["ratio"]
            texts.append(f"≥ {t['value']:.2f}× {by_key[row['base']]['short']}")
            mets.append((v >= t["value"], f"{v:.2f}×"))
        elif kind == "max_time":	# wall time <= x * baseline's
            v = row["s"] / by_key[row["base"]]["s"]
            texts.append(f"time ≤ {t['value']:g}× {by_key[row['base']]['short']}")
            mets.append((v <= t["value"], f"{v:.2f}×"))
        elif kind == "speedup":		# throughput >= x * another row's
            other = by_key[t["of"]]
            v = other["s"] / row["s"]
            texts.append(f"≥ {t['value']:.2f}× {other['short']}")
            mets.append((v >= t["value"], f"{v:.2f}×"))
        elif kind == "max_rss":		# peak RSS <= x * corpus bytes
            v = row["rss_kib"] * 1024 / meta["corpus_bytes"]
            texts.append(f"RSS ≤ {t['value']:g}× corpus")
            mets.append((v <= t["value"], f"{v:.2f}×"))
        elif kind == "no_writes":	# the run changed no file
            texts.append("writes no file")
            n = row.get("changed", 0)
            mets.append((n == 0, f"{n} changed"))
    met = "; ".join(("yes" if ok else "**no**") + f" ({v})" for ok, v in mets)
    return "; ".join(texts), met


def short_runs(meta):
    """What the header says of the short rows, for runs that had them (not older files)."""
    if "short_runs" not in meta:
        return ""
    n, limit = meta["short_runs"]
    return f" ({n} where under {limit * 1000:.0f} ms)"


def format_table(res):
    meta, rows = res["meta"], res["rows"]
    by_key = {r["key"]: r for r in rows if "key" in r}
    out = []
    out.append(f"sparkgen/sparklint benchmark, {meta['date']}, commit {meta['commit']}, "
               f"{meta['cpus']} CPUs, load average {meta['load_start']:.2f} at start, "
               f"{meta['load_end']:.2f} at end")
    out.append(f"corpus: {meta['corpus_docs']:,} documents, {meta['corpus_bytes'] / 1e6:.1f} MB "
               f"({meta['corpus_apps']} apps; {meta['corpus_files']:,} files in the many-files "
               f"layout); sparkgen: {meta['gen_apps']:,} app descriptions; median of "
               f"{meta['runs']} run(s)" + short_runs(meta))
    out.append("ratio = throughput / the baseline's on the same bytes (time of the baseline / "
               "time of the row); MB = 10^6 bytes")
    out.append("")
    out.append("| what | input | median | MB/s | docs/s | peak RSS MiB | ratio | baseline "
               "| target (issue 8) | met |")
    out.append("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        if r.get("note"):
            out.append(f"| {r['name']} | {r['input']} | {r['note']} | | | | | | | |")
            continue
        s = r["s"]
        base = by_key[r["base"]]["short"] if r.get("base") else "(baseline)"
        ratio = f"{r['ratio']:.2f}" if r.get("base") else "1.00"
        target, met = fmt_target(r, by_key, meta)
        out.append(f"| {r['name']} | {r['input']} | {fmt_s(s)} | {r['bytes'] / s / 1e6:.1f} "
                   f"| {r['docs'] / s:,.0f} | {r['rss_kib'] / 1024:.1f} | {ratio} | {base} "
                   f"| {target} | {met} |")
    if meta.get("notes"):
        out.append("")
        out.extend(meta["notes"])
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- measuring

class Bench:
    def __init__(self):
        self.runs = int(os.environ.get("RUNS", "3"))
        self.B = os.environ["B"]
        self.py = os.environ.get("PY", sys.executable)
        self.rows = []
        self.by_key = {}

    def measure(self, cmd, stdin=None, fresh=None, own=False, runs=None):
        args = [self.py, "bench/measure.py", str(runs or self.runs), f"{self.B}/out.txt"]
        if stdin:
            args += ["--stdin", stdin]
        if fresh:
            args += ["--fresh", fresh]
        if own:
            args.append("--self")
        out = subprocess.run(args + ["--"] + cmd, check=True, capture_output=True,
                             text=True).stdout
        return json.loads(out)

    def alternating(self, cmds):
        """Measure commands in turns, one run of each per round: a ratio of two
        rows (a -j2 speedup) then compares runs made under the same load, which
        on a VM's shared vCPUs drifts from one row to the next."""
        ms = [{"runs": [], "max_rss_kib": 0, "rc": 0} for _ in cmds]
        for _ in range(self.runs):
            for m, cmd in zip(ms, cmds):
                one = self.measure(cmd, runs=1)
                m["runs"] += one["runs"]
                m["max_rss_kib"] = max(m["max_rss_kib"], one["max_rss_kib"])
                m["rc"] = m["rc"] or one["rc"]	# the first failure
        for m in ms:
            m["median_s"] = statistics.median(m["runs"])
        return ms

    def row(self, key, name, short, inp, cmd, nbytes, ndocs, base=None, targets=(),
            ok_rc=(0,), m=None, **kw):
        r = {"key": key, "name": name, "short": short, "input": inp, "base": base,
             "targets": list(targets)}
        self.rows.append(r)
        self.by_key[key] = r
        if base and self.by_key[base].get("note"):
            r["note"] = "n/a (no baseline)"
            return r
        m = m or self.measure(cmd, **kw)
        if m["rc"] not in ok_rc:
            r["note"] = f"exit {m['rc']}"
            return r
        r.update(s=m["median_s"], runs=m["runs"], rss_kib=m["max_rss_kib"],
                 bytes=nbytes, docs=ndocs)
        if base:	# throughputs; the same bytes in every row but the ceiling
            b = self.by_key[base]
            r["ratio"] = (nbytes / r["s"]) / (b["bytes"] / b["s"])
        return r

    def missing(self, key, name, short, inp, why):
        r = {"key": key, "name": name, "short": short, "input": inp, "note": why}
        self.rows.append(r)
        self.by_key[key] = r


def ext4_without_journal(path):
    """True when path is on an ext4 file system that has no journal."""
    dev = os.stat(path).st_dev
    try:
        blk = os.path.realpath(f"/sys/dev/block/{os.major(dev)}:{os.minor(dev)}")
        with open(f"/sys/fs/ext4/{os.path.basename(blk)}/journal_task") as f:
            return f.read().strip() == "<none>"
    except OSError:
        return False


def wait_for_freed_inodes(B, notes):
    """Before the sparkgen rows: let the previous run's deleted trees age out."""
    try:
        with open(f"{B}/trash-emptied") as f:
            age = time.time() - float(f.read())
    except (OSError, ValueError):
        return
    if not 0 <= age < INODE_RECENCY_S or not ext4_without_journal(B):
        return		# long enough ago, a clock set back, or another file system
    wait = INODE_RECENCY_S - age
    if os.environ.get("BENCH_NO_WAIT") == "1":
        notes.append(f"note: the sparkgen rows ran {age:.0f} s after the previous run deleted "
                     f"its trees; ext4 without a journal skips inodes freed in the last "
                     f"{INODE_RECENCY_S} s, so the full-generation rows are pessimistic.")
        return
    print(f"bench: waiting {wait:.0f} s before the sparkgen rows: the previous run deleted its "
          f"trees {age:.0f} s ago, and ext4 without a journal skips inodes freed in the last "
          f"{INODE_RECENCY_S} s (BENCH_NO_WAIT=1 to go on at once)", file=sys.stderr, flush=True)
    time.sleep(wait)


def tree_state(d):
    """path -> (size, mtime_ns, inode) of everything under d."""
    st = {}
    for root, dirs, files in os.walk(d):
        for n in dirs + files:
            p = os.path.join(root, n)
            s = os.lstat(p)
            st[p] = (s.st_size, s.st_mtime_ns, s.st_ino)
    return st


def run():
    env = os.environ
    stream, filelist, small = env["STREAM"], env["FILELIST"], env["SMALL"]
    files_dir, apps, tree = env["FILES"], env["APPS_DIR"], env["TREE"]
    sparklint, sparkgen = env.get("SPARKLINT", "./sparklint"), env.get("SPARKGEN", "./sparkgen")
    bench = Bench()
    B = bench.B
    load_start = os.getloadavg()[0]
    files = open(filelist).read().split()
    stream_bytes = os.path.getsize(stream)
    files_bytes = sum(os.path.getsize(f) for f in files)
    docs = int(subprocess.run([f"{B}/base_events", stream], check=True,
                              capture_output=True, text=True).stdout)
    small_bytes = os.path.getsize(small)
    small_docs = int(subprocess.run([f"{B}/base_events", small], check=True,
                                    capture_output=True, text=True).stdout)
    nf = f"{len(files):,} files"
    rss = {"kind": "max_rss", "value": 3}
    R = bench.row
    notes = []

    # The floors, and node construction, on both layouts.
    R("ev_stream", "libyaml event parse (floor)", "floor", "one stream",
      [f"{B}/base_events", stream], stream_bytes, docs)
    # What two cores give two independent processes on this machine (a VM's
    # two vCPUs may share a core or a host): the ceiling of any -j2 speedup.
    one = [f"{B}/base_nodes", stream]
    m1, m2 = bench.alternating([one, ["sh", "-c", '"$0" "$1" & "$0" "$1"; wait'] + one])
    R("nodes_stream", "libyaml parse + node tree", "nodes", "one stream",
      one, stream_bytes, docs, "ev_stream", m=m1)
    R("par_nodes", "the same, two processes at once", "2 × nodes", "one stream, twice",
      None, 2 * stream_bytes, 2 * docs, "nodes_stream", m=m2)
    R("ev_files", "libyaml event parse (floor)", "floor", nf,
      [f"{B}/base_events", "@" + filelist], files_bytes, docs)
    R("nodes_files", "libyaml parse + node tree", "nodes", nf,
      [f"{B}/base_nodes", "@" + filelist], files_bytes, docs, "ev_files")

    # sparklint, all default rules, text report to /dev/null (exit 1 = findings).
    lint = [sparklint, "-f", "text", "--color", "never"]
    have_lint = os.access(sparklint, os.X_OK)
    for layout, key, inp, nbytes, base in (
            ("files", "files", nf, files_bytes, "ev_files"),
            ("stream", "stream", "one stream (file)", stream_bytes, "ev_stream")):
        cmds = [lint + ["-j", j, files_dir if layout == "files" else stream]
                for j in ("1", "2")]
        ms = bench.alternating(cmds) if have_lint else [None, None]
        for j, cmd, m in zip(("1", "2"), cmds, ms):
            k = f"lint_{key}_j{j}"
            name = f"sparklint -j{j}, all rules"
            short = f"sparklint -j{j}"
            if not have_lint:
                bench.missing(k, name, short, inp, "n/a (no ./sparklint)")
                continue
            targets = [{"kind": "min_ratio", "value": 0.5}] if j == "1" else \
                      [{"kind": "speedup", "value": 1.7, "of": f"lint_{key}_j1"}]
            R(k, name, short, inp, cmd, nbytes, docs, base, targets + [rss],
              ok_rc=(0, 1), m=m)
    if have_lint:
        R("lint_stdin", "sparklint (default -j), all rules", "sparklint stdin",
          "one stream (stdin)", lint + ["-"], stream_bytes, docs, "ev_stream", [rss],
          ok_rc=(0, 1), stdin=stream)
        # The CI gate's report: every finding as SARIF (30,000 on the corpus).
        R("lint_sarif", "sparklint (default -j), SARIF report", "sparklint sarif",
          "one stream (file)", [sparklint, "-f", "sarif", stream], stream_bytes, docs,
          "ev_stream", [rss], ok_rc=(0, 1))

    # The pre-commit case: one small file, process start to exit.
    R("ev_small", "libyaml event parse (floor)", "floor", f"one small file ({small_docs} docs)",
      [f"{B}/base_events", small], small_bytes, small_docs)
    if have_lint:
        R("lint_small", "sparklint, all rules", "sparklint", f"one small file ({small_docs} docs)",
          lint + [small], small_bytes, small_docs, "ev_small",
          [{"kind": "max_time", "value": 2}], ok_rc=(0, 1))

    # sparkgen: a full generation into an empty directory, then a no-op one,
    # each without the render cache (a clean clone in CI) and with it warm
    # (a developer's machine).  SPARKGEN_CACHE is the bench's own (run.sh).
    napps = len([n for n in os.listdir(apps) if n.endswith(".yaml")])
    help_text = subprocess.run([sparkgen, "--help"], capture_output=True, text=True).stdout \
        if os.access(sparkgen, os.X_OK) else ""
    gen_in = f"{napps:,} apps -> tree"
    gen_rows = (("gen_full", "sparkgen -o, full generation, no cache"),
                ("gen_full_warm", "sparkgen -o, full generation, warm cache"),
                ("gen_noop", "sparkgen -o, no-op regeneration, no cache"),
                ("gen_noop_warm", "sparkgen -o, no-op regeneration, warm cache"))
    cold = ["env", "SPARKGEN_CACHE=off", sparkgen]
    if "-o DIR" not in help_text and "--output" not in help_text:
        for k, n in gen_rows:
            bench.missing(k, n, n, gen_in, "n/a (sparkgen -o missing)")
        tree_docs = tree_bytes = 0
    else:
        # Generate once so the baselines have the same tree to work on; this
        # also fills the render cache for the warm rows.  Old trees are set
        # aside, not removed, until the last sparkgen row (measure.py --fresh).
        wait_for_freed_inodes(B, notes)
        set_aside(tree)
        subprocess.run([sparkgen, "-o", tree, apps], check=True, capture_output=True)
        yfiles = sorted(os.path.join(r, n) for r, _, ns in os.walk(tree)
                        for n in ns if n.endswith((".yaml", ".yml")))
        with open(f"{B}/tree.txt", "w") as f:
            f.write("\n".join(yfiles) + "\n")
        emit = subprocess.run([f"{B}/base_emit", f"@{B}/tree.txt"], check=True,
                              capture_output=True, text=True).stdout.split()
        tree_docs, tree_bytes = int(emit[1]), int(emit[2])
        all_bytes = sum(os.path.getsize(os.path.join(r, n))
                        for r, _, ns in os.walk(tree) for n in ns)
        R("emit", "libyaml emitter (emit phase only)", "emitter", "the tree's YAML",
          [f"{B}/base_emit", f"@{B}/tree.txt"], tree_bytes, tree_docs, own=True)
        full = [{"kind": "min_ratio", "value": 0.5}]
        R("gen_full", gen_rows[0][1], "sparkgen", gen_in,
          cold + ["-o", tree, apps], tree_bytes, tree_docs, "emit", full, fresh=tree)
        R("gen_full_warm", gen_rows[1][1], "sparkgen", gen_in,
          [sparkgen, "-o", tree, apps], tree_bytes, tree_docs, "emit", full, fresh=tree)
        R("read", "read every file of the tree", "read", "the tree",
          [f"{B}/base_read", tree], all_bytes, tree_docs)
        noop = [{"kind": "max_time", "value": 2}, {"kind": "no_writes"}]
        for (k, n), cmd in ((gen_rows[2], cold), (gen_rows[3], [sparkgen])):
            before = tree_state(tree)
            r = R(k, n, "sparkgen", gen_in + " (unchanged)", cmd + ["-o", tree, apps],
                  all_bytes, tree_docs, "read", noop)
            after = tree_state(tree)
            r["changed"] = sum(1 for p in set(before) | set(after)
                               if before.get(p) != after.get(p))
            if k == "gen_noop" and "--jobs" in help_text:	# what the threads bring
                R("gen_noop_j1", "the same with -j1 (one thread)", "sparkgen",
                  gen_in + " (unchanged)", cold + ["-j1", "-o", tree, apps],
                  all_bytes, tree_docs, "read")
        shutil.rmtree(f"{B}/trash", ignore_errors=True)
        with open(f"{B}/trash-emptied", "w") as f:	# for the next run
            f.write(f"{time.time()}\n")

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip() or "?"
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    meta = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "commit": os.environ.get("BENCH_LABEL") or commit + ("+dirty" if dirty else ""),
        "cpus": os.cpu_count(),
        "load_start": load_start,
        "load_end": os.getloadavg()[0],
        "runs": bench.runs,
        "short_runs": [SHORT_RUNS, SHORT_S],
        "corpus_apps": int(env.get("CORPUS_APPS", "0")),
        "corpus_docs": docs,
        "corpus_bytes": stream_bytes,
        "corpus_files": len(files),
        "gen_apps": napps,
        "notes": notes,
    }
    ceiling = bench.by_key["par_nodes"].get("ratio")
    if ceiling:
        js = [f"{r['short']} on {r['input']} {by['s'] / r['s']:.2f}×"
              for r in bench.rows if r.get("key", "").endswith("_j2") and "s" in r
              for by in [bench.by_key[r["key"][:-1] + "1"]] if "s" in by]
        meta["notes"].append(f"note: two independent processes ran at {ceiling:.2f}× one's "
                             f"throughput (\"2 × nodes\"), the ceiling of a -j2 speedup on this "
                             f"machine; measured -j2 speedups: {'; '.join(js) or 'none'}.")
    if meta["load_start"] > 0.5 or meta["load_end"] > 0.5:
        meta["notes"].append(f"note: the machine was not idle (load average {load_start:.2f} "
                             f"-> {meta['load_end']:.2f}); figures are pessimistic.")
    res = {"meta": meta, "rows": bench.rows}
    with open(f"{B}/results.json", "w") as f:
        json.dump(res, f, indent=1)
    sys.stdout.write(format_table(res))


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "format":
        with open(sys.argv[2]) as f:
            sys.stdout.write(format_table(json.load(f)))
    elif len(sys.argv) == 2 and sys.argv[1] == "run":
        run()
    else:
        sys.exit("usage: table.py run | table.py format RESULTS.json")


if __name__ == "__main__":
    main()
