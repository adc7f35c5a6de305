package io.kbackup.core.internal.backup;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cluster-scoped objects that included namespaced objects pull in (names only), as Velero's
 * backup item actions do: the PV bound to a PVC, the CRD of a custom resource, the
 * ClusterRoleBindings naming a ServiceAccount and their ClusterRoles, a pod's PriorityClass (and,
 * namespaced, the PVCs a pod mounts).
 * Filled while namespaced objects stream by; read for the cluster-scoped pass. Thread-safe.
 */
final class RelatedItems {
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
}
