#!/usr/bin/env bash
# tests/gen/suite.sh: sparkgen end to end.  Goldens (byte for byte), run-to-run
# determinism, the independent Kubernetes validator, PyYAML read-back, the
# article's app, --env, --defaults, --submit, the catalogue of bad
# descriptions (tests/gen/bad: message, position, exit 2, empty stdout), the
# JSON Schema agreement (ajv), user and broken templates, several apps at once,
# the same outputs from one thread and several (-j),
# sparklint over every output (only the documented lint exceptions; no
# error in the good cases' outputs).
# Regenerate goldens with tests/gen/regen-golden.sh after reviewing a change.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

G=tests/golden
tmp=$(t_tmpdir)
trap 'rm -rf "$tmp"' EXIT

# gen OUT ARGS...: run sparkgen, stdout to OUT, stderr to OUT.err; returns its status
gen() {
	local out=$1; shift
	"$SPARKGEN" "$@" >"$out" 2>"$out.err"
}

# same DESC FILE GOLDEN: byte comparison
same() {
	if cmp -s "$2" "$3"; then t_ok "$1"; else
		t_fail "$1" "$(diff -u "$3" "$2" | head -40)"; fi
}

have_node() { command -v node >/dev/null && command -v npm >/dev/null; }

# ---------------------------------------------------------------- examples

