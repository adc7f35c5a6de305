package io.kbackup;

/** The storage endpoint could not be reached (DNS, connection refused, TLS, timeout). Retryable. */
public class StorageUnreachableException extends StorageException {
    private static final long serialVersionUID = 1L;

    public StorageUnreachableException(String message, Throwable cause) {
        super(message, cause, true);
    }
}
