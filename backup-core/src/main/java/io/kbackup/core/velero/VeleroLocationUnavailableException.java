package io.kbackup.core.velero;

import io.kbackup.KBackupException;

/**
 * Velero reports the BackupStorageLocation {@code Unavailable} ({@code status.phase}): its
 * server could not reach or use the bucket with the location's settings and credentials. Carries
 * the location's name and Velero's message. Retryable: Velero validates the location again
 * periodically, so a fixed bucket or credential makes it {@code Available} again.
 */
public class VeleroLocationUnavailableException extends KBackupException {
    private static final long serialVersionUID = 1L;
    private final String locationName;
    private final String veleroMessage;

    public VeleroLocationUnavailableException(String locationName, String veleroMessage, String message) {
        super(message, true);
        this.locationName = locationName;
        this.veleroMessage = veleroMessage;
    }

    /** The BackupStorageLocation's (and BackupLocation's) name. */
    public String locationName() {
        return locationName;
    }

    /** Velero's own explanation ({@code status.message}), or null when it gave none. */
    public String veleroMessage() {
        return veleroMessage;
    }
}
