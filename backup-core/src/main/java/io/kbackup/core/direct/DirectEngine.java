package io.kbackup.core.direct;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupHandle;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPlan;
import io.kbackup.ClientClosedException;
import io.kbackup.KBackupException;
import io.kbackup.RestoreHandle;
import io.kbackup.RestoreInfo;
import io.kbackup.RestorePhase;
import io.kbackup.RestorePlan;
import io.kbackup.RestorePreview;
import io.kbackup.VerifyReport;
import io.kbackup.core.internal.ApiBoundary;
import io.kbackup.core.internal.BucketReadingEngine;
import io.kbackup.core.internal.EngineContext;
import io.kbackup.core.internal.OutcomeEvents;
import io.kbackup.core.internal.backup.BackupRunner;
import io.kbackup.core.internal.catalog.BackupCatalog;
import io.kbackup.core.internal.catalog.RunRecords;
import io.kbackup.core.internal.kube.KubeRetry;
import io.kbackup.core.internal.layout.ArchiveReader;
import io.kbackup.core.internal.restore.RestoreDrill;
import io.kbackup.core.internal.restore.RestoreRunner;
import io.kbackup.core.internal.snapshot.SnapshotCleanup;
import io.kbackup.core.internal.trust.Trust;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The engine that talks to the API server itself: discovery, paged lists, filters, a
 * Velero-format archive streamed to storage; restore in Velero's order. Needs no Velero in the
 * cluster. Thread-safe; several backups and restores may run at once, each on a thread of the
 * engine's own pools ({@code kbackup-backup-N}, {@code kbackup-list-<backup>-N},
 * {@code kbackup-restore-N}; one {@code kbackup-records} timer refreshes their records).
 * {@link #close()} stops running backups and restores: they end {@code Failed}, a backup never
 * claiming to be complete, a restore leaving what it applied so far in the cluster.
 *
 * <pre>{@code
 * try (BackupClient kbackup = KBackup.direct(client)) {
 *     BackupInfo info = kbackup.backup(plan).await(Duration.ofMinutes(10));
 * }
 * }</pre>
 */
public final class DirectEngine extends BucketReadingEngine {
    private final KubernetesClient client;
    private final DirectOptions options;
    private final BackupRunner backups;
    private final RestoreRunner restores;
    private final EngineContext context;
    private volatile boolean closed;

    public DirectEngine(KubernetesClient client, DirectOptions options) {
        this(client, options, context(client, options), new AtomicReference<>());
    }

    private DirectEngine(KubernetesClient client, DirectOptions options, EngineContext context, AtomicReference<BackupRunner> runner) {
        // the catalog asks the runner (built below, it needs the listeners) which claims' runs ended here
        super(new BackupCatalog(options.storageProviders(), new SnapshotCleanup(client, context.retry()),
                        new BackupCatalog.UnfinishedPolicy(options.unfinishedBackupGrace(), options.clock(), c -> runner.get().knownGone(c))),
                options.storageProviders(), options.clock(), context.trust(), context.restore().limits());
        this.client = client;
        this.options = options;
        this.context = context;
        RunRecords records = new RunRecords(options.progressInterval());
        this.backups = new BackupRunner(context, listeners, records);
        runner.set(backups);
        this.restores = new RestoreRunner(context, listeners, records);
        if (options.eventsNamespace() != null) {
            listeners.add(new OutcomeEvents(client, options.eventsNamespace(), options.clock()));
        }
    }

    /** What the internals get of the options. */
    private static EngineContext context(KubernetesClient client, DirectOptions o) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(o, "options");
        return new EngineContext(client, o.storageProviders(), o.clock(), new KubeRetry(o.maxRetries(), o.retryBaseDelay()),
                new EngineContext.Backup(o.pageSize(), o.listConcurrency(), o.compressionLevel(), o.maintenanceLabel()),
                new EngineContext.Restore(o.restoreConcurrency(), o.crdEstablishTimeout(),
                        new ArchiveReader.Limits(o.maxEntryBytes(), o.maxObjectBytes(), o.maxArchiveBytes(), o.maxArchiveExpansion()),
                        o.requireManifest()),
                new EngineContext.Snapshots(o.snapshotMissingClassPolicy() == DirectOptions.MissingSnapshotClassPolicy.SKIP,
                        o.strictSnapshotDeletionPolicy(), o.snapshotReadyTimeout(), o.snapshotConcurrency()),
                new Trust(o.keyProviders(), o.signingKey(), o.verificationKeys(), o.requireSignature()));
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
        return whileOpen("backup", () -> backups.start(plan));
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
        return whileOpen("restore", () -> restores.start(plan));
    }

    /** @throws ClientClosedException when this engine was closed */
    @Override
    public RestorePreview preview(RestorePlan plan) {
        Objects.requireNonNull(plan, "plan");
        return whileOpen("preview", () -> restores.preview(plan));
    }

    /**
     * A restore drill: {@link #verify} the backup, then, when it passed, restore it whole into
     * {@code drillCluster} (a throwaway cluster: an embedded test cluster or a scratch real one,
     * never this engine's own) with this engine's options, and compare every restored item with
     * the backup's, field by field (fields the target adds, such as defaults and allocated IPs, are
     * allowed). The restore's own record is written to the location as any restore's. Problems of
     * the restore or the comparison are in the report.
     *
     * <pre>{@code
     * VerifyReport drill = engine.drill(location, "nightly-20261121020000", scratchClient, Duration.ofMinutes(10));
     * if (!drill.ok()) alert(drill.problems());
     * }</pre>
     *
     * @param timeout how long the restore may take
     */
    public VerifyReport drill(BackupLocation location, String backupName, KubernetesClient drillCluster, Duration timeout) {
        Objects.requireNonNull(drillCluster, "drillCluster");
        Objects.requireNonNull(timeout, "timeout");
        VerifyReport verified = verify(location, backupName);
        if (!verified.ok()) {
            return verified;
        }
        return whileOpen("drill", () -> {
            try (DirectEngine target = new DirectEngine(drillCluster, options)) {
                RestorePlan plan = RestorePlan.builder().location(location).backupName(backupName).build();
                VerifyReport.Builder report = verified.toBuilder();
                RestoreInfo restored;
                try {
                    restored = target.restore(plan).await(timeout);
                } catch (KBackupException e) {
                    return report.problem("drill: the restore failed: " + e.getMessage()).drilled(0).build();
                }
                if (restored.phase() != RestorePhase.COMPLETED) {
                    report.problem("drill: the restore ended " + restored.phase() + (restored.failureReason() != null
                            ? ": " + restored.failureReason() : "") + (restored.errors().isEmpty() ? "" : "; errors: " + restored.errors()));
                }
                return RestoreDrill.compare(target.context, plan, restored.name(), report).build();
            }
        });
    }

    /**
     * Cancels running backups (they end {@code Failed}, reason "cancelled") and interrupts running
     * restores (they end {@code Failed}; what they applied stays in the cluster); their handles
     * complete and listeners hear {@code onEnd}. Waits up to 10 seconds for backup workers to stop,
     * and stops the engine's threads. Does not close the KubernetesClient. Later calls that
     * start work throw {@link ClientClosedException}; reading the location still works.
     */
    @Override
    public void close() {
        closed = true;
        backups.close();
        restores.close();
    }

    /** Runs {@code body} as the API call {@code operation} when this engine is open; else throws {@link ClientClosedException}. */
    private <T> T whileOpen(String operation, Supplier<T> body) {
        return ApiBoundary.call(operation, () -> {
            if (closed) {
                throw new ClientClosedException("This DirectEngine is closed; make a new one with KBackup.direct(client).", null);
            }
            return body.get();
        });
    }
}
