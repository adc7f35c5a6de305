package io.kbackup.testkit.engine;

import io.kbackup.BackupClient;
import io.kbackup.BackupHandle;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.ClientListener;
import io.kbackup.NotFoundException;
import io.kbackup.OperationListener;
import io.kbackup.Progress;
import io.kbackup.ResourceEntry;
import io.kbackup.RestoreHandle;
import io.kbackup.RestoreInfo;
import io.kbackup.RestorePlan;
import io.kbackup.RestorePreview;
import io.kbackup.ResultMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A light double of a fleet member's engine, for group tests and benchmarks: a backup "runs" until
 * its delay passes on a shared timer (or until {@link #finishAll} for a gated member), then
 * completes with {@code items} items. It writes nothing; it counts how many of its backups run at
 * once across all doubles sharing {@code running}, and the peak in {@code peak}. It only backs up:
 * restores and the location reads throw {@link UnsupportedOperationException}.
 */
public final class MemberDouble implements BackupClient {
    private final List<BackupPlan> plans = new ArrayList<>();
    private final List<Handle> handles = new ArrayList<>();
    private final ScheduledExecutorService timer;
    private final Duration delay;
    private final long items;
    private final AtomicInteger running;
    private final AtomicInteger peak;

    /** {@code delay} null means gated: the backup ends only on {@link #finishAll}. */
    public MemberDouble(ScheduledExecutorService timer, Duration delay, long items, AtomicInteger running, AtomicInteger peak) {
        this.timer = timer;
        this.delay = delay;
        this.items = items;
        this.running = running;
        this.peak = peak;
    }

    /** The plans it was asked to back up, in order. */
    public synchronized List<BackupPlan> plans() {
        return List.copyOf(plans);
    }

    private final class Handle implements BackupHandle {
        final String name;
        final CompletableFuture<BackupInfo> done = new CompletableFuture<>();
        final Instant start = Instant.now();

        Handle(String name) {
            this.name = name;
        }

        void finish(BackupPhase phase) {
            if (done.isDone()) {
                return;
            }
            running.decrementAndGet();
            done.complete(BackupInfo.builder().name(name).phase(phase).started(start).completed(Instant.now())
                    .itemsTotal(items).itemsBackedUp(phase == BackupPhase.COMPLETED ? items : 0).build());
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public BackupPhase phase() {
            return done.isDone() ? done.join().phase() : BackupPhase.IN_PROGRESS;
        }

        @Override
        public Progress progress() {
            return done.isDone() ? new Progress(items, done.join().itemsBackedUp(), 0) : new Progress(items, 0, 0);
        }

        @Override
        public BackupInfo await(Duration timeout) {
            return done.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join();
        }

        @Override
        public CompletableFuture<BackupInfo> completion() {
            return done;
        }

        @Override
        public void cancel() {
            finish(BackupPhase.FAILED);
        }

        private final List<OperationListener<? super BackupPhase, ? super BackupInfo>> listeners = new CopyOnWriteArrayList<>();

        @Override
        public void addListener(OperationListener<? super BackupPhase, ? super BackupInfo> listener) {
            if (listeners.contains(listener)) {
                return;
            }
            listeners.add(listener);
            done.thenAccept(info -> {
                if (listeners.remove(listener)) {
                    listener.onEnd(name, info, null);
                }
            });
        }

        @Override
        public void removeListener(OperationListener<? super BackupPhase, ? super BackupInfo> listener) {
            listeners.remove(listener);
        }
    }

    @Override
    public synchronized BackupHandle backup(BackupPlan plan) {
        plans.add(plan);
        Handle h = new Handle(plan.backupNameAt(Instant.now()));
        handles.add(h);
        peak.accumulateAndGet(running.incrementAndGet(), Math::max);
        if (delay != null) {
            timer.schedule(() -> h.finish(BackupPhase.COMPLETED), delay.toMillis(), TimeUnit.MILLISECONDS);
        }
        return h;
    }

    /** Ends every backup still running with {@code phase}. */
    public synchronized void finishAll(BackupPhase phase) {
        handles.forEach(h -> h.finish(phase));
    }

    @Override
    public List<BackupInfo> listBackups(BackupLocation location) {
        return List.of();
    }

    @Override
    public BackupInfo describeBackup(BackupLocation location, String backupName) {
        throw new NotFoundException(backupName, "none");
    }

    @Override
    public void deleteBackup(BackupLocation location, String backupName) {
        throw new NotFoundException(backupName, "none");
    }

    @Override
    public io.kbackup.VerifyReport verify(BackupLocation location, String backupName) {
        throw new NotFoundException(backupName, "none");
    }

    @Override
    public RestoreHandle restore(RestorePlan plan) {
        throw new NotFoundException(plan.backupName(), "no backups in a member double");
    }

    @Override
    public RestorePreview preview(RestorePlan plan) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<RestoreInfo> listRestores(BackupLocation location) {
        throw new UnsupportedOperationException();
    }

    @Override
    public RestoreInfo describeRestore(BackupLocation location, String restoreName) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void backupLog(BackupLocation location, String backupName, Consumer<String> line) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void backupResults(BackupLocation location, String backupName, Consumer<ResultMessage> message) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void backupResources(BackupLocation location, String backupName, Consumer<ResourceEntry> item) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void restoreLog(BackupLocation location, String restoreName, Consumer<String> line) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void restoreResults(BackupLocation location, String restoreName, Consumer<ResultMessage> message) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void restoreResources(BackupLocation location, String restoreName, Consumer<ResourceEntry> item) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void addListener(ClientListener listener) {}

    @Override
    public void removeListener(ClientListener listener) {}

    @Override
    public void close() {}
}
