package io.kbackup.core.internal.backup;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.kbackup.core.internal.kube.ApiResource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cluster-scoped objects that included namespaced objects pull in (names only), as Velero's
 * backup item actions do: the PV bound to a PVC, the CRD of a custom resource, the
 * ClusterRoleBindings naming a ServiceAccount and their ClusterRoles, a pod's PriorityClass (and,
 * namespaced, the PVCs a pod mounts).
 * Filled while namespaced objects stream by ({@link #note}); read for the cluster-scoped pass. Thread-safe.
 */
final class RelatedItems {
    static final String CRB = "clusterrolebindings.rbac.authorization.k8s.io";
    static final String CLUSTER_ROLES = "clusterroles.rbac.authorization.k8s.io";
    static final String CRDS = "customresourcedefinitions.apiextensions.k8s.io";
    static final String PRIORITY_CLASSES = "priorityclasses.scheduling.k8s.io";

    final Set<String> persistentVolumes = ConcurrentHashMap.newKeySet();
    /** CRD names ({@code plural.group}) of included custom resources. */
    final Set<String> crds = ConcurrentHashMap.newKeySet();
    /** {@code ns/name} of included ServiceAccounts. */
    final Set<String> serviceAccounts = ConcurrentHashMap.newKeySet();
    final Set<String> clusterRoles = ConcurrentHashMap.newKeySet();
    final Set<String> priorityClasses = ConcurrentHashMap.newKeySet();
    /** {@code ns/name} of PVCs that included pods mount (recorded only with a label selector). */
    final Set<String> podClaims = ConcurrentHashMap.newKeySet();
    /** {@code ns/name} of PVCs already in the backup. */
    final Set<String> includedClaims = ConcurrentHashMap.newKeySet();

    boolean isEmpty() {
        return persistentVolumes.isEmpty() && crds.isEmpty() && serviceAccounts.isEmpty() && clusterRoles.isEmpty()
                && priorityClasses.isEmpty();
    }

    /**
     * Records what an included namespaced object pulls in.
     *
     * @param podClaimsToo whether the PVCs a pod mounts are recorded (only a label selector can leave them out)
     */
    void note(ApiResource r, GenericKubernetesResource item, boolean podClaimsToo) {
        if (!r.namespaced()) {
            return;
        }
        String gr = r.groupResource();
        String ns = item.getMetadata().getNamespace();
        switch (gr) {
            case "persistentvolumeclaims" -> {
                if (item.get("spec", "volumeName") instanceof String pv && !pv.isEmpty()) {
                    persistentVolumes.add(pv);
                }
                includedClaims.add(ns + "/" + item.getMetadata().getName());
            }
            case "pods" -> {
                if (item.get("spec", "priorityClassName") instanceof String pc && !pc.isEmpty()) {
                    priorityClasses.add(pc);
                }
                if (podClaimsToo && item.get("spec", "volumes") instanceof List<?> volumes) {
                    for (Object v : volumes) {
                        if (v instanceof Map<?, ?> volume && volume.get("persistentVolumeClaim") instanceof Map<?, ?> ref
                                && ref.get("claimName") instanceof String claim) {
                            podClaims.add(ns + "/" + claim);
                        }
                    }
                }
            }
            case "serviceaccounts" -> serviceAccounts.add(ns + "/" + item.getMetadata().getName());
            default -> {
                if (!r.group().isEmpty()) {
                    crds.add(gr);
                }
            }
        }
    }

    /** The names of related objects of a cluster-scoped resource (empty for resources nothing pulls in). */
    Set<String> namesOf(ApiResource r) {
        return switch (r.groupResource()) {
            case "persistentvolumes" -> persistentVolumes;
            case CRDS -> crds;
            case CLUSTER_ROLES -> clusterRoles;
            case PRIORITY_CLASSES -> priorityClasses;
            default -> Set.of();
        };
    }

    /** Whether a ClusterRoleBinding has an included ServiceAccount as subject. */
    boolean bindsIncludedServiceAccount(GenericKubernetesResource crb) {
        Object subjects = crb.get("subjects");
        if (!(subjects instanceof List<?> list)) {
            return false;
        }
        for (Object s : list) {
            if (s instanceof Map<?, ?> subject && "ServiceAccount".equals(subject.get("kind"))
                    && serviceAccounts.contains(subject.get("namespace") + "/" + subject.get("name"))) {
                return true;
            }
        }
        return false;
    }

    /** Records the ClusterRole an included ClusterRoleBinding refers to. */
    void noteRoleOf(GenericKubernetesResource crb) {
        if ("ClusterRole".equals(crb.get("roleRef", "kind")) && crb.get("roleRef", "name") instanceof String s) {
            clusterRoles.add(s);
        }
    }
}
