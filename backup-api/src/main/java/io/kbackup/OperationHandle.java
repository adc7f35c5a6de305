package io.kbackup;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A running backup or restore. Thread-safe.
 *
 * @param <P> the phase type
 * @param <I> the details type returned when it ends
 */
public interface OperationHandle<P, I> {

    /** The operation's name (the backup's or restore's). */
    String name();

    /** The current phase. */
    P phase();

    /** Progress so far. */
    Progress progress();

    /**
     * Waits until the operation ends and returns its details, whatever the outcome (check the
     * phase: a failed backup or restore is returned, not thrown) — with one exception: a restore
     * whose backup fails the integrity checks ends {@code FailedValidation} with nothing applied,
     * and this method throws the {@link CorruptBackupException} that says what was wrong.
     *
     * @throws OperationTimeoutException when {@code timeout} passes first (the operation goes on)
     * @throws CorruptBackupException    when a restore refused a corrupt backup
     */
    I await(Duration timeout);

    /** Completes with the details when the operation ends. */
    CompletableFuture<I> completion();

    /**
     * Asks the operation to stop. A cancelled backup ends {@code Failed} with failure reason
     * "cancelled"; nothing half-written is left that claims to be complete.
     */
    void cancel();

    /**
     * Tells {@code listener} what this operation does from now on (see {@link OperationListener}
     * for threads and order). Added after the end, it is told {@code onEnd} at once, on the calling
     * thread. Adding the same listener twice has no effect.
     */
    void addListener(OperationListener<? super P, ? super I> listener);

    /** Stops telling {@code listener}; no effect when it was not added. */
    void removeListener(OperationListener<? super P, ? super I> listener);
}
