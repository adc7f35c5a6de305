package io.kbackup.core.internal.backup;

import io.kbackup.BackupHandle;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.InvalidPlanException;
import io.kbackup.core.internal.ClientListeners;
import io.kbackup.core.internal.EngineContext;
import io.kbackup.core.internal.TrackedOperation;
import io.kbackup.core.internal.catalog.BackupProgress;
import io.kbackup.core.internal.catalog.RunRecords;
import io.kbackup.core.internal.snapshot.CsiSnapshotBackup;
import io.kbackup.core.internal.snapshot.SnapshotPreflight;
import io.kbackup.core.internal.layout.BucketLayout;
import io.kbackup.spi.StorageProvider;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts DirectEngine backups: checks the plan and the location, then runs a {@link BackupJob} on
 * its own thread pool and returns the handle at once. Several backups may run at once; two with the
 * same name in the same location may not. Thread-safe.
 */
public final class BackupRunner implements AutoCloseable {
    private final EngineContext context;
    private final ClientListeners listeners;
    private final RunRecords records;
    private final ExecutorService pool;
    private final Map<String, TrackedOperation.Backup> running = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public BackupRunner(EngineContext context) {
        this(context, new ClientListeners(), new RunRecords(RunRecords.DEFAULT_EVERY));
    }

    /**
     * @param listeners told of each backup before it runs
     * @param records   keeps each running backup's progress record fresh (closed with this runner)
     */
    public BackupRunner(EngineContext context, ClientListeners listeners, RunRecords records) {
        this.context = context;
        this.listeners = listeners;
        this.records = records;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "kbackup-backup-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Validates the plan, checks that no backup of that name exists in the location, and starts.
     *
     * @throws InvalidPlanException when the plan cannot run (nothing has been written then)
     */
    public BackupHandle start(BackupPlan plan) {
        if (closed) {
            throw new IllegalStateException("This DirectEngine is closed; make a new one with KBackup.direct(client).");
        }
        Instant start = context.clock().instant();
        String name = plan.backupNameAt(start);
        // include all disks: the CSI snapshot pre-flight, which creates nothing
        CsiSnapshotBackup snapshots = plan.includeAllDisks()
                ? SnapshotPreflight.check(context, name, new SnapshotScope(plan, context)) : null;
        StorageProvider storage = context.providers().open(plan.location());
        BucketLayout layout = new BucketLayout(plan.location());
        String runKey = plan.location().provider() + "|" + plan.location().bucket() + "|" + layout.backupDir(name);
        TrackedOperation.Backup handle = new TrackedOperation.Backup(name);
        boolean registered = false;
        try {
            // A finished run may still be registered for a moment after its handle completed: it no
            // longer counts as running (the storage check below then says "already exists").
            if (running.compute(runKey, (k, v) -> v == null || v.completion().isDone() ? handle : v) != handle) {
                throw new InvalidPlanException("A backup named '" + name + "' is already running in location '"
                        + plan.location().name() + "'; wait for it or use another name or prefix.");
            }
            registered = true;
            if (!storage.list(layout.backupDir(name), null, null, 1).blobs().isEmpty()) {
                throw new InvalidPlanException("A backup named '" + name + "' already exists in location '"
                        + plan.location().name() + "'; choose another name or prefix, or delete that backup first.");
            }
            String key = runKey;
            BackupJob job = new BackupJob(context, plan, name, start, storage, handle, snapshots);
            listeners.backupStarted(handle, plan);
            pool.execute(() -> {
                // the progress record: other processes list the backup while it runs (its first one
                // already says InProgress)
                handle.phase(BackupPhase.InProgress);
                RunRecords.Heartbeat progress = records.start(storage, layout.progress(name), () -> BackupProgress.record(name,
                        plan, start, handle.phase(), handle.progress(), context.clock().instant()));
                job.beforeEnd(progress::remove); // the job runs it on every end, before its handle completes
                try {
                    job.run();
                } finally {
                    running.remove(key, handle);
                    storage.close();
                }
            });
            return handle;
        } catch (RuntimeException e) {
            if (registered) {
                running.remove(runKey, handle);
            }
            storage.close();
            if (e instanceof RejectedExecutionException) {
                throw new IllegalStateException("This DirectEngine is closed; make a new one with KBackup.direct(client).", e);
            }
            throw e;
        }
    }

    /** Cancels running backups (they end Failed, "cancelled") and stops the pool. */
    @Override
    public void close() {
        closed = true;
        running.values().forEach(TrackedOperation::cancel);
        pool.shutdown();
        try {
            if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
        records.close();
    }
}
