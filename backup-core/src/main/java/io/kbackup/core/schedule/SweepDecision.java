package io.kbackup.core.schedule;

import io.kbackup.BackupPhase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What an expiry sweep does with one backup of a plan, decided from the retention policy, the
 * plan's backups and the time alone (no I/O): finished backups whose expiry has passed, and those
 * beyond {@link RetentionPolicy#keepLast}, go, except the newest {@code Completed} one when the
 * policy keeps it. A backup in progress, or the plan's run still going, is never touched. The
 * leftovers of runs that never finished go once they are older than a grace period
 * ({@link #decideLeftovers}).
 *
 * @param backup the backup's name
 * @param action delete it or keep it
 * @param reason why, for the event's message
 */
record SweepDecision(String backup, Action action, String reason) {

    /** What happens to the backup. */
    enum Action {
        /** Expired or beyond the count: delete it with all its objects. */
        DELETE,
        /** It would be deleted, but the policy keeps it. */
        RETAIN,
        /** An unfinished backup's leftovers (a run that crashed or was killed), older than the grace period: delete them. */
        RECLAIM
    }

    /**
     * A folder of the plan without a finished backup.
     *
     * @param name  the backup's name
     * @param since when its writer claimed the name (without a claim, when its newest file was written)
     */
    record Leftover(String name, Instant since) {}

    /**
     * The decisions for a plan's unfinished backups: {@link Action#RECLAIM} those at least
     * {@code grace} old, never the plan's run still in progress; younger ones may still be being
     * written (by this replica or another) and are left alone.
     *
     * @param leftovers the plan's folders without a finished backup
     * @param running   the name of the plan's run still in progress, or null
     * @param grace     how old leftovers must be
     * @param now       the sweep's time
     */
    static List<SweepDecision> decideLeftovers(List<Leftover> leftovers, String running, Duration grace, Instant now) {
        List<SweepDecision> out = new ArrayList<>();
        for (Leftover l : leftovers) {
            if (!l.name().equals(running) && !l.since().plus(grace).isAfter(now)) {
                out.add(new SweepDecision(l.name(), Action.RECLAIM, "unfinished since " + l.since() + " (no velero-backup.json;"
                        + " its run crashed or was killed), older than the grace period of " + grace));
            }
        }
        return out;
    }

    /**
     * The decisions for the backups that would go; backups not named are kept silently.
     *
     * @param policy     the plan's retention policy
     * @param newestFirst the plan's backups, newest start first
     * @param running    the name of the plan's run still in progress, or null
     * @param now        the sweep's time
     */
    static List<SweepDecision> decide(RetentionPolicy policy, List<PlanBackup> newestFirst, String running, Instant now) {
        String keep = !policy.keepsNewestGood() ? null : newestFirst.stream()
                .filter(b -> b.phase() == BackupPhase.Completed).map(PlanBackup::name).findFirst().orElse(null);
        List<SweepDecision> out = new ArrayList<>();
        int finishedSeen = 0;
        for (PlanBackup b : newestFirst) {
            if (!b.phase().isTerminal() || b.name().equals(running)) {
                continue;
            }
            finishedSeen++;
            boolean expired = b.isExpiredAt(now);
            boolean beyondCount = policy.keepLast().isPresent() && finishedSeen > policy.keepLast().getAsInt();
            if (!expired && !beyondCount) {
                continue;
            }
            String why = expired ? "expired at " + b.expires() : "beyond the newest " + policy.keepLast().getAsInt();
            out.add(b.name().equals(keep)
                    ? new SweepDecision(b.name(), Action.RETAIN, why + ", kept as the newest Completed backup")
                    : new SweepDecision(b.name(), Action.DELETE, why));
        }
        return out;
    }
}
