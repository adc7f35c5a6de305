package io.kbackup;

/** Phases of a backup, with Velero's names ({@code status.phase} of a {@code velero.io/v1 Backup}). */
public enum BackupPhase {
    New, FailedValidation, InProgress, WaitingForPluginOperations, WaitingForPluginOperationsPartiallyFailed,
    Finalizing, FinalizingPartiallyFailed, Completed, PartiallyFailed, Failed, Deleting;

    /** Whether the backup has ended (successfully or not) and will not change phase again, deletion aside. */
    public boolean isTerminal() {
        return this == Completed || this == PartiallyFailed || this == Failed || this == FailedValidation;
    }

    /** Whether the backup can be restored from: {@code Completed} or {@code PartiallyFailed}. */
    public boolean isRestorable() {
        return this == Completed || this == PartiallyFailed;
    }

    /** Parses Velero's phase name; {@code null} or empty is {@link #New}. */
    public static BackupPhase parse(String phase) {
        if (phase == null || phase.isEmpty()) {
            return New;
        }
        return valueOf(phase);
    }
}
