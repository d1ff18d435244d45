#!/usr/bin/env python3
"""tests/rules/inject.py SPARKLINT GOLDEN_DIR: inject domain.md section 8
violations into sparkgen's golden outputs and check that sparklint catches
each one at the injected node.

Each case edits the YAML text of one golden output (tests/golden/<name>.yaml)
so that exactly one invariant is broken, lints the edited set with the full
default rule set, and requires:
  - the expected rule reports a new finding at the exact line:col of the
    injected node: the key of a changed mapping entry, the item of a changed
    argument list; for a removed key, the enclosing key; for a list-valued
    field (accessModes, ports, a selector), its key; for a defect between
    objects, the node the rule's doc names (the driver's pod labels for a
    missing Service, its serviceAccountName for missing Role verbs);
  - no other new finding, except from rules the case names in `also`
    (each a consequence of the same defect, with the reason written down).
A finding is "new" when the unedited set lacks it, compared by (rule,
object, message): lines shift when text is inserted.  Prints one TAP line
per case, named with its L-number; exit 1 on a failure.

Invariants that cannot be checked from the YAML alone are listed in
NOT_CHECKABLE and printed as skips; NOTES says which parts of an invariant
have no case here, and why (printed as TAP comments)."""
import json
import os
import re
import subprocess
import sys
import tempfile


class Text:
    """A golden file's lines, edited in place; documents found by kind/name."""

    def __init__(self, path):
        self.name = os.path.basename(path)
        self.lines = open(path).read().split("\n")

    def doc(self, kind, name=None):
        """(first, end) line indices of the one document of that kind/name."""
        starts = [0] + [i + 1 for i, l in enumerate(self.lines) if l == "---"]
        found = []
        for k, s in enumerate(starts):
            e = starts[k + 1] - 1 if k + 1 < len(starts) else len(self.lines)
            body = self.lines[s:e]
            if "kind: " + kind in body and (name is None or any(
                    re.fullmatch(r"  name: " + re.escape(name), l) for l in body)):
                found.append((s, e))
        if len(found) != 1:
            raise ValueError("%s: %d documents of kind %s name %s" % (self.name, len(found), kind, name))
        return found[0]

    def find(self, pattern, kind, name=None, after=None):
        """Index of the one line matching `pattern` (a regex, whole line) in
        the document, after the first line matching `after` if given."""
        s, e = self.doc(kind, name)
        if after is not None:
            s = self.find(after, kind, name) + 1
        hits = [i for i in range(s, e) if re.fullmatch(pattern, self.lines[i])]
        if len(hits) != 1:
            raise ValueError("%s: %d lines /%s/ in %s %s" % (self.name, len(hits), pattern, kind, name))
        return hits[0]

    def replace(self, i, text):
        self.lines[i] = text
        return i

    def insert(self, i, *texts):
        """Insert lines before index i; returns i (the first new line)."""
        self.lines[i:i] = list(texts)
        return i

    def delete(self, i, n=1):
        del self.lines[i:i + n]

    def at(self, i, token):
        """1-based (line, column) of `token` on line i."""
        col = self.lines[i].find(token)
        if col < 0:
            raise ValueError("%s:%d: no '%s' in %r" % (self.name, i + 1, token, self.lines[i]))
        return (i + 1, col + 1)

    def text(self):
        return "\n".join(self.lines)


def conf_arg(t, key):
    """Index of the Job's `- <key>=...` argument line."""
    return t.find(r"        - " + re.escape(key) + r"=.*", "Job")


def add_conf(t, kv):
    """Append `--conf kv` to the Job's options (before the main file);
    returns the index of the kv line."""
    i = t.find(r"        - local://.*", "Job")
    t.insert(i, "        - --conf", "        - " + kv)
    return i + 1


# ---------------------------------------------------------------- cases
# Each case: (id, title, golden files (the first is edited), rule, edit, also).
# edit(t) edits the Text and returns the expected (line, col).

