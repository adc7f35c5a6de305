package io.kbackup;

/**
 * A storage service failed a request for a reason other than those of the subclasses (for
 * example a 5xx or throttling answer: retryable; a malformed request: not).
 */
public class StorageException extends KBackupException {
    private static final long serialVersionUID = 1L;

    public StorageException(String message, Throwable cause, boolean retryable) {
        super(message, cause, retryable);
    }
}
