package io.kbackup.core.internal.velero;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.kbackup.BackupInfo;
import io.kbackup.BackupPhase;
import io.kbackup.KBackupException;
import io.kbackup.OperationTimeoutException;
import io.kbackup.RestoreInfo;
import io.kbackup.RestorePhase;
import io.kbackup.core.internal.TrackedOperation;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds a Velero Backup's or Restore's states, as its watch delivers them, into the SDK's handle:
 * phase, progress, and the details once it ends. One small worker thread per operation waits for
 * the end, so that {@code cancel()} (which interrupts the worker) can act: a Backup or Restore that
 * Velero has not picked up yet is deleted; a Backup in progress (Velero cannot stop one) is
 * deleted through a DeleteBackupRequest as soon as it ends. Fails the handle with an
 * {@link OperationTimeoutException} when Velero does not pick the object up within the pickup
 * timeout.
 */
public final class OperationTracker {
    private static final Logger LOG = LoggerFactory.getLogger(OperationTracker.class);

    private final VeleroCluster cluster;
    private final Duration pickupTimeout;
    private final Set<TrackedOperation<?, ?>> active = ConcurrentHashMap.newKeySet();

    public OperationTracker(VeleroCluster cluster, Duration pickupTimeout) {
        this.cluster = cluster;
        this.pickupTimeout = pickupTimeout;
    }

    /** Tracks the Backup {@code handle.name()}, which exists (or is about to). */
    public void trackBackup(TrackedOperation.Backup handle, Supplier<String> backupUid) {
        String name = handle.name();
        CompletableFuture<JsonNode> end = new CompletableFuture<>();
        AtomicReference<JsonNode> last = new AtomicReference<>();
        AtomicBoolean deleteWhenDone = new AtomicBoolean();
        ResourceWatcher.Registration reg = watch(handle, VeleroKind.BACKUP, VeleroStatus::backupPhase, BackupPhase::isTerminal,
                "itemsBackedUp", last::set, end);
        start(handle, end, reg, deleteWhenDone::get, "backup", VeleroStatus::backupInfo, () -> {
            if (notStarted(handle.phase()) && cluster.delete(VeleroKind.BACKUP, name)) {
                return failedBackup(name, last.get(), "cancelled before Velero started it; the Backup object was deleted");
            }
            deleteWhenDone.set(true);
            end.thenAcceptAsync(n -> {
                if (deleteWhenDone.compareAndSet(true, false)) {
                    requestDelete(name, backupUid.get());
                }
            });
            return failedBackup(name, last.get(), "cancelled; Velero cannot stop a backup in progress, so it is deleted"
                    + " (DeleteBackupRequest) as soon as it ends");
        }, gone -> failedBackup(name, gone, "the Velero Backup object was deleted before the backup ended"));
    }

    /** Tracks the Restore {@code handle.name()}; {@code details} turns its final state into the details. */
    public void trackRestore(TrackedOperation.Restore handle, Function<JsonNode, RestoreInfo> details) {
        String name = handle.name();
        CompletableFuture<JsonNode> end = new CompletableFuture<>();
        ResourceWatcher.Registration reg = watch(handle, VeleroKind.RESTORE, VeleroStatus::restorePhase, RestorePhase::isTerminal,
                "itemsRestored", node -> { }, end);
        start(handle, end, reg, () -> false, "restore", details, () -> {
            if (handle.phase() == RestorePhase.NEW && cluster.delete(VeleroKind.RESTORE, name)) {
                RestoreInfo info = details.apply(VeleroStatus.tree(java.util.Map.of("metadata", java.util.Map.of("name", name))));
                return withRestoreFailure(info, "cancelled before Velero started it; the Restore object was deleted");
            }
            LOG.warn("Restore '{}' is already running in Velero, which cannot stop a restore; waiting for it to end", name);
            return null;
        }, last -> withRestoreFailure(details.apply(last), "the Velero Restore object was deleted before the restore ended"));
    }

    /**
     * Watches the {@code kind} object {@code handle.name()}: each state goes to {@code seen} and to
     * the handle (phase; progress from {@code status.progress.<doneField>}); {@code end} completes
     * with the first terminal state, or fails with a {@link GoneException} when the object is deleted.
     */
    private <P> ResourceWatcher.Registration watch(TrackedOperation<P, ?> handle, VeleroKind kind, Function<JsonNode, P> phaseOf,
            Predicate<P> terminal, String doneField, Consumer<JsonNode> seen, CompletableFuture<JsonNode> end) {
        AtomicLong done = new AtomicLong();
        return cluster.watcher(kind).watch(handle.name(), new ResourceWatcher.Listener() {
            @Override
            public void changed(GenericKubernetesResource resource) {
                JsonNode node = VeleroStatus.tree(resource);
                seen.accept(node);
                P phase = phaseOf.apply(node);
                progress(handle, node.path("status").path("progress"), doneField, done);
                if (!handle.completion().isDone()) {
                    handle.phase(phase);
                }
                if (terminal.test(phase)) {
                    end.complete(node);
                }
            }

            @Override
            public void deleted(GenericKubernetesResource gone) {
                end.completeExceptionally(new GoneException(VeleroStatus.tree(gone)));
            }
        });
    }

