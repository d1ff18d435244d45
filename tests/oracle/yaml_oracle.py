#!/usr/bin/python3
"""Compare our YAML reading with PyYAML's, an independent reader.

Usage:
  yaml_oracle.py corpus INSPECT_CMD -- FILE...
      For every FILE, run `INSPECT_CMD --positions FILE` (one JSON line per
      non-empty document) and check, document by document, against PyYAML
      (CSafeLoader when built with libyaml, else SafeLoader):
        - the same documents (empty ones skipped but counted in "index"),
        - the same value (types compared strictly: 1 != 1.0 != True),
        - "line" is the root node's line,
        - every node PyYAML composes (scalars and collections) is in
          "positions" at PyYAML's mark + 1, and in the same order.
  yaml_oracle.py known INSPECT_CMD -- KNOWN_FILE
      Each line of KNOWN_FILE is `YAML<TAB>JSON<TAB>why` (YAML with \\n
      escapes).  Checks that we read YAML as JSON (Kubernetes' reading)
      and that PyYAML really reads it differently (or rejects it).  JSON
      "error" means we reject the input (exit 2) while PyYAML reads it.

Prints TAP-style `ok - ...` / `not ok - ...` lines; exits 1 on a failure.
Mapping keys of PyYAML's result are turned into strings the way
sigs.k8s.io/yaml does (True -> "true", None -> "null", 8080 -> "8080").
"""
import datetime
import json
import math
import subprocess
import sys

import yaml

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MERGE_TAG = "tag:yaml.org,2002:merge"
NULL_TAG = "tag:yaml.org,2002:null"
FAILED = False


class Unsupported(Exception):
    """PyYAML produced something JSON (and Kubernetes) has no word for."""


def report(ok, desc, detail=""):
    global FAILED
    print(("ok - " if ok else "not ok - ") + desc)
    if not ok:
        FAILED = True
        for line in detail.splitlines()[:20]:
            print("#   " + line)


def k8s_key(k):
    if isinstance(k, bool):
        return "true" if k else "false"
    if k is None:
        return "null"
    if isinstance(k, int):
        return str(k)
    if isinstance(k, str):
        return k
    raise Unsupported("key of type %s: %r" % (type(k).__name__, k))


def norm(v):
    """PyYAML's value as the JSON our --inspect would print."""
    if isinstance(v, dict):
        return {k8s_key(k): norm(x) for k, x in v.items()}
    if isinstance(v, list):
        return [norm(x) for x in v]
    if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
        return None
    if isinstance(v, (datetime.date, bytes, set, tuple)):
        raise Unsupported("value of type %s: %r" % (type(v).__name__, v))
    return v


def same(a, b):
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def escape(key):
    return key.replace("~", "~0").replace("/", "~1")


def walk(node, ptr, out, ctor):
    """(pointer, line, col) of every node in document order, as we index it."""
    out.append((ptr, node.start_mark.line + 1, node.start_mark.column + 1))
    if isinstance(node, yaml.SequenceNode):
        for i, child in enumerate(node.value):
            walk(child, "%s/%d" % (ptr, i), out, ctor)
    elif isinstance(node, yaml.MappingNode):
        for knode, vnode in node.value:
            if knode.tag == MERGE_TAG:
                continue    # merged keys are ours alone; their nodes are checked where defined
            key = k8s_key(ctor.construct_object(knode, deep=True))
            walk(vnode, ptr + "/" + escape(key), out, ctor)


def is_empty_doc(node):
    return (isinstance(node, yaml.ScalarNode) and node.value == "" and
            node.tag == NULL_TAG and not node.style)


def run_inspect(cmd, path):
    p = subprocess.run(cmd + ["--positions", path], capture_output=True)
    lines = [json.loads(l) for l in p.stdout.decode("utf-8").split("\n") if l]
    return p.returncode, lines, p.stderr.decode("utf-8", "replace")


