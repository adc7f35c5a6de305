package io.kbackup.core.fleet;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A group run (a backup or restore of every member under one name) and where each member stands:
 * what a workspace backup page shows. Returned by {@link GroupRun#await} and, read back from the
 * members' folders, by {@link ClusterGroup#listGroupBackups} after any restart. Immutable.
 *
 * @param name    the run's name: the backup (or restore) name on every member
 * @param group   the group's name
 * @param phase   the run's phase, from its members'
 * @param members member -> outcome, in the group's member order (sorted when read back)
 */
public record GroupRunInfo(String name, String group, GroupPhase phase, Map<String, MemberOutcome> members) {

    public GroupRunInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(phase, "phase");
        members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
    }

    /** A run whose phase follows from its members' phases. */
    static GroupRunInfo of(String name, String group, Map<String, MemberOutcome> members) {
        return new GroupRunInfo(name, group, GroupPhase.of(members.values().stream().map(MemberOutcome::phase).toList()), members);
    }

    /** How many members the run covers. */
    public int membersTotal() {
        return members.size();
    }

    /** How many members have ended (skipped, completed, partially failed or failed). */
    public int membersDone() {
        return (int) members.values().stream().filter(m -> m.phase().isTerminal()).count();
    }

    /** How many members are in {@code phase}. */
    public int count(MemberPhase phase) {
        return (int) members.values().stream().filter(m -> m.phase() == phase).count();
    }

    /** The earliest member start, or null. */
    public Instant started() {
        return members.values().stream().map(MemberOutcome::started).filter(Objects::nonNull).min(Instant::compareTo).orElse(null);
    }

    /** The latest member end once every member ended, else null. */
    public Instant finished() {
        if (!phase.isTerminal()) {
            return null;
        }
        return members.values().stream().map(MemberOutcome::finished).filter(Objects::nonNull).max(Instant::compareTo).orElse(null);
    }

    /** Items backed up or restored, over all members. */
    public long itemsDone() {
        return members.values().stream().mapToLong(MemberOutcome::itemsDone).sum();
    }
}
