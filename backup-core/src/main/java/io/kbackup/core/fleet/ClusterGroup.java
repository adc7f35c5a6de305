package io.kbackup.core.fleet;

import io.kbackup.BackupClient;
import io.kbackup.BackupHandle;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPlan;
import io.kbackup.InvalidPlanException;
import io.kbackup.KBackupException;
import io.kbackup.OperationHandle;
import io.kbackup.RestoreHandle;
import io.kbackup.RestoreInfo;
import io.kbackup.RestorePlan;
import io.kbackup.Schedule;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Backs up and restores a whole group of clusters at once: one plan, run on every member, each
 * member's backups kept under its own folder of one shared location
 * ({@code <location prefix>/<member>}), which is the root a Velero server in that cluster would
 * use. Every member's backup of one group run has the same name, so the group restores by name.
 * Thread-safe; members run in parallel on their own engines.
 *
 * <pre>{@code
 * try (ClusterGroup fleet = ClusterGroup.builder()
 *         .member("eu-1", KBackup.direct(eu1))
 *         .member("us-1", KBackup.direct(us1))
 *         .build()) {
 *     ClusterGroup.Run<BackupHandle, BackupInfo> run = fleet.backup(plan);
 *     Map<String, BackupInfo> done = run.awaitAll(Duration.ofMinutes(30));
 *     fleet.restore(RestorePlan.builder().location(location).backupName(run.name()).build())
 *          .awaitAll(Duration.ofMinutes(30));
 * }
 * }</pre>
 */
public final class ClusterGroup implements AutoCloseable {
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    private final Map<String, BackupClient> members;
    private final Clock clock;
    private final boolean closeMembers;

