package io.kbackup.core.fleet;

/** The phase of a whole group run, from its members' phases. */
public enum GroupPhase {
    /** Some members are pending or started. */
    IN_PROGRESS,
    /** Every member completed. */
    COMPLETED,
    /** Finished; some members completed and others were skipped, partially failed or failed. */
    PARTIALLY_FAILED,
    /** Finished; no member completed (every member skipped or failed). */
    FAILED;

    /** The phase of a run whose members stand as given. */
    static GroupPhase of(Iterable<MemberPhase> members) {
        boolean any = false;
        boolean allCompleted = true;
        boolean anyGood = false;
        for (MemberPhase p : members) {
            any = true;
            if (!p.isTerminal()) {
                return IN_PROGRESS;
            }
            allCompleted &= p == MemberPhase.COMPLETED;
            anyGood |= p == MemberPhase.COMPLETED || p == MemberPhase.PARTIALLY_FAILED;
        }
        if (!any) {
            return FAILED;
        }
        return allCompleted ? COMPLETED : anyGood ? PARTIALLY_FAILED : FAILED;
    }

    /** Whether the run has ended. */
    public boolean isTerminal() {
        return this != IN_PROGRESS;
    }
}
