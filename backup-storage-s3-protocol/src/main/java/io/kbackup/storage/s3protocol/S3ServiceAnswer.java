package io.kbackup.storage.s3protocol;

/**
 * An S3 error answer as the protocol has it, whichever client read it: the HTTP status, the error
 * code and message of the XML body, and the request id. Holds no request or response header, so
 * it can be printed and chained as a cause safely (a client's own exception may print the
 * request's headers, session token included).
 *
 * @param service    who answered, for messages ({@code S3}, {@code MinIO}, {@code STS})
 * @param status     the HTTP status
 * @param code       the error code, {@code ""} when the body had none
 * @param message    the service's message, or {@code null}
 * @param requestId  the request id, or {@code null}
 * @param throttling whether the client classed the answer as throttling
 */
public record S3ServiceAnswer(String service, int status, String code, String message, String requestId,
        boolean throttling) {

    public S3ServiceAnswer {
        code = code == null ? "" : code;
    }

    /** {@code S3 said: 403 AccessDenied: Access Denied, request id X}, from the service's own answer. */
    public String said() {
        return service + " said: " + status + (code.isEmpty() ? "" : " " + code)
                + (message != null && !message.isBlank() ? ": " + message : "")
                + (requestId != null && !requestId.isBlank() ? ", request id " + requestId : "");
    }

    /** Whether trying again later may succeed: throttling, 429, 5xx, or a code that says so. */
    public boolean retryable() {
        return throttling || status >= 500 || status == 429 || S3ErrorTable.RETRYABLE_CODES.contains(code);
    }

    /**
     * A printable stand-in for the client's exception, to chain as a cause: its message is
     * {@link #said()}, its stack trace the original's, its cause the original's cause when that
     * is not itself a client exception (see {@code clientType}).
     */
    public RuntimeException asCause(Throwable original, Class<?> clientType) {
        RuntimeException stand = new S3ServiceError(said());
        stand.setStackTrace(original.getStackTrace());
        Throwable c = original.getCause();
        if (c != null && c != original && !clientType.isInstance(c)) {
            stand.initCause(c);
        }
        return stand;
    }

    /** The error answer of an S3 service, chained in place of a client exception that may print secrets. */
    public static final class S3ServiceError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        S3ServiceError(String message) {
            super(message);
        }
    }
}
