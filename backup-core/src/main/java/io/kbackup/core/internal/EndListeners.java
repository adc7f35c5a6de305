package io.kbackup.core.internal;

import io.kbackup.InternalErrorException;
import io.kbackup.KBackupException;
import io.kbackup.OperationListener;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners of a handle that is made of other handles (a group run, a scheduled group backup):
 * they are told its end, exactly once; phases, progress and item errors are told by the members'
 * own handles, which is where they happen.
 */
public final class EndListeners<P, I> {
    private static final Logger LOG = LoggerFactory.getLogger(EndListeners.class);
    private final List<OperationListener<? super P, ? super I>> listeners = new CopyOnWriteArrayList<>();
    private final String operation;
    private final CompletableFuture<? extends I> completion;

    public EndListeners(String operation, CompletableFuture<? extends I> completion) {
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
                tell(listener, info, error);
            }
        });
    }

    public void remove(OperationListener<? super P, ? super I> listener) {
        listeners.remove(listener);
    }

    private void tell(OperationListener<? super P, ? super I> listener, I info, Throwable error) {
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