def c_kind_deployment(t):
    t.replace(t.find(r"apiVersion: batch/v1", "Job"), "apiVersion: apps/v1")
    return t.at(t.replace(t.find(r"kind: Job", "Job"), "kind: Deployment"), "kind")


def c_completions(t):
    return t.at(t.replace(t.find(r"  completions: 1", "Job"), "  completions: 2"), "completions")


def c_parallelism(t):
    return t.at(t.replace(t.find(r"  parallelism: 1", "Job"), "  parallelism: 3"), "parallelism")


def c_deadline(t):
    i = t.find(r"  backoffLimit: .*", "Job")
    return t.at(t.insert(i + 1, "  activeDeadlineSeconds: 86400"), "activeDeadlineSeconds")


def c_restart_always(t):
    return t.at(t.replace(t.find(r"      restartPolicy: Never", "Job"), "      restartPolicy: Always"), "restartPolicy")


def c_backoff_unset(t):
    t.delete(t.find(r"  backoffLimit: .*", "Job"))
    return t.at(t.find(r"spec:", "Job"), "spec")


def c_disruption_count(t):
    i = t.find(r"    - action: Ignore", "Job")
    t.replace(i, "    - action: Count")
    return t.at(t.find(r"  podFailurePolicy:", "Job"), "podFailurePolicy")


def c_replacement_terminating(t):
    i = t.find(r"  podReplacementPolicy: .*", "Job")
    return t.at(t.replace(i, "  podReplacementPolicy: TerminatingOrFailed"), "podReplacementPolicy")


def c_ttl_short(t):
    i = t.find(r"  backoffLimit: .*", "Job")
    return t.at(t.insert(i + 1, "  ttlSecondsAfterFinished: 60"), "ttlSecondsAfterFinished")


def c_pvc_generate_name(t):
    i = t.find(r"  name: .*-checkpoint", "PersistentVolumeClaim")
    return t.at(t.insert(i + 1, "  generateName: clickstream-checkpoint-"), "generateName")


def c_pvc_owner(t):
    i = t.find(r"  namespace: .*", "PersistentVolumeClaim")
    t.insert(i + 1, "  ownerReferences:", "  - apiVersion: batch/v1", "    kind: Job",
         "    name: clickstream-driver", "    uid: 6f1e2c1a-4d0e-4b7c-9a51-0c2f5c0d9e11")
    return t.at(i + 1, "ownerReferences")


def c_reclaim_delete(t):
    return t.at(t.replace(t.find(r"reclaimPolicy: Retain", "StorageClass"), "reclaimPolicy: Delete"), "reclaimPolicy")


def c_rwo_shared(t):
    i = t.find(r"  - ReadWriteMany", "PersistentVolumeClaim")
    t.replace(i, "  - ReadWriteOnce")
    return t.at(i - 1, "accessModes")


def c_rwx_block(t):
    i = t.find(r"  - ReadWriteOnce", "PersistentVolumeClaim")
    t.replace(i, "  - ReadWriteMany")
    return t.at(i - 1, "accessModes")


def c_immediate_zonal(t):
    t.replace(t.find(r"  skuName: .*", "StorageClass"), "  skuName: Premium_LRS")
    i = t.find(r"volumeBindingMode: .*", "StorageClass")
    return t.at(t.replace(i, "volumeBindingMode: Immediate"), "volumeBindingMode")


def c_efs_mode(t):
    i = t.find(r"  provisioningMode: efs-ap", "StorageClass")
    return t.at(t.replace(i, "  provisioningMode: efs-xyz"), "provisioningMode")


def c_filestore_small(t):
    i = t.find(r"      storage: .*", "PersistentVolumeClaim")
    return t.at(t.replace(i, "      storage: 100Gi"), "storage")


def b_azure_nfs(t):
    i = t.find(r"  skuName: Standard_LRS", "StorageClass")
    t.replace(i, "  skuName: Premium_LRS")
    t.insert(i, "  protocol: nfs")


def c_azure_nfs_standard(t):
    i = t.find(r"  skuName: Premium_LRS", "StorageClass")
    return t.at(t.replace(i, "  skuName: Standard_LRS"), "skuName")


