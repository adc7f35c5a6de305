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
     * @throws InvalidPlanException when the plan cannot run here (checked before anything is written)
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
     * @throws NotFoundException when there is no such backup
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
