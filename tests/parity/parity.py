#!/usr/bin/python3
"""parity.py SPARKLINT PEER_DIR: sparklint's kube-linter rules against
kube-linter's own verdicts on kube-linter's fixtures.

PEER_DIR holds kube-linter's tests/checks fixtures and expected.tsv (see its
README).  For each of kube-linter's 31 default checks, this runs
`SPARKLINT --no-config -f json --rule CHECK FIXTURE` and compares the
reported objects, in document order, with expected.tsv: the number of reports
(when upstream asserts one) and the asserted reports' objects, in order: the
kind, and the name where upstream's message names it.  One TAP line per
check.
"""
import csv
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "rules"))
import sklint_json  # noqa: E402

DEFAULT_CHECKS = [
    "latest-tag", "privileged-container", "privilege-escalation-container", "run-as-non-root",
    "unset-cpu-requirements", "unset-memory-requirements", "dangling-service",
    "non-existent-service-account", "deprecated-service-account-field", "docker-sock",
    "drop-net-raw-capability", "duplicate-env-var", "env-var-secret", "host-ipc", "host-network",
    "host-pid", "invalid-target-ports", "job-ttl-seconds-after-finished", "liveness-port",
    "readiness-port", "startup-port", "mismatching-selector", "no-anti-affinity",
    "no-extensions-v1beta", "no-read-only-root-fs", "pdb-max-unavailable", "pdb-min-available",
    "pdb-unhealthy-pod-eviction-policy", "sensitive-host-mounts", "ssh-port", "unsafe-sysctls",
]


def load_expected(path):
    """check -> {fixture, count (int or None), reports: {index: (kind, name or None)}}"""
    exp = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            c = row["check"]
            if c not in DEFAULT_CHECKS:
                continue
            e = exp.setdefault(c, {"fixture": row["fixture"], "count": None, "reports": {}})
            if row["expected_count"]:
                e["count"] = int(row["expected_count"])
            if row["report_index"]:
                head = row["expected_kind_and_message"].split(":", 1)[0].split()
                e["reports"][int(row["report_index"])] = (head[0], head[1] if len(head) > 1 else None)
    return exp


def objects_of(path):
    """Per document (in order): (kind, name), plus the documents' first lines."""
    import yaml
    with open(path) as f:
        text = f.read()
    starts = sklint_json.doc_starts(text)
    objs = []
    for d in yaml.safe_load_all(text):
        if isinstance(d, dict):
            objs.append((d.get("kind"), (d.get("metadata") or {}).get("name")))
        else:
            objs.append((None, None))
    return starts, objs


def main():
    sparklint, peer = sys.argv[1], sys.argv[2]
    exp = load_expected(os.path.join(peer, "expected.tsv"))
    failed = 0
    for check in DEFAULT_CHECKS:
        e = exp.get(check)
        if not e:
            print("not ok - parity %s # no expected.tsv entry" % check)
            failed += 1
            continue
        fixture = os.path.join(peer, e["fixture"])
        try:
            rc, fs, err = sklint_json.run(sparklint, [fixture], rules=[check])
        except RuntimeError as x:
            print("not ok - parity %s" % check)
            print("#   " + str(x).replace("\n", "\n#   "))
            failed += 1
            continue
        starts, objs = objects_of(fixture)
        got = []
        for f in fs:
            if f["rule"] != check:
                continue
            if f["kind"]:
                got.append((f["kind"], f["name"], f["line"]))
            else:
                i = sklint_json.doc_of_line(starts, f["line"])
                k, n = objs[i] if i is not None else (None, None)
                got.append((k, n, f["line"]))
        problems = []
        others = [f for f in fs if f["rule"] != check]
        if others or rc == 2:
            problems.append("sparklint failed (rc %d): %s %s" % (rc, [o["message"] for o in others][:3], err.strip()[:300]))
        want = e["count"] if e["count"] is not None else (max(e["reports"]) if e["reports"] else None)
        if want is not None and len(got) != want:
            problems.append("%d reports, kube-linter gives %d" % (len(got), want))
        # The asserted reports must appear in this order among ours.  (Upstream
        # asserts some reports by a sparse index, e.g. Reports[0] and
        # Reports[2] for drop-net-raw-capability, so match as a subsequence.)
        pos = 0
        for idx, (kind, name) in sorted(e["reports"].items()):
            while pos < len(got) and not (got[pos][0] == kind and (name is None or got[pos][1] == name)):
                pos += 1
            if pos >= len(got):
                problems.append("kube-linter's report %d (%s %s) has no counterpart in order; ours: %s"
                                % (idx, kind, name or "", ", ".join("%s %s@%d" % (k, n or "", l) for k, n, l in got)))
                break
            pos += 1
        if problems:
            failed += 1
            print("not ok - parity %s (%d reports)" % (check, len(got)))
            for p in problems:
                print("#   " + p)
        else:
            print("ok - parity %s (%d reports)" % (check, len(got)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
