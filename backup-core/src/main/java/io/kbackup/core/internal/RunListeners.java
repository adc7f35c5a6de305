package io.kbackup.core.internal;

import io.kbackup.InternalErrorException;
import io.kbackup.KBackupException;
import io.kbackup.OperationListener;
import io.kbackup.Progress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners of a handle that is made of other handles (a group run): told its phases, its
 * progress (at most about once a second, and once more just before the end), its members' item
 * errors, and its end exactly once, in that order and one call at a time, as
 * {@link OperationListener} promises. A listener added after the end is told the end at once. A
 * listener that throws is logged and ignored.
 */
public final class RunListeners<P, I> {
    private static final Logger LOG = LoggerFactory.getLogger(RunListeners.class);
    private static final long PROGRESS_EVERY_NANOS = 1_000_000_000L;
    private final List<OperationListener<? super P, ? super I>> listeners = new CopyOnWriteArrayList<>();
    private final String operation;
    private final CompletableFuture<? extends I> completion;
    private long lastProgress = System.nanoTime() - PROGRESS_EVERY_NANOS;
    private boolean closed;

    public RunListeners(String operation, CompletableFuture<? extends I> completion) {
        this.operation = operation;
        this.completion = completion;
    }

    public void add(OperationListener<? super P, ? super I> listener) {
        if (listeners.contains(listener)) {
            return;
        }
        listeners.add(listener);
        completion.whenComplete((info, error) -> {
            if (listeners.remove(listener)) {
                tellEnd(listener, info, error);
            }
        });
    }

    public void remove(OperationListener<? super P, ? super I> listener) {
        listeners.remove(listener);
    }

    /** Tells the run's new phase. */
    public synchronized void phase(P phase) {
        tell("phase", l -> l.onPhase(operation, phase));
    }

    /**
     * Tells the progress unless it was told less than a second ago; {@code progress} is asked only
     * then (summing a large group's members is not free, and members report often).
     */
    public synchronized void progress(Supplier<Progress> progress) {
        long now = System.nanoTime();
        if (now - lastProgress >= PROGRESS_EVERY_NANOS && !closed && !listeners.isEmpty()) {
            lastProgress = now;
            Progress p = progress.get();
            tell("progress", l -> l.onProgress(operation, p));
        }
    }

    /** Tells one member's item error. */
    public synchronized void itemError(String namespace, String message) {
        tell("item error", l -> l.onItemError(operation, namespace, message));
    }

    /**
     * A listener for one member's handle that passes on what it tells as this run's own events:
     * its progress as the whole run's {@code progress}, its item errors with the member's name in
     * front.
     */
    public OperationListener<Object, Object> forwarder(String member, Supplier<Progress> progress) {
        return new OperationListener<>() {
            @Override
            public void onProgress(String operation, Progress memberProgress) {
                progress(progress);
            }

            @Override
            public void onItemError(String operation, String namespace, String message) {
                itemError(namespace, member + ": " + message);
            }
        };
    }

    /**
     * Tells the last progress, whenever the one before was told; afterwards phases, progress and
     * item errors are dropped (the end comes next, through the completion).
     */
    public synchronized void close(Progress last) {
        tell("progress", l -> l.onProgress(operation, last));
        closed = true;
    }

    private void tell(String what, Consumer<OperationListener<? super P, ? super I>> call) {
        if (closed) {
            return;
        }
        for (OperationListener<? super P, ? super I> l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                LOG.warn("A listener of {} failed on its {}; ignored: {}", operation, what, e.toString());
            }
        }
    }

    private void tellEnd(OperationListener<? super P, ? super I> listener, I info, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        KBackupException failure = cause == null ? null : cause instanceof KBackupException k ? k
                : new InternalErrorException(operation + " ended with an unexpected error: " + cause, cause);
        try {
            listener.onEnd(operation, failure == null ? info : null, failure);
        } catch (RuntimeException e) {
            LOG.warn("A listener of {} failed on its end; ignored: {}", operation, e.toString());
        }
    }
}
