package io.kbackup;

/**
 * The key a backup needs is not available: its data key is wrapped by a key this client cannot use
 * (no such key provider installed, the provider does not know the key id, or it refused to unwrap),
 * or a new backup's data key could not be wrapped. Thrown before anything is applied or written.
 * Carries the provider and key id (never a key). Retryable only when the key service was
 * unreachable.
 */
public class KeyUnavailableException extends KBackupException {
    private static final long serialVersionUID = 1L;
    private final String keyProvider;
    private final String keyId;

    public KeyUnavailableException(String keyProvider, String keyId, String message, Throwable cause, boolean retryable) {
        super(message, cause, retryable);
        this.keyProvider = keyProvider;
        this.keyId = keyId;
    }

    /** The key provider id the backup names. */
    public String keyProvider() {
        return keyProvider;
    }

    /** The key id the backup names. */
    public String keyId() {
        return keyId;
    }
}
