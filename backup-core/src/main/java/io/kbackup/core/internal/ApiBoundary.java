package io.kbackup.core.internal;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kbackup.ClientClosedException;
import io.kbackup.ClusterRefusedException;
import io.kbackup.InternalErrorException;
import io.kbackup.KBackupException;
import io.kbackup.LocalIoException;
import io.kbackup.OperationTimeoutException;
import io.kbackup.core.internal.kube.KubeRetry;
import java.io.UncheckedIOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * The engines' public methods run through here, so that every exception leaving the public API is a
 * {@link KBackupException} that says where the fault is: a refused Kubernetes request becomes a
 * {@link ClusterRefusedException}, work handed to a closed engine a {@link ClientClosedException}, a
 * failed local file an {@link LocalIoException}, an interrupted wait an
 * {@link OperationTimeoutException}, and anything else an {@link InternalErrorException}.
 */
public final class ApiBoundary {
    private ApiBoundary() {}

    /** Runs {@code body}, translating what it throws; {@code operation} names the call in messages ("backup"). */
    public static <T> T call(String operation, Supplier<T> body) {
        try {
            return body.get();
        } catch (RuntimeException e) {
            throw translate(operation, e);
        }
    }

    /** As {@link #call}, for a call without a result. */
    public static void run(String operation, Runnable body) {
        try {
            body.run();
        } catch (RuntimeException e) {
            throw translate(operation, e);
        }
    }

    /**
     * The {@link KBackupException} for a failure of {@code operation}: {@code e} itself when it is one
     * (NullPointerException and IllegalArgumentException from argument checks stay as they are too).
     */
    public static RuntimeException translate(String operation, RuntimeException e) {
        if (e instanceof KBackupException || e instanceof NullPointerException || e instanceof IllegalArgumentException) {
            return e;
        }
        KubernetesClientException refused = find(e, KubernetesClientException.class);
        if (refused != null) {
            return new ClusterRefusedException(operation + " failed: the Kubernetes API server refused or failed a request ("
                    + KubeRetry.describe(refused) + ")." + (KubeRetry.isTransient(refused) ? " Try again later." : ""),
                    refused.getCode(), e);
        }
        if (find(e, RejectedExecutionException.class) != null) {
            return new ClientClosedException(operation + " failed: this client is closed; make a new one.", e);
        }
        if (e instanceof CancellationException || find(e, InterruptedException.class) != null) {
            return new OperationTimeoutException(operation + " was interrupted before it ended (" + e.getMessage() + ").");
        }
        UncheckedIOException io = find(e, UncheckedIOException.class);
        if (io != null) {
            return new LocalIoException(operation + " failed reading or writing on this host: " + io.getMessage()
                    + ". Check free space and permissions (the restore spool is in java.io.tmpdir).", e);
        }
        return new InternalErrorException(operation + " failed unexpectedly inside kbackup: " + e
                + ". Please report this with the message.", e);
    }

    private static <X extends Throwable> X find(Throwable e, Class<X> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
