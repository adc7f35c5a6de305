package io.kbackup;

/**
 * Phases of a backup ({@code status.phase} of a {@code velero.io/v1 Backup}). The constants are
 * Java-style; Velero's own names ({@code Completed}, {@code PartiallyFailed}, ...) are what is
 * written to and read from the bucket and the cluster: see {@link #veleroName()} and
 * {@link #fromVelero(String)}.
 */
public enum BackupPhase implements VeleroPhase {
    /** Created, not yet picked up. */
    NEW("New"),
    /** Queued by Velero, waiting for a free worker (Velero 1.17 and later). */
    QUEUED("Queued"),
    /** Taken off Velero's queue, about to start (Velero 1.17 and later). */
    READY_TO_START("ReadyToStart"),
    /** Refused before it started: see the backup's validation errors. Terminal. */
    FAILED_VALIDATION("FailedValidation"),
    /** Running. */
    IN_PROGRESS("InProgress"),
    /** Items are written; asynchronous plugin work (snapshot uploads, data movement) is still running. */
    WAITING_FOR_PLUGIN_OPERATIONS("WaitingForPluginOperations"),
    /** As {@link #WAITING_FOR_PLUGIN_OPERATIONS}, with some errors already. */
    WAITING_FOR_PLUGIN_OPERATIONS_PARTIALLY_FAILED("WaitingForPluginOperationsPartiallyFailed"),
    /** Plugin work has ended; the backup's files are being completed. */
    FINALIZING("Finalizing"),
    /** As {@link #FINALIZING}, with some errors. */
    FINALIZING_PARTIALLY_FAILED("FinalizingPartiallyFailed"),
    /** Ended without errors. Terminal; restorable. */
    COMPLETED("Completed"),
    /** Ended with some errors. Terminal; restorable. */
    PARTIALLY_FAILED("PartiallyFailed"),
    /** Ended failed. Terminal. */
    FAILED("Failed"),
    /** Being deleted. */
    DELETING("Deleting"),
    /**
     * A phase this version of the SDK does not know (a newer Velero's); neither terminal nor
     * restorable. {@link BackupInfo#veleroPhase()} keeps the name that was read.
     */
    UNKNOWN("Unknown");

    private final String veleroName;

    BackupPhase(String veleroName) {
        this.veleroName = veleroName;
    }

    /** The name Velero uses for this phase ({@code PartiallyFailed}), as written to {@code status.phase}. */
    @Override
    public String veleroName() {
        return veleroName;
    }

    /** Whether the backup has ended (successfully or not) and will not change phase again, deletion aside. */
    public boolean isTerminal() {
        return this == COMPLETED || this == PARTIALLY_FAILED || this == FAILED || this == FAILED_VALIDATION;
    }

    /** Whether the backup can be restored from: {@link #COMPLETED} or {@link #PARTIALLY_FAILED}. */
    public boolean isRestorable() {
        return this == COMPLETED || this == PARTIALLY_FAILED;
    }

    /**
     * The phase Velero names {@code phase} ({@code status.phase}): {@code null} or empty is
     * {@link #NEW} (Velero's default), any other name this version does not know (spelling and
     * case as Velero's) is {@link #UNKNOWN}.
     */
    public static BackupPhase fromVelero(String phase) {
        return VeleroPhase.fromVelero(BackupPhase.class, phase);
    }
}
