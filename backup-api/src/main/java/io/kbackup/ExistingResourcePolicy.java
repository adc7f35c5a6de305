package io.kbackup;

/** What a restore does with an object that already exists in the target cluster (Velero's {@code existingResourcePolicy}). */
public enum ExistingResourcePolicy {
    /** Leave it as it is; warn when it differs from the backup. The default. Velero: {@code none}. */
    NONE,
    /** Patch it toward the backup. Velero: {@code update}. */
    UPDATE
}
