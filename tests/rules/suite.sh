#!/usr/bin/env bash
# tests/rules/suite.sh: the built-in rule set.
#   1. sparklint --test-rules rules/: every rule's fixtures (pass.yaml gives no
#      finding of the rule; each '# expect:' line in fail.yaml gets exactly it);
#   2. check-docs.py: every rule has a doc and fixtures, and the doc's
#      examples behave as labelled;
#   3. corpus-check.py: the two seeded-defect rules against the benchmark
#      corpus generator's ground truth (60 apps); then every rule over one
#      200-app stream: -j1 = -j2, together = each alone, ground truth kept;
#   4. inject.py: section 8 violations injected into the golden outputs.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh

if [ ! -x "$SPARKLINT" ]; then
	t_skip "rule fixtures" "no sparklint binary at '$SPARKLINT'"
	exit 0
fi

if out=$("$SPARKLINT" --test-rules rules/ 2>&1); then
	t_ok "sparklint --test-rules rules/"
else
	t_fail "sparklint --test-rules rules/" "$out"
fi

# Extra pass sets (tests/rules/<id>/pass-*.yaml): cases that need a set of
# their own, because pass.yaml's other objects would hide the regression.
for f in tests/rules/*/pass-*.yaml; do
	[ -f "$f" ] || continue
	id=$(basename "$(dirname "$f")")
	out=$("$SPARKLINT" --no-config --rule "$id" -f json "$f" 2>&1)
	n=$("$PYTHON" -c 'import json,sys; print(len(json.load(sys.stdin)["findings"]))' <<<"$out" 2>/dev/null)
	if [ "$n" = 0 ]; then t_ok "$id ${f##*/}: no finding"; else
		t_fail "$id ${f##*/}: no finding" "$out"; fi
done

# Messages the fixtures cannot check: what a percentage minAvailable does for
# the driver's kind (the disruption controller takes it of the controller's
# scale: a Job has none, a bare Pod no controller).
out=$("$SPARKLINT" --no-config --rule spark-driver-pdb tests/rules/spark-driver-pdb/fail.yaml 2>&1)
t_contains "spark-driver-pdb: a Job driver's minAvailable: 50% fails to sync" "$out" \
	"minAvailable is 50%: Kubernetes takes a percentage of the replicas of the pod's controller and a Job has no scale subresource, so the budget fails to sync"
t_contains "spark-driver-pdb: a bare Pod driver's minAvailable: 50% expects 0 pods" "$out" \
	"minAvailable is 50%: Kubernetes takes a percentage of the replicas of the pod's controller and a bare pod has none, so the budget expects 0 pods"
# ... and what maxUnavailable does there: Kubernetes takes any maxUnavailable
# of the controller's scale, so it supports only an integer minAvailable
t_contains "spark-driver-pdb: a Job driver's maxUnavailable: 0 fails to sync" "$out" \
	"maxUnavailable is 0: Kubernetes supports only an integer minAvailable for the pods of a Job: it takes maxUnavailable of the replicas of the pod's controller and a Job has no scale subresource, so the budget fails to sync"
t_contains "spark-driver-pdb: a bare Pod driver's maxUnavailable: 0 expects 0 pods" "$out" \
	"maxUnavailable is 0: Kubernetes supports only an integer minAvailable for a bare pod: it takes maxUnavailable of the replicas of the pod's controller and a bare pod has none, so the budget expects 0 pods"
t_contains "spark-driver-pdb: the hint says minAvailable: 1" "$out" \
	"hint: use minAvailable: 1 in the driver's PodDisruptionBudget"

# A StatefulSet's retention policy finding says how to keep its claims, not
# the rule's hint for a claim of its own (a fixed name, no ownerReferences)
out=$("$SPARKLINT" --no-config --rule spark-checkpoint-pvc-ephemeral tests/rules/spark-checkpoint-pvc-ephemeral/fail.yaml 2>&1)
t_contains "spark-checkpoint-pvc-ephemeral: whenDeleted: Delete hints Retain" "$out" \
	"(persistentVolumeClaimRetentionPolicy.whenDeleted: Delete) [spark-checkpoint-pvc-ephemeral]
  hint: set spec.persistentVolumeClaimRetentionPolicy.whenDeleted to Retain (the default), so the checkpoint claims outlive the StatefulSet's deletion"
