package io.kbackup;

/** Phases of a restore, with Velero's names ({@code status.phase} of a {@code velero.io/v1 Restore}). */
public enum RestorePhase {
    New, FailedValidation, InProgress, WaitingForPluginOperations, WaitingForPluginOperationsPartiallyFailed,
    Finalizing, FinalizingPartiallyFailed, Completed, PartiallyFailed, Failed;

    /** Whether the restore has ended and will not change phase again. */
    public boolean isTerminal() {
        return this == Completed || this == PartiallyFailed || this == Failed || this == FailedValidation;
    }

    /** Parses Velero's phase name; {@code null} or empty is {@link #New}. */
    public static RestorePhase parse(String phase) {
        if (phase == null || phase.isEmpty()) {
            return New;
        }
        return valueOf(phase);
    }
}
