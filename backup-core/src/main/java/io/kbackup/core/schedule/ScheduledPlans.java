package io.kbackup.core.schedule;

import io.kbackup.BackupPlan;
import io.kbackup.InvalidPlanException;
import io.kbackup.core.fleet.ClusterGroup;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The plans added to a {@link BackupScheduler}, by key ({@code <location name>/<prefix>}, for a
 * group plan {@code group:<group>/<location name>/<prefix>}), in the order they were added.
 * Thread-safe: each method holds this object's monitor for a few map operations only, never
 * during bucket I/O.
 */
final class ScheduledPlans {
    private final Map<String, PlanState> entries = new LinkedHashMap<>();
    private final boolean singlePlans;

    /** @param singlePlans whether plans of the scheduler's own client can be added (it has one), not only group plans */
    ScheduledPlans(boolean singlePlans) {
        this.singlePlans = singlePlans;
    }

    /**
     * Adds a plan.
     *
     * @param group the group it runs on, or null for a plan of the scheduler's own client
     * @throws InvalidPlanException when the plan has no prefix, is a single plan of a scheduler
     *                              without a client, or a plan with the same key exists
     */
    PlanState add(BackupPlan plan, RetentionPolicy retention, ClusterGroup group, Instant now) {
        String prefix = plan.prefix().orElseThrow(() -> new InvalidPlanException(
                "A scheduled plan needs a prefix (backups are named <prefix>-<yyyyMMddHHmmss> and found by it); plan "
                        + plan.name().orElse("?") + " has a fixed name."));
        if (group == null && !singlePlans) {
            throw new InvalidPlanException("This BackupScheduler was built without a backupClient: it runs group plans only"
                    + " (addGroup); give BackupScheduler.builder().backupClient(...) to schedule single plans.");
        }
        String key = (group != null ? "group:" + group.name() + "/" : "") + plan.location().name() + "/" + prefix;
        synchronized (this) {
            if (entries.containsKey(key)) {
                throw new InvalidPlanException("A plan with prefix '" + prefix + "' in location '" + plan.location().name()
                        + "' is already scheduled" + (group != null ? " for group '" + group.name() + "'" : "")
                        + "; remove it first or use another prefix.");
            }
            PlanState e = new PlanState(key, prefix, plan, retention, now, group);
            entries.put(key, e);
            return e;
        }
    }

    /** Removes a plan; whether it was there. */
    synchronized boolean remove(String key) {
        return entries.remove(key) != null;
    }

    synchronized Set<String> keys() {
        return Set.copyOf(entries.keySet());
    }

    /** The plan with this key, or null. */
    synchronized PlanState get(String key) {
        return entries.get(key);
    }

    /** The plans now, for a tick to work on. */
    synchronized List<PlanState> snapshot() {
        return List.copyOf(entries.values());
    }

    /** Whether this very plan is still added (a tick works on a snapshot; a plan removed meanwhile is left alone). */
    synchronized boolean contains(PlanState e) {
        return entries.get(e.key) == e;
    }

    /** Makes every plan read its last start from the bucket again (another replica may have run backups). */
    synchronized void forgetLastStarts() {
        entries.values().forEach(e -> e.loaded = false);
    }
}