    private ClusterGroup(Builder b) {
        this.members = Collections.unmodifiableMap(new LinkedHashMap<>(b.members));
        this.clock = b.clock;
        this.closeMembers = b.closeMembers;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The member names, in the order added. */
    public Set<String> members() {
        return members.keySet();
    }

    /** Where a member's backups are kept in a shared location: its prefix plus {@code /<member>}. */
    public BackupLocation locationFor(String member, BackupLocation shared) {
        requireMember(member);
        String prefix = shared.prefix().isEmpty() ? member : shared.prefix() + "/" + member;
        return shared.toBuilder().prefix(prefix).build();
    }

    /**
     * Starts the plan on every member now. A plan with a prefix gets one name for the whole run
     * ({@code <prefix>-<yyyyMMddHHmmss>} at this call); its schedule is ignored here (schedule each
     * member's plan with a {@code BackupScheduler} instead).
     */
    public Run<BackupHandle, BackupInfo> backup(BackupPlan plan) {
        Objects.requireNonNull(plan, "plan");
        String name = plan.backupNameAt(clock.instant());
        Map<String, BackupHandle> started = new LinkedHashMap<>();
        Map<String, KBackupException> refused = new LinkedHashMap<>();
        members.forEach((member, client) -> {
            try {
                BackupPlan own = plan.toBuilder().schedule(Schedule.never()).prefix(null).name(name)
                        .location(locationFor(member, plan.location())).build();
                started.put(member, client.backup(own));
            } catch (KBackupException e) {
                refused.put(member, e);
            }
        });
        return new Run<>(name, started, refused);
    }

    /** Starts a restore on every member, each from its own backup of that name in its own folder. */
    public Run<RestoreHandle, RestoreInfo> restore(RestorePlan plan) {
        Objects.requireNonNull(plan, "plan");
        String restoreName = plan.restoreNameAt(clock.instant());
        Map<String, RestoreHandle> started = new LinkedHashMap<>();
        Map<String, KBackupException> refused = new LinkedHashMap<>();
        members.forEach((member, client) -> {
            try {
                RestorePlan own = plan.toBuilder().restoreName(restoreName).location(locationFor(member, plan.location())).build();
                started.put(member, client.restore(own));
            } catch (KBackupException e) {
                refused.put(member, e);
            }
        });
        return new Run<>(restoreName, started, refused);
    }

    /** Each member's backups in the shared location, newest first. */
    public Map<String, java.util.List<BackupInfo>> listBackups(BackupLocation shared) {
        Map<String, java.util.List<BackupInfo>> out = new LinkedHashMap<>();
        members.forEach((member, client) -> out.put(member, client.listBackups(locationFor(member, shared))));
        return out;
    }

    /** Deletes a group run's backup from every member that has it; returns the members it was deleted from. */
    public Set<String> deleteBackup(BackupLocation shared, String backupName) {
        Set<String> deleted = new java.util.LinkedHashSet<>();
        members.forEach((member, client) -> {
            try {
                client.deleteBackup(locationFor(member, shared), backupName);
                deleted.add(member);
            } catch (io.kbackup.NotFoundException e) {
                // that member has no such backup: nothing to delete
            }
        });
        return deleted;
    }

    /** Closes the members' clients when built with {@link Builder#closeMembers(boolean) closeMembers(true)}. */
    @Override
    public void close() {
        if (closeMembers) {
            members.values().forEach(BackupClient::close);
        }
    }

    private void requireMember(String member) {
        if (!members.containsKey(member)) {
            throw new InvalidPlanException("'" + member + "' is not a member of this group; members: " + members.keySet() + ".");
        }
    }

    /**
     * One group operation: the handles of the members where it started and the errors of those
     * that refused it (checked before anything was written on that member).
     *
     * @param <H> handle type
     * @param <I> details type
     */
    public static final class Run<H extends OperationHandle<?, I>, I> {
        private final String name;
        private final Map<String, H> started;
        private final Map<String, KBackupException> refused;

        Run(String name, Map<String, H> started, Map<String, KBackupException> refused) {
            this.name = name;
            this.started = Collections.unmodifiableMap(started);
            this.refused = Collections.unmodifiableMap(refused);
        }

        /** The backup or restore name used on every member. */
        public String name() {
            return name;
        }

        /** Member -> handle, where it started. */
        public Map<String, H> started() {
            return started;
        }

        /** Member -> why it did not start. */
        public Map<String, KBackupException> refused() {
            return refused;
        }

        /**
         * Waits for every started member within one overall timeout and returns member -> details.
         *
         * @throws io.kbackup.OperationTimeoutException when the time runs out first
         */
        public Map<String, I> awaitAll(Duration timeout) {
            Instant deadline = Instant.now().plus(timeout);
            Map<String, I> out = new LinkedHashMap<>();
            for (Map.Entry<String, H> e : started.entrySet()) {
                Duration left = Duration.between(Instant.now(), deadline);
                out.put(e.getKey(), e.getValue().await(left.isNegative() ? Duration.ZERO : left));
            }
            return out;
        }
    }

    /** Builds a {@link ClusterGroup}. */
    public static final class Builder {
        private final Map<String, BackupClient> members = new LinkedHashMap<>();
        private Clock clock = Clock.systemUTC();
        private boolean closeMembers;

        private Builder() {}

        /** Adds a member: a name (a DNS label, used as its folder) and its engine. */
        public Builder member(String name, BackupClient client) {
            Objects.requireNonNull(client, "client");
            if (name == null || !DNS_LABEL.matcher(name).matches()) {
                throw new InvalidPlanException("Cluster group member name '" + name
                        + "' is not a DNS label (lower-case letters, digits and '-', at most 63 characters).");
            }
            if (members.putIfAbsent(name, client) != null) {
                throw new InvalidPlanException("Cluster group member '" + name + "' was added twice.");
            }
            return this;
        }

        /** The clock that names group runs. Default UTC system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Whether {@link ClusterGroup#close()} closes the members' clients. Default false. */
        public Builder closeMembers(boolean close) {
            this.closeMembers = close;
            return this;
        }

        public ClusterGroup build() {
            if (members.isEmpty()) {
                throw new InvalidPlanException("A cluster group needs at least one member.");
            }
            return new ClusterGroup(this);
        }
    }
}
