package io.kbackup;

import java.util.List;

/**
 * Backs up and restores one Kubernetes cluster. The entry point of the SDK; get one from
 * {@code io.kbackup.core.KBackup} for an engine (the DirectEngine, which talks to the API server
 * itself, or the VeleroEngine, which drives a Velero server in the cluster). Both read and write
 * Velero's bucket layout, so backups from one are listed and restored by the other. Thread-safe.
 *
 * <pre>{@code
 * try (BackupClient kbackup = KBackup.direct(kubernetesClient)) {
 *     BackupInfo done = kbackup.backup(plan).await(Duration.ofMinutes(30));
 *     kbackup.restore(RestorePlan.builder().location(location).backupName(done.name()).build())
 *            .await(Duration.ofMinutes(30));
 * }
 * }</pre>
 */
public interface BackupClient extends AutoCloseable {

    /**
     * Starts a backup now (whatever the plan's schedule says).
     *
     * @throws InvalidPlanException when the plan cannot run here, or a backup of that name exists
     *         (checked before anything is written)
     * @throws BackupInProgressException when another writer (another engine, process or replica)
     *         is writing a backup of that name: the name is claimed exclusively when a backup
     *         starts, and of two writers racing on one name exactly one goes on
     */
    BackupHandle backup(BackupPlan plan);

    /** Every backup in the location, newest first, whoever wrote it. */
    List<BackupInfo> listBackups(BackupLocation location);

    /**
     * One backup's details.
     *
     * @throws NotFoundException when there is no such backup in the location
     */
    BackupInfo describeBackup(BackupLocation location, String backupName);

    /**
     * Deletes a backup and every object it has in the location (and what it made elsewhere, such
     * as volume snapshots).
     *
     * <p>A backup that is not finished (no {@code velero-backup.json}, or one whose phase is not
     * terminal) may still be being written: deleting it is refused until its leftovers are
     * reclaimable, that is older than the engine's grace period (the DirectEngine's
     * {@code unfinishedBackupGrace}, default 24 hours) or known to be left by a run of this engine
     * that has ended; then its files, interrupted uploads included, are removed.
     *
     * @throws NotFoundException when there is no such backup
     * @throws BackupInProgressException when the backup is unfinished and not yet reclaimable
     */
    void deleteBackup(BackupLocation location, String backupName);

    /**
     * Starts a restore into this client's cluster. The backup is checked before anything is
     * applied.
     *
     * @throws NotFoundException     when the backup is not in the location
     * @throws InvalidPlanException  when the plan cannot run
     */
    RestoreHandle restore(RestorePlan plan);

    /** What {@link #restore} would do, item by item; changes nothing. */
    RestorePreview preview(RestorePlan plan);

    /** Releases what this client holds (thread pools; not the KubernetesClient it was given). */
    @Override
    void close();
}
