package io.kbackup;

/**
 * The {@link BackupClient} was closed before the call (or while it was starting work). Not
 * retryable on this client: make a new one.
 */
public class ClientClosedException extends KBackupException {
    private static final long serialVersionUID = 1L;

    public ClientClosedException(String message, Throwable cause) {
        super(message, cause, false);
    }
}
