package io.kbackup;

/**
 * A backup in a location failed an integrity or format check (checksum mismatch, unsafe archive
 * path, oversized entry, unparsable item). Nothing was applied. Not retryable.
 */
public class CorruptBackupException extends KBackupException {
    private static final long serialVersionUID = 1L;
    private final String backupName;

    public CorruptBackupException(String backupName, String message) {
        this(backupName, message, null);
    }

    public CorruptBackupException(String backupName, String message, Throwable cause) {
        super(message, cause, false);
        this.backupName = backupName;
    }

    /** The backup that failed the check. */
    public String backupName() {
        return backupName;
    }
}
