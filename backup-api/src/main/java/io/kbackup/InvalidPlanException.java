package io.kbackup;

/**
 * Bad input: a plan, location, schedule, credential or provider configuration that cannot work as
 * given. Thrown before anything is changed. Never retryable: fix the input the message names.
 */
public class InvalidPlanException extends KBackupException {
    private static final long serialVersionUID = 1L;

    public InvalidPlanException(String message) {
        super(message, false);
    }

    public InvalidPlanException(String message, Throwable cause) {
        super(message, cause, false);
    }
}
