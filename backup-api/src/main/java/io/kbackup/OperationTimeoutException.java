package io.kbackup;

/**
 * A wait ran out of time, or the waiting thread was interrupted; the operation itself may still be
 * running. Retryable.
 */
public class OperationTimeoutException extends KBackupException {
    private static final long serialVersionUID = 1L;

    public OperationTimeoutException(String message) {
        super(message, true);
    }
}
