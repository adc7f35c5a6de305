package io.kbackup.core.schedule;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/**
 * Whether this replica of a {@link BackupScheduler} runs schedules: always without leader election,
 * else while it holds the Lease ({@link LeaderSettings}), with {@code LEADER_ACQUIRED} and
 * {@code LEADER_LOST} events as that changes. Thread-safe.
 */
final class Leadership {
    private final LeaderSettings settings;
    private final SchedulerEvents events;
    private final Clock clock;
    private final Runnable beforeLeading;
    private volatile boolean leading;
    /** Guarded by {@code this}. */
    private CompletableFuture<?> election;

    /**
     * @param settings      the Lease, or null: this replica always leads
     * @param beforeLeading runs each time the Lease is won, before this replica starts leading
     */
    Leadership(LeaderSettings settings, SchedulerEvents events, Clock clock, Runnable beforeLeading) {
        this.settings = settings;
        this.events = events;
        this.clock = clock;
        this.beforeLeading = beforeLeading;
        this.leading = settings == null;
    }

    boolean leading() {
        return leading;
    }

    /** Starts the election, when there is one. */
    synchronized void start() {
        if (settings != null) {
            election = settings.start(this::acquired, this::lost);
        }
    }

    /** Gives the Lease up (releasing it), reporting the loss when this replica was leading. */
    void close() {
        CompletableFuture<?> el;
        synchronized (this) {
            el = election;
        }
        if (el != null) {
            el.cancel(true);
        }
        if (settings != null && leading) {
            leading = false;
            events.emit(SchedulerEvent.Type.LEADER_LOST, null, null, clock.instant(), "closed");
        }
    }

    private void acquired() {
        beforeLeading.run();
        leading = true;
        events.emit(SchedulerEvent.Type.LEADER_ACQUIRED, null, null, clock.instant(),
                "this replica (" + settings.identity() + ") now runs schedules");
    }

    private void lost() {
        boolean was = leading;
        leading = false;
        if (was) {
            events.emit(SchedulerEvent.Type.LEADER_LOST, null, null, clock.instant(),
                    "this replica (" + settings.identity() + ") stopped leading");
        }
    }
}
