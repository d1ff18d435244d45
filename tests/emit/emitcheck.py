#!/usr/bin/python3
"""tests/emit/emitcheck.py: inputs and oracles for tests/emit/suite.sh.

  gen DIR              write the JSON inputs (*.json, one or more values each)
  same JSON YAML       PyYAML's reading of YAML equals the JSON values, types
                       and key order included (PyYAML is YAML 1.1: a string we
                       left plain that it retypes shows up here)
  tojson YAML          PyYAML's reading of YAML as JSON Lines (fixed point)
  inspect JSON OUT     our loader's JSON Lines (sparklint --inspect) equal
                       the JSON values
  objects OUT          the documents of --inspect output as JSON Lines
Runs under Debian's /usr/bin/python3 (python3-yaml).  Exit 0 when equal.
"""
import json
import os
import random
import sys

import yaml


def load_json_values(path):
    """Every JSON value in a file (one value, JSON Lines or concatenated)."""
    text = open(path, encoding="utf-8").read()
    dec = json.JSONDecoder()
    out, i = [], 0
    while True:
        while i < len(text) and text[i] in " \t\r\n":
            i += 1
        if i >= len(text):
            return out
        v, i = dec.raw_decode(text, i)
        out.append(v)


def unwrap(values):
    """--inspect lines are {"file", "index", "line", "object"}: the objects."""
    if values and all(isinstance(v, dict) and "object" in v and "index" in v
                      for v in values):
        return [v["object"] for v in values]
    return values


def norm(v):
    """A form where bool != int != float and key order counts."""
    if isinstance(v, bool):
        return ("bool", v)
    if isinstance(v, int):
        return ("int", v)
    if isinstance(v, float):
        return ("float", repr(v))
    if isinstance(v, str):
        return ("str", v)
    if v is None:
        return ("null",)
    if isinstance(v, list):
        return ("seq", [norm(x) for x in v])
    if isinstance(v, dict):
        return ("map", [(norm(k), norm(x)) for k, x in v.items()])
    return ("other", type(v).__name__, repr(v))


def first_difference(a, b, path="$"):
    """Describe where two normalised values first differ."""
    if a[0] != b[0] or a[0] not in ("seq", "map"):
        return None if a == b else "%s: %r != %r" % (path, a, b)
    if len(a[1]) != len(b[1]):
        return "%s: %d != %d entries" % (path, len(a[1]), len(b[1]))
    for i, (x, y) in enumerate(zip(a[1], b[1])):
        if a[0] == "map":
            if x[0] != y[0]:
                return "%s: key %r != %r" % (path, x[0], y[0])
            d = first_difference(x[1], y[1], "%s.%s" % (path, x[0][-1]))
        else:
            d = first_difference(x, y, "%s[%d]" % (path, i))
        if d:
            return d
    return None


def compare(want, got, what):
    if len(want) != len(got):
        print("%s: %d documents, wanted %d" % (what, len(got), len(want)))
        return 1
    for i, (w, g) in enumerate(zip(want, got)):
        d = first_difference(norm(w), norm(g))
        if d:
            print("%s: document %d differs: %s" % (what, i + 1, d[:600]))
            return 1
    return 0


# ------------------------------------------------------------------ inputs

QUOTED = ["yes", "0755", "1.10", "null", "", " a", "a: b", "a #b", "8080",
          "true", "~", "1e3", "y"]
PLAIN = ["hello", "spark-submit", "k8s://https://kubernetes.default.svc:443",
         "local:///opt/app.jar", "Standard_LRS"]