def check_doc(path, idx, node, value, ours):
    desc = "%s doc %d" % (path, idx)
    try:
        want = norm(value)
    except Unsupported as e:
        report(False, desc + ": value", "PyYAML gave " + str(e))
        return
    report(same(want, ours["object"]), desc + ": value",
           "ours:   %s\npyyaml: %s" % (json.dumps(ours["object"])[:2000],
                                      json.dumps(want)[:2000]))
    report(ours["line"] == node.start_mark.line + 1, desc + ": root line",
           "ours %s, pyyaml %d" % (ours["line"], node.start_mark.line + 1))
    marks = []
    walk(node, "", marks, yaml.constructor.SafeConstructor())
    pos = ours.get("positions", {})
    order = {p: i for i, p in enumerate(pos)}
    bad = ["%s: ours %s, pyyaml [%d, %d]" % (p, pos.get(p), l, c)
           for p, l, c in marks if pos.get(p) != [l, c]]
    report(not bad, desc + ": %d positions" % len(marks), "\n".join(bad))
    seq = [order.get(p, -1) for p, _, _ in marks]
    report(seq == sorted(seq), desc + ": positions in document order")


def check_file(cmd, path):
    with open(path, "rb") as f:
        data = f.read()
    nodes = list(yaml.compose_all(data, Loader=LOADER))
    values = list(yaml.load_all(data, Loader=LOADER))
    rc, docs, err = run_inspect(cmd, path)
    report(rc == 0, path + ": loads", err)
    by_index = {d["index"]: d for d in docs}
    want = [i for i, n in enumerate(nodes) if not is_empty_doc(n)]
    report(sorted(by_index) == want, path + ": documents %s" % want,
           "ours: %s" % sorted(by_index))
    for i in want:
        if i in by_index:
            check_doc(path, i, nodes[i], values[i], by_index[i])


def pyyaml_reading(text):
    try:
        return ("value", norm(yaml.load(text, Loader=LOADER)))
    except (yaml.YAMLError, Unsupported) as e:
        return ("error", str(e).splitlines()[0])


def check_known(cmd, path, tmpdir):
    import os
    with open(path, encoding="utf-8") as f:
        lines = [l.rstrip("\n") for l in f if l.strip() and not l.startswith("#")]
    for n, line in enumerate(lines):
        text, want, why = line.split("\t")
        text = text.encode("utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")
        want = json.loads(want)
        snippet = os.path.join(tmpdir, "known%d.yaml" % n)
        with open(snippet, "w", encoding="utf-8") as f:
            f.write(text)
        rc, docs, err = run_inspect(cmd, snippet)
        kind, theirs = pyyaml_reading(text)
        if want == "error":     # we reject it, PyYAML reads it
            report(rc == 2 and "yaml" in err, "known difference %r: we reject it" % text,
                   "exit %d, stderr %s" % (rc, err))
            report(kind == "value", "known difference %r: PyYAML reads it (%s)" % (text, why),
                   "pyyaml: %r" % (theirs,))
            continue
        ours = docs[0]["object"] if rc == 0 and docs else ("error", err.strip())
        report(rc == 0 and same(want, ours), "known difference %r: we read %s" % (text, json.dumps(want)),
               "ours: %r" % (ours,))
        differs = kind == "error" or not same(want, theirs)
        report(differs, "known difference %r really differs in PyYAML (%s)" % (text, why),
               "pyyaml: %r" % (theirs,))


def main(argv):
    if len(argv) < 4 or "--" not in argv:
        sys.stderr.write(__doc__)
        return 2
    mode, sep = argv[1], argv.index("--")
    cmd, files = argv[2:sep], argv[sep + 1:]
    if mode == "corpus":
        for path in files:
            try:
                check_file(cmd, path)
            except yaml.YAMLError as e:
                report(False, path + ": PyYAML reads it", str(e))
    elif mode == "known":
        import tempfile
        with tempfile.TemporaryDirectory() as tmp:
            for path in files:
                check_known(cmd, path, tmp)
    else:
        sys.stderr.write(__doc__)
        return 2
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