def c_deprecated_rbac(t):
    i = t.find(r"apiVersion: rbac.authorization.k8s.io/v1", "RoleBinding")
    return t.at(t.replace(i, "apiVersion: rbac.authorization.k8s.io/v1beta1"), "apiVersion")


def c_deprecated_pdb(t):
    i = t.find(r"apiVersion: policy/v1", "PodDisruptionBudget")
    return t.at(t.replace(i, "apiVersion: policy/v1beta1"), "apiVersion")


def c_selector_mismatch(t):
    i = t.find(r"      resource-staging-server-instance: default", "Deployment", after=r"    matchLabels:")
    t.replace(i, "      resource-staging-server-instance: other")
    return t.at(t.find(r"  selector:", "Deployment"), "selector")


def c_not_headless(t):
    i = t.find(r"  clusterIP: None", "Service")
    t.delete(i)
    return t.at(t.find(r"spec:", "Service"), "spec")


def c_service_missing(t):
    s, e = t.doc("Service")
    t.delete(s, e - s + 1)
    return t.at(t.find(r"      labels:", "Job", after=r"  template:"), "labels")


def c_selects_executors(t):
    # The Service selects by the app label only, and the executors get that
    # label too (spark.kubernetes.executor.label.*): one defect, two lines.
    t.delete(t.find(r"    spark-role: driver", "Service"))
    add_conf(t, "spark.kubernetes.executor.label.sparkgen.io/app=clickstream")
    return t.at(t.find(r"  selector:", "Service"), "selector")


def c_service_port(t):
    t.replace(t.find(r"    port: 7079", "Service"), "    port: 7080")
    return t.at(t.find(r"  ports:", "Service"), "ports")


def c_driver_port_random(t):
    i = conf_arg(t, "spark.driver.port")
    return t.at(t.replace(i, "        - spark.driver.port=0"), "spark.driver.port")


def c_driver_host(t):
    i = conf_arg(t, "spark.driver.host")
    return t.at(t.replace(i, "        - spark.driver.host=clickstream.streaming.svc"), "spark.driver.host")


def c_pod_name_fixed(t):
    i = conf_arg(t, "spark.kubernetes.driver.pod.name")
    return t.at(t.replace(i, "        - spark.kubernetes.driver.pod.name=clickstream-driver-0"),
            "spark.kubernetes.driver.pod.name")


def c_pod_name_field(t):
    i = t.find(r"              fieldPath: metadata.name", "Job")
    t.replace(i, "              fieldPath: spec.nodeName")
    return t.at(conf_arg(t, "spark.kubernetes.driver.pod.name"), "spark.kubernetes.driver.pod.name")


def c_bind_ip(t):
    i = conf_arg(t, "spark.driver.bindAddress")
    return t.at(t.replace(i, "        - spark.driver.bindAddress=10.244.1.17"), "spark.driver.bindAddress")


def c_prefix_long(t):
    i = conf_arg(t, "spark.kubernetes.executor.podNamePrefix")
    return t.at(t.replace(i, "        - spark.kubernetes.executor.podNamePrefix=" + "clickstream-" * 4),
            "spark.kubernetes.executor.podNamePrefix")


def c_rbac_verb(t):
    i = t.find(r"  - create", "Role")
    t.delete(i)
    return t.at(t.find(r"      serviceAccountName: .*", "Job"), "serviceAccountName")


def c_rbac_edit(t):
    s, e = t.doc("RoleBinding")
    t.insert(e + 1, "apiVersion: rbac.authorization.k8s.io/v1", "kind: ClusterRoleBinding",
         "metadata:", "  name: clickstream-driver-edit", "subjects:", "- kind: ServiceAccount",
         "  name: clickstream-driver", "  namespace: streaming", "roleRef:",
         "  apiGroup: rbac.authorization.k8s.io", "  kind: ClusterRole", "  name: edit", "---")
    return t.at(e + 12, "name")


