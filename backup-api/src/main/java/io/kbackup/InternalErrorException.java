package io.kbackup;

/**
 * A failure inside the SDK that none of the other exceptions describes (a bug, or a state the SDK
 * did not expect). The message names the operation and the cause, which is attached. Not
 * retryable; please report it with the message.
 */
public class InternalErrorException extends KBackupException {
    private static final long serialVersionUID = 1L;

    public InternalErrorException(String message, Throwable cause) {
        super(message, cause, false);
    }
}
