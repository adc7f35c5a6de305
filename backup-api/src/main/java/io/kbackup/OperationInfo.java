package io.kbackup;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The details {@link BackupInfo} and {@link RestoreInfo} share, as Velero's Backup and Restore
 * statuses share them: the name, the phase, when it ran, how many items and why it failed.
 *
 * @param <P> the phase type
 */
abstract class OperationInfo<P extends Enum<P> & VeleroPhase> extends ValueObject {
    private final Class<P> phases;
    private final String name;
    private final P phase;
    private final String veleroPhase;
    private final Instant started;
    private final Instant completed;
    private final long itemsTotal;
    private final String failureReason;

    OperationInfo(InfoBuilder<P, ?> b) {
        this.phases = b.phases;
        this.name = b.name;
        this.phase = b.phase;
        this.veleroPhase = b.veleroPhase;
        this.started = b.started;
        this.completed = b.completed;
        this.itemsTotal = b.itemsTotal;
        this.failureReason = b.failureReason;
    }

    /** The name. */
    public String name() {
        return name;
    }

    /** The phase; {@code UNKNOWN} for a phase this version does not know (see {@link #veleroPhase()}). */
    public P phase() {
        return phase;
    }

    /**
     * The phase as Velero names it ({@code PartiallyFailed}): {@code phase().veleroName()}, or for
     * {@code UNKNOWN} the name that was read ({@code status.phase}); null when the phase is.
     */
    public String veleroPhase() {
        return phase == VeleroPhase.unknown(phases) && veleroPhase != null ? veleroPhase : phase == null ? null : phase.veleroName();
    }

    /** When it started; may be null. */
    public Instant started() {
        return started;
    }

    /** When it ended; null while running. */
    public Instant completed() {
        return completed;
    }

    /**
     * Items it considered: for a backup the items to back up ({@code status.progress.totalItems});
     * for a restore those the plan selected, including those a rule skips (a restore's created,
     * updated, unchanged, skipped and failed counts are disjoint and add up to it when the restore
     * ran to its end).
     */
    public long itemsTotal() {
        return itemsTotal;
    }

    /** Why it failed as a whole, or null. */
    public String failureReason() {
        return failureReason;
    }

    /** This kind's own details, in a fixed order, after the shared ones in {@link #values()}. */
    abstract List<Object> details();

    @Override
    final List<Object> values() {
        List<Object> all = new ArrayList<>(Arrays.asList(name, phase, veleroPhase(), started, completed, itemsTotal, failureReason));
        all.addAll(details());
        return all;
    }

    /**
     * Builds the shared details; every setter returns the concrete builder. Not thread-safe.
     *
     * @param <P> the phase type
     * @param <B> the concrete builder
     */
    abstract static class InfoBuilder<P extends Enum<P> & VeleroPhase, B extends InfoBuilder<P, B>> {
        private final Class<P> phases;
        private String name;
        private P phase;
        private String veleroPhase;
        private Instant started;
        private Instant completed;
        private long itemsTotal;
        private String failureReason;

        InfoBuilder(Class<P> phases) {
            this.phases = phases;
        }

        @SuppressWarnings("unchecked")
        private B self() {
            return (B) this;
        }

        /** Starts from the shared details of {@code info}. */
        B from(OperationInfo<P> info) {
            this.name = info.name;
            this.phase = info.phase;
            this.veleroPhase = info.veleroPhase;
            this.started = info.started;
            this.completed = info.completed;
            this.itemsTotal = info.itemsTotal;
            this.failureReason = info.failureReason;
            return self();
        }

        /** The name. */
        public B name(String name) {
            this.name = name;
            return self();
        }

        /** The phase. */
        public B phase(P phase) {
            this.phase = phase;
            this.veleroPhase = null;
            return self();
        }

        /**
         * Sets the phase from Velero's name for it ({@code fromVelero}), keeping a name this version
         * does not know as {@code veleroPhase()}.
         */
        public B veleroPhase(String veleroPhase) {
            this.phase = VeleroPhase.fromVelero(phases, veleroPhase);
            this.veleroPhase = this.phase == VeleroPhase.unknown(phases) ? veleroPhase : null;
            return self();
        }

        /** When it started. */
        public B started(Instant started) {
            this.started = started;
            return self();
        }

        /** When it ended. */
        public B completed(Instant completed) {
            this.completed = completed;
            return self();
        }

        /** Items it considered. */
        public B itemsTotal(long itemsTotal) {
            this.itemsTotal = itemsTotal;
            return self();
        }

        /** Why it failed as a whole. */
        public B failureReason(String failureReason) {
            this.failureReason = failureReason;
            return self();
        }
    }
}
