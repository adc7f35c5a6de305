package io.kbackup.core.schedule;

import io.kbackup.BackupClient;
import io.kbackup.BackupHandle;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.KBackupException;
import io.kbackup.core.internal.catalog.BackupCatalog;
import io.kbackup.core.internal.layout.VeleroKeys;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The I/O half of a {@link BackupScheduler} tick: reads plans' last runs from the bucket, starts the
 * runs {@link RunDecision} finds due and deletes what {@link SweepDecision} says goes, reporting
 * each step as a {@link SchedulerEvent}. Called by one tick at a time, never under the scheduler's
 * monitor.
 */
final class PlanRuns {
    private static final String SCHEDULE_LABEL = VeleroKeys.SCHEDULE_NAME;

    private final BackupClient backups;
    private final Clock clock;
    private final SchedulerEvents events;
    private final Predicate<PlanState> stillAdded;
    /** Reads the folders of unfinished backups (which {@link BackupClient#listBackups} does not show). */
    private final BackupCatalog catalog;
    private final Duration unfinishedGrace;

    PlanRuns(BackupClient backups, Clock clock, SchedulerEvents events, Predicate<PlanState> stillAdded, BackupCatalog catalog,
            Duration unfinishedGrace) {
        this.backups = backups;
        this.catalog = catalog;
        this.unfinishedGrace = unfinishedGrace;
        this.clock = clock;
        this.events = events;
        this.stillAdded = stillAdded;
    }

    /** Reads the plan's last start from the bucket once per leadership (another replica may have run it). */
    void loadLastStart(PlanState e, Map<String, List<BackupInfo>> listings) {
        if (e.loaded) {
            return;
        }
        e.loaded = true; // before the read: becoming leader meanwhile clears it again
        try {
            e.lastStart = e.history.lastStart(e.group != null ? GroupPlans.runsAsBackups(e.group, e.plan.location())
                    : listing(listings, e.plan.location()));
        } catch (RuntimeException ex) {
            e.loaded = false;
            throw ex;
        }
    }

    void runIfDue(PlanState e, Instant now) {
        BackupHandle running = e.running();
        RunDecision due = RunDecision.decide(e.plan.schedule(), e.lastStart, e.added, now, running != null, e.reportedSlot);
        switch (due.action()) {
            case NONE, WAIT -> { }
            case REPORT_OVERLAP -> {
                e.reportedSlot = due.slot().toInstant();
                events.emit(SchedulerEvent.Type.SKIPPED_OVERLAP, e.key, running.name(), now,
                        "run due at " + due.slot() + " waits: " + running.name() + " is still " + running.phase());
            }
            case START -> {
                if (stillAdded.test(e)) {
                    start(e, due.slot(), now);
                }
            }
        }
    }

    private void start(PlanState e, ZonedDateTime slot, Instant now) {
        Map<String, String> labels = new LinkedHashMap<>(e.plan.labels());
        labels.put(SCHEDULE_LABEL, e.prefix);
        BackupPlan run = e.plan.toBuilder().labels(labels).build();
        e.lastStart = now;
        e.reportedSlot = null;
        BackupHandle handle;
        try {
            handle = e.group != null ? new GroupBackupHandle(e.group.backup(run)) : backups.backup(run);
        } catch (KBackupException ex) {
            events.emit(SchedulerEvent.Type.FAILED, e.key, run.backupNameAt(now), now, "could not start: " + ex.getMessage());
            announceNext(e, now);
            return;
        }
        e.inFlight = handle;
        events.emit(SchedulerEvent.Type.STARTED, e.key, handle.name(), now, "run for the slot at " + slot);
        handle.completion().whenComplete((info, err) -> {
            Instant end = clock.instant();
            if (err != null) {
                events.emit(SchedulerEvent.Type.FAILED, e.key, handle.name(), end, "failed: " + err.getMessage());
            } else if (info.phase() == BackupPhase.Completed) {
                events.emit(SchedulerEvent.Type.COMPLETED, e.key, info.name(), end, info.itemsBackedUp() + " items");
            } else {
                events.emit(SchedulerEvent.Type.FAILED, e.key, info.name(), end, "ended " + info.phase()
                        + (info.failureReason() != null ? ": " + info.failureReason() : "") + ", " + info.errors() + " errors");
            }
        });
        announceNext(e, now);
    }

    void sweep(List<PlanState> plans, Instant now, Map<String, List<BackupInfo>> listings) {
        for (PlanState e : plans) {
            if (!stillAdded.test(e)) {
                continue;
            }
            if (e.group != null) {
                sweepGroup(e, now);
                continue;
            }
            List<PlanBackup> mine;
            try {
                mine = e.history.of(listing(listings, e.plan.location()));
            } catch (KBackupException ex) {
                events.emit(SchedulerEvent.Type.ERROR, e.key, null, now, "could not list backups to sweep: " + ex.getMessage());
                continue;
            }
            applySweep(e, backups, e.plan.location(), mine, "", now);
            BackupHandle running = e.running();
            sweepLeftovers(e, listing(listings, e.plan.location()), running != null ? running.name() : null, now);
            listings.remove(locationKey(e.plan.location()));
        }
    }

