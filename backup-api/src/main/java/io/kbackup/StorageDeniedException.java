package io.kbackup;

/**
 * The storage service refused the credentials or the permission (401/403). Not retryable: fix
 * the credentials or the policy the message names.
 */
public class StorageDeniedException extends StorageException {
    private static final long serialVersionUID = 1L;

    public StorageDeniedException(String message, Throwable cause) {
        super(message, cause, false);
    }
}
