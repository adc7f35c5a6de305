package io.kbackup;

/**
 * Whether cluster-scoped resources (namespaces aside) go into a backup or come back in a restore.
 * Mirrors Velero's {@code includeClusterResources}: {@code true} / unset / {@code false}.
 */
public enum ClusterWideMode {
    /** Every cluster-scoped resource, whatever namespaces are selected. Velero: {@code true}. */
    ALWAYS,
    /**
     * The default. Every cluster-scoped resource when the plan covers all namespaces; otherwise only
     * those pulled in by included items: PersistentVolumes bound to included PVCs, CRDs of included
     * custom resources, ClusterRoles and ClusterRoleBindings that bind included ServiceAccounts,
     * PriorityClasses of included pods. Velero: unset.
     */
    AUTO,
    /** No cluster-scoped resources at all, not even PersistentVolumes. Velero: {@code false}. */
    NEVER
}
