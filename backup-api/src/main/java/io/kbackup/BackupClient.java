package io.kbackup;

import java.util.List;
import java.util.function.Consumer;

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

    /**
     * The restores kept in the location ({@code restores/<name>/}), newest first, whoever ran them.
     * A restore this SDK runs is listed from its start, phase {@code InProgress} with its progress,
     * from any process that reads the location; one whose process stopped without finishing it is
     * listed {@code Failed} once its record is stale. Restores run by Velero itself are listed once
     * Velero stored their files (at their end), with the phase their results imply.
     */
    List<RestoreInfo> listRestores(BackupLocation location);

    /**
     * One restore's details, as {@link #listRestores} reads them (with its first errors and warnings).
     *
     * @throws NotFoundException when the location has nothing under {@code restores/<name>/}
     */
    RestoreInfo describeRestore(BackupLocation location, String restoreName);

    /**
     * Streams a backup's log ({@code backups/<name>/<name>-logs.gz}) to {@code line}, one call per
     * line, on the calling thread; never holds the whole log.
     *
     * @throws NotFoundException when the backup has no log in the location (none, or still running)
     */
    void backupLog(BackupLocation location, String backupName, Consumer<String> line);

    /**
     * Streams a backup's errors and warnings ({@code <name>-results.gz}), errors first.
     *
     * @throws NotFoundException when the backup has no results file in the location
     */
    void backupResults(BackupLocation location, String backupName, Consumer<ResultMessage> message);

    /**
     * Streams what a backup holds ({@code <name>-resource-list.json.gz}), item by item.
     *
     * @throws NotFoundException when the backup has no resource list in the location
     */
    void backupResources(BackupLocation location, String backupName, Consumer<ResourceEntry> item);

    /**
     * Streams a restore's log ({@code restores/<name>/restore-<name>-logs.gz}).
     *
     * @throws NotFoundException when the restore has no log in the location (none, or still running)
     */
    void restoreLog(BackupLocation location, String restoreName, Consumer<String> line);

    /**
     * Streams a restore's errors and warnings ({@code restore-<name>-results.gz}), errors first.
     *
     * @throws NotFoundException when the restore has no results file in the location
     */
    void restoreResults(BackupLocation location, String restoreName, Consumer<ResultMessage> message);

    /**
     * Streams what a restore did to each item ({@code restore-<name>-resource-list.json.gz}), with
     * the outcome Velero's word ({@code created}, {@code updated}, {@code skipped}, {@code failed}).
     *
     * @throws NotFoundException when the restore has no resource list in the location
     */
    void restoreResources(BackupLocation location, String restoreName, Consumer<ResourceEntry> item);

    /**
     * Tells {@code listener} of every backup and restore this client starts from now on (see
     * {@link ClientListener}). Adding the same listener twice has no effect.
     */
    void addListener(ClientListener listener);

    /** Stops telling {@code listener}; no effect when it was not added. */
    void removeListener(ClientListener listener);

    /**
     * Releases what this client holds (thread pools; not the KubernetesClient it was given). What
     * it does to running work depends on the engine: the DirectEngine cancels its running backups
     * and restores (they end {@code Failed}, reason "cancelled"); the VeleroEngine stops watching
     * and Velero goes on with the work.
     */
    @Override
    void close();
}
