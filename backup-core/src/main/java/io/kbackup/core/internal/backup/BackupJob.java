package io.kbackup.core.internal.backup;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kbackup.BackupInfo;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.KBackupException;
import io.kbackup.core.internal.DaemonThreads;
import io.kbackup.core.internal.EngineContext;
import io.kbackup.core.internal.TrackedOperation;
import io.kbackup.core.internal.kube.ApiResource;
import io.kbackup.core.internal.kube.Discovery;
import io.kbackup.core.internal.layout.ArchiveOutput;
import io.kbackup.core.internal.layout.BackupManifest;
import io.kbackup.core.internal.layout.BucketLayout;
import io.kbackup.core.internal.layout.GzipJson;
import io.kbackup.core.internal.layout.ResourceList;
import io.kbackup.core.internal.snapshot.CsiSnapshotBackup;
import io.kbackup.core.internal.trust.Trust;
import io.kbackup.spi.BlobWriter;
import io.kbackup.spi.StorageProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One DirectEngine backup run: discovery, paged lists on {@code listConcurrency} threads feeding a
 * bounded queue, one writer (this thread) streaming tar + gzip into the storage's
 * {@link BlobWriter}, then the side files, the manifest and, last, {@code velero-backup.json}. The
 * listing and writing of items, and their order, is the {@link ResourceCollector}'s.
 *
 * <p>Outcome: {@code Completed}; {@code PartiallyFailed} when single items or single resource
 * types failed (each an error in the results); {@code Failed} when discovery, the storage or the
 * run itself failed, or on cancel (reason {@code cancelled}). A failed run aborts the tarball
 * upload and still writes {@code velero-backup.json} with phase {@code Failed}, so it never claims
 * to be complete. A run that lost its {@link NameClaim} (its leftovers were reclaimed as stale and
 * the name claimed again) ends {@code Failed} and writes nothing more, no {@code velero-backup.json}.
 */
final class BackupJob implements Runnable {
    private final EngineContext context;
    private final KubernetesClient client;
    private final BackupPlan plan;
    private final String name;
    private final Instant start;
    private final StorageProvider storage;
    private final BucketLayout layout;
    private final TrackedOperation.Backup handle;
    private final BackupReport report;
    private final ResourceList resourceList = new ResourceList();
    private final ResourceCollector collector;
    /** Include all disks: the CSI snapshots to take, or null. */
    private final CsiSnapshotBackup snapshots;
    /** The run's hold on its name, checked before the tarball is committed and by {@link BackupMetadata}. */
    private final NameClaim claim;

    BackupJob(EngineContext context, BackupPlan plan, String name, Instant start, StorageProvider storage,
            TrackedOperation.Backup handle, CsiSnapshotBackup snapshots, NameClaim claim) {
        this.context = context;
        this.claim = claim;
        this.client = context.client();
        this.snapshots = snapshots;
        this.plan = plan;
        this.name = name;
        this.start = start;
        this.storage = storage;
        this.layout = new BucketLayout(plan.location());
        this.handle = handle;
        this.report = new BackupReport(name, context.clock());
        this.report.onError = handle::itemError;
        this.collector = new ResourceCollector(context, plan, name, handle, report, resourceList, snapshots);
    }

    /** Run after the backup's final documents are written and before its handle completes. */
    private Runnable beforeEnd = () -> { };

    /**
     * What to do once the final documents are written, before the caller hears of the end (the
     * runner removes the backup's progress record there, so none is left when {@code await} returns).
     */
    void beforeEnd(Runnable action) {
        this.beforeEnd = action;
    }

    @Override
    public void run() {
        handle.worker(Thread.currentThread());
        BackupPhase phase;
        String failure = null;
        BlobWriter tarWriter = null;
        BackupManifest manifest = null;
        Trust.Sealing sealing = null;
        ExecutorService listers = null;
        long itemsBackedUp = 0;
        try {
            handle.checkCancelled();
            handle.phase(BackupPhase.IN_PROGRESS);
            report.info("Starting backup " + name + " to location " + plan.location().name() + ": " + plan);
            List<ApiResource> resources = new Discovery(client, context.retry()).preferredResources(report::veleroWarning);
            if (snapshots != null) {
                snapshots.take(report, handle::cancelRequested);
            }
            handle.checkCancelled();
            sealing = context.trust().seal(plan.location(), name);
            if (sealing != null) {
                report.info("Encrypting the backup (" + sealing.encrypted() + "): only kbackup restores it");
            }
            tarWriter = storage.openWriter(layout.tarball(name));
            Trust.Sealing seal = sealing;
            ArchiveOutput archive = new ArchiveOutput(tarWriter, start, context.backup().compressionLevel(),
                    seal == null ? null : stored -> seal.cipher().encrypting(stored, name + ".tar.gz"));
            listers = Executors.newFixedThreadPool(context.backup().listConcurrency(), DaemonThreads.numbered("kbackup-list-" + name + "-"));
            collector.collect(resources, archive, listers);
            collector.writeSnapshotItems(archive);
            handle.checkCancelled();
            archive.finish();
            itemsBackedUp = archive.items();
            handle.checkCancelled();
            BackupMetadata.requireClaim(claim, name);
            tarWriter.commit();
            handle.addBytes(archive.bytes() - handle.progress().bytes());
            manifest = BackupManifest.of(name, archive, context.clock().instant());
            phase = report.results.errorCount() > 0 ? BackupPhase.PARTIALLY_FAILED : BackupPhase.COMPLETED;
        } catch (Throwable e) {
            phase = BackupPhase.FAILED;
            failure = handle.cancelRequested() ? "cancelled" : BackupReport.failureReason(e);
            report.log.error("Backup failed: " + failure);
            if (!handle.cancelRequested() && !(e instanceof KBackupException || e instanceof IOException
                    || e instanceof UncheckedIOException || e instanceof KubernetesClientException)) {
                org.slf4j.LoggerFactory.getLogger(BackupJob.class).error("Backup {} failed unexpectedly", name, e);
            }
        } finally {
            if (listers != null) {
                listers.shutdownNow();
            }
            if (tarWriter != null && !tarWriter.committed()) {
                try {
                    tarWriter.abort();
                } catch (IOException | RuntimeException ignored) {
                    // the upload is abandoned either way
                }
            }
        }
        // From here on nothing should interrupt the metadata writes.
        handle.worker(null);
        Thread.interrupted();
        try {
            BackupMetadata.Outcome outcome = new BackupMetadata.Outcome(phase, failure, manifest, handle.progress().itemsTotal(),
                    itemsBackedUp, snapshots != null ? snapshots.volumeInfo() : GzipJson.MAPPER.createArrayNode(),
                    snapshots != null ? snapshots.attempted() : 0, snapshots != null ? snapshots.completed() : 0);
            BackupInfo info = new BackupMetadata(client, storage, plan, name, start, report, resourceList, claim, context.trust(), sealing)
                    .write(outcome, context.clock().instant());
            beforeEnd.run();
            handle.phase(info.phase());
            handle.complete(info);
        } catch (Throwable e) {
            beforeEnd.run();
            handle.phase(BackupPhase.FAILED);
            handle.completeExceptionally(e);
        }
    }
}
