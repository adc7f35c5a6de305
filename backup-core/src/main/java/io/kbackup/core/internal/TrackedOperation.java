package io.kbackup.core.internal;

import io.kbackup.BackupHandle;
import io.kbackup.BackupInfo;
import io.kbackup.BackupPhase;
import io.kbackup.OperationHandle;
import io.kbackup.OperationTimeoutException;
import io.kbackup.Progress;
import io.kbackup.RestoreHandle;
import io.kbackup.RestoreInfo;
import io.kbackup.RestorePhase;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The shared implementation of {@link OperationHandle}: the worker updates phase and counters,
 * and completes it once; callers read, await and cancel. Thread-safe.
 */
public class TrackedOperation<P, I> implements OperationHandle<P, I> {
    private final String name;
    private final AtomicReference<P> phase;
    private final AtomicLong itemsTotal = new AtomicLong();
    private final AtomicLong itemsDone = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final CompletableFuture<I> completion = new CompletableFuture<>();
    private volatile boolean cancelRequested;
    private volatile Thread worker;

    public TrackedOperation(String name, P initial) {
        this.name = name;
        this.phase = new AtomicReference<>(initial);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public P phase() {
        return phase.get();
    }

    public void phase(P p) {
        phase.set(p);
    }

    @Override
    public Progress progress() {
        return new Progress(itemsTotal.get(), itemsDone.get(), bytes.get());
    }

    public void addTotal(long n) {
        itemsTotal.addAndGet(n);
    }

    public void setTotal(long n) {
        itemsTotal.set(n);
    }

    public void addDone(long n) {
        itemsDone.addAndGet(n);
    }

    public void addBytes(long n) {
        bytes.addAndGet(n);
    }

    @Override
    public I await(Duration timeout) {
        try {
            return completion.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new OperationTimeoutException("'" + name + "' did not finish within " + timeout
                    + " (phase " + phase() + ", progress " + progress() + "); it goes on: await again or cancel().");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationTimeoutException("Interrupted while waiting for '" + name + "'.");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw ApiBoundary.translate("'" + name + "'", re);
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw ApiBoundary.translate("'" + name + "'", new IllegalStateException(cause));
        }
    }

    @Override
    public CompletableFuture<I> completion() {
        return completion.copy();
    }

    /** Called by the worker when it ends. */
    public void complete(I info) {
        completion.complete(info);
    }

    /** Called by the worker on a failure it could not turn into a result. */
    public void completeExceptionally(Throwable t) {
        completion.completeExceptionally(t);
    }

    /** Records the worker thread so that {@link #cancel()} can interrupt blocking I/O. */
    public void worker(Thread thread) {
        this.worker = thread;
    }

    @Override
    public void cancel() {
        cancelRequested = true;
        Thread t = worker;
        if (t != null && !completion.isDone()) {
            t.interrupt();
        }
    }

    /** Whether {@link #cancel()} was called. Workers check this between items. */
    public boolean cancelRequested() {
        return cancelRequested;
    }

    /** A backup's handle. */
    public static final class Backup extends TrackedOperation<BackupPhase, BackupInfo> implements BackupHandle {
        public Backup(String name) {
            super(name, BackupPhase.New);
        }
    }

    /** A restore's handle. */
    public static final class Restore extends TrackedOperation<RestorePhase, RestoreInfo> implements RestoreHandle {
        public Restore(String name) {
            super(name, RestorePhase.New);
        }
    }
}
