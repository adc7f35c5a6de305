package io.kbackup;

/**
 * The backup name is held by a backup that is still being written, by this or another process
 * (another replica, another engine sharing the location): a second backup of that name is
 * refused, and so is deleting it while it is unfinished. Carries the name. Retryable: once the
 * writer finishes the backup can be deleted; once its claim is older than the grace period (or its
 * writer is known to be gone) its leftovers can be.
 */
public class BackupInProgressException extends KBackupException {
    private static final long serialVersionUID = 1L;
    private final String name;

    public BackupInProgressException(String name, String message) {
        super(message, true);
        this.name = name;
    }

    /** The backup name concerned. */
    public String name() {
        return name;
    }
}
