package io.kbackup;

/**
 * Told of every backup and restore a {@link BackupClient} starts, before its worker runs, so that
 * listeners added to the handle here miss nothing. Register with
 * {@link BackupClient#addListener}; this is how optional integrations hook in (metrics in
 * {@code backup-micrometer}, Kubernetes Events). Calls come on the thread that called
 * {@code backup()} or {@code restore()}; keep them short. An exception thrown here is logged and
 * ignored.
 */
public interface ClientListener {

    /** A backup of {@code plan} was started; {@code handle} is the one {@code backup()} returns. */
    default void backupStarted(BackupHandle handle, BackupPlan plan) {}

    /** A restore of {@code plan} was started; {@code handle} is the one {@code restore()} returns. */
    default void restoreStarted(RestoreHandle handle, RestorePlan plan) {}
}