examples=(examples/*.yaml)
for ex in "${examples[@]}"; do
	n=$(basename "$ex" .yaml)
	if gen "$tmp/$n.yaml" "$ex"; then t_ok "gen: $n exits 0"; else
		t_fail "gen: $n exits 0" "$(cat "$tmp/$n.yaml.err")"; fi
	same "gen: $n matches $G/$n.yaml" "$tmp/$n.yaml" "$G/$n.yaml"
	gen "$tmp/$n.again.yaml" "$ex"
	same "gen: $n is the same on a second run" "$tmp/$n.again.yaml" "$tmp/$n.yaml"
	gen "$tmp/$n.submit" --submit "$ex"
	same "gen: $n --submit matches $G/$n.submit" "$tmp/$n.submit" "$G/$n.submit"
	if [ -s "$tmp/$n.yaml.err" ]; then
		t_fail "gen: $n writes no warnings" "$(cat "$tmp/$n.yaml.err")"
	else
		t_ok "gen: $n writes no warnings"
	fi
	gen "$tmp/$n.json" --json "$ex"
	if out=$("$PYTHON" - "$tmp/$n.yaml" "$tmp/$n.json" 2>&1 <<'PY'
import json, sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d is not None]
model = json.load(open(sys.argv[2]))
if docs != model:
    for i, (a, b) in enumerate(zip(docs, model)):
        if a != b:
            sys.exit("document %d differs:\n%s\n%s" % (i, a, b))
    sys.exit("%d documents read back, %d generated" % (len(docs), len(model)))
PY
	); then t_ok "gen: $n reads back identically with PyYAML"; else
		t_fail "gen: $n reads back identically with PyYAML" "$out"; fi
done

if [ -n "${SHARED:-}" ] && [ -x "$SHARED/oracle/run" ] && have_node; then
	for ex in "${examples[@]}" tests/gen/good/*.yaml; do
		n=$(basename "$ex" .yaml)
		gen "$tmp/oracle-$n.yaml" "$ex"
		t_check "gen: $n passes the Kubernetes schema oracle" \
			"$SHARED/oracle/run" k8s-validate "$tmp/oracle-$n.yaml"
	done
else
	t_skip "gen: examples pass the Kubernetes schema oracle" "no ../shared/oracle or node/npm"
fi

# domain.md section 8 invariants, checked with PyYAML by tests/gen/invariants.py
for ex in "${examples[@]}" tests/gen/good/*.yaml; do
	n=$(basename "$ex" .yaml)
	gen "$tmp/inv.yaml" "$ex"
	gen "$tmp/inv.sh" --submit "$ex"
	allowed=$(sed -n 's/^# violates: \([L0-9 ]*\).*/\1/p' "$ex")
	found=$("$PYTHON" tests/gen/invariants.py "$tmp/inv.yaml" "$tmp/inv.sh" | cut -d: -f1 | sort -u | tr '\n' ' ')
	if [ "$(echo $found)" = "$(echo $allowed)" ]; then
		t_ok "invariants: $n keeps the section 8 invariants${allowed:+ (except $(echo $allowed))}"
	else
		t_fail "invariants: $n keeps the section 8 invariants" \
			"$("$PYTHON" tests/gen/invariants.py "$tmp/inv.yaml" "$tmp/inv.sh")"
	fi
done
# the checker is not vacuous: each mutation must be caught
mutate() {	# mutate ID SED: apply SED to the aws-efs output, expect ID
	sed "$2" "$tmp/aws-efs.yaml" >"$tmp/mut.yaml"
	t_contains "invariants: the checker catches $1" \
		"$("$PYTHON" tests/gen/invariants.py "$tmp/mut.yaml" 2>&1)" "$1:"
}
mutate L03 's/^  backoffLimit: 10/  backoffLimit: 10\n  activeDeadlineSeconds: 60/'
mutate L19 's/spark.driver.host=clickstream-driver.streaming.svc/spark.driver.host=10.0.0.1/'
mutate L20 's/fieldPath: metadata.name/fieldPath: spec.nodeName/'
mutate L10 's/^reclaimPolicy: Retain/reclaimPolicy: Delete/'
mutate L30 's/memory: 2432Mi/memory: 2Gi/'
mutate L11 's/  - ReadWriteMany/  - ReadWriteOnce/'
mutate L31 's/^  minAvailable: 1$/  maxUnavailable: 0/'

# sparklint's default rule set over every output: exactly the documented
# exceptions (docs/sparkgen.md, "Lint exceptions"), alone and all together
mkdir -p "$tmp/lint"
for ex in "${examples[@]}"; do
	gen "$tmp/lint/$(basename "$ex")" "$ex"
done
gen "$tmp/lint/local-dev.ci.yaml" --env ci examples/local-dev.yaml
"$PYTHON" tests/gen/lint_exceptions.py "$SPARKLINT" docs/sparkgen.md "$tmp/lint" || T_FAILED=1
# An explicit driver.memoryOverhead (here below Spark's 384m default) sizes the
# container; the Job passes it on as spark.driver.memoryOverhead, so sparklint
# sizes the container the same way (L30)
sed 's/^  memory: 3Gi$/  memory: 3Gi\n  memoryOverhead: 100m/' tests/gen/good/native-everything.yaml >"$tmp/overhead.yaml"
gen "$tmp/overhead.out.yaml" "$tmp/overhead.yaml"
t_eq "lint: an explicit driver.memoryOverhead is what sparklint checks the limit against" \
	"$("$SPARKLINT" --rule spark-driver-memory-limit "$tmp/overhead.out.yaml" 2>&1; grep -c '^  memoryOverhead: 100m$' "$tmp/overhead.yaml")" "1"
# ... and the check can fail: a writable root file system is a new finding
sed -i 's/^          readOnlyRootFilesystem: true$/          readOnlyRootFilesystem: false/' "$tmp/lint/nfs.yaml"
out=$("$PYTHON" tests/gen/lint_exceptions.py "$SPARKLINT" docs/sparkgen.md "$tmp/lint" 2>&1)
t_contains "lint: a finding outside the table fails the check" "$out" \
	"new finding: nfs no-read-only-root-fs Job/meter-readings-driver"
# ... and so does a suppression that silences nothing (--report-unused-ignores)
sed -i 's|^    sparklint.io/ignore: run-as-non-root$|    sparklint.io/ignore: run-as-non-root, host-network|' \
	"$tmp/lint/network-word-count.yaml"
out=$("$PYTHON" tests/gen/lint_exceptions.py "$SPARKLINT" docs/sparkgen.md "$tmp/lint" 2>&1)
t_contains "lint: a stale suppression fails the check" "$out" \
	"new finding: network-word-count unused-ignore DaemonSet/shuffle"
# The other good descriptions: no error at sparklint's default fail level.
# Their warnings are the cases' deliberate choices (native-everything's
# Delete class and missing Ignore rule, restart-onfailure's OnFailure and
# ReadWriteOnce claim), so only errors count here.
for ex in tests/gen/good/*.yaml; do
	n=$(basename "$ex" .yaml)
	gen "$tmp/lint-good.yaml" "$ex"
	t_run "lint: good/$n has no error at the default fail level" 0 \
		"$SPARKLINT" --no-config -q "$tmp/lint-good.yaml"
done
# rbac.create false: the ServiceAccount and its RoleBinding are made outside
# sparkgen, so the Job suppresses the two findings their absence gives, and
# says why; both suppressions silence something (--report-unused-ignores).
cat >"$tmp/norbac.yaml" <<'EOF'
app: {name: wc, namespace: team, image: "reg/wc:1.0", mainClass: a.B, mainFile: "local:///a.jar"}
driver: {serviceAccount: spark}
rbac: {create: false}
checkpoint: {storage: {cloud: nfs, kind: nfs, parameters: {server: nfs.local, share: /x}}}
EOF
gen "$tmp/norbac.out.yaml" "$tmp/norbac.yaml"
t_run "lint: rbac.create false gives no finding, no unused suppression" 0 \
	"$SPARKLINT" --no-config --report-unused-ignores "$tmp/norbac.out.yaml"
t_run "lint: ... because the Job suppresses the account's two findings" 0 \
	"$SPARKLINT" --no-config --show-suppressed -f json "$tmp/norbac.out.yaml"
t_eq "lint: ... non-existent-service-account and spark-driver-rbac" \
	"$("$PYTHON" -c 'import json, sys
print(" ".join(sorted("%s:%s" % (f["rule"], f["suppressed"]) for f in json.load(sys.stdin)["findings"])))' <<<"$T_OUT")" \
	"non-existent-service-account:True spark-driver-rbac:True"
t_contains "lint: ... with the cause as the reason" "$(cat "$tmp/norbac.out.yaml")" \
	"sparklint.io/ignore-reason: rbac.create is false, so the ServiceAccount 'spark' and its RoleBinding are managed outside sparkgen"
# A DStreams app with mode uri names its checkpoint in an argument sparklint
# cannot tell from the others; the Job suppresses the rule that finds no
# checkpoint at all, beside rbac.create false's two (tests/gen/good/dstreams-uri.yaml).
gen "$tmp/dsuri.out.yaml" tests/gen/good/dstreams-uri.yaml
t_run "lint: a DStreams app with its checkpoint in S3 gives no finding, no unused suppression" 0 \
	"$SPARKLINT" --no-config --report-unused-ignores "$tmp/dsuri.out.yaml"
t_run "lint: ... because the Job suppresses spark-checkpoint-volume-missing too" 0 \
	"$SPARKLINT" --no-config --show-suppressed -f json "$tmp/dsuri.out.yaml"
t_eq "lint: ... and the account's two findings" \
	"$("$PYTHON" -c 'import json, sys
print(" ".join(sorted("%s:%s" % (f["rule"], f["suppressed"]) for f in json.load(sys.stdin)["findings"])))' <<<"$T_OUT")" \
	"non-existent-service-account:True spark-checkpoint-volume-missing:True spark-driver-rbac:True"
t_contains "lint: ... with both causes as the reason" "$(cat "$tmp/dsuri.out.yaml")" \
	"sparklint.io/ignore-reason: rbac.create is false, so the ServiceAccount 'spark-apps' and its RoleBinding are managed outside sparkgen; the DStreams app reads its checkpoint directory 's3a://acme-checkpoints/clicks' from its arguments, in remote storage that needs no volume"
sed 's/^  args: .*/  args: ["10"]/' tests/gen/good/dstreams-uri.yaml >"$tmp/dsuri-noarg.yaml"
gen "$tmp/dsuri-noarg.out.yaml" "$tmp/dsuri-noarg.yaml"
t_contains "lint: ... but not when no argument points into the checkpoint (sparkgen warns)" \
	"$(cat "$tmp/dsuri-noarg.out.yaml.err")" "no argument of the DStreams app points into the checkpoint location"
t_run "lint: ... and sparklint reports the missing checkpoint" 1 \
	"$SPARKLINT" --no-config --rule spark-checkpoint-volume-missing "$tmp/dsuri-noarg.out.yaml"
# An argument points into the checkpoint on a path boundary: a sibling
# directory whose name only starts like it is not the checkpoint (sparkgen
# warns, the Job suppresses nothing), and a trailing '/' of checkpoint.uri
# does not count.
sed 's|^  args: .*|  args: [s3a://acme-checkpoints/clicks-old, "10"]|' \
	tests/gen/good/dstreams-uri.yaml >"$tmp/dsuri-sibling.yaml"
gen "$tmp/dsuri-sibling.out.yaml" "$tmp/dsuri-sibling.yaml"
t_contains "lint: ... nor when the argument is a sibling of the checkpoint (s3a://b/ck-old, not s3a://b/ck)" \
	"$(cat "$tmp/dsuri-sibling.out.yaml.err")" "no argument of the DStreams app points into the checkpoint location 's3a://acme-checkpoints/clicks'"
t_run "lint: ... and sparklint reports the missing checkpoint" 1 \
	"$SPARKLINT" --no-config --rule spark-checkpoint-volume-missing "$tmp/dsuri-sibling.out.yaml"
sed 's|^  uri: .*|  uri: s3a://acme-checkpoints/clicks/|' \
	tests/gen/good/dstreams-uri.yaml >"$tmp/dsuri-slash.yaml"
gen "$tmp/dsuri-slash.out.yaml" "$tmp/dsuri-slash.yaml"
t_eq "lint: checkpoint.uri given with a trailing '/' is the argument without it: no warning" \
	"$(cat "$tmp/dsuri-slash.out.yaml.err")" ""
t_run "lint: ... and the Job suppresses the finding" 0 \
	"$SPARKLINT" --no-config --report-unused-ignores "$tmp/dsuri-slash.out.yaml"
sed 's|^  args: .*|  args: ["--dir=file:///checkpointdir"]|' examples/nfs.yaml >"$tmp/ds-pvc-sibling.yaml"
gen "$tmp/ds-pvc-sibling.out.yaml" "$tmp/ds-pvc-sibling.yaml"
t_contains "lint: a local path beside checkpoint.mountPath (/checkpointdir, not /checkpoint) is warned about too" \
	"$(cat "$tmp/ds-pvc-sibling.out.yaml.err")" "no argument of the DStreams app points into the checkpoint location 'file:///checkpoint'"
sed 's|^  args: .*|  args: ["--dir=file:///checkpoint/nfs"]|' examples/nfs.yaml >"$tmp/ds-pvc-under.yaml"
gen "$tmp/ds-pvc-under.out.yaml" "$tmp/ds-pvc-under.yaml"
t_eq "lint: ... while --dir=file:///checkpoint/nfs is under it" "$(cat "$tmp/ds-pvc-under.out.yaml.err")" ""
# An option sparklint reads the checkpoint from (--checkpoint and its kin,
# separate or joined by '=') gives it the checkpoint to judge: the Job
# suppresses nothing, so --report-unused-ignores finds no unused
# suppression, and a local checkpoint in such an option is still reported.
for args in '[--checkpoint, s3a://acme-checkpoints/clicks, "10"]' \
	'["--checkpointDir=s3a://acme-checkpoints/clicks", "10"]'; do
	sed "s|^  args: .*|  args: $args|" tests/gen/good/dstreams-uri.yaml >"$tmp/dsuri-opt.yaml"
	gen "$tmp/dsuri-opt.out.yaml" "$tmp/dsuri-opt.yaml"
	t_run "lint: the checkpoint in an option sparklint reads ($args): no unused suppression" 0 \
		"$SPARKLINT" --no-config --report-unused-ignores "$tmp/dsuri-opt.out.yaml"
	t_contains "lint: ... the Job suppresses the account's two findings alone" "$(cat "$tmp/dsuri-opt.out.yaml")" \
		"    sparklint.io/ignore: non-existent-service-account, spark-driver-rbac
    sparklint.io/ignore-reason: rbac.create is false, so the ServiceAccount 'spark-apps' and its RoleBinding are managed outside sparkgen
"
done
# sparkgen's list of those options is a copy of sparklint's: the two must
# be the same, or sparkgen suppresses a finding sparklint would make.
t_check "lint: sparkgen's checkpoint options (gen/model.c) are sparklint's (CKPT_ARGS)" "$PYTHON" - <<'PY'
import re
lua = re.search(r"local CKPT_ARGS = \{(.*?)\}", open("rules/lib/spark.lua").read(), re.S)
c = re.search(r"lint_reads_checkpoint\(.*?opts\[\] = \{(.*?)\};", open("gen/model.c").read(), re.S)
want, got = re.findall(r'"([^"]+)"', lua.group(1)), re.findall(r'"([^"]+)"', c.group(1))
assert len(want) > 3 and got == want, (got, want)
PY
sed 's|^  args: .*|  args: [--checkpoint, /tmp/ck, s3a://acme-checkpoints/clicks]|' \
	tests/gen/good/dstreams-uri.yaml >"$tmp/dsuri-local-opt.yaml"
gen "$tmp/dsuri-local-opt.out.yaml" "$tmp/dsuri-local-opt.yaml"
t_run "lint: ... and a local one there is reported, not suppressed" 1 \
	"$SPARKLINT" --no-config --rule spark-checkpoint-volume-missing "$tmp/dsuri-local-opt.out.yaml"
t_contains "lint: ... at that checkpoint" "$T_OUT" "checkpoint '/tmp/ck' (application argument)"
# The namespace's default account is refused as the driver's only when
# sparkgen would bind the driver's Role to it (tests/gen/bad/driver-sa-default.yaml).
sed 's/serviceAccount: spark}/serviceAccount: default}/' "$tmp/norbac.yaml" >"$tmp/norbac-default.yaml"
t_run "model: rbac.create false, the driver may run as the namespace's 'default' account" 0 \
	"$SPARKGEN" "$tmp/norbac-default.yaml"
t_contains "model: ... (the Job names it)" "$T_OUT" "serviceAccountName: default"
t_eq "model: ... with no message" "$T_ERR" ""
# A set that holds the account and its binding too makes both suppressions
# unused (docs/sparkgen.md, "Lint exceptions")
cat >"$tmp/norbac-sa.yaml" <<'EOF'
apiVersion: v1
kind: ServiceAccount
metadata: {name: spark, namespace: team}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: spark, namespace: team}
rules:
  - apiGroups: [""]
    resources: [pods, configmaps, persistentvolumeclaims, services]
    verbs: [get, list, watch, create, update, patch, delete, deletecollection]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: spark, namespace: team}
subjects: [{kind: ServiceAccount, name: spark, namespace: team}]
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: spark}
EOF
t_run "lint: rbac.create false, the account in the set: clean by default" 0 \
	"$SPARKLINT" --no-config "$tmp/norbac.out.yaml" "$tmp/norbac-sa.yaml"
t_run "lint: ... but both ids unused under --report-unused-ignores" 1 \
	"$SPARKLINT" --no-config --report-unused-ignores "$tmp/norbac.out.yaml" "$tmp/norbac-sa.yaml"
t_eq "lint: ... (two unused-ignore errors)" "$(grep -c '\[unused-ignore\]' <<<"$T_OUT")" 2

# ------------------------------------------------------- the article's app