TRICKY = QUOTED + PLAIN + [
    # bools and nulls, YAML 1.1 and 1.2 spellings
    "Yes", "YES", "yEs", "no", "No", "NO", "n", "N", "Y", "on", "On", "ON",
    "off", "Off", "OFF", "True", "TRUE", "tRUE", "false", "False", "FALSE",
    "Null", "NULL", "nULL", "none", "None", "~~",
    # integers
    "0", "00", "007", "08", "09", "0_8", "0o17", "0O17", "0x1F", "0X1F",
    "0xg", "0b101", "0B101", "0b", "0x", "0b2", "+1", "-1", "+0", "-0",
    "1_000", "1__0", "-_1", "_1", "1_", "1:20", "190:20:30", "1:60",
    "1:2:3:4", "-1:20", "0:20", "-0b1", "99999999999999999999999",
    "12345678901234567890", "1 000",
    # floats
    "1.0", "1.", "1.e5", ".5", "-.5", "+.5", "1E3", "1e+3", "1e-3", "1.0e+20",
    "1_000.5", "._", "._1", ".", "..", "-.", ".e3", ".5e3", ".5e+3", "1:20.5",
    "6.8523015e+5", "685.230_15e+03", "685_230.15", "0.1e-3", ".inf",
    "-.Inf", "+.INF", ".NaN", ".nan", ".NAN", "-.nan", "inf", "nan",
    "Infinity", "NaN", "-inf", "1e", "e3", "0x1p-2", "1.2.3", "3.5.0",
    "1.10.0", "v1", "2.4", "0.0.0.0", "10.0.0.1",
    # timestamps
    "2001-12-14", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5",
    "2001-12-15T02:59:43.1Z", "2002-1-1", "2001-12-14x", "20011214",
    "2001-12-14-backup", "2001-12-14 backup",
    # indicators and structure
    "- a", "-a", "-", "--", "--class", "-Dspark.x=1", "?", "? a", "?a", ":",
    ":a", ": a", "::1", "[::1]:80", "a:b", "a:", "a::", "a: ", "a #b",
    "a#b", "#a", "a #", "---", "---a", "a---", "...", "...a", "[a]", "a[b]",
    "{a}", "a{b}", "a,b", ",a", "]a", "}a", "!tag", "a!", "&anchor",
    "*alias", "*.example.com", "|", "|a", ">", ">a", "'q'", "a'b", '"q"',
    'a"b', "%x", "a%", "@x", "a@b", "`x", "<<", "<", "=", "==", "a=b",
    "a b", "a  b", "a ", "\ta", "a\t", "a\tb", "\\", "a\\b", "\\n",
    "http://x:8080/path?q=1#frag", "${VAR}", "$(POD_IP)", "key=value,o=1",
    "app.kubernetes.io/name", "500m", "1Gi", "1.5Gi", "0.5", "IfNotPresent",
    "/opt/spark/bin/spark-submit", "spark.executor.instances=2",
    # control and special characters
    "\u0001", "a\u0001b", "\u007f", "\u0085", "a\u0085b", "\u2028",
    "a\u2028b", "a\u2029b", "\ufeff", "\ufeffa", "\ue000", "\ufffd",
    "\uffff", "\ufffe", "\r", "a\rb", "a\r\nb",
    # non-ASCII
    "ünïcödé", "日本語", "emoji 😀", "😀", "Ωmega: x", "ключ", "a\u00a0b",
    "\u00a0", "\u00a0a", "é:", "é #x", "\u3000",
    # long
    "x" * 200, "k" * 129, "word " * 40 + "end",
]

MULTILINE = [
    "a\nb", "a\nb\n", "a\n\n", "\n", "\n\n", "\na", "\n\na", " a\nb",
    "  a\n  b\n", "a \nb", "a\n b", "a\n\tb", "a\r\nb\r\n",
    "#!/bin/bash\nset -e\necho hi\n", "line\n  indented\n",
    "ends with space \n", "x\n ", "x\n\n\ny", "- a\n- b\n",
    "key: value\nother: 1\n", "---\na", "...\n", "a\n...\nb", "a\n---\nb",
    "yes\nno", "😀\nx", "a\u2028b\nc", "ünï\ncödé\n", "a\n\n\n", "a\n \n",
    "\n \na", "# comment\nx: 1\n",
    "spark.driver.memory 1g\nspark.executor.cores 2\n"
    "spark.kubernetes.namespace streaming\n",
]

NUMBERS = [0, 1, -1, 8080, 2 ** 63 - 1, -2 ** 63, 0.1, 1 / 3, 2.5, 100.0,
           -0.0, 1e300, 5e-324, 1.7976931348623157e308, 1e16, 1e15, 1e-7,
           123456789012345680.0, 0.30000000000000004, 3.0, -2.5e-10,
           9007199254740993.0]


def k8s_docs():
    labels = {"app.kubernetes.io/name": "wordcount",
              "app.kubernetes.io/component": "driver", "version": "1.10"}
    container = {
        "name": "driver", "image": "apache/spark:3.5.0",
        "imagePullPolicy": "IfNotPresent",
        "command": ["/opt/spark/bin/spark-submit"],
        "args": ["--master", "k8s://https://kubernetes.default.svc:443",
                 "--deploy-mode", "client", "--conf",
                 "spark.executor.instances=2", "--conf",
                 "spark.kubernetes.driver.pod.name=$(POD_NAME)",
                 "local:///opt/app.jar", "yes", "8080"],
        "env": [{"name": "POD_NAME", "valueFrom": {"fieldRef": {
                    "fieldPath": "metadata.name"}}},
                {"name": "SPARK_ON", "value": "on"},
                {"name": "EMPTY", "value": ""}],
        "ports": [{"containerPort": 7078, "name": "driver-rpc"},
                  {"containerPort": 4040, "protocol": "TCP"}],
        "resources": {"requests": {"cpu": "500m", "memory": "1Gi"},
                      "limits": {"memory": "1.5Gi"}},
        "volumeMounts": [{"name": "checkpoint",
                          "mountPath": "/checkpoint"}],
        "securityContext": {"runAsNonRoot": True, "runAsUser": 185},
    }
    return [
        {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
         "metadata": {"name": "azurefile"},
         "provisioner": "file.csi.azure.com",
         "parameters": {"skuName": "Standard_LRS"},
         "mountOptions": ["dir_mode=0777", "file_mode=0777", "uid=185"],
         "reclaimPolicy": "Retain", "allowVolumeExpansion": True},
        {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
         "metadata": {"name": "wordcount-checkpoint", "namespace": "streaming",
                      "labels": labels},
         "spec": {"accessModes": ["ReadWriteMany"],
                  "storageClassName": "azurefile",
                  "resources": {"requests": {"storage": "10Gi"}}}},
        {"apiVersion": "v1", "kind": "Service",
         "metadata": {"name": "wordcount-driver", "namespace": "streaming"},
         "spec": {"clusterIP": "None", "selector": labels,
                  "ports": [{"name": "driver-rpc", "port": 7078,
                             "targetPort": 7078}]}},
        {"apiVersion": "batch/v1", "kind": "Job",
         "metadata": {"name": "wordcount-driver", "namespace": "streaming",
                      "labels": labels,
                      "annotations": {"sparklint.io/ignore": "a,b",
                                      "note": "line one\nline two\n"}},
         "spec": {"backoffLimit": 6, "completions": None,
                  "podFailurePolicy": {"rules": [
                      {"action": "Ignore", "onPodConditions": [
                          {"type": "DisruptionTarget"}]}]},
                  "template": {"metadata": {"labels": labels},
                               "spec": {"restartPolicy": "Never",
                                        "serviceAccountName": "spark",
                                        "containers": [container],
                                        "volumes": [{"name": "checkpoint",
                                                     "persistentVolumeClaim": {
                                                         "claimName": "wordcount-checkpoint"}}],
                                        "tolerations": [],
                                        "nodeSelector": {}}}}},
        {"apiVersion": "v1", "kind": "ConfigMap",
         "metadata": {"name": "spark-conf"},
         "data": {"spark-defaults.conf":
                  "spark.driver.memory 1g\nspark.executor.cores 2\n",
                  "run.sh": "#!/bin/sh\nset -eu\nexec spark-submit \"$@\"\n",
                  "no": "false", "on": "off", "0755": "mode", "": "empty key"}},
    ]


