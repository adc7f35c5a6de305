package io.kbackup.core.schedule;

import io.kbackup.BackupHandle;
import io.kbackup.BackupPlan;
import io.kbackup.core.fleet.ClusterGroup;
import java.time.Instant;

/**
 * A plan added to a {@link BackupScheduler} and what the scheduler knows of its runs. The run
 * state is read and written by ticks only (one at a time); {@link #loaded} is also cleared when
 * this replica becomes leader.
 */
final class PlanState {
    final String key;
    final String prefix;
    final BackupPlan plan;
    final RetentionPolicy retention;
    final Instant added;
    final PlanHistory history;
    /** The group the plan runs on, or null for a plan of the scheduler's own client. */
    final ClusterGroup group;

    /** The latest start of a run of the plan, from the bucket or this scheduler; null when none. */
    Instant lastStart;
    /** Whether {@link #lastStart} was read from the bucket since this replica last became leader. */
    volatile boolean loaded;
    /** The run this scheduler started last, or null. */
    BackupHandle inFlight;
    /** The slot an overlap was last reported for, or null. */
    Instant reportedSlot;

    PlanState(String key, String prefix, BackupPlan plan, RetentionPolicy retention, Instant added) {
        this(key, prefix, plan, retention, added, null);
    }

    PlanState(String key, String prefix, BackupPlan plan, RetentionPolicy retention, Instant added, ClusterGroup group) {
        this.group = group;
        this.key = key;
        this.prefix = prefix;
        this.plan = plan;
        this.retention = retention;
        this.added = added;
        this.history = new PlanHistory(prefix);
    }

    /** The run still in progress, if any. */
    BackupHandle running() {
        return inFlight != null && !inFlight.completion().isDone() ? inFlight : null;
    }
}