def c_checkpoint_tmp(t):
    i = conf_arg(t, "spark.sql.streaming.checkpointLocation")
    return t.at(t.replace(i, "        - spark.sql.streaming.checkpointLocation=file:///tmp/checkpoint"),
            "spark.sql.streaming.checkpointLocation")


def c_checkpoint_unmounted(t):
    i = conf_arg(t, "spark.sql.streaming.checkpointLocation")
    return t.at(t.replace(i, "        - spark.sql.streaming.checkpointLocation=file:///data/checkpoint"),
            "spark.sql.streaming.checkpointLocation")


# sparkgen's legacy-fork output holds no driver: the fork's spark-submit
# creates it from a laptop, with the confs of `sparkgen --submit`.  So the L26
# and L27 cases give the native Job's driver the fork's confs for the legacy
# output linted beside it (b_fork_*, which lint clean), then break one.
def b_fork_shuffle(t):
    add_conf(t, "spark.shuffle.service.enabled=true")
    add_conf(t, "spark.kubernetes.shuffle.namespace=default")
    add_conf(t, "spark.kubernetes.shuffle.labels=app=spark-shuffle-service,spark-version=2.2.0")
    add_conf(t, "spark.local.dir=/tmp/spark-local")


def b_fork_rss(t):
    add_conf(t, "spark.kubernetes.resourceStagingServer.uri="
         "http://spark-resource-staging-service.default.svc:10000")


def c_shuffle_labels(t):
    i = conf_arg(t, "spark.kubernetes.shuffle.labels")
    t.replace(i, "        - spark.kubernetes.shuffle.labels=app=spark-shuffle-service,spark-version=2.1.0")
    return t.at(i, "spark.kubernetes.shuffle.labels")


def c_local_dir(t):
    i = conf_arg(t, "spark.local.dir")
    return t.at(t.replace(i, "        - spark.local.dir=/var/spark-local"), "spark.local.dir")


def c_rss_port(t):
    i = conf_arg(t, "spark.kubernetes.resourceStagingServer.uri")
    t.replace(i, "        - spark.kubernetes.resourceStagingServer.uri="
          "http://spark-resource-staging-service.default.svc:10001")
    return t.at(i, "spark.kubernetes.resourceStagingServer.uri")


def c_native_ess(t):
    return t.at(add_conf(t, "spark.shuffle.service.enabled=true"), "spark.shuffle.service.enabled")


def c_native_da(t):
    i = conf_arg(t, "spark.executor.instances")
    return t.at(t.replace(i, "        - spark.dynamicAllocation.enabled=true"), "spark.dynamicAllocation.enabled")


def c_deploy_cluster(t):
    i = t.find(r"        - client", "Job", after=r"        - --deploy-mode")
    return t.at(t.replace(i, "        - cluster"), "cluster")


def c_memory_limit(t):
    i = t.find(r"            memory: .*", "Job", after=r"          limits:")
    return t.at(t.replace(i, "            memory: 2Gi"), "memory")


def c_pdb_zero(t):
    i = t.find(r"  minAvailable: 1", "PodDisruptionBudget")
    return t.at(t.replace(i, "  minAvailable: 0"), "minAvailable")


def c_pdb_max_zero(t):
    i = t.find(r"  minAvailable: 1", "PodDisruptionBudget")
    return t.at(t.replace(i, "  maxUnavailable: 0"), "maxUnavailable")


def c_publish_not_ready(t):
    i = t.find(r"  clusterIP: None", "Service")
    return t.at(t.insert(i + 1, "  publishNotReadyAddresses: true"), "publishNotReadyAddresses")


def c_onfailure_pfp(t):
    return t.at(t.replace(t.find(r"      restartPolicy: Never", "Job"), "      restartPolicy: OnFailure"), "restartPolicy")


