package io.kbackup;

/**
 * The Kubernetes API server refused or failed a request. Retryable for 429, 5xx and timeouts;
 * not for 401/403/422 and other client errors.
 */
public class ClusterRefusedException extends KBackupException {
    private static final long serialVersionUID = 1L;
    private final int statusCode;

    public ClusterRefusedException(String message, int statusCode, Throwable cause) {
        super(message, cause, statusCode == 429 || statusCode >= 500 || statusCode == 0);
        this.statusCode = statusCode;
    }

    /** The HTTP status the API server answered, or 0 when it did not answer. */
    public int statusCode() {
        return statusCode;
    }
}
