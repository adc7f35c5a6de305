package io.kbackup.core.direct;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupClient;
import io.kbackup.BackupHandle;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPlan;
import io.kbackup.RestoreHandle;
import io.kbackup.RestorePlan;
import io.kbackup.RestorePreview;
import io.kbackup.core.internal.EngineContext;
import io.kbackup.core.internal.backup.BackupRunner;
import io.kbackup.core.internal.catalog.BackupCatalog;
import io.kbackup.core.internal.kube.KubeRetry;
import io.kbackup.core.internal.layout.ArchiveReader;
import io.kbackup.core.internal.restore.RestoreRunner;
import io.kbackup.core.internal.snapshot.SnapshotCleanup;
import java.util.List;
import java.util.Objects;

/**
 * The engine that talks to the API server itself: discovery, paged lists, filters, a
 * Velero-format archive streamed to storage; restore in Velero's order. Needs no Velero in the
 * cluster. Thread-safe; several backups and restores may run at once.
 *
 * <pre>{@code
 * try (BackupClient kbackup = KBackup.direct(client)) {
 *     BackupInfo info = kbackup.backup(plan).await(Duration.ofMinutes(10));
 * }
 * }</pre>
 */
public final class DirectEngine implements BackupClient {
    private final KubernetesClient client;
    private final DirectOptions options;
    private final BackupCatalog catalog;
    private final BackupRunner backups;
    private final RestoreRunner restores;

    public DirectEngine(KubernetesClient client, DirectOptions options) {
        this.client = Objects.requireNonNull(client, "client");
        this.options = Objects.requireNonNull(options, "options");
        EngineContext context = context(client, options);
        this.catalog = new BackupCatalog(options.storageProviders(), new SnapshotCleanup(client, context.retry()));
        this.backups = new BackupRunner(context);
        this.restores = new RestoreRunner(context);
    }

    /** What the internals get of the options. */
    private static EngineContext context(KubernetesClient client, DirectOptions o) {
        return new EngineContext(client, o.storageProviders(), o.clock(), new KubeRetry(o.maxRetries(), o.retryBaseDelay()),
                new EngineContext.Backup(o.pageSize(), o.listConcurrency(), o.compressionLevel(), o.maintenanceLabel()),
                new EngineContext.Restore(o.restoreConcurrency(), o.crdEstablishTimeout(),
                        new ArchiveReader.Limits(o.maxEntryBytes(), o.maxArchiveBytes())),
                new EngineContext.Snapshots(o.snapshotMissingClassPolicy() == DirectOptions.MissingSnapshotClassPolicy.SKIP,
                        o.strictSnapshotDeletionPolicy(), o.snapshotReadyTimeout(), o.snapshotConcurrency()));
    }

    /** The cluster this engine works on. */
    public KubernetesClient client() {
        return client;
    }

    /** The options it was built with. */
    public DirectOptions options() {
        return options;
    }

    @Override
    public BackupHandle backup(BackupPlan plan) {
        return backups.start(Objects.requireNonNull(plan, "plan"));
    }

    @Override
    public List<BackupInfo> listBackups(BackupLocation location) {
        return catalog.list(Objects.requireNonNull(location, "location"));
    }

    @Override
    public BackupInfo describeBackup(BackupLocation location, String backupName) {
        return catalog.describe(Objects.requireNonNull(location, "location"), Objects.requireNonNull(backupName, "backupName"));
    }

    @Override
    public void deleteBackup(BackupLocation location, String backupName) {
        catalog.delete(Objects.requireNonNull(location, "location"), Objects.requireNonNull(backupName, "backupName"));
    }

    @Override
    public RestoreHandle restore(RestorePlan plan) {
        return restores.start(Objects.requireNonNull(plan, "plan"));
    }

    @Override
    public RestorePreview preview(RestorePlan plan) {
        return restores.preview(Objects.requireNonNull(plan, "plan"));
    }

    @Override
    public void close() {
        backups.close();
        restores.close();
    }
}
