package io.kbackup.core.schedule;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupClient;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPlan;
import io.kbackup.InvalidPlanException;
import io.kbackup.KBackupException;
import io.kbackup.VerifyReport;
import io.kbackup.core.direct.DirectEngine;
import io.kbackup.core.fleet.ClusterGroup;
import io.kbackup.core.internal.DaemonThreads;
import io.kbackup.core.internal.catalog.BackupCatalog;
import io.kbackup.core.velero.VeleroEngine;
import io.kbackup.spi.StorageProviders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs scheduled backups and expiry sweeps for the plans it is given. A host application makes
 * one, adds plans and starts it; with several replicas of the host, give each the same
 * {@link Builder#leaderElection leader election} settings and exactly one of them (the holder of a
 * Kubernetes Lease) runs schedules and sweeps, another taking over when it goes away.
 *
 * <pre>{@code
 * BackupScheduler scheduler = BackupScheduler.builder()
 *         .backupClient(KBackup.direct(k8s))
 *         .leaderElection(k8s, "platform", "kbackup-scheduler", podName)   // optional
 *         .listener(event -> log.info("{}", event))
 *         .build();
 * scheduler.add(BackupPlan.builder().prefix("nightly").location(location)
 *         .schedule(Schedule.cron("0 2 * * *")).expiry(Duration.ofDays(7)).build(),
 *         RetentionPolicy.expiryOnly().keepNewestGood(true));
 * scheduler.start();
 * ...
 * scheduler.close();
 * }</pre>
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li>Each tick ({@link Builder#tick}, default 15 s) looks at the last slot of each plan's
 *       schedule at or before now. It is due when no backup of the plan started at or after it.
 *       So after downtime a missed run happens once, not once per missed slot; and a plan's first
 *       run is its first slot after it was added (as a Velero Schedule).</li>
 *   <li>The scheduler's memory is the bucket: the last start of a plan is read from its backups in
 *       the location (named {@code <prefix>-<yyyyMMddHHmmss>}), when a plan is added and whenever
 *       this replica becomes leader. A restarted host neither forgets nor repeats a run.</li>
 *   <li>Never two runs of one plan at once: a slot that comes while the previous run is still going
 *       is reported ({@link SchedulerEvent.Type#SKIPPED_OVERLAP}) and runs once that run ends.</li>
 *   <li>A run that fails to start or ends failed counts as the slot's run; the next slot runs as
 *       usual.</li>
 *   <li>Sweeps ({@link Builder#sweepInterval}, default 1 min) delete the plan's finished backups
 *       whose expiry has passed, and those beyond {@link RetentionPolicy#keepLast}, except what the
 *       {@link RetentionPolicy} keeps; never a backup still in progress, never one not yet expired
 *       unless keepLast asks for it. Backups that belong to no plan added here are left alone.</li>
 *   <li>Sweeps also remove the leftovers of the plans' runs that never finished (a process killed
 *       mid-backup leaves a folder without {@code velero-backup.json} and unfinished uploads) once
 *       they are older than {@link Builder#unfinishedGrace} (default 24 hours).</li>
 * </ul>
 * Thread-safe: ticks and sweeps run one at a time, and the bucket I/O they do (listing, starting
 * runs, deleting) happens outside the lock that {@link #add}, {@link #remove}, {@link #plans},
 * {@link #nextRun}, {@link #close} and the leader-election callbacks take, so none of those waits
 * for a slow bucket. Time comes from the {@link Builder#clock clock}, so tests drive it.
 */
public final class BackupScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BackupScheduler.class);

    private final Clock clock;
    private final Duration tick;
    private final Duration sweepInterval;
    private final SchedulerEvents events;
    private final PlanRuns runs;
    private final ScheduledPlans plans;
    private final Leadership leadership;

    /** Serialises ticks and sweeps; held during their bucket I/O, unlike the monitor of {@code this}. */
    private final Object tickLock = new Object();
    /** Guarded by {@code tickLock}. */
    private Instant lastSweep;

    /** Guarded by {@code this}, as is {@link #closed}. */
    private ScheduledExecutorService loop;
    private boolean closed;

    private BackupScheduler(Builder b) {
        this.clock = b.clock;
        this.tick = b.tick;
        this.sweepInterval = b.sweepInterval;
        this.events = new SchedulerEvents(b.listeners);
        this.plans = new ScheduledPlans(b.backups != null);
        this.runs = new PlanRuns(b.backups, b.clock, events, plans::contains, new BackupCatalog(storageProviders(b)),
                b.unfinishedGrace, b.drill);
        // another replica may have run backups while this one did not lead: read the bucket again
        this.leadership = new Leadership(b.leader, events, b.clock, plans::forgetLastStarts);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Where the locations' storage providers come from: the builder's, else the engine's, else the class path's. */
    private static StorageProviders storageProviders(Builder b) {
        if (b.storageProviders != null) {
            return b.storageProviders;
        }
        if (b.backups instanceof DirectEngine direct) {
            return direct.options().storageProviders();
        }
        if (b.backups instanceof VeleroEngine velero) {
            return velero.options().storageProviders();
        }
        return StorageProviders.discover();
    }

    /** Adds a plan with {@link RetentionPolicy#expiryOnly()}; see {@link #add(BackupPlan, RetentionPolicy)}. */
    public String add(BackupPlan plan) {
        return add(plan, RetentionPolicy.expiryOnly());
    }

    /**
     * Adds a plan. The plan must have a {@link BackupPlan#prefix() prefix}: its backups are found in
     * the bucket by it.
     *
     * @return the plan's key, {@code <location name>/<prefix>}, used in events and by {@link #remove}
     * @throws InvalidPlanException when the plan has no prefix or a plan with the same key exists
     */
    public String add(BackupPlan plan, RetentionPolicy retention) {
        return add(plan, retention, null);
    }

    /** Adds a group plan with {@link RetentionPolicy#expiryOnly()}; see {@link #addGroup(ClusterGroup, BackupPlan, RetentionPolicy)}. */
    public String addGroup(ClusterGroup group, BackupPlan plan) {
        return addGroup(group, plan, RetentionPolicy.expiryOnly());
    }

    /**
     * Adds a plan that runs on every member of a group ({@link ClusterGroup#backup(BackupPlan)}), each
     * member's backups in its own folder of the plan's (shared) location. The semantics are those of
     * a single plan, for the group as a whole: one leader starts the group run of a slot exactly once,
     * also after restarts (the last start is read from the members' group-run records); a slot that
     * comes while the group's previous run is still going waits for it. Expiry and the retention
     * policy apply per member, to that member's own backups of the plan; records of members that
     * were skipped go when their run expires. Members added to or removed from the group later are
     * covered from the next run.
     *
     * @return the plan's key, {@code group:<group>/<location name>/<prefix>}
     * @throws InvalidPlanException when the plan has no prefix or a plan with the same key exists
     */
    public String addGroup(ClusterGroup group, BackupPlan plan, RetentionPolicy retention) {
        Objects.requireNonNull(group, "group");
        return add(plan, retention, group);
    }

    private String add(BackupPlan plan, RetentionPolicy retention, ClusterGroup group) {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(retention, "retention");
        PlanState e = plans.add(plan, retention, group, clock.instant());
        runs.announceNext(e, clock.instant());
        return e.key;
    }

    /** Stops scheduling a plan (a run in progress goes on). Returns whether it was there. */
    public boolean remove(String key) {
        return plans.remove(key);
    }

    /** The keys of the plans added. */
    public Set<String> plans() {
        return plans.keys();
    }

    /** The next run of a plan after now, if it has one. */
    public Optional<ZonedDateTime> nextRun(String key) {
        PlanState e = plans.get(key);
        return e == null ? Optional.empty() : e.plan.schedule().nextRunAfter(clock.instant());
    }

    /** Whether this replica currently runs schedules (always true without leader election). */
    public boolean isLeader() {
        return leadership.leading();
    }

    /** Adds a listener. */
    public void addListener(SchedulerListener listener) {
        events.add(listener);
    }

    /**
     * Starts leader election (when configured) and the tick loop on a daemon thread.
     *
     * @throws IllegalStateException when already started or closed
     */
    public synchronized void start() {
        if (closed || loop != null) {
            throw new IllegalStateException(closed ? "The scheduler is closed." : "The scheduler is already started.");
        }
        loop = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("kbackup-scheduler"));
        leadership.start();
        loop.scheduleWithFixedDelay(this::tickSafely, 0, tick.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * One tick, on the caller's thread: starts the runs that are due and, when a sweep is due, sweeps.
     * Does nothing unless this replica is the leader. {@link #start()} calls it every tick; tests
     * call it directly with a controllable clock.
     */
    public void runOnce() {
        synchronized (tickLock) {
            List<PlanState> due = plansIfLeading();
            if (due == null) {
                return;
            }
            Instant now = clock.instant();
            Map<String, List<BackupInfo>> listings = new HashMap<>();
            for (PlanState e : due) {
                try {
                    runs.loadLastStart(e, listings);
                    runs.runIfDue(e, now);
                } catch (KBackupException ex) {
                    events.emit(SchedulerEvent.Type.ERROR, e.key, null, now, "could not check the schedule: " + ex.getMessage());
                }
            }
            if (lastSweep == null || !now.isBefore(lastSweep.plus(sweepInterval))) {
                lastSweep = now;
                runs.sweep(due, now, listings);
            }
        }
    }

    /** Runs an expiry sweep now, whatever the sweep interval (still only on the leader). */
    public void sweepNow() {
        synchronized (tickLock) {
            List<PlanState> swept = plansIfLeading();
            if (swept != null) {
                Instant now = clock.instant();
                lastSweep = now;
                runs.sweep(swept, now, new HashMap<>());
            }
        }
    }

    /** Stops the loop and gives up leadership (releasing the Lease). Runs in progress go on. */
    @Override
    public void close() {
        ScheduledExecutorService l;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            l = loop;
        }
        if (l != null) {
            l.shutdownNow();
        }
        leadership.close();
    }

    private void tickSafely() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            LOG.warn("kbackup scheduler tick failed: {}", e.toString());
        }
    }

    /** A snapshot of the plans, or null when this replica does not lead or the scheduler is closed. */
    private synchronized List<PlanState> plansIfLeading() {
        return leadership.leading() && !closed ? plans.snapshot() : null;
    }

    /** Builds a {@link BackupScheduler}. */
    public static final class Builder {
        private BackupClient backups;
        private Clock clock = Clock.systemUTC();
        private Duration tick = Duration.ofSeconds(15);
        private Duration sweepInterval = Duration.ofMinutes(1);
        private final List<SchedulerListener> listeners = new ArrayList<>();
        private BiFunction<BackupLocation, String, VerifyReport> drill;
        private LeaderSettings leader;
        private Duration leaseDuration = Duration.ofSeconds(15);
        private Duration renewDeadline = Duration.ofSeconds(10);
        private Duration retryPeriod = Duration.ofSeconds(2);
        private Duration unfinishedGrace = BackupCatalog.UnfinishedPolicy.DEFAULT_GRACE;
        private StorageProviders storageProviders;

        private Builder() {}

        /** The engine that runs single plans' backups (either engine). Required unless only group plans are added. */
        public Builder backupClient(BackupClient backups) {
            this.backups = Objects.requireNonNull(backups, "backupClient");
            return this;
        }

        /** The clock; default the UTC system clock. Give the engine the same clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How often the loop checks for due runs. Default 15 s. */
        public Builder tick(Duration tick) {
            this.tick = Objects.requireNonNull(tick, "tick");
            return this;
        }

        /** How often expired backups are swept. Default 1 min. */
        public Builder sweepInterval(Duration interval) {
            this.sweepInterval = Objects.requireNonNull(interval, "sweepInterval");
            return this;
        }

        /**
         * How old the leftovers of a plan's run that never finished (crashed or killed: no
         * {@code velero-backup.json}) must be before a sweep removes them, counted from the run's
         * claim on its name. Default 24 hours, as the DirectEngine's
         * {@code DirectOptions.unfinishedBackupGrace}; the engine's {@code deleteBackup} refuses
         * what is younger than its own grace, so keep this at least as long.
         */
        public Builder unfinishedGrace(Duration grace) {
            this.unfinishedGrace = Objects.requireNonNull(grace, "unfinishedGrace");
            return this;
        }

        /**
         * Where the storage providers of the plans' locations come from, to find unfinished
         * backups. Default: the engine's ({@code DirectOptions}/{@code VeleroOptions}), else the class path's.
         */
        public Builder storageProviders(StorageProviders providers) {
            this.storageProviders = Objects.requireNonNull(providers, "storageProviders");
            return this;
        }

        /**
         * A drill (or verify) run after each scheduled backup that completes, on a thread of its own,
         * reported as a {@link SchedulerEvent.Type#DRILL_PASSED} or {@link SchedulerEvent.Type#DRILL_FAILED}
         * event. For example {@code (location, name) -> engine.verify(location, name)}, or a restore
         * drill into a scratch cluster: {@code (location, name) -> engine.drill(location, name, scratch, Duration.ofMinutes(10))}.
         * Not for group plans. Default: none.
         */
        public Builder drillAfterEachBackup(BiFunction<BackupLocation, String, VerifyReport> drill) {
            this.drill = drill;
            return this;
        }

        /** Receives every event. */
        public Builder listener(SchedulerListener listener) {
            this.listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Run only while holding the Kubernetes Lease {@code namespace/leaseName} (fabric8 leader
         * election). Give every replica the same namespace and name and its own identity (e.g. the pod
         * name). Needs get/create/update on {@code leases.coordination.k8s.io} in that namespace.
         */
        public Builder leaderElection(KubernetesClient client, String namespace, String leaseName, String identity) {
            this.leader = LeaderSettings.of(client, namespace, leaseName, identity);
            return this;
        }

        /** Lease timings; defaults 15 s lease, 10 s renew deadline, 2 s retry (client-go's). */
        public Builder leaderElectionTimings(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
            this.leaseDuration = Objects.requireNonNull(leaseDuration, "leaseDuration");
            this.renewDeadline = Objects.requireNonNull(renewDeadline, "renewDeadline");
            this.retryPeriod = Objects.requireNonNull(retryPeriod, "retryPeriod");
            return this;
        }

        /** Validates and builds. */
        public BackupScheduler build() {
            if (tick.isNegative() || tick.isZero() || sweepInterval.isNegative() || unfinishedGrace.isNegative()) {
                throw new InvalidPlanException("BackupScheduler: tick must be positive, sweepInterval and unfinishedGrace not negative.");
            }
            if (leader != null) {
                leader = leader.withTimings(leaseDuration, renewDeadline, retryPeriod);
            }
            return new BackupScheduler(this);
        }
    }
}