t_contains "spark-checkpoint-pvc-ephemeral: whenScaled: Delete hints Retain" "$out" \
	"(persistentVolumeClaimRetentionPolicy.whenScaled: Delete) [spark-checkpoint-pvc-ephemeral]
  hint: set spec.persistentVolumeClaimRetentionPolicy.whenScaled to Retain (the default), so the checkpoint claims outlive the StatefulSet's scale-down"
# ... and a SparkApplication's claim owned by the app is kept by not
# deleting the SparkApplication, not a Job
t_contains "spark-checkpoint-pvc-ephemeral: a SparkApplication's claim hints at the SparkApplication" "$out" \
	"is owned by SparkApplication 'fire-sparkapplication-owned': deleting the owner deletes the checkpoint [spark-checkpoint-pvc-ephemeral]
  hint: give the checkpoint claim a fixed metadata.name and no ownerReferences, so deleting the SparkApplication keeps the checkpoint"

# A SparkApplication's checkpoint on an OnDemand claim names it: the claim
# is a driver mount, but one made for the pod and deleted with it
out=$("$SPARKLINT" --no-config --rule spark-checkpoint-volume-missing tests/rules/spark-checkpoint-volume-missing/fail.yaml 2>&1)
t_contains "spark-checkpoint-volume-missing: a checkpoint on an OnDemand claim names it" "$out" \
	"of SparkApplication 'fire-sparkapplication-on-demand' is on an OnDemand claim (made for the driver pod and deleted with it) mounted at '/checkpoint'"

# An empty spark.driver.bindAddress says why it is wrong
out=$("$SPARKLINT" --no-config --rule spark-driver-bind-address tests/rules/spark-driver-bind-address/fail.yaml 2>&1)
t_contains "spark-driver-bind-address: an empty value is the loopback address" "$out" \
	"spark.driver.bindAddress '' of Spark driver Job 'fire-empty' is empty: Java reads an empty host as the loopback address, which executors cannot reach"

# A removed apiVersion names what replaces the object's own kind: the
# extensions/v1beta1 DaemonSet of flannel v0.11 was told about Ingress and
# PodSecurityPolicy, and the PodSecurityPolicy to use 'policy/v1'
out=$("$SPARKLINT" --no-config --rule spark-deprecated-api tests/rules/spark-deprecated-api/fail.yaml 2>&1)
t_contains "spark-deprecated-api: an extensions/v1beta1 DaemonSet moves to apps/v1" "$out" \
	"DaemonSet 'shuffle' uses apiVersion 'extensions/v1beta1', removed in Kubernetes 1.16; use apps/v1 ["
t_contains "spark-deprecated-api: an extensions/v1beta1 PodSecurityPolicy has no successor" "$out" \
	"PodSecurityPolicy 'psp.flannel.unprivileged' uses apiVersion 'extensions/v1beta1', removed in Kubernetes 1.16; PodSecurityPolicy itself was removed in 1.25: use Pod Security admission ["
t_contains "spark-deprecated-api: an extensions/v1beta1 Ingress went in 1.22" "$out" \
	"Ingress 'spark-ui' uses apiVersion 'extensions/v1beta1', removed in Kubernetes 1.22; use networking.k8s.io/v1 ["
t_contains "spark-deprecated-api: a policy/v1beta1 PodDisruptionBudget moves to policy/v1" "$out" \
	"PodDisruptionBudget 'wc-driver' uses apiVersion 'policy/v1beta1', removed in Kubernetes 1.25; use policy/v1 ["
t_contains "spark-deprecated-api: a policy/v1beta1 PodSecurityPolicy has no successor" "$out" \
	"PodSecurityPolicy 'shuffle' uses apiVersion 'policy/v1beta1', removed in Kubernetes 1.25; PodSecurityPolicy itself was removed in 1.25: use Pod Security admission ["

"$PYTHON" tests/rules/check-docs.py "$SPARKLINT" rules || T_FAILED=1

# domain.md section 8 violations injected into sparkgen's golden outputs are
# caught at the injected node, with no unrelated finding (tests/rules/inject.py)
"$PYTHON" tests/rules/inject.py "$SPARKLINT" tests/golden || T_FAILED=1

gen="$SHARED/bench/gen_corpus.py"
if [ -f "$gen" ]; then
	"$PYTHON" tests/rules/corpus-check.py "$SPARKLINT" "$gen" 60 || T_FAILED=1
else
	t_skip "corpus ground truth" "no $gen"
fi
exit 0
