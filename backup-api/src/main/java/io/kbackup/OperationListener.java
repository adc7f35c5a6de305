package io.kbackup;

/**
 * Told what a running backup or restore does, as it happens: register one on a handle with
 * {@link OperationHandle#addListener}, or on every operation of a client with a
 * {@link ClientListener}. Every method has an empty default; implement the ones you need.
 *
 * <p>Calls come on the operation's worker thread (or the engine's watch thread for the
 * VeleroEngine), one at a time per operation and in order: phase changes, progress, item errors,
 * then {@link #onEnd} exactly once. Keep them short and non-blocking (hand slow work to your own
 * executor): the operation waits for them. An exception thrown by a listener is logged (logger
 * {@code io.kbackup.core.internal.TrackedOperation}, WARN) and does not affect the operation.
 *
 * @param <P> the phase type ({@link BackupPhase} or {@link RestorePhase})
 * @param <I> the details type ({@link BackupInfo} or {@link RestoreInfo})
 */
public interface OperationListener<P, I> {

    /** The operation entered {@code phase}. */
    default void onPhase(String operation, P phase) {}

    /**
     * Progress so far: at most about once a second while items move, and once more just before
     * {@link #onEnd}.
     */
    default void onProgress(String operation, Progress progress) {}

    /**
     * One item (or one resource type) failed; the message is also in the operation's results.
     *
     * @param namespace the item's namespace, null for a cluster-scoped item, empty for the run itself
     */
    default void onItemError(String operation, String namespace, String message) {}

    /**
     * The operation ended. Exactly one of {@code info} (what {@link OperationHandle#await} returns,
     * whatever the phase) and {@code error} (what {@code await} throws) is non-null.
     */
    default void onEnd(String operation, I info, KBackupException error) {}
}