    private <P, I> void start(TrackedOperation<P, I> handle, CompletableFuture<JsonNode> end, ResourceWatcher.Registration reg,
            BooleanSupplier keepWatching, String what, Function<JsonNode, I> details, Supplier<I> onCancel, Function<JsonNode, I> onGone) {
        active.add(handle);
        handle.completion().whenComplete((i, e) -> active.remove(handle));
        Thread worker = new Thread(() -> {
            try {
                await(handle, end, what, details, onCancel, onGone);
            } catch (RuntimeException e) {
                handle.completeExceptionally(e);
            } finally {
                if (keepWatching.getAsBoolean()) {
                    end.whenComplete((n, e) -> reg.close());
                } else {
                    reg.close();
                }
            }
        }, "kbackup-velero-" + what + "-" + handle.name());
        worker.setDaemon(true);
        handle.worker(worker);
        worker.start();
    }

    private <P, I> void await(TrackedOperation<P, I> handle, CompletableFuture<JsonNode> end, String what,
            Function<JsonNode, I> details, Supplier<I> onCancel, Function<JsonNode, I> onGone) {
        long deadline = System.nanoTime() + pickupTimeout.toNanos();
        boolean cancelled = false;
        while (true) {
            try {
                if (!cancelled && isNew(handle)) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        handle.completeExceptionally(new OperationTimeoutException("Velero did not pick up " + what + " '"
                                + handle.name() + "' within " + pickupTimeout + ": is the Velero server running (deployment"
                                + " velero in namespace " + cluster.namespace() + ")? The " + what + " object stays and"
                                + " Velero carries it out when it runs."));
                        return;
                    }
                    handle.complete(details.apply(end.get(Math.min(left, TimeUnit.MILLISECONDS.toNanos(500)),
                            TimeUnit.NANOSECONDS)));
                } else {
                    handle.complete(details.apply(end.get()));
                }
                return;
            } catch (TimeoutException e) {
                // still New: look again (the phase comes from the watch; this only re-checks the pickup deadline)
            } catch (InterruptedException e) {
                if (handle.completion().isDone() || cancelled) {
                    continue;
                }
                cancelled = true;
                I result = onCancel.get();
                if (result != null) {
                    handle.complete(result);
                    return;
                }
            } catch (ExecutionException e) {
                if (e.getCause() instanceof GoneException gone) {
                    handle.complete(onGone.apply(gone.last));
                    return;
                }
                throw new IllegalStateException(e.getCause());
            } catch (CancellationException e) {
                return;
            }
        }
    }

    /**
     * Ends the handles still being tracked, with a {@link KBackupException} saying that the work
     * goes on in Velero (the engine is closing and stops watching).
     */
    public void abandonAll() {
        for (TrackedOperation<?, ?> handle : active) {
            handle.completeExceptionally(new KBackupException("The VeleroEngine was closed while '" + handle.name()
                    + "' was running; it goes on in Velero (see its " + cluster.namespace() + " objects), but this handle"
                    + " no longer follows it.", false));
        }
        active.clear();
    }

    /** Whether Velero has not started the backup yet: New, or waiting in its queue (Queued, ReadyToStart). */
    private static boolean notStarted(BackupPhase p) {
        return p == BackupPhase.NEW || p == BackupPhase.QUEUED || p == BackupPhase.READY_TO_START;
    }

    private static boolean isNew(TrackedOperation<?, ?> handle) {
        Object p = handle.phase();
        return p == BackupPhase.NEW || p == RestorePhase.NEW;
    }

    private static void progress(TrackedOperation<?, ?> handle, JsonNode progress, String doneField, AtomicLong done) {
        if (progress.isMissingNode() || progress.isNull()) {
            return;
        }
        handle.setTotal(progress.path("totalItems").asLong(0));
        long now = progress.path(doneField).asLong(0);
        long before = done.getAndSet(now);
        if (now != before) {
            handle.addDone(now - before);
        }
    }

    private void requestDelete(String backup, String uid) {
        try {
            String name = VeleroObjects.labelValue(backup + "-cancel");
            cluster.create(VeleroObjects.deleteRequest(backup, uid, name, cluster.namespace()));
            LOG.info("Backup '{}' was cancelled while Velero ran it; requested its deletion ({})", backup, name);
        } catch (RuntimeException e) {
            LOG.warn("Could not request the deletion of cancelled backup '{}': {}", backup, e.getMessage());
        }
    }

    private static BackupInfo failedBackup(String name, JsonNode last, String reason) {
        if (last == null) {
            return BackupInfo.builder().name(name).phase(BackupPhase.FAILED).failureReason(reason).build();
        }
        BackupInfo info = VeleroStatus.backupInfo(last);
        return info.toBuilder().phase(BackupPhase.FAILED).failureReason(reason).build();
    }

    private static RestoreInfo withRestoreFailure(RestoreInfo info, String reason) {
        return info.toBuilder().phase(RestorePhase.FAILED).failureReason(reason).build();
    }

    /** The object was deleted before it ended. */
    private static final class GoneException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient JsonNode last;

        GoneException(JsonNode last) {
            super(null, null, false, false);
            this.last = last;
        }
    }
}
