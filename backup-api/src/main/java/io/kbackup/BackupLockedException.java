package io.kbackup;

import java.time.Instant;

/**
 * A backup cannot be deleted yet: its objects are under object lock ({@link ObjectLock}) until
 * {@link #lockedUntil()}. Thrown before anything is deleted, so the backup stays whole. Delete it
 * again after that time (the scheduler's sweeps do so by themselves). Not retryable before then.
 */
public class BackupLockedException extends KBackupException {
    private static final long serialVersionUID = 1L;
    private final String backupName;
    private final Instant lockedUntil;

    public BackupLockedException(String backupName, Instant lockedUntil, String message) {
        super(message, false);
        this.backupName = backupName;
        this.lockedUntil = lockedUntil;
    }

    /** The backup that was to be deleted. */
    public String backupName() {
        return backupName;
    }

    /** When the last lock on the backup's objects ends; the backup can be deleted from then on. */
    public Instant lockedUntil() {
        return lockedUntil;
    }
}
