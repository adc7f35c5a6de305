package io.kbackup.core.internal.restore;

import io.kbackup.BackupPhase;
import io.kbackup.CorruptBackupException;
import io.kbackup.InvalidPlanException;
import io.kbackup.KBackupException;
import io.kbackup.NotFoundException;
import io.kbackup.RestoreHandle;
import io.kbackup.RestoreInfo;
import io.kbackup.RestorePhase;
import io.kbackup.RestorePlan;
import io.kbackup.RestorePreview;
import io.kbackup.core.internal.ClientListeners;
import io.kbackup.core.internal.EngineContext;
import io.kbackup.core.internal.TrackedOperation;
import io.kbackup.core.internal.catalog.RunRecords;
import io.kbackup.core.internal.layout.RestoreRecord;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs DirectEngine restores and previews.
 *
 * <p>A restore goes: (1) synchronously, in {@link #start}: the backup is opened and checked
 * ({@link RestoreSource}: {@link NotFoundException}, {@link InvalidPlanException}), and a fixed
 * restore name must be unused; then, on a worker thread: (2) the check pass ({@link ArchiveIndex}):
 * the tarball is streamed once, checked and spooled to a local temp file; any failure ends the
 * restore in phase FailedValidation, applies nothing, and makes {@code await} throw
 * {@link CorruptBackupException}; (3) one decision per item ({@link RestoreSelection}); steps 2 and
 * 3 are the {@link RestorePipeline}, which a preview builds the same way; (4) apply in Velero's
 * order ({@link TierApplier}); (5) the log, results and resource list are written under
 * {@code restores/<name>/} ({@link RestoreReport}). Items are addressed by the group, version and
 * plural the archive records, so no discovery cache has to be refreshed after the CRDs.
 */
public final class RestoreRunner implements AutoCloseable {
    private final EngineContext context;
    private final ClientListeners listeners;
    private final RunRecords records;
    private final ExecutorService workers;
    /** Names of restores running here, so that two started in the same second get different names. */
    private final Set<String> running = ConcurrentHashMap.newKeySet();

    public RestoreRunner(EngineContext context) {
        this(context, new ClientListeners(), new RunRecords(RunRecords.DEFAULT_EVERY));
    }

    /**
     * @param listeners told of each restore before it runs
     * @param records   keeps each running restore's record ({@code kbackup-restore.json}) fresh (closed with this runner)
     */
    public RestoreRunner(EngineContext context, ClientListeners listeners, RunRecords records) {
        this.context = context;
        this.listeners = listeners;
        this.records = records;
        this.workers = Executors.newCachedThreadPool(RestorePipeline.daemon("kbackup-restore-"));
    }

    /**
     * Starts a restore.
     *
     * @throws NotFoundException    when the backup is not in the location
     * @throws InvalidPlanException when the backup is not restorable (phase) or the restore name is taken
     */
    public RestoreHandle start(RestorePlan plan) {
        RestoreSource source = RestoreSource.open(context.providers(), plan, context.trust());
        try {
            Instant started = context.clock().instant();
            String name = restoreName(source, plan, started);
            TrackedOperation.Restore handle = new TrackedOperation.Restore(name);
            try {
                listeners.restoreStarted(handle, plan);
                workers.execute(() -> {
                    handle.worker(Thread.currentThread());
                    handle.phase(RestorePhase.IN_PROGRESS); // before the first record, so that it says so
                    // our record: other processes list the restore while it runs, and see its outcome after
                    RunRecords.Heartbeat record = records.start(source.storage(), source.layout().restoreRecord(name),
                            () -> new RestoreRecord(running(handle, plan, started), context.clock().instant()).toBytes());
                    try {
                        run(source, plan, handle, started, record);
                    } finally {
                        record.stop();
                        handle.worker(null);
                        Thread.interrupted();
                        source.close();
                        running.remove(name);
                    }
                });
            } catch (RuntimeException e) {
                running.remove(name);
                throw e;
            }
            return handle;
        } catch (RuntimeException e) {
            source.close();
            throw e;
        }
    }

    /**
     * What a restore would do, item by item: checks the backup as a restore does (and throws
     * {@link CorruptBackupException} if it fails), applies the filters, and looks each selected item
     * up in the cluster. Changes nothing.
     */
    public RestorePreview preview(RestorePlan plan) {
        try (RestoreSource source = RestoreSource.open(context.providers(), plan, context.trust());
                RestorePipeline pipeline = RestorePipeline.build(context, source, plan, plan.restoreNameAt(context.clock().instant()),
                        n -> { }, index -> { })) {
            LiveState live = plan.prunes() ? LiveState.list(context.client(), context.retry(), context.backup().pageSize(),
                    context.backup().listConcurrency(), plan, p -> { }) : null;
            return new RestorePreviewer(plan, pipeline, new ClusterApplier(context.client(), context.retry()),
                    context.restore().concurrency(), live).preview();
        }
    }

    @Override
    public void close() {
        workers.shutdownNow();
        records.close();
    }

    /** What the record of a running restore says. */
    private static RestoreInfo running(TrackedOperation.Restore handle, RestorePlan plan, Instant started) {
        io.kbackup.Progress p = handle.progress();
        return RestoreInfo.builder().name(handle.name()).backupName(plan.backupName()).phase(handle.phase()).started(started)
                .itemsTotal(p.itemsTotal()).itemsRestored(p.itemsDone()).namespaceMapping(plan.namespaceMapping()).build();
    }

    /** A name no restore in the location has, reserved in {@link #running} until the restore ends. */
    private String restoreName(RestoreSource source, RestorePlan plan, Instant started) {
        String name = plan.restoreNameAt(started);
        if (!source.restoreExists(name) && running.add(name)) {
            return name;
        }
        if (plan.restoreName().isPresent()) {
            throw new InvalidPlanException("A restore named '" + name + "' already exists (or is running) in location '" + plan.location().name()
                    + "'; choose another restoreName, or leave it unset for a generated one.");
        }
        for (int n = 2; ; n++) {
            String suffix = "-" + n;
            String candidate = (name.length() + suffix.length() > 63 ? name.substring(0, 63 - suffix.length()) : name) + suffix;
            if (!source.restoreExists(candidate) && running.add(candidate)) {
                return candidate;
            }
        }
    }

    private void run(RestoreSource source, RestorePlan plan, TrackedOperation.Restore handle, Instant started,
            RunRecords.Heartbeat record) {
        String name = handle.name();
        TierApplier.Counters counters = new TierApplier.Counters();
        try (RestoreReport report = new RestoreReport(name, context.clock())) {
            report.onError = handle::itemError;
            List<IndexedItem> applied = null;
            RestorePipeline pipeline = null;
            RestorePhase phase;
            String failure = null;
            KBackupException refusal = null;
            handle.phase(RestorePhase.IN_PROGRESS);
            report.info("Starting restore " + name + " of backup " + plan.backupName() + " (" + plan + ")");
            try {
                pipeline = RestorePipeline.build(context, source, plan, name, handle::addBytes, index -> checked(source, report, index));
                try (RestorePipeline p = pipeline) {
                    BindingWarnings.report(plan, p, report);
                    applied = p.selected();
                    handle.setTotal(applied.size());
                    LiveState live = null;
                    if (plan.prunes()) {
                        live = LiveState.list(context.client(), context.retry(), context.backup().pageSize(),
                                context.backup().listConcurrency(), plan,
                                problem -> report.warning(null, problem));
                        report.info("Reset: listed the selection in the cluster; only what differs from the backup is applied,"
                                + " and what the backup lacks is deleted");
                    }
                    new TierApplier(plan, p, report, handle, counters, new ClusterApplier(context.client(), context.retry()),
                            context.restore().concurrency(), context.restore().crdEstablishTimeout(), live).apply(applied);
                }
                if (handle.cancelRequested()) {
                    phase = RestorePhase.FAILED;
                    failure = "cancelled";
                } else {
                    phase = report.errorCount() > 0 ? RestorePhase.PARTIALLY_FAILED : RestorePhase.COMPLETED;
                }
            } catch (CorruptBackupException | InvalidPlanException e) {
                phase = RestorePhase.FAILED_VALIDATION;
                failure = e.getMessage();
                refusal = e;
                report.error("", e.getMessage());
            } catch (TierApplier.CancelledException | CancellationException e) {
                phase = RestorePhase.FAILED;
                failure = "cancelled";
                report.error("", "The restore was cancelled; items restored before that stay in the cluster.");
            } catch (RuntimeException e) {
                phase = RestorePhase.FAILED;
                if (handle.cancelRequested()) {
                    failure = "cancelled";
                    report.error("", "The restore was cancelled; items restored before that stay in the cluster.");
                } else {
                    failure = e.getMessage() == null ? e.toString() : e.getMessage();
                    report.error("", "The restore failed: " + failure);
                }
            }
            report.info("Restore ended in phase " + phase.veleroName() + ": " + counters);
            RestorePipeline p = pipeline;
            report.store(source.storage(), source.layout(), applied, item -> targetKey(p, item));
            RestoreInfo info = RestoreInfo.builder().name(name).backupName(plan.backupName()).phase(phase).started(started)
                    .completed(context.clock().instant()).itemsTotal(handle.progress().itemsTotal())
                    .itemsRestored(counters.created.get() + counters.updated.get() + counters.unchanged.get()).created(counters.created.get())
                    .updated(counters.updated.get()).unchanged(counters.unchanged.get()).skipped(counters.skipped.get()).failed(counters.failed.get())
                    .errors(report.firstErrors()).warnings(report.firstWarnings()).namespaceMapping(plan.namespaceMapping())
                    .failureReason(failure).build();
            record.finish(new RestoreRecord(info, context.clock().instant()).toBytes());
            handle.phase(phase);
            running.remove(name); // before completing: a caller that awaits may start the next one at once
            if (refusal != null) {
                handle.completeExceptionally(refusal);
            } else {
                handle.complete(info);
            }
        } catch (RuntimeException | Error e) {
            running.remove(name);
            record.finish(new RestoreRecord(running(handle, plan, started).toBuilder().phase(RestorePhase.FAILED)
                    .completed(context.clock().instant()).failureReason(String.valueOf(e.getMessage())).build(),
                    context.clock().instant()).toBytes());
            handle.phase(RestorePhase.FAILED);
            handle.completeExceptionally(e);
        }
    }

    /** Reports the checked archive, and warns of what the backup cannot vouch for. */
    private static void checked(RestoreSource source, RestoreReport report, ArchiveIndex index) {
        report.info("Checked the archive: " + index.items().size() + " items, " + index.compressedBytes() + " bytes, SHA-256 "
                + index.sha256() + (index.formatVersion() != null ? ", format " + index.formatVersion() : ""));
        String backup = source.backupName();
        if (!index.manifestChecked()) {
            report.warning(null, "backup " + backup + " has no integrity manifest (Velero wrote it, or the manifest was deleted):"
                    + " its archive was checked for format only, not against a checksum; set DirectOptions.requireManifest to refuse"
                    + " such backups");
        }
        source.sealed().warnings().forEach(w -> report.warning(null, w));
        if (source.sealed().encrypted()) {
            report.info("The backup is encrypted (" + source.sealed().manifest().encryption() + "); it decrypted and authenticated");
        }
        if (source.phase() == BackupPhase.PARTIALLY_FAILED) {
            List<String> errors = source.backupErrors(5);
            report.warning(null, "backup " + backup + " ended PartiallyFailed: it lacks what its errors name, and this restore"
                    + " cannot bring that back" + (errors.isEmpty() ? " (its results file lists no errors)"
                            : ": " + String.join("; ", errors)));
        }
    }

    /** {@code ns/name} or {@code name} of an applied item in the target cluster. */
    private static String targetKey(RestorePipeline pipeline, IndexedItem item) {
        String ns = pipeline.targetNamespace(item);
        return ns == null ? pipeline.targetName(item) : ns + "/" + pipeline.targetName(item);
    }
}
