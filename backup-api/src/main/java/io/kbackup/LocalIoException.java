package io.kbackup;

/**
 * Reading or writing on this host failed: a temporary file the SDK needs (the restore spool in
 * {@code java.io.tmpdir}, a log), or encoding data in memory. Neither the cluster nor the backup
 * location is at fault; the message names the file or step. Not retryable until the cause (a full
 * disk, a missing permission) is fixed.
 */
public class LocalIoException extends KBackupException {
    private static final long serialVersionUID = 1L;

    public LocalIoException(String message, Throwable cause) {
        super(message, cause, false);
    }
}
