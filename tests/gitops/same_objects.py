#!/usr/bin/python3
"""same_objects.py A B: exit 0 when the YAML streams A and B hold the same
objects as a multiset of parsed documents (order, layout and quoting
ignored); otherwise print what only one side has and exit 1.  Used by
tests/gitops/suite.sh to compare `kubectl kustomize DIR` with the stream."""
import json
import sys
from collections import Counter

import yaml


def load(path):
    with open(path, encoding="utf-8") as f:
        docs = [d for d in yaml.safe_load_all(f) if d is not None]
    return Counter(json.dumps(d, sort_keys=True, default=str) for d in docs)


def ident(doc):
    d = json.loads(doc)
    meta = d.get("metadata") or {}
    return "%s %s/%s" % (d.get("kind"), meta.get("namespace", ""), meta.get("name"))


def main():
    a, b = load(sys.argv[1]), load(sys.argv[2])
    if a == b:
        print("%d objects" % sum(a.values()))
        return 0
    for doc in sorted((a - b).elements()):
        print("only in %s: %s" % (sys.argv[1], ident(doc)))
    for doc in sorted((b - a).elements()):
        print("only in %s: %s" % (sys.argv[2], ident(doc)))
    return 1


if __name__ == "__main__":
    sys.exit(main())