NWC = "network-word-count.yaml"
CASES = [
    ("L01", "the driver Job becomes a Deployment", ["aws-efs.yaml"], "spark-driver-bare-pod", c_kind_deployment,
     {"mismatching-selector": "a Deployment needs spec.selector, which a Job's spec lacks"}),
    ("L02", "completions: 2", ["aws-efs.yaml"], "spark-job-parallelism", c_completions, {}),
    ("L02", "parallelism: 3", ["aws-efs.yaml"], "spark-job-parallelism", c_parallelism, {}),
    ("L03", "activeDeadlineSeconds added", ["aws-efs.yaml"], "spark-job-active-deadline", c_deadline, {}),
    ("L04", "restartPolicy: Always", ["aws-efs.yaml"], "spark-job-restart-policy", c_restart_always, {}),
    ("L05", "backoffLimit dropped", ["aws-efs.yaml"], "spark-job-backoff-limit-unset", c_backoff_unset, {}),
    ("L06", "the DisruptionTarget rule counts", ["aws-efs.yaml"], "spark-job-disruption-not-ignored",
     c_disruption_count, {}),
    ("L07", "podReplacementPolicy: TerminatingOrFailed", ["aws-efs.yaml"], "spark-job-pod-replacement-policy",
     c_replacement_terminating, {}),
    ("L08", "ttlSecondsAfterFinished: 60", ["aws-efs.yaml"], "spark-job-ttl-too-short", c_ttl_short,
     {}),
    ("L09", "checkpoint PVC with generateName", ["aws-efs.yaml"], "spark-checkpoint-pvc-ephemeral",
     c_pvc_generate_name, {}),
    ("L09", "checkpoint PVC owned by the Job", ["aws-efs.yaml"], "spark-checkpoint-pvc-ephemeral", c_pvc_owner, {}),
    ("L10", "StorageClass reclaimPolicy: Delete", ["aws-efs.yaml"], "spark-checkpoint-storageclass-reclaim",
     c_reclaim_delete, {}),
    ("L11", "ReadWriteOnce claim mounted in executors", ["aws-efs.yaml"], "spark-checkpoint-access-mode",
     c_rwo_shared, {}),
    ("L12", "ReadWriteMany on Azure Disk", ["azure-disk.yaml"], "spark-pvc-rwx-on-block-storage", c_rwx_block, {}),
    ("L13", "Premium_LRS Azure Disk bound Immediate", ["azure-disk.yaml"], "spark-storageclass-binding-mode",
     c_immediate_zonal, {}),
    ("L14", "EFS provisioningMode not efs-ap", ["aws-efs.yaml"], "spark-storageclass-parameters", c_efs_mode, {}),
    ("L14", "Filestore claim below the tier minimum", ["gcp-filestore.yaml"], "spark-storageclass-parameters",
     c_filestore_small, {}),
    ("L14", "Azure File over NFS on a Standard SKU", [NWC], "spark-storageclass-parameters",
     c_azure_nfs_standard, {}, b_azure_nfs),
    ("L15", "RoleBinding on rbac.authorization.k8s.io/v1beta1", ["aws-efs.yaml"], "spark-deprecated-api",
     c_deprecated_rbac, {}),
    ("L15", "PodDisruptionBudget on policy/v1beta1", ["aws-efs.yaml"], "spark-deprecated-api", c_deprecated_pdb, {}),
    ("L16", "staging server selector not in its template labels", [NWC], "mismatching-selector",
     c_selector_mismatch, {}),
    ("L17", "driver Service not headless", ["aws-efs.yaml"], "spark-driver-service-not-headless", c_not_headless, {}),
    ("L17", "driver Service missing", ["aws-efs.yaml"], "spark-driver-service-missing", c_service_missing,
     {"spark-driver-host": "spark.driver.host names the Service that is gone"}),
    ("L17", "driver Service selects executors", ["aws-efs.yaml"], "spark-driver-service-selects-executors",
     c_selects_executors, {}),
    ("L18", "Service blockmanager port 7080", ["aws-efs.yaml"], "spark-driver-ports", c_service_port, {}),
    ("L18", "spark.driver.port=0 (random)", ["aws-efs.yaml"], "spark-driver-ports", c_driver_port_random, {}),
    ("L19", "spark.driver.host names another Service", ["aws-efs.yaml"], "spark-driver-host", c_driver_host, {}),
    ("L20", "spark.kubernetes.driver.pod.name fixed text", ["aws-efs.yaml"], "spark-driver-pod-name",
     c_pod_name_fixed, {}),
    ("L20", "POD_NAME from spec.nodeName", ["aws-efs.yaml"], "spark-driver-pod-name", c_pod_name_field, {}),
    ("L21", "spark.driver.bindAddress an IP literal", ["aws-efs.yaml"], "spark-driver-bind-address", c_bind_ip, {}),
    ("L22", "executor podNamePrefix of 48 characters", ["aws-efs.yaml"], "spark-executor-pod-name-prefix",
     c_prefix_long, {}),
    ("L23", "driver Role without pods create", ["aws-efs.yaml"], "spark-driver-rbac", c_rbac_verb, {}),
    ("L24", "ClusterRoleBinding of the driver to edit", ["aws-efs.yaml"], "spark-driver-rbac-cluster-wide",
     c_rbac_edit, {}),
    ("L25", "checkpoint under the /tmp emptyDir", ["aws-efs.yaml"], "spark-checkpoint-volume-missing",
     c_checkpoint_tmp, {}),
    ("L25", "checkpoint outside every mount", ["aws-efs.yaml"], "spark-checkpoint-volume-missing",
     c_checkpoint_unmounted, {}),
    ("L26", "fork shuffle labels match no DaemonSet", ["aws-efs.yaml", NWC], "spark-legacy-shuffle",
     c_shuffle_labels, {}, b_fork_shuffle),
    ("L26", "fork spark.local.dir outside the shuffle hostPath", ["aws-efs.yaml", NWC], "spark-legacy-shuffle",
     c_local_dir, {}, b_fork_shuffle),
    ("L27", "staging server URI on a port its Service lacks", ["aws-efs.yaml", NWC], "spark-staging-server-uri",
     c_rss_port, {}, b_fork_rss),
    ("L28", "spark.shuffle.service.enabled=true on Spark 3", ["aws-efs.yaml"], "spark-shuffle-service-native",
     c_native_ess, {}),
    ("L28", "dynamic allocation without shuffle tracking", ["aws-efs.yaml"], "spark-shuffle-service-native",
     c_native_da, {}),
    ("L29", "--deploy-mode cluster in the Job", ["aws-efs.yaml"], "spark-deploy-mode-cluster", c_deploy_cluster,
     {"spark-checkpoint-volume-missing": "in cluster mode the driver is a pod Spark creates, which mounts only"
      " spark.kubernetes.driver.volumes.*: the checkpoint lands on its ephemeral disk"}),
    ("L30", "memory limit below request and driver memory", ["aws-efs.yaml"], "spark-driver-memory-limit",
     c_memory_limit, {}),
    ("L31", "PDB minAvailable: 0", ["aws-efs.yaml"], "spark-driver-pdb", c_pdb_zero, {}),
    ("L31", "PDB maxUnavailable: 0 over a Job's driver (fails to sync)", ["aws-efs.yaml"], "spark-driver-pdb",
     c_pdb_max_zero, {}),
    ("L32", "publishNotReadyAddresses: true", ["aws-efs.yaml"], "spark-driver-service-publish-not-ready",
     c_publish_not_ready, {}),
    ("L33", "restartPolicy OnFailure with a podFailurePolicy", ["aws-efs.yaml"], "spark-job-restart-policy",
     c_onfailure_pfp, {}),
]

