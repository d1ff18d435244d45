/*
** ydoc_words.c: texts that Kubernetes manifests repeat in every file:
** field names, well-known labels and annotations, kinds and enum values.
** The loader points scalars equal to one of these at this static copy, so
** 17,000 small files do not each keep their own "apiVersion" and
** "app.kubernetes.io/name" (issue 8: peak RSS).  Only texts longer than
** the node's inline room matter; the list is vocabulary of the Kubernetes
** API, not of any one corpus.  Missing a word costs a copy, nothing else.
*/
#include <pthread.h>
#include <string.h>

#include "ydoc_int.h"

static const char *const words[] = {
	/* object metadata */
	"apiVersion", "metadata", "namespace", "annotations", "generateName",
	"finalizers", "ownerReferences", "resourceVersion", "creationTimestamp",
	"blockOwnerDeletion", "controller",
	/* pod template and containers */
	"template", "containers", "initContainers", "ephemeralContainers",
	"resources", "requests", "volumeMounts", "mountPath", "readOnly",
	"mountPropagation", "emptyDir", "sizeLimit", "hostPath", "configMap",
	"secretName", "persistentVolumeClaim", "claimName", "projected",
	"downwardAPI", "defaultMode", "protocol", "containerPort", "hostPort",
	"targetPort", "nodePort", "imagePullPolicy", "imagePullSecrets",
	"workingDir", "valueFrom", "secretKeyRef", "configMapKeyRef",
	"configMapRef", "secretRef", "fieldRef", "fieldPath", "resourceFieldRef",
	"livenessProbe", "readinessProbe", "startupProbe", "tcpSocket",
	"initialDelaySeconds", "periodSeconds", "timeoutSeconds",
	"successThreshold", "failureThreshold", "terminationGracePeriodSeconds",
	"terminationMessagePath", "terminationMessagePolicy", "lifecycle",
	"securityContext", "runAsUser", "runAsGroup", "runAsNonRoot",
	"readOnlyRootFilesystem", "allowPrivilegeEscalation", "privileged",
	"capabilities", "seccompProfile", "localhostProfile", "supplementalGroups",
	"serviceAccountName", "serviceAccount", "automountServiceAccountToken",
	"nodeSelector", "nodeName", "affinity", "nodeAffinity", "podAffinity",
	"podAntiAffinity", "requiredDuringSchedulingIgnoredDuringExecution",
	"preferredDuringSchedulingIgnoredDuringExecution", "podAffinityTerm",
	"nodeSelectorTerms", "labelSelector", "topologyKey", "tolerations",
	"tolerationSeconds", "topologySpreadConstraints", "whenUnsatisfiable",
	"priorityClassName", "restartPolicy", "dnsPolicy", "hostNetwork",
	"schedulerName", "shareProcessNamespace", "enableServiceLinks",
	"hostAliases", "hostnames", "subPathExpr",
	/* selectors */
	"selector", "matchLabels", "matchExpressions", "operator",
	"podSelector", "namespaceSelector",
	/* workloads */
	"replicas", "strategy", "rollingUpdate", "maxSurge", "maxUnavailable",
	"minAvailable", "revisionHistoryLimit", "progressDeadlineSeconds",
	"minReadySeconds", "serviceName", "podManagementPolicy", "updateStrategy",
	"volumeClaimTemplates", "persistentVolumeClaimRetentionPolicy",
	"backoffLimit", "completions", "parallelism", "completionMode",
	"activeDeadlineSeconds", "ttlSecondsAfterFinished", "podFailurePolicy",
	"podReplacementPolicy", "onExitCodes", "onPodConditions", "containerName",
	"schedule", "concurrencyPolicy", "jobTemplate", "successfulJobsHistoryLimit",
	"failedJobsHistoryLimit", "startingDeadlineSeconds", "timeZone",
	"unhealthyPodEvictionPolicy",
	/* services, ingress, network policy */
	"clusterIP", "clusterIPs", "externalTrafficPolicy", "internalTrafficPolicy",
	"sessionAffinity", "publishNotReadyAddresses", "loadBalancerIP",
	"ipFamilies", "ipFamilyPolicy", "externalName", "ingressClassName",
	"pathType", "policyTypes", "ipBlock",
	/* storage */
	"accessModes", "storageClassName", "volumeMode", "volumeName", "capacity",
	"provisioner", "parameters", "reclaimPolicy", "allowVolumeExpansion",
	"volumeBindingMode", "mountOptions", "allowedTopologies",
	"persistentVolumeReclaimPolicy", "csi.storage.k8s.io/fstype",
	/* RBAC */
	"apiGroups", "apiGroup", "resourceNames", "subjects", "nonResourceURLs",
	"aggregationRule", "clusterRoleSelectors",
	/* config, autoscaling, misc */
	"stringData", "immutable", "description", "scaleTargetRef",
	"minReplicas", "maxReplicas", "targetCPUUtilizationPercentage",
	"averageUtilization", "preemptionPolicy", "globalDefault",
	/* well-known labels and annotations */
	"app.kubernetes.io/name", "app.kubernetes.io/instance",
	"app.kubernetes.io/version", "app.kubernetes.io/component",
	"app.kubernetes.io/part-of", "app.kubernetes.io/managed-by",
	"helm.sh/chart", "kubernetes.io/hostname", "kubernetes.io/os",
	"kubernetes.io/arch", "topology.kubernetes.io/zone",
	"topology.kubernetes.io/region", "node.kubernetes.io/instance-type",
	"kubectl.kubernetes.io/last-applied-configuration",
	"kubectl.kubernetes.io/default-container",
	"deployment.kubernetes.io/revision",
	"storageclass.kubernetes.io/is-default-class",
	"pod-security.kubernetes.io/enforce", "eks.amazonaws.com/role-arn",
	"iam.gke.io/gcp-service-account", "azure.workload.identity/client-id",
	"prometheus.io/scrape", "prometheus.io/port", "prometheus.io/path",
	"spark-role", "spark-app-selector", "spark-app-name", "spark-version",
	"spark-exec-id",
	/* kinds and API versions */
	"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ConfigMap",
	"ServiceAccount", "RoleBinding", "ClusterRole", "ClusterRoleBinding",
	"PersistentVolumeClaim", "PersistentVolume", "StorageClass",
	"PodDisruptionBudget", "NetworkPolicy", "HorizontalPodAutoscaler",
	"Namespace", "PriorityClass", "LimitRange", "ResourceQuota",
	"CustomResourceDefinition", "rbac.authorization.k8s.io",
	"rbac.authorization.k8s.io/v1", "storage.k8s.io/v1",
	"networking.k8s.io/v1", "autoscaling/v2", "policy/v1",
	"scheduling.k8s.io/v1", "apiextensions.k8s.io/v1",
	/* enum values */
	"IfNotPresent", "ClusterIP", "NodePort", "LoadBalancer", "ExternalName",
	"ReadWriteOnce", "ReadWriteMany", "ReadOnlyMany", "ReadWriteOncePod",
	"RuntimeDefault", "Unconfined", "Localhost", "OnFailure",
	"WaitForFirstConsumer", "Immediate", "RollingUpdate", "Recreate",
	"OrderedReady", "Parallel", "NoSchedule", "NoExecute", "PreferNoSchedule",
	"DoNotSchedule", "ScheduleAnyway", "ClusterFirst",
	"ClusterFirstWithHostNet", "Filesystem", "IfHealthyBudget", "AlwaysAllow",
	"DisruptionTarget", "FailJob", "FailIndex", "TerminatingOrFailed",
	"NonIndexed", "Indexed", "Ingress", "Egress", "serviceaccount",
	"status.podIP", "status.hostIP", "metadata.name", "metadata.namespace",
	"metadata.labels", "metadata.annotations", "spec.nodeName",
	"spec.serviceAccountName", "requests.cpu", "requests.memory",
	"limits.cpu", "limits.memory", "kubernetes.io/service-account-token",
	"kubernetes.io/dockerconfigjson", "kubernetes.io/tls",
	"/var/run/secrets/kubernetes.io/serviceaccount",
	"spark-kubernetes-driver", "spark-kubernetes-executor",
};

#define NSLOTS 1024u	/* open addressing, at most half full */

static struct { const char *s; size_t len; } table[NSLOTS];
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static void table_build(void)
{
	for (size_t w = 0; w < sizeof(words) / sizeof(words[0]); w++) {
		size_t len = strlen(words[w]), i;

		if (len <= YDOC_INLINE_MAX)
			continue;	/* lives in the node anyway */
		for (i = ydoc_hash(words[w], len) & (NSLOTS - 1); table[i].s;
		     i = (i + 1) & (NSLOTS - 1))
			if (!strcmp(table[i].s, words[w]))
				break;	/* listed twice */
		table[i].s = words[w];
		table[i].len = len;
	}
}

const char *ydoc_common_text(const char *s, size_t len, size_t hash)
{
	pthread_once(&table_once, table_build);
	for (size_t i = hash & (NSLOTS - 1); table[i].s; i = (i + 1) & (NSLOTS - 1))
		if (table[i].len == len && !memcmp(table[i].s, s, len))
			return table[i].s;
	return NULL;
}