    /**
     * Removes the leftovers of the plan's runs that never finished (crashed, killed: a folder
     * without {@code velero-backup.json}, unfinished uploads) once {@link SweepDecision#decideLeftovers}
     * says they are older than the grace period, through the engine's {@code deleteBackup}.
     */
    private void sweepLeftovers(PlanState e, List<BackupInfo> finished, String running, Instant now) {
        List<SweepDecision.Leftover> leftovers = new ArrayList<>();
        try {
            // finished: a terminal phase with an end (a running backup's record, even one read as
            // abandoned, has no end; catalog.unfinished tells those apart by their folder)
            Set<String> done = finished.stream().filter(b -> b.phase().isTerminal() && b.completed() != null)
                    .map(BackupInfo::name).collect(Collectors.toSet());
            for (String name : catalog.folders(e.plan.location())) {
                if (e.history.owns(name) && !done.contains(name) && !name.equals(running)) {
                    catalog.unfinished(e.plan.location(), name).ifPresent(u -> leftovers.add(new SweepDecision.Leftover(name, u.since())));
                }
            }
        } catch (KBackupException ex) {
            events.emit(SchedulerEvent.Type.ERROR, e.key, null, now, "could not look for unfinished backups: " + ex.getMessage());
            return;
        }
        for (SweepDecision d : SweepDecision.decideLeftovers(leftovers, running, unfinishedGrace, now)) {
            try {
                backups.deleteBackup(e.plan.location(), d.backup());
                events.emit(SchedulerEvent.Type.DELETED, e.key, d.backup(), clock.instant(), "removed the leftovers: " + d.reason());
            } catch (KBackupException ex) {
                events.emit(SchedulerEvent.Type.ERROR, e.key, d.backup(), now, "could not remove the leftovers: " + ex.getMessage());
            }
        }
    }

    /** A group plan's sweep: the retention policy per member, on each current member's own backups. */
    private void sweepGroup(PlanState e, Instant now) {
        for (String member : e.group.memberList()) {
            BackupLocation own;
            BackupClient client;
            List<PlanBackup> mine;
            try {
                own = e.group.locationFor(member, e.plan.location());
                client = e.group.client(member);
                mine = e.history.of(client.listBackups(own));
            } catch (KBackupException ex) {
                events.emit(SchedulerEvent.Type.ERROR, e.key, null, now, "member " + member + ": could not list backups to sweep: "
                        + ex.getMessage());
                continue;
            }
            applySweep(e, client, own, mine, "member " + member + ": ", now);
        }
        try {
            for (String run : e.group.sweepExpiredRecords(e.plan.location(), now)) {
                events.emit(SchedulerEvent.Type.DELETED, e.key, run, clock.instant(), "expired records of members that did not run");
            }
        } catch (KBackupException ex) {
            events.emit(SchedulerEvent.Type.ERROR, e.key, null, now, "could not sweep group records: " + ex.getMessage());
        }
    }

    /** Applies the retention policy to {@code mine} in {@code location} of {@code client}; {@code who} starts each event's text. */
    private void applySweep(PlanState e, BackupClient client, BackupLocation location, List<PlanBackup> mine, String who, Instant now) {
        BackupHandle running = e.running();
        for (SweepDecision d : SweepDecision.decide(e.retention, mine, running != null ? running.name() : null, now)) {
            if (d.action() == SweepDecision.Action.RETAIN) {
                events.emit(SchedulerEvent.Type.RETAINED, e.key, d.backup(), now, who + d.reason());
                continue;
            }
            events.emit(SchedulerEvent.Type.EXPIRED, e.key, d.backup(), now, who + d.reason());
            try {
                client.deleteBackup(location, d.backup());
                events.emit(SchedulerEvent.Type.DELETED, e.key, d.backup(), clock.instant(), who + "deleted with all its objects");
            } catch (KBackupException ex) {
                events.emit(SchedulerEvent.Type.ERROR, e.key, d.backup(), now, who + "could not delete: " + ex.getMessage());
            }
        }
    }

    private List<BackupInfo> listing(Map<String, List<BackupInfo>> cache, BackupLocation location) {
        return cache.computeIfAbsent(locationKey(location), k -> backups.listBackups(location));
    }

    private static String locationKey(BackupLocation l) {
        return l.provider() + "|" + l.bucket() + "|" + l.keyPrefix();
    }

    void announceNext(PlanState e, Instant now) {
        e.plan.schedule().nextRunAfter(now).ifPresent(next ->
                events.emit(SchedulerEvent.Type.SCHEDULED, e.key, null, now, "next run at " + next));
    }
}