nwc=$tmp/network-word-count.yaml
kinds=$("$PYTHON" -c '
import sys, yaml
for d in yaml.safe_load_all(open(sys.argv[1])):
    print(d["kind"], d["metadata"]["name"])' "$nwc" | tr '\n' ';')
# ... and the staging server's own identity: it watches pods in every
# namespace to clean up bundles (domain.md 1.1, useServiceAccountCredentials)
want="StorageClass azurefile;ServiceAccount spark;ServiceAccount spark-shuffle-service;"
want+="ServiceAccount spark-resource-staging-server;"
want+="ClusterRole spark-shuffle-service;ClusterRole spark-resource-staging-server;"
want+="ClusterRoleBinding spark-shuffle-service-default;ClusterRoleBinding spark-resource-staging-server-default;"
want+="Role networkwordcount-driver;RoleBinding networkwordcount-driver;"
want+="ConfigMap spark-resource-staging-server-config;Service spark-resource-staging-service;"
want+="Deployment spark-resource-staging-server;DaemonSet shuffle;"
if [ "$kinds" = "$want" ]; then t_ok "article: exactly the objects the article needed"; else
	t_fail "article: exactly the objects the article needed" "got:  $kinds" "want: $want"; fi
if out=$("$PYTHON" - "$nwc" 2>&1 <<'PY'
import sys, yaml
docs = {(d["kind"], d["metadata"]["name"]): d for d in yaml.safe_load_all(open(sys.argv[1]))}
sc = docs[("StorageClass", "azurefile")]
assert sc["provisioner"] == "kubernetes.io/azure-file", sc
assert sc["parameters"] == {"skuName": "Standard_LRS", "location": "eastus",
                            "storageAccount": "banzaicloud"}, sc["parameters"]
assert sc["reclaimPolicy"] == "Retain"
assert sc["metadata"]["annotations"]["storageclass.kubernetes.io/is-default-class"] == "true"
svc = docs[("Service", "spark-resource-staging-service")]
assert [(p["port"], p["targetPort"]) for p in svc["spec"]["ports"]] == [(10000, 10000)], svc
cm = docs[("ConfigMap", "spark-resource-staging-server-config")]
assert "spark.kubernetes.resourceStagingServer.port=10000" in cm["data"]["resource-staging-server.properties"]
dep = docs[("Deployment", "spark-resource-staging-server")]
assert dep["apiVersion"] == "apps/v1"
assert dep["spec"]["selector"]["matchLabels"] == dep["spec"]["template"]["metadata"]["labels"]
ds = docs[("DaemonSet", "shuffle")]
assert ds["apiVersion"] == "apps/v1"
assert ds["spec"]["selector"]["matchLabels"] == {"app": "spark-shuffle-service", "spark-version": "2.2.0"}
assert ds["spec"]["template"]["spec"]["volumes"][0]["hostPath"]["path"] == "/tmp"
PY
); then t_ok "article: Azure File Standard_LRS class, staging server on 10000, shuffle DaemonSet"; else
	t_fail "article: Azure File Standard_LRS class, staging server on 10000, shuffle DaemonSet" "$out"; fi
sub=$(cat "$tmp/network-word-count.submit")
for frag in "--deploy-mode cluster" "--class com.banzaicloud.SparkNetworkWordCount" \
	"--conf spark.kubernetes.checkpointdir.enable=true" \
	"--conf spark.kubernetes.checkpointdir.path=/checkpointdir" \
	"--conf spark.kubernetes.checkpointdir.size=10Gi" \
	"--conf spark.kubernetes.resourceStagingServer.uri=http://localhost:31000" \
	"--conf spark.kubernetes.resourceStagingServer.internal.uri=http://spark-resource-staging-service.default.svc:10000" \
	"--conf spark.kubernetes.driver.docker.image=banzaicloud/spark-driver:v2.2.0-k8s-1.0.207" \
	"--conf spark.driver.cores=300m" "--conf spark.executor.instances=2" \
	"--conf spark.local.dir=/tmp/spark-local" "file:///checkpointdir"; do
	t_contains "article: --submit has '$frag'" "$sub" "$frag"
done
if bash -n "$tmp/network-word-count.submit" 2>/dev/null; then t_ok "article: --submit is valid shell"; else
	t_fail "article: --submit is valid shell" "$sub"; fi

# ---------------------------------------------------------- --env, --defaults

gen "$tmp/ci.yaml" --env ci examples/local-dev.yaml
same "env: --env ci matches $G/local-dev.ci.yaml" "$tmp/ci.yaml" "$G/local-dev.ci.yaml"
t_contains "env: overlay sets the namespace" "$(cat "$tmp/ci.yaml")" "namespace: ci"
t_contains "env: overlay keeps what it does not set" "$(cat "$tmp/ci.yaml")" "storageClassName: standard"
t_contains "env: overlay replaces scalars" "$(cat "$tmp/ci.yaml")" "backoffLimit: 0"
if cmp -s "$tmp/ci.yaml" "$tmp/local-dev.yaml"; then t_fail "env: overlay changes the output"; else
	t_ok "env: overlay changes the output"; fi
gen "$tmp/small.yaml" --env small tests/gen/good/native-everything.yaml
t_contains "env: nested maps merge (dynamicAllocation.max only)" "$(cat "$tmp/small.yaml")" \
	"spark.dynamicAllocation.maxExecutors=1"
t_contains "env: nested maps merge (min kept)" "$(cat "$tmp/small.yaml")" \
	"spark.dynamicAllocation.minExecutors=0"
# A null in the overlay deletes the key (RFC 7386), at any depth: the
# sparkConf entry is gone and fatalExitCodes is back to its default ([]: no
# podFailurePolicy rule), exactly the output of the description without them.
N=tests/gen/good/env-null-deletes.yaml
gen "$tmp/null-base.yaml" "$N"
gen "$tmp/null-dev.yaml" --env dev "$N"
sed -e '/^environments:/,$d' -e '/spark.sql.shuffle.partitions: 48/d' -e '/fatalExitCodes: \[3\]/d' \
	"$N" >"$tmp/null-bare-app.yaml"
gen "$tmp/null-bare.yaml" "$tmp/null-bare-app.yaml"
t_contains "env: (the base passes spark.sql.shuffle.partitions)" "$(cat "$tmp/null-base.yaml")" \
	"spark.sql.shuffle.partitions=48"
t_contains "env: (the base fails the Job on exit code 3)" "$(cat "$tmp/null-base.yaml")" "onExitCodes:"
t_eq "env: a null in the overlay deletes the sparkConf entry and fatalExitCodes" \
	"$(grep -c -e 'spark.sql.shuffle.partitions' -e 'onExitCodes:' "$tmp/null-dev.yaml")" 0
same "env: ... the output is that of the description without them" "$tmp/null-dev.yaml" "$tmp/null-bare.yaml"
t_eq "env: ... with no message" "$(cat "$tmp/null-dev.yaml.err")" ""

gen "$tmp/defaults.yaml" --defaults
same "defaults: --defaults matches $G/defaults.yaml" "$tmp/defaults.yaml" "$G/defaults.yaml"
if out=$("$PYTHON" - "$tmp/defaults.yaml" schema/sparkgen.schema.json 2>&1 <<'PY'
import json, sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
s = json.load(open(sys.argv[2]))
assert d["driver"]["backoffLimit"] == 10 and d["checkpoint"]["storage"]["reclaimPolicy"] == "Retain"
assert d["legacy"]["stagingServer"]["port"] == 10000 and d["app"]["target"] == "native-3x"
# every default in the output is the schema's "default" of that key
def walk(node, sch, path):
    while "$ref" in sch:
        sch = s["definitions"][sch["$ref"].split("/")[-1]]
    props = dict(sch.get("properties", {}))
    for m in sch.get("allOf", []):
        while "$ref" in m:
            m = s["definitions"][m["$ref"].split("/")[-1]]
        props.update(m.get("properties", {}))
    for k, v in node.items():
        p = props[k]
        if isinstance(v, dict) and "default" not in p:
            walk(v, p, path + "." + k)
        else:
            dflt = p.get("default", s["definitions"].get(p.get("$ref", "#/x").split("/")[-1], {}).get("default"))
            assert dflt == v, (path + "." + k, dflt, v)
walk(d, s, "")
PY
); then t_ok "defaults: every printed default is the schema's"; else
	t_fail "defaults: every printed default is the schema's" "$out"; fi

if out=$("$PYTHON" - schema/sparkgen.schema.json docs/sparkgen.md 2>&1 <<'PY'
import json, re, sys
s = json.load(open(sys.argv[1]))
doc = open(sys.argv[2]).read()
words = set(re.findall(r"[A-Za-z][A-Za-z0-9]*", doc))
def resolve(x):
    while "$ref" in x:
        x = s["definitions"][x["$ref"].split("/")[-1]]
    return x
def walk(sch, path, out):
    sch = resolve(sch)
    props = dict(sch.get("properties", {}))
    for m in sch.get("allOf", []):
        props.update(resolve(m).get("properties", {}))
    for k, v in props.items():
        out.append(path + [k])
        walk(v, path + [k], out)
keys = []
walk(s, [], keys)
missing = [".".join(k) for k in keys if k[-1] not in words]
if missing:
    sys.exit("not in docs/sparkgen.md: " + ", ".join(missing))
PY
); then t_ok "docs: every key of the schema is documented"; else
	t_fail "docs: every key of the schema is documented" "$out"; fi

# ------------------------------------------------------ bad descriptions

for f in tests/gen/bad/*.yaml; do
	n=$(basename "$f" .yaml)
	read -ra args <<<"$(sed -n 's/^# args: //p' "$f")"
	gen "$tmp/bad.out" "${args[@]}" "$f"; rc=$?
	err=$(cat "$tmp/bad.out.err")
	if [ "$rc" = 2 ] && [ ! -s "$tmp/bad.out" ]; then t_ok "bad: $n exits 2 with empty stdout"; else
		t_fail "bad: $n exits 2 with empty stdout" "exit $rc" "$(head -c 300 "$tmp/bad.out")"; fi
	nexp=0
	while IFS= read -r line; do
		frag=${line#\# expect: }
		frag=${frag//\{file\}/$f}
		t_contains "bad: $n: ${frag#"$f":}" "$err" "$frag"
		nexp=$((nexp + 1))
	done < <(grep '^# expect: ' "$f")
	nerr=$(grep -c ': error: ' <<<"$err")
	nwant=$(grep -c '^# expect: .*: error: ' "$f")
	if [ "$nexp" -gt 0 ] && [ "$nerr" = "$nwant" ]; then t_ok "bad: $n reports exactly the expected errors"; else
		t_fail "bad: $n reports exactly the expected errors" "$err"; fi
done

for f in tests/gen/good/*.yaml; do
	n=$(basename "$f" .yaml)
	t_run "good: $n compiles" 0 "$SPARKGEN" "$f"
done
# Kubernetes refuses onExitCodes values out of order ("must be ordered"), a
# rule only the API server checks: driver.fatalExitCodes come out sorted.
sed 's/fatalExitCodes: \[3\]/fatalExitCodes: [42, 3, 7]/' examples/aws-efs.yaml >"$tmp/exit-codes.yaml"
gen "$tmp/exit-codes.out" "$tmp/exit-codes.yaml"
t_eq "model: driver.fatalExitCodes are written in ascending order" \
	"$(sed -n '/onExitCodes:/,/^  template:/p' "$tmp/exit-codes.out" | sed -n 's/^ *- \([0-9][0-9]*\)$/\1/p' | tr '\n' ' ')" "3 7 42 "
# JSON Schema's "integer" takes 3.0 and 1e0; where only an integer fits the
# model gets one: written as 3, sorted with the others (the API server
# refuses 3.0 in onExitCodes, and an unsorted list).
sed 's/fatalExitCodes: \[3\]/fatalExitCodes: [42.0, 3, 7e0]/; s/^  ttlAfterFinished: .*/  ttlAfterFinished: 3600.0/' \
	examples/aws-efs.yaml >"$tmp/exit-floats.yaml"
gen "$tmp/exit-floats.out" "$tmp/exit-floats.yaml"
t_eq "model: integer fields written 3.0 or 7e0 become integers, sorted" \
	"$(sed -n '/onExitCodes:/,/^  template:/p' "$tmp/exit-floats.out" | sed -n 's/^ *- \([0-9.e]*\)$/\1/p' | tr '\n' ' ')" "3 7 42 "
# Storage parameters as sparklint reads them (L14): keys and the values that
# matter compared without case, one key per name whatever its case.
sed '/^checkpoint:/,$d' tests/gen/bad/efs-needs-efs-ap-any-case.yaml >"$tmp/case.yaml"
printf 'checkpoint:\n  size: 100Gi\n  storage:\n    cloud: azure\n    kind: file\n    parameters:\n      %s\n' \
	'protocol: NFS' >"$tmp/case-nfs.yaml"
cat "$tmp/case.yaml" "$tmp/case-nfs.yaml" >"$tmp/case-nfs-app.yaml"
gen "$tmp/case-nfs.out" "$tmp/case-nfs-app.yaml"
t_eq "model: protocol NFS is Azure Files over NFS, on Premium_LRS" \
	"$(sed -n '/^parameters:/,/^[a-z]/p' "$tmp/case-nfs.out" | tr -d '\n')" \
	"parameters:  protocol: NFS  skuName: Premium_LRSreclaimPolicy: Retain"
sed 's/protocol: NFS/Protocol: nfs/' "$tmp/case-nfs-app.yaml" >"$tmp/case-nfs2-app.yaml"
gen "$tmp/case-nfs2.out" "$tmp/case-nfs2-app.yaml"
t_contains "model: ... and so is the key Protocol" "$(cat "$tmp/case-nfs2.out")" "skuName: Premium_LRS"
sed 's/protocol: NFS/SkuName: Premium_LRS/' "$tmp/case-nfs-app.yaml" >"$tmp/case-sku-app.yaml"
gen "$tmp/case-sku.out" "$tmp/case-sku-app.yaml"
t_eq "model: a user's SkuName replaces the default skuName" \
	"$(sed -n '/^parameters:/,/^[a-z]/p' "$tmp/case-sku.out" | tr -d '\n')" \
	"parameters:  SkuName: Premium_LRSreclaimPolicy: Retain"
for o in case-nfs case-nfs2 case-sku; do
	t_run "lint: $o has no storage finding" 0 "$SPARKLINT" --rule spark-storageclass-parameters "$tmp/$o.out"
done
# Zonal block storage with Immediate binding warns exactly where sparklint's
# spark-storageclass-binding-mode does (L13): not for zone-redundant Azure
# disks nor regional PD.
zonal() {	# zonal NAME CLOUD KIND PARAMETER WARNS
	printf 'checkpoint:\n  accessMode: ReadWriteOnce\n  storage:\n    cloud: %s\n    kind: %s\n    bindingMode: Immediate\n    parameters:\n      %s\n' \
		"$2" "$3" "$4" | cat "$tmp/case.yaml" - >"$tmp/$1.yaml"
	gen "$tmp/$1.out" "$tmp/$1.yaml"
	local gw=no lw=no
	grep -q "volumes are zonal" "$tmp/$1.out.err" && gw=yes
	"$SPARKLINT" --rule spark-storageclass-binding-mode "$tmp/$1.out" >/dev/null 2>&1 || lw=yes
	"$SPARKLINT" --rule spark-storageclass-binding-mode "$tmp/$1.out" 2>&1 | grep -q "warning:" && lw=yes
	t_eq "model: $1 with Immediate binding: zonal warning from sparkgen and sparklint" "$gw $lw" "$5 $5"
}
zonal azure-disk-zrs azure disk 'skuName: Premium_ZRS' no
zonal azure-disk-lrs azure disk 'skuName: Premium_LRS' yes
zonal gcp-pd-regional gcp pd 'replication-type: regional-pd' no
zonal gcp-pd-zonal gcp pd 'type: pd-ssd' yes
zonal aws-ebs aws ebs 'type: gp3' yes
t_run "validate: --validate writes nothing" 0 "$SPARKGEN" --validate examples/aws-efs.yaml
[ -z "$T_OUT" ] && t_ok "validate: stdout empty" || t_fail "validate: stdout empty" "$T_OUT"

# ------------------------------------------- JSON Schema agreement (ajv)

ajv_modules() {		# install ajv once into a cache folder, print its node_modules
	local cache=${XDG_CACHE_HOME:-$HOME/.cache}/sparkgen-schema-check
	local stamp=$cache/.installed-$(sha256sum tests/gen/package.json | cut -c1-16)
	if [ ! -e "$stamp" ]; then
		mkdir -p "$cache" && cp tests/gen/package.json "$cache/" &&
			(cd "$cache" && npm install --no-audit --no-fund --no-package-lock --loglevel=error) >&2 &&
			touch "$stamp" || return 1
	fi
	echo "$cache/node_modules"
}
if have_node && mods=$(ajv_modules); then
	verdicts=$(NODE_MODULES_DIR=$mods node tests/gen/schema-check.mjs schema/sparkgen.schema.json \
		tests/gen/bad/*.yaml tests/gen/good/*.yaml examples/*.yaml 2>&1)
	if [ $? = 0 ]; then t_ok "schema: ajv compiles the schema in strict mode"; else
		t_fail "schema: ajv compiles the schema in strict mode" "$verdicts"; fi
	while read -r verdict f rest; do
		[ -f "$f" ] || continue
		n=${f#tests/gen/}
		want=$(sed -n 's/^# schema: //p' "$f")
		[ -n "$want" ] || want=valid
		[ "$want" = n/a ] && want=unparsable
		if [ "$verdict" = "$want" ]; then t_ok "schema: ajv says $verdict for $n"; else
			t_fail "schema: ajv says $want for $n" "ajv: $verdict $rest"; fi
		[ "$verdict" = unparsable ] && continue
		"$SPARKGEN" --validate "$f" >/dev/null 2>"$tmp/v.err"
		if grep -q '\[schema\]$' "$tmp/v.err"; then mine=invalid; else mine=valid; fi
		if [ "$mine" = "$verdict" ]; then t_ok "schema: sparkgen agrees with ajv on $n"; else
			t_fail "schema: sparkgen agrees with ajv on $n" "ajv: $verdict $rest" "$(cat "$tmp/v.err")"; fi
	done <<<"$verdicts"
else
	t_skip "schema: sparkgen agrees with ajv" "node/npm or the npm registry not available"
fi

# ------------------------------------------------- arguments of the Job
# Kubernetes expands $(VAR) in a container's args and turns $$ into $: what
# a description passes must reach spark-submit as written, and only the
# downward-API confs sparkgen writes are expanded.  The expansion below is
# Kubernetes' (third_party/forked/golang/expansion), written again.
sed 's|^  args: .*|  args: ["a$$b", "$(POD_NAME)", "$$(x", "end$", "$", "$HOME", "$(", "$$$"]\n  sparkConf:\n    spark.executor.extraJavaOptions: "-Dp=$(POD_IP) -Dq=$$HOME"|' \
	examples/local-dev.yaml >"$tmp/dollars.yaml"
gen "$tmp/dollars.json" --json "$tmp/dollars.yaml"
if out=$("$PYTHON" - "$tmp/dollars.json" 2>&1 <<'PY'
import json, sys

def expand(s, env):
    out, i = [], 0
    while i < len(s):
        if s[i] == "$" and i + 1 < len(s):
            n = s[i + 1]
            if n == "$":
                out.append("$"); i += 2; continue
            if n == "(":
                j = s.find(")", i + 2)
                if j >= 0:
                    name = s[i + 2:j]
                    out.append(env.get(name, "$(" + name + ")")); i = j + 1; continue
                out.append("$("); i += 2; continue
            out.append("$" + n); i += 2; continue
        out.append(s[i]); i += 1
    return "".join(out)

objs = json.load(open(sys.argv[1]))
job = next(o for o in objs if o["kind"] == "Job")
c = job["spec"]["template"]["spec"]["containers"][0]
env = {"POD_NAME": "wc-driver-x7k2p", "POD_IP": "10.1.2.3", "POD_NAMESPACE": "dev"}
argv = [expand(a, env) for a in c["args"]]
want_app = ["a$$b", "$(POD_NAME)", "$$(x", "end$", "$", "$HOME", "$(", "$$$"]
assert argv[-len(want_app):] == want_app, argv[-len(want_app):]
assert "spark.kubernetes.driver.pod.name=wc-driver-x7k2p" in argv, argv
assert "spark.driver.bindAddress=10.1.2.3" in argv, argv
assert "spark.executor.extraJavaOptions=-Dp=$(POD_IP) -Dq=$$HOME" in argv, argv
PY
); then t_ok "job args: Kubernetes' \$(VAR) expansion gives what the description wrote"; else
	t_fail "job args: Kubernetes' \$(VAR) expansion gives what the description wrote" "$out"; fi
gen "$tmp/dollars.sh" --submit "$tmp/dollars.yaml"
t_contains "job args: --submit shows the words as spark-submit gets them" "$(cat "$tmp/dollars.sh")" \
	"'a\$\$b' '\$(POD_NAME)' '\$\$(x' 'end\$' '\$' '\$HOME' '\$(' '\$\$\$'"

# ------------------------------------------------------------- templates

cp -r templates "$tmp/mine"
sed -i 's|^    app.kubernetes.io/component: spark-driver|    app.kubernetes.io/component: spark-driver\n    team: payments|' \
	"$tmp/mine/job.yaml"
gen "$tmp/mine.yaml" --templates "$tmp/mine" examples/aws-efs.yaml
t_contains "templates: a user copy changes the output" "$(cat "$tmp/mine.yaml")" "team: payments"
ndiff=$(diff "$tmp/mine.yaml" "$tmp/aws-efs.yaml" | grep -c '^[<>]')
[ "$ndiff" = 1 ] && t_ok "templates: and only where it was edited" ||
	t_fail "templates: and only where it was edited" "$(diff "$tmp/aws-efs.yaml" "$tmp/mine.yaml")"
rm "$tmp/mine/pdb.yaml"
gen "$tmp/nopdb.yaml" --templates "$tmp/mine" examples/aws-efs.yaml
if grep -q PodDisruptionBudget "$tmp/nopdb.yaml"; then t_fail "templates: a removed template emits nothing"; else
	t_ok "templates: a removed template emits nothing"; fi

# pairs() over the model walks keys in order: Lua's own order changes from run to run
# (its string hash is seeded at random), and a template must write the same bytes every run.
cp -r templates "$tmp/pairs"
cat >"$tmp/pairs/zz-pairs.yaml" <<'EOF'
apiVersion: v1
kind: ConfigMap
metadata: {name: "${names.job}-keys", namespace: "${app.namespace}"}
data:
  common: "${(function() local r = {} for k, v in pairs(labels.common) do r[#r + 1] = k .. '=' .. v end return table.concat(r, ',') end)()}"
  app: "${(function() local r = {} for k in pairs(app) do r[#r + 1] = k end return table.concat(r, ',') end)()}"
EOF
for i in 1 2 3; do gen "$tmp/pairs-$i.yaml" --templates "$tmp/pairs" examples/aws-efs.yaml; done
want=$("$PYTHON" -c '
import sys, yaml
d = [x for x in yaml.safe_load_all(open(sys.argv[1])) if x and x["kind"] == "ConfigMap" and x["metadata"]["name"].endswith("-keys")][0]["data"]
common = d["common"].split(",")
app = d["app"].split(",")
assert common == sorted(common) and len(common) >= 3, common
assert app == sorted(app) and len(app) >= 4, app
print("sorted")' "$tmp/pairs-1.yaml" 2>&1)
t_eq "templates: pairs() over the model gives its keys in order" "$want" "sorted"
cmp -s "$tmp/pairs-1.yaml" "$tmp/pairs-2.yaml" && cmp -s "$tmp/pairs-1.yaml" "$tmp/pairs-3.yaml" &&
	t_ok "templates: ... the same bytes every run" || t_fail "templates: ... the same bytes every run"

# print() under --verbose writes at most 1 MiB a state, then says so once: an endless print
# loop must not fill a CI log or a disk before the instruction budget ends it (20,000 lines
# of 100 bytes here, so that the test stays small when it fails).
cp -r templates "$tmp/printer"
cat >"$tmp/printer/zz-print.yaml" <<'EOF'
apiVersion: v1
kind: ConfigMap
metadata: {name: "${names.job}-p", namespace: "${app.namespace}"}
data:
  s: "${(function() for i = 1, 20000 do print(string.rep('x', 100)) end return 'x' end)()}"
EOF
t_run "templates: 2 MB of print() under --verbose" 0 "$SPARKGEN" --verbose --templates "$tmp/printer" examples/aws-efs.yaml
t_contains "templates: ... print stops after 1 MiB, saying so" "$T_ERR" "[print: more than 1048576 bytes printed; the rest is not shown]"
t_run "templates: ... and stderr stays small" 0 test "${#T_ERR}" -lt 1100000

# broken NAME FILE EDIT LOCATE WANT: a sed edit of one template must give WANT
# on stderr; {dir} is the template copy, {line} the first line matching LOCATE
broken() {
	local name=$1 file=$2 edit=$3 locate=$4 want=$5 d=$tmp/broken-$1 line
	rm -rf "$d"; cp -r templates "$d"
	sed -i "$edit" "$d/$file"
	line=$(grep -n -m1 -e "$locate" "$d/$file" | cut -d: -f1)
	want=${want//\{dir\}/$d}
	gen "$tmp/broken.out" --templates "$d" examples/aws-efs.yaml; local rc=$?
	if [ "$rc" = 2 ] && [ ! -s "$tmp/broken.out" ]; then t_ok "templates: $name exits 2 with empty stdout"; else
		t_fail "templates: $name exits 2 with empty stdout" "exit $rc"; fi
	t_contains "templates: $name names file:line:col" "$(cat "$tmp/broken.out.err")" "${want//\{line\}/$line}"
}
broken "bad expression" job.yaml 's/backoffLimit: ${driver.backoffLimit}/backoffLimit: ${driver.backoffLimit +}/' \
	'backoffLimit:' "{dir}/job.yaml:{line}:17: error: cannot evaluate '\${driver.backoffLimit +}'"
broken "unknown field" job.yaml 's/backoffLimit: ${driver.backoffLimit}/backoffLimit: ${driver.nope.x}/' \
	'backoffLimit:' "{dir}/job.yaml:{line}:17: error: cannot evaluate '\${driver.nope.x}': attempt to index a nil value (field 'nope')"
broken "table in text" pdb.yaml 's/name: ${names.pdb}/name: pdb-${labels.common}/' \
	'name: pdb-' "{dir}/pdb.yaml:{line}:9: error: '\${labels.common}' inside a string must give a string or a number, not table"
broken "unknown directive" claim.yaml 's/^\$if: emit.claim/$iff: emit.claim/' \
	'^\$iff' "{dir}/claim.yaml:{line}:1: error: unknown directive '\$iff' (known: \$if, \$each, \$as, \$merge)"
broken "yaml syntax" service.yaml 's/  clusterIP: None/  clusterIP: [None/' \
	'clusterIP' "{dir}/service.yaml:"
broken "no identity" pdb.yaml 's/^kind: PodDisruptionBudget/kinds: PodDisruptionBudget/' \
	'^\$if' "{dir}/pdb.yaml:{line}:1: error: a template document must render to a Kubernetes object"
broken "invalid name" pdb.yaml 's/name: ${names.pdb}/name: "${names.pdb}."/' \
	'^\$if' "{dir}/pdb.yaml:{line}:1: error: PodDisruptionBudget name 'clickstream-driver.' must be a DNS-1123 subdomain"
broken "invalid namespace" pdb.yaml 's/namespace: ${app.namespace}/namespace: "${app.namespace}_x"/' \
	'^\$if' "{dir}/pdb.yaml:{line}:1: error: PodDisruptionBudget 'clickstream-driver': namespace 'streaming_x' must be a DNS-1123 label"
rm -rf "$tmp/colon" && cp -r templates "$tmp/colon" && sed -i 's/name: ${names.role}$/name: "${names.role}:x"/' "$tmp/colon/rbac.yaml"
t_run "templates: an RBAC name may hold ':' (a path segment, not a DNS name)" 0 \
	"$SPARKGEN" --templates "$tmp/colon" examples/aws-efs.yaml
t_contains "templates: ... and is written as rendered" "$T_OUT" "name: clickstream-driver:x"
broken "lib.lua error" lib.lua 's/^return lib/return lib +/' 'return lib' "{dir}/lib.lua:"
t_run "templates: a missing directory is an error" 2 "$SPARKGEN" --templates "$tmp/none" examples/aws-efs.yaml
t_contains "templates: ... naming it" "$T_ERR" "cannot open template directory '$tmp/none'"
rm -rf "$tmp/fifo" && cp -r templates "$tmp/fifo" && rm "$tmp/fifo/pdb.yaml" && mkfifo "$tmp/fifo/pdb.yaml"
t_run "templates: a FIFO named *.yaml is an error, not a hang" 2 \
	timeout 20 "$SPARKGEN" --templates "$tmp/fifo" examples/aws-efs.yaml
t_contains "templates: ... naming it" "$T_ERR" "'$tmp/fifo/pdb.yaml' is not a regular file"
rm "$tmp/fifo/pdb.yaml" && cp templates/pdb.yaml "$tmp/fifo/" && rm "$tmp/fifo/lib.lua" && mkfifo "$tmp/fifo/lib.lua"
t_run "templates: ... and so is lib.lua" 2 timeout 20 "$SPARKGEN" --templates "$tmp/fifo" examples/aws-efs.yaml
t_contains "templates: ... naming it" "$T_ERR" "'$tmp/fifo/lib.lua' is not a regular file"
# A few lines of Lua that share tables make 2^40 values: the app's output
# budget stops them at the expression, with nothing written (the address
# space limit only keeps a regression from eating the machine).
rm -rf "$tmp/bomb" && cp -r templates "$tmp/bomb"
sed -i 's/^  labels: ${labels.common}/  labels: ${labels.common}\n  annotations: ${(function() local t = {"x"} for i = 1, 40 do t = {t, t} end return {x = t} end)()}/' \
	"$tmp/bomb/pdb.yaml"
line=$(grep -n -m1 'annotations: ' "$tmp/bomb/pdb.yaml" | cut -d: -f1)
guard() { if [ -n "${SK_SANITIZED:-}" ]; then "$@"; else (ulimit -v 4000000 && exec "$@"); fi; }
t_run "templates: shared tables past the output budget are an error" 2 \
	guard timeout 120 "$SPARKGEN" --templates "$tmp/bomb" examples/aws-efs.yaml
t_eq "templates: ... with nothing on stdout" "$T_OUT" ""
t_contains "templates: ... naming the expression" "$T_ERR" \
	"$tmp/bomb/pdb.yaml:$line:16: error: the app's manifests grow too large here (more than 32 MiB written out)"
t_run "templates: ... and -o writes no tree" 2 \
	guard timeout 120 "$SPARKGEN" --templates "$tmp/bomb" -o "$tmp/bomb-tree" examples/aws-efs.yaml
[ -e "$tmp/bomb-tree" ] && t_fail "templates: ... and -o writes no tree" "$(ls -R "$tmp/bomb-tree" | head)" ||
	t_ok "templates: ... not even its directory"

# ------------------------------------------------ several apps, CLI errors

# The fork creates the checkpoint claim itself, on the cluster's default class.
sed 's/^checkpoint:/checkpoint:\n  accessMode: ReadWriteMany/; s/    cloud: azure/    cloud: existing\n    className: fast\n    create: false/; /    kind: file/d' \
	tests/gen/good/legacy-defaults.yaml >"$tmp/legacy-existing.yaml"
t_run "legacy: an existing class and an access mode compile" 0 "$SPARKGEN" "$tmp/legacy-existing.yaml"
t_contains "legacy: ... with a warning that the class must be the default" "$T_ERR" \
	"$tmp/legacy-existing.yaml:11:16: warning: the fork's checkpoint claim takes the cluster's default StorageClass, which checkpoint.storage.className 'fast' must then be [model]"
t_contains "legacy: ... and one that the access mode is not used" "$T_ERR" \
	"$tmp/legacy-existing.yaml:8:15: warning: checkpoint.accessMode is not used by target 'legacy-fork'"
t_eq "legacy: ... and no StorageClass" "$(printf '%s\n' "$T_OUT" | grep -c '^kind: StorageClass')" "0"

sed 's/name: networkwordcount/name: other/; s/serviceAccount: spark/serviceAccount: spark-other/' \
	examples/network-word-count.yaml >"$tmp/other.yaml"
t_run "apps: two legacy apps of one storage class" 0 "$SPARKGEN" examples/network-word-count.yaml "$tmp/other.yaml"
t_contains "apps: ... share one staging server" "$(printf '%s\n' "$T_OUT" | grep -c '^kind: ConfigMap')" "1"
t_eq "apps: ... and one default StorageClass" \
	"$(printf '%s\n' "$T_OUT" | grep -c 'is-default-class: "true"')" "1"
t_run "apps: two legacy apps with two default StorageClasses are an error" 2 \
	"$SPARKGEN" examples/network-word-count.yaml tests/gen/good/legacy-defaults.yaml
t_contains "apps: ... at the later app's storage, naming both classes" "$T_ERR" \
	"tests/gen/good/legacy-defaults.yaml:9:5: error: app 'legacywc' marks StorageClass 'legacywc-checkpoint' the cluster's default, and app 'networkwordcount' (examples/network-word-count.yaml) marks 'azurefile'"
t_eq "apps: ... with nothing on stdout" "$T_OUT" ""
# Executor pods are named <podNamePrefix>-exec-<n>: one prefix, one namespace, two apps collide.
sed 's/name: wordcount-dev/name: wc-a/; s/^executor:/executor:\n  podNamePrefix: wc-shared/
	s/^environments:/environments:\n  prod:\n    driver:\n      backoffLimit: 3/' \
	examples/local-dev.yaml >"$tmp/prefix-a.yaml"
sed 's/wc-a/wc-b/' "$tmp/prefix-a.yaml" >"$tmp/prefix-b.yaml"
pline=$(grep -n 'podNamePrefix' "$tmp/prefix-b.yaml" | cut -d: -f1)
grep -q 'podNamePrefix: wc-shared' "$tmp/prefix-a.yaml" && t_ok "apps: (fixture) the prefix is set" ||
	t_fail "apps: (fixture) the prefix is set" "$(cat "$tmp/prefix-a.yaml")"
for mode in "" --validate --submit; do
	t_run "apps: one executor pod name prefix in two apps of a namespace is an error${mode:+ ($mode)}" 2 \
		"$SPARKGEN" $mode "$tmp/prefix-a.yaml" "$tmp/prefix-b.yaml"
	t_contains "apps: ... at the later app's prefix${mode:+ ($mode)}" "$T_ERR" \
		"$tmp/prefix-b.yaml:$pline:18: error: executor pod name prefix 'wc-shared' of app 'wc-b' is also that of app 'wc-a' ($tmp/prefix-a.yaml) in namespace 'dev'"
done
t_run "apps: ... but one description named twice is not" 0 "$SPARKGEN" "$tmp/prefix-a.yaml" "$tmp/prefix-a.yaml"
sed 's/namespace: dev/namespace: prod/' "$tmp/prefix-b.yaml" >"$tmp/prefix-c.yaml"
t_run "apps: ... in two namespaces it is not" 0 "$SPARKGEN" "$tmp/prefix-a.yaml" "$tmp/prefix-c.yaml"
# The first app comes from the render cache: what it needs to be compared is cached too.
export SPARKGEN_CACHE="$tmp/prefix-cache"
t_run "apps: -o with the first app alone" 0 "$SPARKGEN" -o "$tmp/prefix-tree" "$tmp/prefix-a.yaml"
t_run "apps: ... then both (the first from the cache) is the same error" 2 \
	"$SPARKGEN" -o "$tmp/prefix-tree" "$tmp/prefix-a.yaml" "$tmp/prefix-b.yaml"
t_contains "apps: ... naming both" "$T_ERR" "of app 'wc-b' is also that of app 'wc-a'"
t_eq "apps: ... and the tree keeps the first app only" "$(ls "$tmp/prefix-tree/dev")" "wc-a"
unset SPARKGEN_CACHE
# Under --env, the overlay's line is the one to fix.
sed 's/wc-a/wc-e/; /podNamePrefix/d; s/^  prod:/  prod:\n    executor:\n      podNamePrefix: wc-shared/' \
	"$tmp/prefix-a.yaml" >"$tmp/prefix-env.yaml"
eline=$(grep -n 'podNamePrefix' "$tmp/prefix-env.yaml" | cut -d: -f1)
t_run "apps: ... set by an --env overlay" 2 "$SPARKGEN" --env prod "$tmp/prefix-a.yaml" "$tmp/prefix-env.yaml"
t_contains "apps: ... at the overlay's line" "$T_ERR" "$tmp/prefix-env.yaml:$eline:22: error: executor pod name prefix 'wc-shared' of app 'wc-e'"
gen "$tmp/two.yaml" examples/network-word-count.yaml "$tmp/other.yaml"
order=$(grep '^kind:' "$tmp/two.yaml" | uniq | tr '\n' ' ')
t_contains "apps: objects of all apps in apply order" "$order" \
	"kind: StorageClass kind: ServiceAccount kind: ClusterRole kind: ClusterRoleBinding kind: Role kind: RoleBinding kind: ConfigMap kind: Service kind: Deployment kind: DaemonSet"
sed 's/skuName: Standard_LRS/skuName: Standard_GRS/; s/name: networkwordcount/name: other/' \
	examples/network-word-count.yaml >"$tmp/clash.yaml"
t_run "apps: one StorageClass with two contents is an error" 2 "$SPARKGEN" examples/network-word-count.yaml "$tmp/clash.yaml"
t_contains "apps: ... naming both" "$T_ERR" "StorageClass 'azurefile' is generated twice with different content"
cline=$(grep -n 'className:' "$tmp/clash.yaml" | cut -d: -f1)
t_contains "apps: ... at the later description's className" "$T_ERR" \
	"$tmp/clash.yaml:$cline:16: error: StorageClass 'azurefile' is generated twice with different content (also from 'examples/network-word-count.yaml') [conflict]"
t_run "apps: ... in a tree too (-o)" 2 "$SPARKGEN" -o "$tmp/clash-tree" examples/network-word-count.yaml "$tmp/clash.yaml"
t_contains "apps: ... at the same line, naming the other description" "$T_ERR" \
	"$tmp/clash.yaml:$cline:16: error: StorageClass 'azurefile' is generated twice with different content (apps 'networkwordcount' (examples/network-word-count.yaml) and 'other') [conflict]"
# One app, one kind and name in two namespaces (its driver's ServiceAccount
# named like the shuffle service's, which lives in another namespace; a
# description may not name it so, a copy of the templates does): one file
# name in its directory, an error at the description's line.
sed 's/^  namespace: default/  namespace: teamx/' examples/network-word-count.yaml >"$tmp/samefile.yaml"
rm -rf "$tmp/samefile-tmpl" && cp -r templates "$tmp/samefile-tmpl"
sed -i 's/name: ${names.serviceAccount}$/name: ${names.shuffleService.serviceAccount}/' "$tmp/samefile-tmpl/rbac.yaml"
t_eq "apps: (fixture) the copy names the driver's account like the shuffle service's" \
	"$(sed -n '/^kind: ServiceAccount$/,/^---$/p' "$tmp/samefile-tmpl/rbac.yaml" | grep -c 'name: ${names.shuffleService.serviceAccount}$')" 1
sline=$(grep -n 'serviceAccount:' "$tmp/samefile.yaml" | cut -d: -f1)
t_run "apps: two objects of one app for one file name are an error in a tree" 2 \
	"$SPARKGEN" --templates "$tmp/samefile-tmpl" -o "$tmp/samefile-tree" "$tmp/samefile.yaml"
t_contains "apps: ... at the description's line" "$T_ERR" \
	"$tmp/samefile.yaml:$sline:19: error: two objects would both be written to 'teamx/networkwordcount/serviceaccount-spark-shuffle-service.yaml' [conflict]"
# A driver.serviceAccount named in the description is one several apps of a
# namespace may share: it carries the shared labels, so two apps' accounts
# are one object; each app keeps its own Role and RoleBinding.
for x in a b; do
	cat >"$tmp/sa-$x.yaml" <<EOF
app: {name: app-$x, namespace: team, image: "reg/wc:1.0", mainClass: a.B, mainFile: "local:///a.jar"}
driver: {serviceAccount: spark}
checkpoint: {storage: {cloud: nfs, kind: nfs, parameters: {server: nfs.local, share: /x}}}
EOF
done
t_run "apps: two apps of a namespace share a named driver ServiceAccount" 0 \
	"$SPARKGEN" "$tmp/sa-a.yaml" "$tmp/sa-b.yaml"
printf '%s\n' "$T_OUT" >"$tmp/sa-ab.yaml"
if out=$("$PYTHON" - "$tmp/sa-ab.yaml" 2>&1 <<'PY'
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
ids = lambda k: sorted(d["metadata"]["name"] for d in docs if d["kind"] == k)
assert ids("ServiceAccount") == ["spark"], ids("ServiceAccount")
sa = [d for d in docs if d["kind"] == "ServiceAccount"][0]
assert sa["metadata"]["labels"] == {"app.kubernetes.io/managed-by": "sparkgen",
                                   "app.kubernetes.io/component": "spark-driver"}, sa
assert ids("Role") == ["app-a-driver", "app-b-driver"], ids("Role")
assert ids("RoleBinding") == ["app-a-driver", "app-b-driver"], ids("RoleBinding")
for d in docs:
    if d["kind"] == "RoleBinding":
        assert d["subjects"] == [{"kind": "ServiceAccount", "name": "spark", "namespace": "team"}], d
    if d["kind"] == "Job":
        assert d["spec"]["template"]["spec"]["serviceAccountName"] == "spark", d
PY
); then t_ok "apps: ... written once, with the shared labels; a Role and RoleBinding per app"; else
	t_fail "apps: ... written once, with the shared labels; a Role and RoleBinding per app" "$out"; fi
t_run "apps: ... and sparklint finds nothing in the two" 0 "$SPARKLINT" --no-config "$tmp/sa-ab.yaml"
t_run "apps: ... in a tree (-o)" 0 "$SPARKGEN" -o "$tmp/sa-tree" "$tmp/sa-a.yaml" "$tmp/sa-b.yaml"
t_eq "apps: ... the account under team/_shared, the rest per app" \
	"$(cd "$tmp/sa-tree/team" 2>&1 && find . -name 'serviceaccount-*' -o -name 'role*' | LC_ALL=C sort | tr '\n' ' ')" \
	"./_shared/serviceaccount-spark.yaml ./app-a/role-app-a-driver.yaml ./app-a/rolebinding-app-a-driver.yaml ./app-b/role-app-b-driver.yaml ./app-b/rolebinding-app-b-driver.yaml "
t_run "apps: ... which --check finds up to date" 0 \
	"$SPARKGEN" --check -o "$tmp/sa-tree" "$tmp/sa-a.yaml" "$tmp/sa-b.yaml"
t_run "apps: ... one app alone keeps the account in its directory" 0 \
	"$SPARKGEN" -o "$tmp/sa-one" "$tmp/sa-a.yaml"
t_eq "apps: ... (team/app-a/serviceaccount-spark.yaml)" \
	"$(cd "$tmp/sa-one" && find . -name 'serviceaccount-*')" "./team/app-a/serviceaccount-spark.yaml"
# ... but a driver account is never one of the legacy fork's shared accounts:
# a native app of namespace 'default' naming the shuffle service's or the
# staging server's account beside the article's app (legacy, 'default') is
# refused at the name, alone or not, with rbac.create or without, so its Role
# is never bound to the DaemonSet's or the staging server's identity, nor
# does the driver run with their cluster-wide read of pods.
sed -e 's/namespace: dev/namespace: default/' -e '/^environments:/,$d' \
	-e 's/^driver:/driver:\n  serviceAccount: SA/' examples/local-dev.yaml >"$tmp/sa-infra.yaml"
saline=$(grep -n 'serviceAccount: SA' "$tmp/sa-infra.yaml" | cut -d: -f1)
for sa in spark-shuffle-service:"the legacy shuffle service's" \
	spark-resource-staging-server:"the legacy resource staging server's"; do
	whose=${sa#*:} sa=${sa%%:*}
	sed "s/serviceAccount: SA/serviceAccount: $sa/" "$tmp/sa-infra.yaml" >"$tmp/sa-$sa.yaml"
	t_run "apps: a driver account named '$sa' beside the legacy app's is an error" 2 \
		"$SPARKGEN" examples/network-word-count.yaml "$tmp/sa-$sa.yaml"
	t_contains "apps: ... at the name" "$T_ERR" \
		"$tmp/sa-$sa.yaml:$saline:19: error: driver.serviceAccount '$sa' is the name of $whose ServiceAccount, which reads pods in every namespace: the driver may not run as it [model]"
	t_eq "apps: ... with nothing on stdout" "$T_OUT" ""
	sed 's/^rbac:/rbac:\n  create: false/' "$tmp/sa-$sa.yaml" >"$tmp/sa-$sa-norbac.yaml"
	t_run "apps: ... alone and with rbac.create false too" 2 "$SPARKGEN" "$tmp/sa-$sa-norbac.yaml"
	t_contains "apps: ... the same error" "$T_ERR" "error: driver.serviceAccount '$sa' is the name of $whose ServiceAccount"
done
# The default account, <name>-driver, is the app's own: its labels name it.
sed '/serviceAccount/d' "$tmp/sa-a.yaml" >"$tmp/sa-default.yaml"
t_contains "apps: the default driver ServiceAccount keeps the app's labels" \
	"$("$SPARKGEN" "$tmp/sa-default.yaml" | sed -n '/^kind: ServiceAccount$/,/^---$/p')" \
	"  name: app-a-driver
  namespace: team
  labels:
    app.kubernetes.io/managed-by: sparkgen
    app.kubernetes.io/name: app-a
    sparkgen.io/app: app-a"

# ... so another app of its namespace may not name it in driver.serviceAccount:
# the two would write one account two ways (its labels, the shared ones) and
# bind both Roles to it.  The error is at the name, whatever the order, also
# with the owner from the render cache; naming it in both apps shares it.
sed 's/app-a/app-c/; s/serviceAccount: spark/serviceAccount: app-a-driver/' "$tmp/sa-a.yaml" >"$tmp/sa-other.yaml"
oline=$(grep -n 'serviceAccount: app-a-driver' "$tmp/sa-other.yaml" | cut -d: -f1)
osa="$tmp/sa-other.yaml:$oline:26: error: driver.serviceAccount 'app-a-driver' of app 'app-c' is the ServiceAccount that app 'app-a' ($tmp/sa-default.yaml) has as its own in namespace 'team': both apps' Roles would be bound to it, giving each driver the other's rights [conflict]"
for mode in "" --validate -o; do
	[ "$mode" = -o ] && mode="-o $tmp/sa-own-tree"
	t_run "apps: a driver account named like another app's own is an error${mode:+ ($mode)}" 2 \
		"$SPARKGEN" $mode "$tmp/sa-default.yaml" "$tmp/sa-other.yaml"
	t_contains "apps: ... at the name, naming the owner" "$T_ERR" "$osa"
	t_contains "apps: ... with a hint" "$T_ERR" \
		"hint: to share one account, name it in driver.serviceAccount of both apps; else give app 'app-c' an account of its own"
	t_eq "apps: ... and only that error" "$(grep -c ': error: ' <<<"$T_ERR")" 1
done
t_run "apps: ... in the other order too" 2 "$SPARKGEN" "$tmp/sa-other.yaml" "$tmp/sa-default.yaml"
t_contains "apps: ... at the same name" "$T_ERR" "$osa"
export SPARKGEN_CACHE="$tmp/sa-own-cache"
t_run "apps: -o with the owner alone" 0 "$SPARKGEN" -o "$tmp/sa-own-tree2" "$tmp/sa-default.yaml"
t_run "apps: ... then both (the owner from the cache) is the same error" 2 \
	"$SPARKGEN" -o "$tmp/sa-own-tree2" "$tmp/sa-default.yaml" "$tmp/sa-other.yaml"
t_contains "apps: ... at the name" "$T_ERR" "$osa"
unset SPARKGEN_CACHE
sed '$a driver: {serviceAccount: app-a-driver}' "$tmp/sa-default.yaml" >"$tmp/sa-named-own.yaml"
t_run "apps: ... but an account both apps name is shared" 0 "$SPARKGEN" "$tmp/sa-named-own.yaml" "$tmp/sa-other.yaml"
t_eq "apps: ... written once" "$(grep -c '^kind: ServiceAccount$' <<<"$T_OUT")" 1
sed 's/namespace: team/namespace: other/' "$tmp/sa-other.yaml" >"$tmp/sa-other-ns.yaml"
t_run "apps: ... and in another namespace the name is free" 0 "$SPARKGEN" "$tmp/sa-default.yaml" "$tmp/sa-other-ns.yaml"
# With rbac.create false the app writes no account, but its driver would run
# with the owner's rights, on an account that goes with the owner (and the
# Job tells sparklint it is made outside sparkgen): the same conflict, also
# with either app from the render cache.
sed '$a rbac: {create: false}' "$tmp/sa-other.yaml" >"$tmp/sa-other-norbac.yaml"
onr="$tmp/sa-other-norbac.yaml:$oline:26: error: driver.serviceAccount 'app-a-driver' of app 'app-c' (rbac.create false) is the ServiceAccount that app 'app-a' ($tmp/sa-default.yaml) has as its own in namespace 'team': the driver would run with that app's rights, on an account that goes when that app does [conflict]"
for order in "$tmp/sa-default.yaml $tmp/sa-other-norbac.yaml" "$tmp/sa-other-norbac.yaml $tmp/sa-default.yaml"; do
	t_run "apps: ... with rbac.create false too ($(basename "${order%% *}") first)" 2 "$SPARKGEN" $order
	t_contains "apps: ... at the name, naming the owner" "$T_ERR" "$onr"
	t_eq "apps: ... and only that error" "$(grep -c ': error: ' <<<"$T_ERR")" 1
done
export SPARKGEN_CACHE="$tmp/sa-norbac-cache"
for first in sa-default sa-other-norbac; do
	rm -rf "$tmp/sa-norbac-cache" "$tmp/sa-norbac-tree"
	t_run "apps: -o with $first alone" 0 "$SPARKGEN" -o "$tmp/sa-norbac-tree" "$tmp/$first.yaml"
	t_run "apps: ... then both ($first from the cache) is the same error" 2 \
		"$SPARKGEN" -o "$tmp/sa-norbac-tree" "$tmp/sa-default.yaml" "$tmp/sa-other-norbac.yaml"
	t_contains "apps: ... at the name" "$T_ERR" "$onr"
done
unset SPARKGEN_CACHE

# ---------------------------------------------------------------- threads

# Enough apps that threads finish out of turn: every output is one thread's.
mkdir -p "$tmp/many"
for i in $(seq -w 1 40); do
	sed "s/name: wordcount-dev/name: wc-$i/; s/namespace: dev/namespace: ns-$((10#$i % 4))/" \
		examples/local-dev.yaml >"$tmp/many/wc-$i.yaml"
done
cp examples/*.yaml "$tmp/many/"
gen "$tmp/j1.yaml" -j1 "$tmp/many"
gen "$tmp/j4.yaml" -j4 "$tmp/many"
t_eq "threads: 46 apps, -j4 writes what -j1 does" "$(cmp "$tmp/j1.yaml" "$tmp/j4.yaml" 2>&1)" ""
t_eq "threads: ... all of them" \
	"$(grep -o 'sparkgen.io/app: wc-[0-9]*' "$tmp/j4.yaml" | sort -u | wc -l)" "40"
jobs=$(awk '/^kind: /{ k = $2 } k == "Job" && /^  name: wc-/{ print $2 }' "$tmp/j4.yaml")
t_eq "threads: ... in input order within a kind" "$(echo "$jobs" | tr '\n' ' ')" \
	"$(echo "$jobs" | sort | tr '\n' ' ')"
gen "$tmp/j1.json" -j1 --json "$tmp/many"
gen "$tmp/j4.json" --jobs 4 --json "$tmp/many"
t_eq "threads: ... and --json too" "$(cmp "$tmp/j1.json" "$tmp/j4.json" 2>&1)" ""
SPARKGEN_CACHE=off gen "$tmp/tree1.out" -j1 -o "$tmp/tree1" "$tmp/many"
SPARKGEN_CACHE=off gen "$tmp/tree4.out" -j4 -o "$tmp/tree4" "$tmp/many"
t_eq "threads: the -o tree of -j4 is the -j1 one" "$(diff -r "$tmp/tree1" "$tmp/tree4" 2>&1 | head -5)" ""
t_run "threads: ... and -j3 --check finds it up to date" 0 \
	env SPARKGEN_CACHE=off "$SPARKGEN" -j3 --check -o "$tmp/tree4" "$tmp/many"
gen "$tmp/bad1.out" -j1 tests/gen/bad/*.yaml
gen "$tmp/bad4.out" -j4 tests/gen/bad/*.yaml
t_eq "threads: the bad catalogue's diagnostics, -j4 as -j1" \
	"$(cmp "$tmp/bad1.out.err" "$tmp/bad4.out.err" 2>&1)" ""
t_eq "threads: ... every file's" "$(grep -c ': error: ' "$tmp/bad4.out.err")" \
	"$(grep -c ': error: ' "$tmp/bad1.out.err")"
t_eq "threads: ... and no output" "$(cat "$tmp/bad4.out")" ""
for j in 0 1025 two ""; do
	t_run "threads: -j '$j' is a usage error" 2 "$SPARKGEN" -j "$j" examples/aws-efs.yaml
	t_contains "threads: ... saying what -j takes" "$T_ERR" "-j needs a thread count from 1 to 1024"
done

t_run "cli: no file is a usage error" 2 "$SPARKGEN"
t_run "cli: an unknown option is a usage error" 2 "$SPARKGEN" --bogus examples/aws-efs.yaml
t_run "cli: a missing file is an error" 2 "$SPARKGEN" "$tmp/missing.yaml"
t_contains "cli: ... naming it" "$T_ERR" "missing.yaml"
t_run "cli: errors in several files are all reported" 2 "$SPARKGEN" tests/gen/bad/unknown-key.yaml tests/gen/bad/bad-enum.yaml
t_contains "cli: ... the first" "$T_ERR" "unknown key 'namspace'"
t_contains "cli: ... the second" "$T_ERR" "invalid value 'native' for 'app.target'"
if [ -w /dev/full ]; then
	"$SPARKGEN" examples/aws-efs.yaml >/dev/full 2>"$tmp/full.err"
	[ $? = 2 ] && t_ok "cli: a failed write to stdout exits 2" ||
		t_fail "cli: a failed write to stdout exits 2" "$(cat "$tmp/full.err")"
fi
# --validate and --submit check everything a generating run checks.  A copy
# of the templates names the driver's account like the staging server's
# (a description may not): the two parts of the app write it differently (a
# named driver account carries component spark-driver, the staging server's
# does not).
cp tests/gen/good/legacy-defaults.yaml "$tmp/sa-clash.yaml"
printf 'driver:\n  serviceAccount: spark\n' >>"$tmp/sa-clash.yaml"
rm -rf "$tmp/applabels" && cp -r templates "$tmp/applabels"
sed -i 's/name: ${names.serviceAccount}$/name: ${names.stagingServer.serviceAccount}/' "$tmp/applabels/rbac.yaml"
t_eq "cli: (fixture) the copy names the driver's account like the staging server's" \
	"$(sed -n '/^kind: ServiceAccount$/,/^---$/p' "$tmp/applabels/rbac.yaml" | grep -c 'name: ${names.stagingServer.serviceAccount}$')" 1
t_run "cli: an object two parts of one app generate differently is an error" 2 \
	"$SPARKGEN" --templates "$tmp/applabels" "$tmp/sa-clash.yaml"
for m in --validate --submit; do
	t_run "cli: $m fails where generating does (exit 2)" 2 \
		"$SPARKGEN" $m --templates "$tmp/applabels" "$tmp/sa-clash.yaml"
	t_contains "cli: ... with the same error ($m)" "$T_ERR" "ServiceAccount 'spark-resource-staging-server' in namespace 'default' is generated twice"
	t_eq "cli: ... and prints nothing ($m)" "$T_OUT" ""
done
t_run "cli: --validate loads the templates (a missing --templates DIR is an error)" 2 \
	"$SPARKGEN" --validate --templates "$tmp/no-such-templates" examples/nfs.yaml
printf 'app: {name: f, image: "i:1", mainFile: "local:///a.jar", mainClass: a.B}\ndriver: {cores: .nan}\ncheckpoint: {storage: {cloud: nfs, kind: nfs, parameters: {server: s, share: /x}}}\n' >"$tmp/nan.yaml"
t_run "cli: a NaN where a number goes is a schema error" 2 "$SPARKGEN" --validate "$tmp/nan.yaml"
t_eq "cli: ... at the value" "$T_ERR" "$tmp/nan.yaml:2:17: error: 'driver.cores' must be a number, not .nan [schema]"
# --submit: only --master's placeholder is left for the shell; an argument
# with the same text goes as written.
sed 's|^  mainClass: com.example.WordCount$|  mainClass: com.example.WordCount\n  args: ["k8s://${KUBERNETES_MASTER}"]|' \
	tests/gen/good/legacy-defaults.yaml >"$tmp/master-arg.yaml"
t_run "cli: --submit, an app argument equal to the master placeholder" 0 "$SPARKGEN" --submit "$tmp/master-arg.yaml"
t_contains "cli: ... --master left to the shell" "$T_OUT" '--master "k8s://${KUBERNETES_MASTER}"'
t_contains "cli: ... the argument single-quoted" "$T_OUT" "file:///home/me/wc.jar 'k8s://\${KUBERNETES_MASTER}'"
# Options a mode would ignore are refused.
t_run "cli: --json with --defaults is a usage error" 2 "$SPARKGEN" --defaults --json
t_run "cli: --json with --submit is a usage error" 2 "$SPARKGEN" --submit --json examples/nfs.yaml
t_run "cli: --submit and --validate exclude each other" 2 "$SPARKGEN" --submit --validate examples/nfs.yaml
t_run "cli: --defaults takes no --env" 2 "$SPARKGEN" --defaults --env prod
if [ -w /dev/full ]; then
	for o in --help --version; do
		"$SPARKGEN" $o >/dev/full 2>/dev/null
		[ $? = 2 ] && t_ok "cli: $o into a full disk exits 2" || t_fail "cli: $o into a full disk exits 2"
	done
fi

t_run "cli: --help exits 0" 0 "$SPARKGEN" --help
t_contains "cli: --help shows the usage" "$T_OUT" "usage: sparkgen"

exit $T_FAILED
