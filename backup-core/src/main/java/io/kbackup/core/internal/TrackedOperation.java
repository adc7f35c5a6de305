package io.kbackup.core.internal;

import io.kbackup.BackupHandle;
import io.kbackup.BackupInfo;
import io.kbackup.BackupPhase;
import io.kbackup.KBackupException;
import io.kbackup.OperationHandle;
import io.kbackup.OperationListener;
import io.kbackup.OperationTimeoutException;
import io.kbackup.Progress;
import io.kbackup.RestoreHandle;
import io.kbackup.RestoreInfo;
import io.kbackup.RestorePhase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared implementation of {@link OperationHandle}: the worker updates phase and counters,
 * and completes it once; callers read, await and cancel. Listeners are told of phase changes,
 * progress (at most every {@link #PROGRESS_EVERY_NANOS}) and item errors as they happen, and of
 * the end once; a listener's exception is logged, never passed on. Thread-safe.
 */
public class TrackedOperation<P, I> implements OperationHandle<P, I> {
    private static final Logger LOG = LoggerFactory.getLogger(TrackedOperation.class);
    /** Progress is told to listeners at most this often (and once at the end). */
    static final long PROGRESS_EVERY_NANOS = 1_000_000_000L;

    private final String name;
    private final List<OperationListener<? super P, ? super I>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong lastProgress = new AtomicLong(System.nanoTime());
    private final Object ending = new Object();
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
        P before = phase.getAndSet(p);
        if (!p.equals(before)) {
            tell(l -> l.onPhase(name, p));
        }
    }

    @Override
    public Progress progress() {
        return new Progress(itemsTotal.get(), itemsDone.get(), bytes.get());
    }

    public void addTotal(long n) {
        itemsTotal.addAndGet(n);
        progressed();
    }

    public void setTotal(long n) {
        itemsTotal.set(n);
        progressed();
    }

    public void addDone(long n) {
        itemsDone.addAndGet(n);
        progressed();
    }

    public void addBytes(long n) {
        bytes.addAndGet(n);
        progressed();
    }

    /** One item (or resource type) failed: listeners hear of it ({@code namespace} null: cluster-scoped; "": the run). */
    public void itemError(String namespace, String message) {
        tell(l -> l.onItemError(name, namespace, message));
    }

    private void progressed() {
        if (listeners.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        long last = lastProgress.get();
        if (now - last >= PROGRESS_EVERY_NANOS && lastProgress.compareAndSet(last, now)) {
            Progress p = progress();
            tell(l -> l.onProgress(name, p));
        }
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
        end(info, null);
    }

    /** Called by the worker on a failure it could not turn into a result. */
    public void completeExceptionally(Throwable t) {
        end(null, t);
    }

    private void end(I info, Throwable t) {
        synchronized (ending) {
            if (completion.isDone()) {
                return;
            }
            Progress p = progress();
            tell(l -> l.onProgress(name, p));
            KBackupException error = t == null ? null : asKBackup(t);
            tell(l -> l.onEnd(name, info, error));
            if (t == null) {
                completion.complete(info);
            } else {
                completion.completeExceptionally(t);
            }
        }
    }

    @Override
    public void addListener(OperationListener<? super P, ? super I> listener) {
        java.util.Objects.requireNonNull(listener, "listener");
        synchronized (ending) {
            if (!completion.isDone()) {
                if (!listeners.contains(listener)) {
                    listeners.add(listener);
                }
                return;
            }
        }
        I info = completion.isCompletedExceptionally() ? null : completion.getNow(null);
        KBackupException error = info != null ? null : asKBackup(completion.handle((i, e) -> e).getNow(null));
        call(listener, l -> l.onEnd(name, info, error));
    }

    @Override
    public void removeListener(OperationListener<? super P, ? super I> listener) {
        listeners.remove(listener);
    }

    private KBackupException asKBackup(Throwable t) {
        Throwable cause = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
        if (cause instanceof KBackupException k) {
            return k;
        }
        RuntimeException translated = ApiBoundary.translate("'" + name + "'",
                cause instanceof RuntimeException re ? re : new IllegalStateException(cause));
        return translated instanceof KBackupException k ? k
                : new io.kbackup.InternalErrorException("'" + name + "' failed unexpectedly inside kbackup: " + translated, translated);
    }

    private void tell(java.util.function.Consumer<OperationListener<? super P, ? super I>> event) {
        for (OperationListener<? super P, ? super I> l : listeners) {
            call(l, event);
        }
    }

    private void call(OperationListener<? super P, ? super I> l, java.util.function.Consumer<OperationListener<? super P, ? super I>> event) {
        try {
            event.accept(l);
        } catch (RuntimeException e) {
            LOG.warn("A listener of '{}' failed (ignored): {}", name, e.toString());
        }
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

    /**
     * For the worker, between steps: ends its work when a cancel was asked for or its thread was
     * interrupted.
     *
     * @throws CancellationException with the message {@code cancelled}
     */
    public void checkCancelled() {
        if (cancelRequested || Thread.currentThread().isInterrupted()) {
            throw new CancellationException("cancelled");
        }
    }

    /** A backup's handle. */
    public static final class Backup extends TrackedOperation<BackupPhase, BackupInfo> implements BackupHandle {
        public Backup(String name) {
            super(name, BackupPhase.NEW);
        }
    }

    /** A restore's handle. */
    public static final class Restore extends TrackedOperation<RestorePhase, RestoreInfo> implements RestoreHandle {
        public Restore(String name) {
            super(name, RestorePhase.NEW);
        }
    }
}
