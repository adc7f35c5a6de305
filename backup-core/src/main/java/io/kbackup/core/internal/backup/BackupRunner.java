package io.kbackup.core.internal.backup;

import io.kbackup.BackupHandle;
import io.kbackup.BackupInProgressException;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.InvalidPlanException;
import io.kbackup.ObjectLock;
import io.kbackup.core.internal.ClientListeners;
import io.kbackup.core.internal.DaemonThreads;
import io.kbackup.core.internal.EngineContext;
import io.kbackup.core.internal.TrackedOperation;
import io.kbackup.core.internal.catalog.BackupProgress;
import io.kbackup.core.internal.catalog.RunRecords;
import io.kbackup.core.internal.layout.BackupClaim;
import io.kbackup.core.internal.layout.BucketLayout;
import io.kbackup.core.internal.snapshot.CsiSnapshotBackup;
import io.kbackup.core.internal.snapshot.SnapshotPreflight;
import io.kbackup.spi.StorageProvider;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

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
    private static final String HOST = hostName();

    private final Map<String, TrackedOperation.Backup> running = new ConcurrentHashMap<>();
    /** Identifies this engine in the claims it writes. */
    private final String engineId = UUID.randomUUID().toString();
    /** Claim ids of the runs of this engine that have not ended. */
    private final Set<String> runningClaims = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * @param listeners told of each backup before it runs
     * @param records   keeps each running backup's progress record fresh (closed with this runner)
     */
    public BackupRunner(EngineContext context, ClientListeners listeners, RunRecords records) {
        this.context = context;
        this.listeners = listeners;
        this.records = records;
        this.pool = Executors.newCachedThreadPool(DaemonThreads.numbered("kbackup-backup-"));
    }

    /**
     * Validates the plan, claims the name in the location ({@link NameClaim}: exclusive across
     * engines and processes) and starts.
     *
     * @throws InvalidPlanException       when the plan cannot run or a backup of that name exists (nothing has been written then)
     * @throws BackupInProgressException  when another writer holds the name (nothing has been written then)
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
        NameClaim claim = null;
        try {
            // A finished run may still be registered for a moment after its handle completed: it no
            // longer counts as running (the storage check below then says "already exists").
            if (running.compute(runKey, (k, v) -> v == null || v.completion().isDone() ? handle : v) != handle) {
                throw new BackupInProgressException(name, "A backup named '" + name + "' is already running in location '"
                        + plan.location().name() + "'; wait for it or use another name or prefix.");
            }
            registered = true;
            if (plan.location().objectLock() != ObjectLock.NONE && !storage.objectLockEnabled()) {
                throw new InvalidPlanException("Location '" + plan.location().name() + "' asks for object lock "
                        + plan.location().objectLock() + ", but bucket '" + plan.location().bucket() + "' of provider '"
                        + plan.location().provider() + "' has no object lock enabled; nothing was written. Use a bucket"
                        + " with object lock enabled, or set objectLock(NONE) on the location (validate() checks it).");
            }
            claim = NameClaim.acquire(storage, layout,
                    new BackupClaim(name, UUID.randomUUID().toString(), engineId, HOST, start), plan.location().name());
            runningClaims.add(claim.claim().claimId());
            String key = runKey;
            NameClaim held = claim;
            BackupJob job = new BackupJob(context, plan, name, start, LockedWrites.of(storage, plan, start, context.clock()),
                    handle, snapshots, claim);
            listeners.backupStarted(handle, plan);
            pool.execute(() -> {
                // the progress record: other processes list the backup while it runs (its first one
                // already says InProgress)
                handle.phase(BackupPhase.IN_PROGRESS);
                RunRecords.Heartbeat progress = records.start(storage, layout.progress(name), () -> BackupProgress.record(name,
                        plan, start, handle.phase(), handle.progress(), context.clock().instant()));
                Runnable end = ended(held, progress);
                job.beforeEnd(end); // on every end, before its handle completes; once (the finally is a safety net)
                try {
                    job.run();
                } finally {
                    end.run();
                    running.remove(key, handle);
                    storage.close();
                }
            });
            return handle;
        } catch (RuntimeException e) {
            if (registered) {
                running.remove(runKey, handle);
            }
            if (claim != null) {
                runningClaims.remove(claim.claim().claimId());
                try {
                    claim.release();
                } catch (RuntimeException ignored) {
                    // the claim stays; this engine knows the run is gone, so its deleteBackup reclaims it
                }
            }
            storage.close();
            if (e instanceof RejectedExecutionException) {
                throw new IllegalStateException("This DirectEngine is closed; make a new one with KBackup.direct(client).", e);
            }
            throw e;
        }
    }

    /**
     * What a run does once, when it ends (before its handle completes): its progress record goes
     * (when the run lost its claim, only if the record is still the one it wrote: the next writer
     * of the name may have written its own), and its claim no longer counts as running.
     */
    private Runnable ended(NameClaim held, RunRecords.Heartbeat progress) {
        AtomicBoolean once = new AtomicBoolean();
        return () -> {
            if (!once.compareAndSet(false, true)) {
                return;
            }
            boolean ours;
            try {
                ours = held.isOurs();
            } catch (RuntimeException e) {
                ours = false;
            }
            if (ours) {
                progress.remove();
            } else {
                progress.removeIfOwn();
            }
            runningClaims.remove(held.claim().claimId());
        };
    }

    /**
     * Whether the writer of {@code claim} is known to be gone: it is a run of this engine that has
     * ended (without a {@code velero-backup.json}, or the caller would not ask). Claims of other
     * engines are not known either way.
     */
    public boolean knownGone(BackupClaim claim) {
        return claim.engineId().equals(engineId) && !runningClaims.contains(claim.claimId());
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException | RuntimeException e) {
            return "unknown";
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
