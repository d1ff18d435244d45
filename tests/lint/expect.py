#!/usr/bin/python3
"""expect.py FINDINGS.json RULE[,RULE...] FILE...

Compare sparklint's JSON findings of the given rules with the '# expect:
RULE [col=N]' markers in FILEs (the same marker syntax as rule fixtures).
Every marker must get exactly one finding of that rule on that line (and
column, when given); every finding of those rules must have a marker.  File
names must be spelled as sparklint printed them.  Prints the differences;
exits 1 when there are any.
"""
import json
import re
import sys

MARK = re.compile(r"(?:^|\s)#\s*expect:(.*)$")


def markers(path, rules):
    out = []
    with open(path, encoding="utf-8") as fp:
        for no, line in enumerate(fp, 1):
            m = MARK.search(line)
            if not m:
                continue
            for item in m.group(1).split(","):
                words = item.split()
                if not words or words[0] not in rules:
                    continue
                col = None
                for w in words[1:]:
                    if w.startswith("col="):
                        col = int(w[4:])
                out.append([path, no, col, words[0]])
    return out


def main():
    findings = json.load(open(sys.argv[1]))["findings"]
    rules = set(sys.argv[2].split(","))
    want = []
    for path in sys.argv[3:]:
        want += markers(path, rules)
    got = [f for f in findings if f["rule"] in rules and f["file"] in sys.argv[3:]]
    bad = []
    for f in got:
        for w in want:
            if w[0] == f["file"] and w[1] == f["line"] and w[3] == f["rule"] and \
                    (w[2] is None or w[2] == f["column"]):
                want.remove(w)
                break
        else:
            bad.append("unexpected %s at %s:%s:%s" % (f["rule"], f["file"], f["line"], f["column"]))
    for w in want:
        bad.append("missing %s at %s:%s%s" % (w[3], w[0], w[1], ":%d" % w[2] if w[2] else ""))
    for b in bad:
        print(b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
