package io.kbackup;

/**
 * Root of every exception the kbackup SDK throws. Unchecked.
 *
 * <p>Subclasses say where the fault is; {@link #retryable()} says whether trying the same call
 * again later can succeed (a throttled or unreachable storage service: yes; a refused credential
 * or an invalid plan: no). Messages say what was wrong and what to do, and never contain a secret.
 */
public class KBackupException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final boolean retryable;

    public KBackupException(String message, boolean retryable) {
        this(message, null, retryable);
    }

    public KBackupException(String message, Throwable cause, boolean retryable) {
        super(message, cause);
        this.retryable = retryable;
    }

    /** Whether the same call may succeed if tried again later, unchanged. */
    public boolean retryable() {
        return retryable;
    }
}
