#!/usr/bin/python3
"""corpus-check.py SPARKLINT GEN_CORPUS [APPS [ALL_APPS]]: the two
seeded-defect rules against the benchmark corpus generator's ground truth.

Generates a small corpus (--apps 60, files-per-app layout) in a temporary
directory, lints it with only spark-driver-bare-pod (ground-truth rule A) and
spark-checkpoint-volume-missing (rule B), and compares the reported
documents (file, document index) with the ground truth: every seeded defect
found, nothing else reported (the decoys included).

Then the same with every built-in rule on, over one stream of ALL_APPS apps
(default 200), with -j1 and with -j2: the two outputs must be identical, no
rule may fail, A and B must still find exactly the ground truth, and the
findings of all rules together must be those of each rule run alone (--rule,
a process of its own).  Together, the rules share the helpers' per-object
caches and per-state memo (ctx:memo) and the engine's label indexes, and the
two worker counts split the work differently, so this is where a cache or
index that loses or invents a cross-object match, or a rule that changes a
shared helper result, shows.  Prints TAP lines.
"""
import bisect
import concurrent.futures
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sklint_json  # noqa: E402

RULES = {"A": "spark-driver-bare-pod", "B": "spark-checkpoint-volume-missing"}


def compare(rule, want, got, decoys, desc, err):
    """One TAP line: got == want (sets of (file, doc)).  True when it failed."""
    missing, extra = sorted(want - got), sorted(got - want)
    if not want:
        print("not ok - %s # no defects seeded" % desc)
        return True
    if not missing and not extra:
        print("ok - " + desc)
        return False
    print("not ok - " + desc)
    for m in missing:
        print("#   missed %s doc %d" % m)
    for e in extra:
        print("#   false positive %s doc %s%s" % (e[0], e[1],
              " (decoy %s)" % decoys[e] if e in decoys else ""))
    if err.strip():
        print("#   stderr: " + err.strip()[:500].replace("\n", "\n#   "))
    return True


def check_alone(sparklint, stream, together, what):
    """All rules together find what each rule finds alone.  True when not."""
    p = subprocess.run([sparklint, "--no-config", "--list-rules"], capture_output=True, text=True)
    ids = [line.split()[0] for line in p.stdout.splitlines()[1:] if line.strip()]

    def alone(rule):
        q = subprocess.run([sparklint, "--no-config", "-f", "json", "-j", "1", "--rule", rule,
                            stream], capture_output=True, text=True)
        return [f for f in sklint_json.findings(q.stdout) if f["rule"] == rule]

    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as ex:
        sep = [f for fs in ex.map(alone, ids) for f in fs]

    def key(f):
        return (f["rule"], f["file"], f["line"], f["col"], f["message"])
    a, b = sorted(map(key, together)), sorted(map(key, sep))
    desc = "%s: the %d rules together find what each finds alone (%d findings)" % (
        what, len(ids), len(a))
    if len(ids) > 1 and a == b:
        print("ok - " + desc)
        return False
    print("not ok - " + desc)
    only_t, only_s = sorted(set(a) - set(b)), sorted(set(b) - set(a))
    for k in only_t[:5]:
        print("#   only together: %s %s:%d:%d %s" % k)
    for k in only_s[:5]:
        print("#   only alone: %s %s:%d:%d %s" % k)
    return True


