#!/usr/bin/python3
"""tests/gen/invariants.py: checks sparkgen's output against the linter
invariants of domain.md section 8 that apply to one generated bundle, read
with PyYAML (independent of sparkgen's own loader).  Usage:
    invariants.py OUTPUT.yaml [SUBMIT.sh]
Prints one line per violated invariant (ID: detail) and exits 1 if any."""
import re
import sys

import yaml

MIB = {"k": 1 / 1024, "m": 1, "g": 1024, "t": 1024 * 1024}
K8S = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "": 1,
       "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12}
RWO_ONLY = {"disk.csi.azure.com", "ebs.csi.aws.com", "pd.csi.storage.gke.io",
            "kubernetes.io/aws-ebs", "kubernetes.io/gce-pd", "kubernetes.io/azure-disk"}
DEPRECATED = {"extensions/v1beta1", "apps/v1beta1", "apps/v1beta2",
              "rbac.authorization.k8s.io/v1beta1", "policy/v1beta1", "batch/v1beta1"}

problems = []


def bad(rule, msg):
    problems.append(f"{rule}: {msg}")


def spark_mib(s):
    m = re.fullmatch(r"(\d+)([kmgt])", s)
    return int(m.group(1)) * MIB[m.group(2)]


def k8s_bytes(s):
    m = re.fullmatch(r"([\d.]+)([A-Za-z]*)", s)
    return float(m.group(1)) * K8S[m.group(2)]


def confs(args):
    out = {}
    for i, a in enumerate(args):
        if a == "--conf":
            k, _, v = args[i + 1].partition("=")
            out[k] = v
    return out


def subset(small, big):
    return all(big.get(k) == v for k, v in small.items())


