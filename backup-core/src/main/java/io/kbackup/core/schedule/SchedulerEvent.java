package io.kbackup.core.schedule;

import java.time.Instant;
import java.util.Objects;

/**
 * Something the {@link BackupScheduler} did or saw, for a host to surface (UI, audit log,
 * metrics). Never carries credentials.
 *
 * @param type    what happened
 * @param plan    the plan's key ({@code <location>/<prefix>}), or null for scheduler-wide events
 * @param backup  the backup concerned, or null
 * @param time    when, by the scheduler's clock
 * @param message a human-readable line
 */
public record SchedulerEvent(Type type, String plan, String backup, Instant time, String message) {

    /** Kinds of event. */
    public enum Type {
        /** The next run of a plan was worked out ({@code message} says when). */
        SCHEDULED,
        /** A backup was started. */
        STARTED,
        /** A backup ended {@code Completed}. */
        COMPLETED,
        /** A backup ended otherwise ({@code PartiallyFailed}, {@code Failed}), or could not start. */
        FAILED,
        /** A run was due while the plan's previous run was still going; it waits for that run to end. */
        SKIPPED_OVERLAP,
        /** A backup was found expired (or beyond the retention count) and is being deleted. */
        EXPIRED,
        /** A backup was deleted with all its objects. */
        DELETED,
        /** A backup that would be deleted was kept by the retention policy. */
        RETAINED,
        /**
         * A backup due for deletion is under object lock ({@link io.kbackup.ObjectLock}): it is kept,
         * and a later sweep deletes it once the lock has ended ({@code message} says when).
         */
        LOCKED,
        /** This replica became the leader and runs schedules and sweeps. */
        LEADER_ACQUIRED,
        /** This replica stopped being the leader. */
        LEADER_LOST,
        /** The drill (or verify) run after a completed scheduled backup found it sound; {@code message} says what was checked. */
        DRILL_PASSED,
        /** The drill (or verify) run after a completed scheduled backup found problems, or could not run; {@code message} names them. */
        DRILL_FAILED,
        /** The scheduler itself hit an error (for example the location was unreachable); it retries next tick. */
        ERROR
    }

    public SchedulerEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return time + " " + type + (plan != null ? " plan=" + plan : "") + (backup != null ? " backup=" + backup : "") + ": " + message;
    }
}
