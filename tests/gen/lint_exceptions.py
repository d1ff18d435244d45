#!/usr/bin/env python3
"""tests/gen/lint_exceptions.py SPARKLINT DOC DIR: sparklint's default rule
set over sparkgen's outputs (DIR/<output>.yaml) gives exactly the findings of
the "Lint exceptions" table of DOC (docs/sparkgen.md).

Each output is linted alone, then all of them as one set (cross-document
rules see every app together, as a GitOps repository would).  A finding is
identified by (output, rule, kind, name) and whether it is suppressed (the
table's "marked" column).  Prints one TAP line per check; exit 1 on any
failure."""
import json
import os
import re
import subprocess
import sys


def table(doc):
    """{(output, rule, kind, name): suppressed} from the Lint exceptions table."""
    text = open(doc).read()
    m = re.search(r"^### Lint exceptions\n(.*?)(?=^#)", text, re.S | re.M)
    if not m:
        sys.exit("no '### Lint exceptions' section in %s" % doc)
    want = {}
    for line in m.group(1).splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 5 or not cells[0].startswith("`"):
            continue
        rule = cells[0].strip("`")
        kind, name = cells[1].split(" ", 1)
        marked = {"yes": True, "no": False}[cells[3]]
        for out in cells[2].split(","):
            want[(out.strip(), rule, kind, name.strip("`"))] = marked
    if not want:
        sys.exit("the Lint exceptions table of %s has no rows" % doc)
    return want


def lint(sparklint, files):
    """sparklint's findings (suppressed ones too) as {(output, rule, kind, name): suppressed}."""
    p = subprocess.run([sparklint, "--no-config", "--show-suppressed", "--report-unused-ignores",
                        "-f", "json", *files],
                       capture_output=True, text=True)
    if p.returncode not in (0, 1):
        sys.exit("sparklint exited %d: %s" % (p.returncode, p.stderr))
    got = {}
    for f in json.loads(p.stdout)["findings"]:
        obj = f.get("object") or {}
        out = os.path.basename(f["file"])[:-len(".yaml")]
        key = (out, f["rule"], obj.get("kind", "?"), obj.get("name", "?"))
        got[key] = f["suppressed"]
        got.setdefault(("where",) + key, "%s:%s:%s" % (f["file"], f["line"], f["column"]))
    return got


def compare(label, got, want):
    problems = []
    for k, sup in sorted(got.items()):
        if k[0] == "where":
            continue
        if k not in want:
            problems.append("new finding: %s %s %s/%s at %s%s" % (k[0], k[1], k[2], k[3], got[("where",) + k],
                                                                 " (suppressed)" if sup else ""))
        elif want[k] != sup:
            problems.append("%s %s %s/%s: suppressed is %s, the table says marked %s"
                            % (k + (sup, "yes" if want[k] else "no")))
    for k in sorted(want):
        if k not in got:
            problems.append("documented but not found: %s %s %s/%s" % k)
    if problems:
        print("not ok - %s" % label)
        for p in problems:
            print("#   " + p)
        return False
    print("ok - %s" % label)
    return True


def main():
    sparklint, doc, d = sys.argv[1:4]
    want = table(doc)
    files = sorted(os.path.join(d, n) for n in os.listdir(d) if n.endswith(".yaml"))
    outputs = {os.path.basename(f)[:-len(".yaml")] for f in files}
    ok = True
    for out in sorted({k[0] for k in want} - outputs):
        print("not ok - lint: the table names output '%s', which was not generated" % out)
        ok = False
    for f in files:
        out = os.path.basename(f)[:-len(".yaml")]
        mine = {k: v for k, v in want.items() if k[0] == out}
        n = len(mine)
        ok &= compare("lint: %s gives exactly its %d documented exception%s" % (out, n, "" if n == 1 else "s"),
                      lint(sparklint, [f]), mine)
    # All outputs as one set.  A rule may report a shared cause once (one
    # StorageClass for two claims), so compare without the output's name.
    strip = lambda m: {k[1:]: v for k, v in m.items() if k[0] != "where"}
    together = lint(sparklint, files)
    got = {("*",) + k: v for k, v in strip(together).items()}
    for k, v in together.items():
        if k[0] == "where":
            got[("where", "*") + k[2:]] = v
    ok &= compare("lint: all outputs linted together give only the documented exceptions",
                  got, {("*",) + k: v for k, v in strip(want).items()})
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
