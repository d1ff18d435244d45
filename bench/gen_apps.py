#!/usr/bin/env python3
"""Write N Spark app descriptions for the sparkgen rows of `make bench`.

Usage: gen_apps.py N OUTDIR
Deterministic (a fixed seed; the same N gives the same files): names,
namespaces, clouds and storage kinds, sizes, APIs and executor settings vary
the way examples/*.yaml do, and every file is valid per
schema/sparkgen.schema.json (stateful apps only on shared file systems,
Filestore at its 1Ti minimum).
"""
import os
import random
import sys

# (cloud, kind, parameters, shared file system?)
STORAGE = [
    ("aws", "efs", {"fileSystemId": "fs-0{:016x}"}, True),
    ("aws", "ebs", {}, False),
    ("gcp", "filestore", {"network": "vpc-{}"}, True),
    ("gcp", "pd", {}, False),
    ("azure", "file", {"skuName": "Standard_LRS"}, True),
    ("azure", "disk", {"skuName": "Premium_ZRS"}, False),
    ("nfs", "nfs", {"server": "nfs-{}.example.internal", "share": "/exports/spark"}, True),
    ("existing", None, {}, True),
]
TEAMS = ["analytics", "etl", "iot", "payments", "search", "ads", "fraud", "ml",
         "streaming", "growth", "risk", "ops"]
WORDS = ["clicks", "orders", "sessions", "meters", "events", "ledger", "alerts",
         "metrics", "billing", "inventory", "trips", "logs", "payments", "users"]
MEM = ["512m", "1g", "2g", "4g", "8g"]


def quote(s):
    """A YAML scalar that stays a string."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def app(i, rnd):
    team = TEAMS[i % len(TEAMS)]
    word = rnd.choice(WORDS)
    name = f"{word}-{team}-{i:04d}"
    cloud, kind, params, shared = STORAGE[rnd.randrange(len(STORAGE))]
    stateful = shared and rnd.random() < 0.5
    api = rnd.choice(["structured", "dstreams"])
    out = [
        "app:",
        f"  name: {name}",
        f"  namespace: {team}-{i % 7}",
        f"  api: {api}",
        f"  stateful: {'true' if stateful else 'false'}",
        f"  image: registry.example.com/{team}/{word}:{1 + i % 5}.{i % 10}.{rnd.randrange(20)}",
        f"  mainClass: com.example.{team}.{word.capitalize()}Job{i}",
        f"  mainFile: local:///opt/app/{name}.jar",
        f"  args: [--topic, {word}, --batch-seconds, {quote(str(rnd.choice([5, 10, 30, 60])))}"
        + (", --checkpoint, file:///checkpoint]" if api == "dstreams" else "]"),
        "  sparkConf:",
        f"    spark.sql.shuffle.partitions: {rnd.choice([8, 16, 48, 200])}",
        f"    spark.streaming.stopGracefullyOnShutdown: {rnd.choice(['true', 'false'])}",
        "driver:",
        f"  memory: {rnd.choice(MEM[:4])}",
        f"  backoffLimit: {rnd.randrange(3, 30)}",
        "executor:",
        f"  cores: {rnd.choice([1, 2, 4])}",
        f"  memory: {rnd.choice(MEM)}",
    ]
    if rnd.random() < 0.3:
        lo = rnd.randrange(1, 4)
        out += ["  dynamicAllocation:", "    enabled: true",
                f"    min: {lo}", f"    max: {lo + rnd.randrange(2, 20)}"]
    else:
        out.append(f"  instances: {rnd.randrange(1, 12)}")
    size = "1Ti" if kind == "filestore" else f"{rnd.choice([5, 10, 20, 50, 100])}Gi"
    out += ["checkpoint:", f"  size: {size}", "  storage:", f"    cloud: {cloud}"]
    if kind:
        out.append(f"    kind: {kind}")
    else:
        out += ["    className: shared-files", "    create: false"]
        out.insert(out.index("checkpoint:") + 2, "  accessMode: ReadWriteMany")
    if params:
        out.append("    parameters:")
        for k, v in params.items():
            out.append(f"      {k}: {quote(v.format(i))}")
    if not shared:
        out.insert(out.index("checkpoint:") + 2, "  accessMode: ReadWriteOnce")
    return name, "\n".join(out) + "\n"


def main():
    n, outdir = int(sys.argv[1]), sys.argv[2]
    rnd = random.Random(8)
    os.makedirs(outdir, exist_ok=True)
    for i in range(n):
        name, text = app(i, rnd)
        with open(os.path.join(outdir, f"{name}.yaml"), "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
