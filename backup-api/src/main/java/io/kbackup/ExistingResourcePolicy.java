package io.kbackup;

/**
 * What a restore does with an object that already exists in the target cluster (Velero's
 * {@code existingResourcePolicy}). Either way the existing object is compared as Velero compares it:
 * reset as the backed-up item is (server-set metadata and status), then for equality, so keys,
 * labels and annotations only the cluster has are differences too. An equal object is left and
 * counted unchanged. A ServiceAccount is merged whatever the policy (it gains what the backup adds).
 */
public enum ExistingResourcePolicy {
    /** Leave it as it is; warn when it differs from the backup, naming the first differing field. The default. Velero: {@code none}. */
    NONE,
    /**
     * Make it equal to the backup's version: a JSON merge patch that sets what differs and removes
     * what only the cluster has; when the API server refuses it, only the restore labels are set,
     * with a warning. Velero: {@code update}.
     */
    UPDATE
}