def check_job(job, docs):
    spec = job["spec"]
    pod = spec["template"]["spec"]
    labels = spec["template"]["metadata"]["labels"]
    c = pod["containers"][0]
    args = c.get("args", [])
    conf = confs(args)
    ns = job["metadata"]["namespace"]
    if spec.get("completions", 1) != 1 or spec.get("parallelism", 1) != 1:
        bad("L02", "completions/parallelism must be 1")
    if "activeDeadlineSeconds" in spec:
        bad("L03", "activeDeadlineSeconds is set")
    rp = pod["restartPolicy"]
    if rp not in ("Never", "OnFailure") or ("podFailurePolicy" in spec and rp != "Never"):
        bad("L04", f"restartPolicy {rp}")
    if "backoffLimit" not in spec:
        bad("L05", "backoffLimit not explicit")
    pfp = spec.get("podFailurePolicy")
    if rp == "Never" and pfp is not None and not any(
            r["action"] == "Ignore" and {"type": "DisruptionTarget"} in r.get("onPodConditions", [])
            for r in pfp["rules"]):
        bad("L06", "no Ignore rule for DisruptionTarget")
    if pfp is not None and spec.get("podReplacementPolicy") != "Failed":
        bad("L07", "podReplacementPolicy must be Failed with a podFailurePolicy")
    if spec.get("ttlSecondsAfterFinished", 3600) < 3600:
        bad("L08", "ttlSecondsAfterFinished below an hour")
    if "--deploy-mode" in args and args[args.index("--deploy-mode") + 1] != "client":
        bad("L29", "deploy-mode is not client")
    svcs = [d for d in docs if d["kind"] == "Service" and d["spec"].get("clusterIP") == "None"
            and subset(d["spec"]["selector"], labels)]
    if len(svcs) != 1:
        bad("L17", f"{len(svcs)} headless Services select the driver")
        return
    svc = svcs[0]
    if svc["spec"]["selector"].get("spark-role") == "executor":
        bad("L17", "the selector would match executors")
    if svc["spec"].get("publishNotReadyAddresses"):
        bad("L32", "publishNotReadyAddresses is set")
    ports = {p["port"] for p in svc["spec"]["ports"]}
    for key in ("spark.driver.port", "spark.driver.blockManager.port"):
        if key not in conf or int(conf[key]) not in ports or int(conf[key]) == 0:
            bad("L18", f"{key}={conf.get(key)} is not a Service port")
    host = conf.get("spark.driver.host", "")
    if host not in (f"{svc['metadata']['name']}.{ns}.svc",
                    f"{svc['metadata']['name']}.{ns}.svc.cluster.local"):
        bad("L19", f"spark.driver.host {host}")
    env = {e["name"]: e.get("valueFrom", {}).get("fieldRef", {}).get("fieldPath") for e in c.get("env", [])}
    m = re.fullmatch(r"\$\((\w+)\)", conf.get("spark.kubernetes.driver.pod.name", ""))
    if not m or env.get(m.group(1)) != "metadata.name":
        bad("L20", "driver.pod.name is not from the downward API")
    ba = conf.get("spark.driver.bindAddress")
    if ba is not None and ba != "0.0.0.0":
        m = re.fullmatch(r"\$\((\w+)\)", ba)
        if not m or env.get(m.group(1)) != "status.podIP":
            bad("L21", f"bindAddress {ba}")
    prefix = conf.get("spark.kubernetes.executor.podNamePrefix")
    if prefix is not None and (len(prefix) > 47 or not re.fullmatch(r"[a-z]([-a-z0-9]*[a-z0-9])?", prefix)):
        bad("L22", f"podNamePrefix {prefix}")
    if conf.get("spark.shuffle.service.enabled") == "true":
        bad("L28", "external shuffle service on native Spark 3")
    if conf.get("spark.dynamicAllocation.enabled") == "true" and \
            conf.get("spark.dynamicAllocation.shuffleTracking.enabled") != "true":
        bad("L28", "dynamic allocation without shuffleTracking")
    lim = c["resources"]["limits"]["memory"]
    heap = spark_mib(conf["spark.driver.memory"])
    need = heap + max(384, int(heap * 0.10))
    if k8s_bytes(lim) < need * 2**20 or k8s_bytes(c["resources"]["requests"]["memory"]) > k8s_bytes(lim):
        bad("L30", f"memory limit {lim} below {need}Mi")
    loc = conf.get("spark.sql.streaming.checkpointLocation")
    mounts = [m["mountPath"] for m in c.get("volumeMounts", [])]
    if loc and loc.startswith("file://") and not any(
            loc[7:] == p or loc[7:].startswith(p.rstrip("/") + "/") for p in mounts):
        bad("L25", f"checkpoint {loc} is not under a mount {mounts}")
    check_rbac(pod.get("serviceAccountName"), ns, docs)
    check_claims(pod, conf, docs)
    pdbs = [d for d in docs if d["kind"] == "PodDisruptionBudget"]
    # The driver is a Job's pod: no scale subresource, so Kubernetes takes
    # only an integer minAvailable (maxUnavailable fails to sync).
    for p in pdbs:
        ma = p["spec"].get("minAvailable")
        if not subset(p["spec"]["selector"]["matchLabels"], labels) or "maxUnavailable" in p["spec"] or \
                type(ma) is not int or ma != 1:
            bad("L31", f"PDB {p['metadata']['name']} does not hold the Job's driver with minAvailable: 1")


def check_rbac(sa, ns, docs):
    rbs = [d for d in docs if d["kind"] == "RoleBinding"]
    if not rbs:
        return		# rbac.create: false, the user's own
    for rb in rbs:
        if any(s["kind"] == "ServiceAccount" and s["name"] == sa and s.get("namespace") == ns
               for s in rb["subjects"]):
            role = [d for d in docs if d["kind"] == "Role" and d["metadata"]["name"] == rb["roleRef"]["name"]]
            verbs = {}
            for r in role[0]["rules"] if role else []:
                for res in r["resources"]:
                    verbs.setdefault(res, set()).update(r["verbs"])
            if not {"create", "get", "list", "watch", "delete"} <= verbs.get("pods", set()) or \
                    not {"create", "delete"} <= verbs.get("configmaps", set()):
                bad("L23", f"Role of {sa} misses pod or configmap verbs")
            return
    bad("L23", f"ServiceAccount {sa} is not bound")