def check_all_rules(sparklint, gen, apps):
    """Every rule, one stream, -j1 vs -j2; A and B against the ground truth."""
    failed = False
    what = "corpus, all rules, one stream of %s apps" % apps
    with tempfile.TemporaryDirectory(prefix="sk-corpus.") as tmp:
        out = os.path.join(tmp, "stream")
        subprocess.run([sys.executable, gen, "--apps", apps, "--single-stream", "--out", out],
                       check=True, capture_output=True)
        with open(os.path.join(tmp, "stream.ground_truth.json")) as f:
            truth = json.load(f)
        stream = os.path.join(out, "stream.yaml")
        runs = {}
        for j in ("1", "2"):
            p = subprocess.run([sparklint, "--no-config", "-f", "json", "-j", j, stream],
                               capture_output=True, text=True)
            runs[j] = p
        if runs["1"].returncode == 1 and runs["1"].stdout == runs["2"].stdout and \
                runs["2"].returncode == 1:
            print("ok - %s: -j1 and -j2 give the same findings (exit 1)" % what)
        else:
            failed = True
            print("not ok - %s: -j1 and -j2 give the same findings (exit 1)" % what)
            print("#   exit %d and %d; stderr: %s" % (runs["1"].returncode, runs["2"].returncode,
                  (runs["1"].stderr + runs["2"].stderr).strip()[:500]))
        fs = sklint_json.findings(runs["1"].stdout)
        errs = [f for f in fs if f["rule"] in ("rule-error", "yaml", "io", "oom")]
        if errs:
            failed = True
            print("not ok - %s: no rule fails" % what)
            for f in errs[:5]:
                print("#   %s:%d: %s" % (f["file"], f["line"], f["message"][:200]))
        else:
            print("ok - %s: no rule fails" % what)
        # Each document of the generator's stream starts with a '---' line.
        with open(stream) as fh:
            starts = [i + 1 for i, line in enumerate(fh) if line.rstrip("\n") == "---"]
        if len(starts) != truth["documents"]:
            print("not ok - %s: %d '---' lines for %d documents" % (what, len(starts),
                  truth["documents"]))
            return True
        failed |= check_alone(sparklint, stream, fs, what)
        decoys = {(t["file"], t["doc"]): t["variant"] for t in truth["decoys"]}
        for rid, rule in sorted(RULES.items()):
            want = {(t["file"], t["doc"]) for t in truth["defects"] if t["rule"] == rid}
            got = {("stream.yaml", bisect.bisect_right(starts, f["line"]) - 1)
                   for f in fs if f["rule"] == rule}
            failed |= compare(rule, want, got, decoys, "%s: %s finds exactly the %d seeded "
                              "defects" % (what, rule, len(want)), runs["1"].stderr)
    return failed


def main():
    sparklint, gen = sys.argv[1], sys.argv[2]
    apps = sys.argv[3] if len(sys.argv) > 3 else "60"
    all_apps = sys.argv[4] if len(sys.argv) > 4 else "200"
    failed = False
    with tempfile.TemporaryDirectory(prefix="sk-corpus.") as tmp:
        out = os.path.join(tmp, "files")
        subprocess.run([sys.executable, gen, "--apps", apps, "--out", out],
                       check=True, capture_output=True)
        with open(os.path.join(tmp, "files.ground_truth.json")) as f:
            truth = json.load(f)
        files = sorted(os.path.join(d, n) for d, _, ns in os.walk(out) for n in ns
                       if n.endswith(".yaml"))
        rc, fs, err = sklint_json.run(sparklint, files, rules=RULES.values())
        starts = {}
        for rid, rule in sorted(RULES.items()):
            want = {(t["file"], t["doc"]) for t in truth["defects"] if t["rule"] == rid}
            got = set()
            for f in fs:
                if f["rule"] != rule:
                    continue
                rel = os.path.relpath(os.path.abspath(f["file"]), out)
                if rel not in starts:
                    with open(os.path.join(out, rel)) as fh:
                        starts[rel] = sklint_json.doc_starts(fh.read())
                got.add((rel, sklint_json.doc_of_line(starts[rel], f["line"])))
            decoys = {(t["file"], t["doc"]): t["variant"] for t in truth["decoys"]}
            desc = "corpus: %s finds exactly the %d seeded defects (%s)" % (rule, len(want), apps + " apps")
            failed |= compare(rule, want, got, decoys, desc, err)
    failed |= check_all_rules(sparklint, gen, all_apps)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