def fuzz_strings(n, seed):
    """Short random strings over the characters that matter to typing."""
    rnd = random.Random(seed)
    alphabet = list("0123456789.-+:_eExobXOBaTtZ #'\"[]{},&*!|>%@`?~<=yYnN") + \
        ["\t", "\n", "ü", "\u2028", "\u00a0", "inf", "nan", "0x", ".inf",
         "true", "no", "null", "2001-12-14"]
    out = []
    for _ in range(n):
        k = rnd.randint(0, 7)
        out.append("".join(rnd.choice(alphabet) for _ in range(k)))
    return out


def gen(outdir):
    os.makedirs(outdir, exist_ok=True)

    def write(name, values):
        with open(os.path.join(outdir, name), "w", encoding="utf-8") as f:
            for v in values:
                f.write(json.dumps(v, ensure_ascii=False) + "\n")

    keys = {}
    for i, s in enumerate(TRICKY + MULTILINE):
        keys.setdefault(s, i)
    write("tricky.json", [
        {"values": TRICKY, "keys": keys},
        {s: s for s in TRICKY},		# each string as key and value
    ] + [s for s in TRICKY[:40]])	# and as a whole document
    write("multiline.json", [{"m": MULTILINE},
                             {"nested": {"deeper": [{"s": s} for s in MULTILINE]}}]
          + MULTILINE)
    write("numbers.json", [{"n": NUMBERS}, NUMBERS[0], 0.1, -0.0, 1e300])
    write("k8s.json", k8s_docs())
    write("unicode.json", [{"ключ": "значение", "日本": ["語", "😀 face"],
                            "mixed: key": "é #x", "Ωmega": {"ü": "ö"}}])
    write("empty.json", [{}, [], {"a": {}, "b": [], "c": [{}, []], "d": None},
                         [[[]]], None, True, "", "plain"])
    strs = fuzz_strings(4000, 20240521)
    uniq = list(dict.fromkeys(strs))
    write("fuzz.json", [strs, {s: i for i, s in enumerate(uniq)}])
    deep = "leaf"
    for i in range(100):
        deep = {"k%d" % i: [deep]}
    write("deep.json", [deep])


# ------------------------------------------------------------------ commands

def main(argv):
    if len(argv) == 3 and argv[1] == "gen":
        gen(argv[2])
        return 0
    if len(argv) == 4 and argv[1] == "same":
        want = load_json_values(argv[2])
        try:
            with open(argv[3], encoding="utf-8") as f:
                got = list(yaml.safe_load_all(f))
        except yaml.YAMLError as e:
            print("PyYAML cannot read %s: %s" % (argv[3], e))
            return 1
        return compare(want, got, "PyYAML")
    if len(argv) == 3 and argv[1] == "tojson":
        with open(argv[2], encoding="utf-8") as f:
            for d in yaml.safe_load_all(f):
                print(json.dumps(d, ensure_ascii=False))
        return 0
    if len(argv) == 4 and argv[1] == "inspect":
        want = load_json_values(argv[2])
        got = unwrap(load_json_values(argv[3]))
        return compare(want, got, "our loader")
    if len(argv) == 3 and argv[1] == "objects":
        for d in unwrap(load_json_values(argv[2])):
            print(json.dumps(d, ensure_ascii=False))
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