NOT_CHECKABLE = {
}

NOTES = {
    "L01": "only Job -> Deployment is injected; a bare Pod or a ReplicaSet driver is in the rule's fixtures",
    "L07": "dropping podReplacementPolicy is no violation in these outputs: with a podFailurePolicy"
           " (every example has one) the API defaults it to Failed, which the rule knows",
    "L22": "the uniqueness half needs two apps in one namespace; no two examples share one (fixtures cover it)",
    "L26": "sparkgen's legacy output has no driver; the fork's confs are given to the native driver beside it",
    "L27": "as L26",
    "L28": "the shuffle DaemonSet half: tests/rules/spark-shuffle-service-native/{fail,pass-fork-infra,pass-fork-shuffle-only}.yaml",
}


def lint(sparklint, files):
    p = subprocess.run([sparklint, "--no-config", "-f", "json", *files], capture_output=True, text=True)
    if p.returncode not in (0, 1):
        raise RuntimeError("sparklint exited %d: %s%s" % (p.returncode, p.stdout[:2000], p.stderr[:2000]))
    return json.loads(p.stdout)["findings"]


def key(f):
    o = f.get("object") or {}
    return (f["rule"], o.get("kind"), o.get("namespace"), o.get("name"), f["message"])


def lint_edited(sparklint, gdir, tmp, files, *edits):
    """Lint files with edits applied to the first; returns (findings, last edit's result)."""
    t = Text(os.path.join(gdir, files[0]))
    r = None
    for e in edits:
        r = e(t)
    path = os.path.join(tmp, files[0])
    with open(path, "w") as f:
        f.write(t.text())
    return lint(sparklint, [path] + [os.path.join(gdir, n) for n in files[1:]]), r


