package io.kbackup.core.internal.restore;

import static io.kbackup.core.internal.restore.RestoreSelection.API_SERVICES;
import static io.kbackup.core.internal.restore.RestoreSelection.AUTOMANAGED_API_SERVICE;
import static io.kbackup.core.internal.restore.RestoreSelection.CLUSTER_ROLE_BINDINGS;
import static io.kbackup.core.internal.restore.RestoreSelection.ENDPOINT_SLICES;
import static io.kbackup.core.internal.restore.RestoreSelection.ENDPOINT_SLICE_CONTROLLER;
import static io.kbackup.core.internal.restore.RestoreSelection.ENDPOINT_SLICE_MANAGED_BY;
import static io.kbackup.core.internal.restore.RestoreSelection.INGRESSES;
import static io.kbackup.core.internal.restore.RestoreSelection.IP_ADDRESSES;
import static io.kbackup.core.internal.restore.RestoreSelection.JOBS;
import static io.kbackup.core.internal.restore.RestoreSelection.MIRROR_ANNOTATION;
import static io.kbackup.core.internal.restore.RestoreSelection.PODS;
import static io.kbackup.core.internal.restore.RestoreSelection.PVCS;
import static io.kbackup.core.internal.restore.RestoreSelection.PVS;
import static io.kbackup.core.internal.restore.RestoreSelection.SA_NAME_ANNOTATION;
import static io.kbackup.core.internal.restore.RestoreSelection.SECRETS;
import static io.kbackup.core.internal.restore.RestoreSelection.SERVICE_ACCOUNTS;
import static io.kbackup.core.internal.restore.RestoreSelection.SERVICE_CIDRS;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kbackup.RestorePlan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@link RestoreSelection}'s rules need to know of the backup's items, gathered while the
 * archive is checked ({@link ArchiveIndex.Observer}), so that no object is read twice: on each item
 * the facts of its own (labels match, the skip rule of a finished pod, completed job, mirror pod,
 * controller-made EndpointSlice, self-registered APIService or IP allocation; for a reset its uid
 * and resourceVersion), and across items the links PVC -> PV, Pod -> PriorityClass and claims,
 * Ingress -> IngressClass, ClusterRoleBinding -> ServiceAccounts/ClusterRole, and the legacy
 * service-account token Secrets. Not thread-safe (the archive is observed in one thread).
 */
final class SelectionFacts implements ArchiveIndex.Observer {
    private final RestorePlan plan;
    private final PlanFilters filters;
    final Map<String, String> pvcVolume = new HashMap<>();
    final Map<String, PvFacts> pvs = new HashMap<>();
    final Map<String, String> podPriorityClass = new HashMap<>();
    /** Pod key -> the claims its volumes name (Velero's AddPVCFromPodAction). */
    final Map<String, List<String>> podClaims = new HashMap<>();
    /** Ingress key -> its ingressClassName (Velero's AddIngressClassFromIngAction). */
    final Map<String, String> ingressClass = new HashMap<>();
    final Map<String, CrbFacts> crbs = new HashMap<>();

    /** Service-account token Secrets seen, by key, with the account their annotation names (or ""). */
    final Map<IndexedItem, String> tokenSecrets = new HashMap<>();
    /** ServiceAccounts in the backup, as {@code ns/name}. */
    final Set<String> serviceAccounts = new HashSet<>();

    record PvFacts(boolean retain, String claimKey) {}

    record CrbFacts(List<String> serviceAccounts, String clusterRole) {}

    SelectionFacts(RestorePlan plan, PlanFilters filters) {
        this.plan = plan;
        this.filters = filters;
    }

