package io.kbackup.core.direct;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupClient;
import io.kbackup.BackupHandle;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPlan;
import io.kbackup.ClientClosedException;
import io.kbackup.RestoreHandle;
import io.kbackup.RestorePlan;
import io.kbackup.RestorePreview;
import io.kbackup.core.internal.ApiBoundary;
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
    private volatile boolean closed;

    public DirectEngine(KubernetesClient client, DirectOptions options) {
        this.client = Objects.requireNonNull(client, "client");
        this.options = Objects.requireNonNull(options, "options");
        EngineContext context = context(client, options);
        this.backups = new BackupRunner(context);
        this.catalog = new BackupCatalog(options.storageProviders(), new SnapshotCleanup(client, context.retry()),
                new BackupCatalog.UnfinishedPolicy(options.unfinishedBackupGrace(), options.clock(), backups::knownGone));
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

    /** @throws ClientClosedException when this engine was closed */
    @Override
    public BackupHandle backup(BackupPlan plan) {
        Objects.requireNonNull(plan, "plan");
        return ApiBoundary.call("backup", () -> {
            requireOpen();
            return backups.start(plan);
        });
    }

    @Override
    public List<BackupInfo> listBackups(BackupLocation location) {
        Objects.requireNonNull(location, "location");
        return ApiBoundary.call("listBackups", () -> catalog.list(location));
    }

    @Override
    public BackupInfo describeBackup(BackupLocation location, String backupName) {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(backupName, "backupName");
        return ApiBoundary.call("describeBackup", () -> catalog.describe(location, backupName));
    }

    @Override
    public void deleteBackup(BackupLocation location, String backupName) {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(backupName, "backupName");
        ApiBoundary.run("deleteBackup", () -> catalog.delete(location, backupName));
    }

    /** @throws ClientClosedException when this engine was closed */
    @Override
    public RestoreHandle restore(RestorePlan plan) {
        Objects.requireNonNull(plan, "plan");
        return ApiBoundary.call("restore", () -> {
            requireOpen();
            return restores.start(plan);
        });
    }

    /** @throws ClientClosedException when this engine was closed */
    @Override
    public RestorePreview preview(RestorePlan plan) {
        Objects.requireNonNull(plan, "plan");
        return ApiBoundary.call("preview", () -> {
            requireOpen();
            return restores.preview(plan);
        });
    }

    @Override
    public void close() {
        closed = true;
        backups.close();
        restores.close();
    }

    private void requireOpen() {
        if (closed) {
            throw new ClientClosedException("This DirectEngine is closed; make a new one with KBackup.direct(client).", null);
        }
    }
}