def run_case(sparklint, gdir, tmp, case, baseline):
    lid, title, files, rule, edit, also = case[:6]
    bedit = case[6] if len(case) > 6 else None
    found, want = lint_edited(sparklint, gdir, tmp, files, *([bedit] if bedit else []), edit)
    base = baseline[(tuple(files), bedit)]
    new = [f for f in found if key(f) not in base]
    hits = [f for f in new if f["rule"] == rule and os.path.basename(f["file"]) == files[0]]
    problems = []
    if not any((f["line"], f["column"]) == want for f in hits):
        problems.append("no %s finding at %s:%d:%d" % (rule, files[0], want[0], want[1]))
    if len(hits) > 1:
        problems.append("%d new %s findings, wanted one" % (len(hits), rule))
    for f in new:
        if f["rule"] != rule and f["rule"] not in also:
            problems.append("unrelated new finding")
    if problems:
        print("not ok - %s: %s is caught by %s at line %d:%d" % (lid, title, rule, want[0], want[1]))
        for p in problems:
            print("#   " + p)
        for f in new:
            print("#   new: %s:%d:%d %s: %s" % (os.path.basename(f["file"]), f["line"], f["column"],
                                 f["rule"], f["message"]))
        return False
    print("ok - %s: %s is caught by %s at %d:%d" % (lid, title, rule, want[0], want[1]))
    return True


def main():
    sparklint, gdir = sys.argv[1:3]
    ok = True
    baseline = {}
    with tempfile.TemporaryDirectory() as tmp:
        for case in CASES:
            bedit = case[6] if len(case) > 6 else None
            bk = (tuple(case[2]), bedit)
            try:
                if bk not in baseline:
                    found, _ = lint_edited(sparklint, gdir, tmp, case[2], *([bedit] if bedit else []))
                    baseline[bk] = {key(f) for f in found}
                    if bedit and any(f["rule"] == case[3] for f in found):
                        raise ValueError("the base edit %s already gives %s" % (bedit.__name__, case[3]))
                ok &= run_case(sparklint, gdir, tmp, case, baseline)
            except (ValueError, RuntimeError) as e:
                print("not ok - %s: %s (%s)" % (case[0], case[1], e))
                ok = False
    covered = {c[0] for c in CASES}
    for lid, why in sorted(NOT_CHECKABLE.items()):
        print("ok - %s: not checkable from YAML # SKIP %s" % (lid, why))
    for lid, why in sorted(NOTES.items()):
        print("# %s: %s" % (lid, why))
    missing = ["L%02d" % n for n in range(1, 34) if "L%02d" % n not in covered and "L%02d" % n not in NOT_CHECKABLE]
    if missing:
        print("not ok - every section 8 invariant has a case or a reason: missing %s" % ", ".join(missing))
        ok = False
    else:
        print("ok - every section 8 invariant has a case or a reason")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