    @Override
    public void observe(IndexedItem item, ObjectNode object) {
        JsonNode metadata = object.path("metadata");
        item.labelsMatch = filters.labelsMatch(metadata.path("labels"));
        if (plan.prunes()) {
            item.uid = metadata.path("uid").asText("");
            item.resourceVersion = metadata.path("resourceVersion").asText("");
            item.neverTouched = PruneRules.neverTouched(item.groupResource, object);
        }
        JsonNode spec = object.path("spec");
        JsonNode status = object.path("status");
        switch (item.groupResource) {
            case PODS -> {
                String phase = status.path("phase").asText("");
                if (phase.equals("Succeeded") || phase.equals("Failed")) {
                    item.skipRule = "the pod has finished (phase " + phase + ")";
                } else if (metadata.path("annotations").has(MIRROR_ANNOTATION)) {
                    item.skipRule = "a mirror pod (the kubelet makes it from a static pod)";
                }
                String pc = spec.path("priorityClassName").asText("");
                if (!pc.isEmpty()) {
                    podPriorityClass.put(item.key(), pc);
                }
                List<String> claims = new ArrayList<>();
                for (JsonNode v : spec.path("volumes")) {
                    String claim = v.path("persistentVolumeClaim").path("claimName").asText("");
                    if (!claim.isEmpty()) {
                        claims.add(item.namespace + "/" + claim);
                    }
                }
                if (!claims.isEmpty()) {
                    podClaims.put(item.key(), List.copyOf(claims));
                }
            }
            case INGRESSES -> {
                String ic = spec.path("ingressClassName").asText("");
                if (!ic.isEmpty()) {
                    ingressClass.put(item.key(), ic);
                }
            }
            case ENDPOINT_SLICES -> {
                if (ENDPOINT_SLICE_CONTROLLER.equals(metadata.path("labels").path(ENDPOINT_SLICE_MANAGED_BY).asText(""))) {
                    item.skipRule = "an EndpointSlice of the endpointslice controller (it makes them anew for the restored Service)";
                }
            }
            case API_SERVICES -> {
                if (metadata.path("labels").has(AUTOMANAGED_API_SERVICE)) {
                    item.skipRule = "an APIService the API server registers itself (label " + AUTOMANAGED_API_SERVICE
                            + "; as Velero's APIService action)";
                }
            }
            case IP_ADDRESSES, SERVICE_CIDRS -> item.skipRule = "an IP allocation of the source cluster's Service network"
                    + " (the target cluster allocates its own; restored, it would hold an address no Service uses)";
            case JOBS -> {
                if (!status.path("completionTime").asText("").isEmpty()) {
                    item.skipRule = "the job has completed (status.completionTime is set)";
                }
            }
            case SERVICE_ACCOUNTS -> serviceAccounts.add(item.key());
            case SECRETS -> {
                if (ItemTransforms.SERVICE_ACCOUNT_TOKEN.equals(object.path("type").asText())) {
                    tokenSecrets.put(item, metadata.path("annotations").path(SA_NAME_ANNOTATION).asText(""));
                }
            }
            case PVCS -> {
                String volume = spec.path("volumeName").asText("");
                if (!volume.isEmpty()) {
                    pvcVolume.put(item.key(), volume);
                }
            }
            case PVS -> {
                JsonNode claim = spec.path("claimRef");
                String claimKey = claim.has("name") ? claim.path("namespace").asText("") + "/" + claim.path("name").asText() : null;
                pvs.put(item.name, new PvFacts("Retain".equals(spec.path("persistentVolumeReclaimPolicy").asText()), claimKey));
            }
            case CLUSTER_ROLE_BINDINGS -> {
                List<String> sas = new ArrayList<>();
                for (JsonNode s : object.path("subjects")) {
                    if ("ServiceAccount".equals(s.path("kind").asText())) {
                        sas.add(s.path("namespace").asText("") + "/" + s.path("name").asText(""));
                    }
                }
                JsonNode roleRef = object.path("roleRef");
                String role = "ClusterRole".equals(roleRef.path("kind").asText()) ? roleRef.path("name").asText(null) : null;
                crbs.put(item.name, new CrbFacts(List.copyOf(sas), role));
            }
            default -> {
                // nothing else matters to the rules
            }
        }
    }

    /** Marks the legacy token Secrets with their skip rule, once every ServiceAccount has been observed. */
    void applyLegacyTokenRule() {
        tokenSecrets.forEach(this::legacyTokenRule);
    }

    /**
     * Velero's secret action skips a service-account token Secret named {@code <account>-token-...}
     * for an account of its namespace: the legacy token the controller made for the account (before
     * Kubernetes 1.24), which it makes again. Velero asks the target cluster for the accounts; here
     * they are those the backup holds in the namespace (restored before Secrets) and the one the
     * Secret's {@code kubernetes.io/service-account.name} annotation names.
     */
    private void legacyTokenRule(IndexedItem secret, String annotatedAccount) {
        if (!annotatedAccount.isEmpty() && secret.name.startsWith(annotatedAccount + "-token-")) {
            secret.skipRule = legacyTokenReason(annotatedAccount);
            return;
        }
        int dash = secret.name.indexOf("-token-");
        while (dash > 0) {
            String account = secret.name.substring(0, dash);
            if (serviceAccounts.contains(secret.namespace + "/" + account)) {
                secret.skipRule = legacyTokenReason(account);
                return;
            }
            dash = secret.name.indexOf("-token-", dash + 1);
        }
    }

    private static String legacyTokenReason(String account) {
        return "the legacy token Secret of ServiceAccount " + account + " (the token controller makes a new one; as Velero's secret action)";
    }
}