def check_claims(pod, conf, docs):
    for v in pod.get("volumes", []):
        claim = v.get("persistentVolumeClaim", {}).get("claimName")
        if not claim:
            continue
        pvc = [d for d in docs if d["kind"] == "PersistentVolumeClaim" and d["metadata"]["name"] == claim]
        if not pvc:
            bad("L09", f"claim {claim} is not in the bundle")
            continue
        pvc = pvc[0]
        if "generateName" in pvc["metadata"] or "ownerReferences" in pvc["metadata"]:
            bad("L09", "the claim is generated per run or owned")
        execs = any(k.endswith(".options.claimName") and val == claim for k, val in conf.items())
        modes = pvc["spec"]["accessModes"]
        if execs and modes != ["ReadWriteMany"]:
            bad("L11", f"executors mount {claim} but it is {modes}")
        sc = [d for d in docs if d["kind"] == "StorageClass"
              and d["metadata"]["name"] == pvc["spec"].get("storageClassName")]
        if sc:
            sc = sc[0]
            if sc.get("reclaimPolicy") != "Retain":
                bad("L10", "the checkpoint class does not Retain")
            if sc["provisioner"] in RWO_ONLY and "ReadWriteMany" in modes:
                bad("L12", f"ReadWriteMany on {sc['provisioner']}")
            if sc["provisioner"] in RWO_ONLY and sc.get("volumeBindingMode") != "WaitForFirstConsumer":
                bad("L13", "zonal block volume without WaitForFirstConsumer")
            p = sc.get("parameters", {})
            if sc["provisioner"] == "efs.csi.aws.com" and not {"provisioningMode", "fileSystemId",
                                                               "directoryPerms"} <= set(p):
                bad("L14", "EFS class misses parameters")


def check_legacy(docs, submit):
    conf = {}
    for line in submit.splitlines():
        m = re.match(r"\s*--conf '?([^=]+)=(.*?)'?\s*\\?$", line)
        if m:
            conf[m.group(1)] = m.group(2)
    if conf.get("spark.shuffle.service.enabled") == "true":
        want = dict(kv.split("=", 1) for kv in conf["spark.kubernetes.shuffle.labels"].split(","))
        ns = conf["spark.kubernetes.shuffle.namespace"]
        ds = [d for d in docs if d["kind"] == "DaemonSet" and d["metadata"]["namespace"] == ns
              and d["spec"]["template"]["metadata"]["labels"] == want]
        if len(ds) != 1:
            bad("L26", "shuffle labels do not match exactly one DaemonSet")
        else:
            paths = [v["hostPath"]["path"] for v in ds[0]["spec"]["template"]["spec"]["volumes"]
                     if "hostPath" in v]
            local = conf.get("spark.local.dir", "")
            if not any(local == p or local.startswith(p.rstrip("/") + "/") for p in paths):
                bad("L26", f"spark.local.dir {local} is not under {paths}")
    uri = conf.get("spark.kubernetes.resourceStagingServer.internal.uri")
    if uri:
        m = re.fullmatch(r"http://([^.:/]+)(?:\.([^.:/]+)\.svc)?:(\d+)", uri)
        svc = [d for d in docs if d["kind"] == "Service" and m and d["metadata"]["name"] == m.group(1)]
        if not svc or int(m.group(3)) not in {p["port"] for p in svc[0]["spec"]["ports"]}:
            bad("L27", f"staging server {uri} is not a Service of the bundle")


def main():
    docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
    for d in docs:
        if d["apiVersion"] in DEPRECATED:
            bad("L15", f"{d['kind']} uses {d['apiVersion']}")
        if d["kind"] in ("Deployment", "DaemonSet") and not subset(
                d["spec"]["selector"]["matchLabels"], d["spec"]["template"]["metadata"]["labels"]):
            bad("L16", f"{d['kind']} selector is not in its template labels")
        if d["kind"] in ("Pod", "Deployment", "ReplicaSet") and "spark-submit" in str(d):
            bad("L01", f"the driver runs in a {d['kind']}")
    jobs = [d for d in docs if d["kind"] == "Job"]
    for job in jobs:
        check_job(job, docs)
    if len(sys.argv) > 2 and not jobs:
        check_legacy(docs, open(sys.argv[2]).read())
    for p in problems:
        print(p)
    sys.exit(1 if problems else 0)


main()
