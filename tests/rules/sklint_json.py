"""Shared helpers for the rule test scripts: run sparklint and read its JSON.

Imported by check-docs.py, corpus-check.py and tests/parity/parity.py.  The
JSON reader accepts the shapes sparklint may print: a list of findings, or an
object holding the list under "findings" / "results"; inside a finding the
rule id may be "rule", "ruleId", "rule_id" or "code", the file "file" /
"path", the line "line" (or a "location" / "pos" object with one).
"""
import json
import subprocess


def _first(d, *keys):
    for k in keys:
        if isinstance(d, dict) and k in d and d[k] is not None:
            return d[k]
    return None


def findings(text):
    """Parse sparklint -f json output into [{rule, file, line, col, message, kind, name}]."""
    data = json.loads(text) if text.strip() else []
    if isinstance(data, dict):
        data = _first(data, "findings", "results", "diagnostics") or []
    out = []
    for f in data:
        loc = _first(f, "location", "pos", "position") or {}
        obj = _first(f, "object") or {}
        out.append({
            "rule": _first(f, "rule", "ruleId", "rule_id", "code", "id"),
            "file": _first(f, "file", "path", "filename") or _first(loc, "file", "path"),
            "line": int(_first(f, "line") or _first(loc, "line") or 0),
            "col": int(_first(f, "col", "column") or _first(loc, "col", "column") or 0),
            "message": _first(f, "message", "msg") or "",
            "kind": _first(f, "kind") or _first(obj, "kind"),
            "name": _first(f, "name") or _first(obj, "name"),
        })
    return out


_HAS_RULE_FLAG = {}


def run(sparklint, files, rules=(), extra=()):
    """Run sparklint on files restricted to rules; return (rc, findings, stderr).

    Uses --rule ID (repeatable) when this sparklint has it; otherwise runs
    every rule and keeps only the findings of `rules` (and tool errors).
    """
    flag = _HAS_RULE_FLAG.get(sparklint)
    if flag is None:
        p = subprocess.run([sparklint, "--no-config", "--rule", "x", "-"], input="",
                           capture_output=True, text=True)
        flag = _HAS_RULE_FLAG[sparklint] = "unknown option" not in p.stderr
    cmd = [sparklint, "--no-config", "-f", "json"]
    if flag:
        for r in rules:
            cmd += ["--rule", r]
    cmd += list(extra) + list(files)
    p = subprocess.run(cmd, capture_output=True, text=True)
    try:
        fs = findings(p.stdout)
    except ValueError as e:
        raise RuntimeError("cannot parse sparklint output (rc %d): %s\nstdout: %s\nstderr: %s"
                           % (p.returncode, e, p.stdout[:500], p.stderr[:500]))
    rc = p.returncode
    if rules and not flag:
        keep = set(rules) | {"yaml", "io", "rule-error", "config", "oom"}
        fs = [f for f in fs if f["rule"] in keep]
        if rc == 1 and not any(f["rule"] in rules for f in fs):
            rc = 0
    return rc, fs, p.stderr


def doc_starts(text):
    """1-based first lines of each YAML document of a stream (PyYAML marks)."""
    import yaml
    starts = []
    for node in yaml.compose_all(text):
        if node is not None:
            starts.append(node.start_mark.line + 1)
        else:
            starts.append(None)
    return starts


def doc_of_line(starts, line):
    """Index of the document (in `starts` order, None entries skipped) holding `line`."""
    best = None
    for i, s in enumerate(starts):
        if s is not None and s <= line:
            best = i
    return best
