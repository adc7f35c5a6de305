package io.kbackup.core.fleet;

/** Where one member stands in a group run. */
public enum MemberPhase {
    /** Not started yet: waiting for a free slot (the run's concurrency bound). */
    PENDING,
    /** Not run: see {@link MemberOutcome#skipReason()}. Never fails the other members. */
    SKIPPED,
    /**
     * Started and not finished. Listed after a host restart, this means the member's backup is still
     * being written elsewhere or its host stopped before it finished (no {@code velero-backup.json}).
     */
    STARTED,
    /** Finished without errors. */
    COMPLETED,
    /** Finished with some errors ({@code PartiallyFailed}). */
    PARTIALLY_FAILED,
    /** Ended failed, or was refused before anything was written. */
    FAILED;

    /** Whether nothing more will happen to the member in this run. */
    public boolean isTerminal() {
        return this == SKIPPED || this == COMPLETED || this == PARTIALLY_FAILED || this == FAILED;
    }
}
