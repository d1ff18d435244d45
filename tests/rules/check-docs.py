#!/usr/bin/python3
"""check-docs.py SPARKLINT [RULES_DIR]: every rule has its doc and fixtures,
and every doc example behaves as labelled.

For each rules/<id>.lua:
  * docs/rules/<id>.md exists, its title is "# <id>", it has the sections
    "## Rule details", "## Examples" and "## When not to use it" (and
    "## Options" exactly when the rule declares options), in that order;
  * tests/rules/<id>/pass.yaml and fail.yaml exist and fail.yaml has at least
    one "# expect: <id>" marker;
  * each ```yaml block preceded by <!-- incorrect --> makes sparklint (run
    with only that rule) report that rule at least once, and each block
    preceded by <!-- correct --> makes it report nothing.
Prints one TAP line per rule.
"""
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sklint_json  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SECTIONS = ["## Rule details", "## Examples", "## Options", "## When not to use it"]
BLOCK = re.compile(r"<!--\s*(incorrect|correct)\s*-->\s*\n```ya?ml\n(.*?)```", re.S)


def check_rule(sparklint, rid, rules_dir, tmp):
    problems = []
    doc = os.path.join(ROOT, "docs", "rules", rid + ".md")
    with open(os.path.join(rules_dir, rid + ".lua")) as f:
        has_options = re.search(r"^\s*options\s*=", f.read(), re.M) is not None
    fixtures = os.path.join(ROOT, "tests", "rules", rid)
    for which in ("pass.yaml", "fail.yaml"):
        if not os.path.isfile(os.path.join(fixtures, which)):
            problems.append("missing tests/rules/%s/%s" % (rid, which))
    fail = os.path.join(fixtures, "fail.yaml")
    if os.path.isfile(fail):
        with open(fail) as f:
            if not re.search(r"#\s*expect:.*\b%s\b" % re.escape(rid), f.read()):
                problems.append("fail.yaml has no '# expect: %s' marker" % rid)
    if not os.path.isfile(doc):
        return problems + ["missing docs/rules/%s.md" % rid]
    with open(doc) as f:
        text = f.read()
    if not text.startswith("# %s\n" % rid):
        problems.append("doc title is not '# %s'" % rid)
    heads = [h for h in re.findall(r"^## .*$", text, re.M)]
    want = [s for s in SECTIONS if s != "## Options" or has_options]
    got = [h for h in heads if h in SECTIONS]
    if got != want:
        problems.append("doc sections %s, wanted %s" % (got, want))
    blocks = BLOCK.findall(text)
    if not any(b[0] == "incorrect" for b in blocks) or not any(b[0] == "correct" for b in blocks):
        problems.append("doc needs at least one incorrect and one correct example")
    for i, (label, body) in enumerate(blocks, 1):
        path = os.path.join(tmp, "%s-example-%d.yaml" % (rid, i))
        with open(path, "w") as f:
            f.write(body)
        rc, fs, err = sklint_json.run(sparklint, [path], rules=[rid])
        hits = [x for x in fs if x["rule"] == rid]
        errors = [x for x in fs if x["rule"] not in (rid,) and x["rule"] in ("rule-error", "yaml", "io")]
        if errors or rc == 2:
            problems.append("example %d (%s): sparklint failed (rc %d): %s %s"
                            % (i, label, rc, [e["message"] for e in errors], err.strip()[:300]))
        elif label == "incorrect" and not hits:
            problems.append("example %d is marked incorrect but gives no finding" % i)
        elif label == "correct" and hits:
            problems.append("example %d is marked correct but gives: %s" % (i, hits[0]["message"]))
    return problems


def main():
    sparklint = sys.argv[1]
    rules_dir = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "rules")
    ids = sorted(n[:-4] for n in os.listdir(rules_dir) if n.endswith(".lua"))
    failed = False
    with tempfile.TemporaryDirectory(prefix="sk-docs.") as tmp:
        for rid in ids:
            problems = check_rule(sparklint, rid, rules_dir, tmp)
            if problems:
                failed = True
                print("not ok - docs and fixtures of %s" % rid)
                for p in problems:
                    print("#   " + p)
            else:
                print("ok - docs and fixtures of %s" % rid)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
