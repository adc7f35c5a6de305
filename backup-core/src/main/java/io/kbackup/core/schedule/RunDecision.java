package io.kbackup.core.schedule;

import io.kbackup.Schedule;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * Whether a plan's run is due at a tick, decided from the schedule, the plan's last run and the
 * time alone (no I/O, no clock): the last slot at or before now is due when no run of the plan
 * started at or after it.
 *
 * @param action what the tick does
 * @param slot   the slot concerned, or null with {@link Action#NONE}
 */
record RunDecision(Action action, ZonedDateTime slot) {

    /** What the tick does about the plan. */
    enum Action {
        /** Nothing is due. */
        NONE,
        /** Start a run for the slot. */
        START,
        /** The slot is due but the previous run is still going: report the overlap (once per slot) and wait. */
        REPORT_OVERLAP,
        /** The slot is due, the previous run is still going and the overlap was already reported: wait. */
        WAIT
    }

    private static final RunDecision NONE = new RunDecision(Action.NONE, null);

    /**
     * @param schedule        the plan's schedule
     * @param lastStart       the latest start of a run of the plan (from the bucket or this scheduler), or null
     * @param added           when the plan was added (the baseline before its first run)
     * @param now             the tick's time
     * @param previousRunning whether the plan's previous run is still in progress
     * @param reportedSlot    the slot an overlap was last reported for, or null
     */
    static RunDecision decide(Schedule schedule, Instant lastStart, Instant added, Instant now,
                              boolean previousRunning, Instant reportedSlot) {
        if (!schedule.isScheduled()) {
            return NONE;
        }
        Optional<ZonedDateTime> slot = schedule.lastRunAtOrBefore(now);
        Instant baseline = lastStart != null ? lastStart : added;
        if (slot.isEmpty() || !slot.get().toInstant().isAfter(baseline)) {
            return NONE;
        }
        if (previousRunning) {
            boolean reported = slot.get().toInstant().equals(reportedSlot);
            return new RunDecision(reported ? Action.WAIT : Action.REPORT_OVERLAP, slot.get());
        }
        return new RunDecision(Action.START, slot.get());
    }
}
