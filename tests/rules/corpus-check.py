#!/usr/bin/python3
"""corpus-check.py SPARKLINT GEN_CORPUS: the two seeded-defect rules against
the benchmark corpus generator's ground truth.

Generates a small corpus (--apps 60, files-per-app layout) in a temporary
directory, lints it with only spark-driver-bare-pod (ground-truth rule A) and
spark-checkpoint-volume-missing (rule B), and compares the reported
documents (file, document index) with the ground truth: every seeded defect
found, nothing else reported (the decoys included).  Prints TAP lines.
"""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sklint_json  # noqa: E402

RULES = {"A": "spark-driver-bare-pod", "B": "spark-checkpoint-volume-missing"}


def main():
    sparklint, gen = sys.argv[1], sys.argv[2]
    apps = sys.argv[3] if len(sys.argv) > 3 else "60"
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
            missing, extra = sorted(want - got), sorted(got - want)
            desc = "corpus: %s finds exactly the %d seeded defects (%s)" % (rule, len(want), apps + " apps")
            if not want:
                print("not ok - %s # no defects seeded" % desc)
                failed = True
            elif missing or extra:
                print("not ok - " + desc)
                for m in missing:
                    print("#   missed %s doc %d" % m)
                for e in extra:
                    print("#   false positive %s doc %s%s" % (e[0], e[1],
                          " (decoy %s)" % decoys[e] if e in decoys else ""))
                if err.strip():
                    print("#   stderr: " + err.strip()[:500].replace("\n", "\n#   "))
                failed = True
            else:
                print("ok - " + desc)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
