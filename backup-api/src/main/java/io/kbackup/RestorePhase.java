package io.kbackup;

/**
 * Phases of a restore ({@code status.phase} of a {@code velero.io/v1 Restore}). The constants are
 * Java-style; Velero's own names ({@code Completed}, {@code PartiallyFailed}, ...) are what is
 * written to and read from the bucket and the cluster: see {@link #veleroName()} and
 * {@link #fromVelero(String)}.
 */
public enum RestorePhase implements VeleroPhase {
    /** Created, not yet picked up. */
    NEW("New"),
    /** Refused before it started: see the restore's validation errors. Terminal. */
    FAILED_VALIDATION("FailedValidation"),
    /** Running. */
    IN_PROGRESS("InProgress"),
    /** Items are restored; asynchronous plugin work (volume data movement) is still running. */
    WAITING_FOR_PLUGIN_OPERATIONS("WaitingForPluginOperations"),
    /** As {@link #WAITING_FOR_PLUGIN_OPERATIONS}, with some errors already. */
    WAITING_FOR_PLUGIN_OPERATIONS_PARTIALLY_FAILED("WaitingForPluginOperationsPartiallyFailed"),
    /** Plugin work has ended; the restore is being completed. */
    FINALIZING("Finalizing"),
    /** As {@link #FINALIZING}, with some errors. */
    FINALIZING_PARTIALLY_FAILED("FinalizingPartiallyFailed"),
    /** Ended without errors. Terminal. */
    COMPLETED("Completed"),
    /** Ended with some errors. Terminal. */
    PARTIALLY_FAILED("PartiallyFailed"),
    /** Ended failed. Terminal. */
    FAILED("Failed"),
    /**
     * A phase this version of the SDK does not know (a newer Velero's); not terminal.
     * {@link RestoreInfo#veleroPhase()} keeps the name that was read.
     */
    UNKNOWN("Unknown");

    private final String veleroName;

    RestorePhase(String veleroName) {
        this.veleroName = veleroName;
    }

    /** The name Velero uses for this phase ({@code PartiallyFailed}), as written to {@code status.phase}. */
    @Override
    public String veleroName() {
        return veleroName;
    }

    /** Whether the restore has ended and will not change phase again. */
    public boolean isTerminal() {
        return this == COMPLETED || this == PARTIALLY_FAILED || this == FAILED || this == FAILED_VALIDATION;
    }

    /**
     * The phase Velero names {@code phase} ({@code status.phase}): {@code null} or empty is
     * {@link #NEW} (Velero's default), any other name this version does not know (spelling and
     * case as Velero's) is {@link #UNKNOWN}.
     */
    public static RestorePhase fromVelero(String phase) {
        return VeleroPhase.fromVelero(RestorePhase.class, phase);
    }
}
