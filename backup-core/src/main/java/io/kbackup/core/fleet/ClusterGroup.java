package io.kbackup.core.fleet;

import io.kbackup.BackupClient;
import io.kbackup.BackupHandle;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPlan;
import io.kbackup.InvalidPlanException;
import io.kbackup.NotFoundException;
import io.kbackup.RestoreHandle;
import io.kbackup.RestoreInfo;
import io.kbackup.RestorePlan;
import io.kbackup.core.direct.DirectEngine;
import io.kbackup.core.internal.DaemonThreads;
import io.kbackup.core.internal.layout.BucketLayout;
import io.kbackup.spi.StorageProviders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * A workspace: a named group of clusters backed up and restored together, as a platform's
 * "back up an entire workspace" does. One plan runs on every member; each member's backups live in
 * its own folder of one shared location ({@code <location prefix>/<member>}), which is the root a
 * Velero server in that cluster would use; every member's backup of one group run has the same
 * name, so the group restores by name. Thread-safe; members can be added and removed while runs go
 * on (a run covers the members at its start).
 *
 * <ul>
 *   <li><b>Health:</b> just before a member starts, its API server's {@code /readyz} is checked
 *       within {@link Builder#healthTimeout} ({@link MemberHealth}); an unhealthy or unreachable
 *       member is {@link MemberPhase#SKIPPED skipped} with a {@link SkipReason}, never failing the
 *       others.</li>
 *   <li><b>Records:</b> each member's part (started, skipped and why, completed, failed) is written
 *       as {@value BucketLayout#GROUP_RECORD_FILE} inside the member's {@code backups/<run>/} folder
 *       (Velero ignores extra files there; no foreign top-level folder). {@link #listGroupBackups}
 *       and {@link #describeGroupBackup} read them back, after any restart of the host.</li>
 *   <li><b>Scale:</b> at most {@link Builder#concurrency} members run at once per run (a run may ask
 *       for more, up to {@link Builder#maxConcurrency}); the group's threads never exceed the
 *       maximum, and no thread waits for a member to finish, whatever the group size.</li>
 *   <li><b>Restore:</b> a group restore targets the current members; a member without a backup of
 *       that run is skipped ({@link SkipReason#NO_BACKUP}), a former member's backup is reported
 *       ({@link SkipReason#NOT_A_MEMBER}); the plan's namespace filters and mapping apply to each
 *       member, with per-member changes if given.</li>
 *   <li><b>Schedules:</b> {@code BackupScheduler.addGroup} runs a group plan on its schedule, with
 *       expiry and retention per member.</li>
 * </ul>
 *
 * <pre>{@code
 * try (ClusterGroup workspace = ClusterGroup.builder().name("shop")
 *         .member("eu-1", KBackup.direct(eu1))
 *         .member("us-1", KBackup.direct(us1))
 *         .concurrency(8)
 *         .build()) {
 *     GroupRun<BackupHandle, BackupInfo> run = workspace.backup(plan);
 *     GroupRunInfo done = run.await(Duration.ofMinutes(30));   // per member: COMPLETED, SKIPPED (UNHEALTHY), ...
 *     workspace.restore(RestorePlan.builder().location(location).backupName(run.name()).build())
 *              .await(Duration.ofMinutes(30));
 * }
 * }</pre>
 */
public final class ClusterGroup implements AutoCloseable {
    /** Label put on every member backup of a group run: the group's name. */
    public static final String GROUP_LABEL = "kbackup.io/group";

    private final String name;
    private final Map<String, GroupMember> members;
    private final Clock clock;
    private final boolean closeMembers;
    private final int concurrency;
    private final int maxConcurrency;
    private final Duration healthTimeout;
    private final StorageProviders providers;
    private final ThreadPoolExecutor pool;
    private final GroupFolders folders;

    private ClusterGroup(Builder b) {
        this.name = b.name;
        this.members = new LinkedHashMap<>(b.members);
        this.clock = b.clock;
        this.closeMembers = b.closeMembers;
        this.concurrency = b.concurrency;
        this.maxConcurrency = b.maxConcurrency;
        this.healthTimeout = b.healthTimeout;
        this.providers = b.providers;
        this.pool = new ThreadPoolExecutor(maxConcurrency, maxConcurrency, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                DaemonThreads.numbered("kbackup-group-" + name + "-"));
        this.pool.allowCoreThreadTimeOut(true);
        this.folders = new GroupFolders(providers, name);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The group's name (recorded with every run). */
    public String name() {
        return name;
    }

    /** The member names, in the order added. */
    public synchronized Set<String> members() {
        return java.util.Collections.unmodifiableSet(new LinkedHashSet<>(members.keySet()));
    }

    /** The member names in the order added, as a list. */
    public synchronized List<String> memberList() {
        return List.copyOf(members.keySet());
    }

    /** A member's client. */
    public synchronized BackupClient client(String member) {
        requireMember(member);
        return members.get(member).client();
    }

    /**
     * Adds a member now (runs started from now on cover it); see {@link Builder#member(String, BackupClient)}.
     *
     * @throws InvalidPlanException when the name is not a DNS label or already a member
     */
    public synchronized ClusterGroup addMember(String member, BackupClient client) {
        return addMember(member, client, GroupMember.defaultHealth(client));
    }

    /** Adds a member with its own health check. */
    public synchronized ClusterGroup addMember(String member, BackupClient client, MemberHealth health) {
        members.put(member, GroupMember.joining(members, member, client, health));
        return this;
    }

    /**
     * Removes a member (runs in progress go on with it; its backups stay in the location). Its
     * client is not closed. Returns whether it was a member.
     */
    public synchronized boolean removeMember(String member) {
        return members.remove(member) != null;
    }

    /** The most members one run of this group runs at once unless it asks otherwise. */
    public int concurrency() {
        return concurrency;
    }

    /** The most members any run of this group may run at once (the group's thread bound). */
    public int maxConcurrency() {
        return maxConcurrency;
    }

    /** Where a member's backups are kept in a shared location: its prefix plus {@code /<member>}. */
    public BackupLocation locationFor(String member, BackupLocation shared) {
        requireMember(member);
        return GroupRecords.memberLocation(shared, member);
    }

    /** Starts the plan on every member with the group's {@link #concurrency()}; see {@link #backup(BackupPlan, int)}. */
    public GroupRun<BackupHandle, BackupInfo> backup(BackupPlan plan) {
        return backup(plan, concurrency);
    }

    /**
     * Starts the plan on every current member, at most {@code concurrency} at once. The run has one
     * name ({@code <prefix>-<yyyyMMddHHmmss>} at this call for a plan with a prefix); its schedule
     * is ignored here ({@code BackupScheduler.addGroup} schedules a group). Each member backup is
     * labelled {@value #GROUP_LABEL}. Returns at once.
     *
     * @throws InvalidPlanException when {@code concurrency} is not between 1 and {@link #maxConcurrency()}
     *                              or the shared location cannot be opened
     */
    public GroupRun<BackupHandle, BackupInfo> backup(BackupPlan plan, int concurrency) {
        Objects.requireNonNull(plan, "plan");
        checkConcurrency(concurrency);
        Map<String, GroupMember> snapshot = snapshot();
        Instant start = clock.instant();
        String run = plan.backupNameAt(start);
        Instant expires = plan.expiry() == null ? null : start.plus(plan.expiry());
        Map<String, String> labels = new LinkedHashMap<>(plan.labels());
        labels.put(GROUP_LABEL, name);
        GroupRun.Work<BackupHandle, BackupInfo> work = GroupWork.backup(snapshot, healthTimeout, plan, name, run, labels, expires,
                providers.open(plan.location()));
        return new GroupRun<>(run, name, List.copyOf(snapshot.keySet()), concurrency, pool, clock, work).launch();
    }

    /** Restores a group run on every current member with the group's concurrency; see {@link #restore(RestorePlan, int, BiConsumer)}. */
    public GroupRun<RestoreHandle, RestoreInfo> restore(RestorePlan plan) {
        return restore(plan, concurrency, null);
    }

    /**
     * Restores the group run {@code plan.backupName()} into the group as it is now: every current
     * member restores its own backup of that name from its own folder, with the plan's filters and
     * namespace mapping, changed for a member by {@code perMember} if given (called with the member's
     * name and a builder holding the plan). A current member without that backup is
     * {@link SkipReason#NO_BACKUP skipped}; a former member that has it is reported as
     * {@link SkipReason#NOT_A_MEMBER}; neither fails the run. Unhealthy members are skipped as for
     * backups.
     */
    public GroupRun<RestoreHandle, RestoreInfo> restore(RestorePlan plan, int concurrency,
                                                        BiConsumer<String, RestorePlan.Builder> perMember) {
        Objects.requireNonNull(plan, "plan");
        checkConcurrency(concurrency);
        Map<String, GroupMember> snapshot = snapshot();
        String restoreName = plan.restoreNameAt(clock.instant());
        List<String> former = folders.formerMembersWith(plan.location(), snapshot.keySet(), plan.backupName());
        GroupRun.Work<RestoreHandle, RestoreInfo> work = GroupWork.restore(snapshot, healthTimeout, plan, restoreName, perMember);
        List<String> all = new ArrayList<>(snapshot.keySet());
        all.addAll(former);
        GroupRun<RestoreHandle, RestoreInfo> run = new GroupRun<>(restoreName, name, all, concurrency, pool, clock, work);
        Instant now = clock.instant();
        former.forEach(f -> run.preset(f, MemberOutcome.skipped(f, SkipReason.NOT_A_MEMBER,
                "has a backup '" + plan.backupName() + "' but is no longer a member of group '" + name + "'; not restored", now)));
        return run.launch();
    }

    /**
     * The group's runs in a shared location, newest first, each with every member's phase, read
     * from the members' folders alone (so after any restart of the host). Former members' folders
     * are read too.
     */
    public List<GroupRunInfo> listGroupBackups(BackupLocation shared) {
        return folders.list(shared);
    }

    /**
     * One group run, as {@link #listGroupBackups} shows it.
     *
     * @throws NotFoundException when no member has a record of that run
     */
    public GroupRunInfo describeGroupBackup(BackupLocation shared, String run) {
        return folders.describe(shared, run);
    }

    /** Each current member's backups in the shared location, newest first. */
    public Map<String, List<BackupInfo>> listBackups(BackupLocation shared) {
        Map<String, List<BackupInfo>> out = new LinkedHashMap<>();
        snapshot().forEach((member, m) -> out.put(member, m.client().listBackups(GroupRecords.memberLocation(shared, member))));
        return out;
    }

    /**
     * Deletes a group run everywhere: each current member's backup of that name through its engine
     * (which also deletes its volume snapshots), then whatever is left under {@code backups/<run>/} in
     * any member folder (records of skipped members, former members' backups). Returns the members
     * whose folder held something of the run.
     *
     * @throws io.kbackup.BackupLockedException when a member's backup of the run is under object
     *                                          lock; nothing is deleted then
     */
    public Set<String> deleteBackup(BackupLocation shared, String backupName) {
        Map<String, GroupMember> snapshot = snapshot();
        return folders.delete(shared, backupName, folder -> snapshot.containsKey(folder) ? snapshot.get(folder).client() : null);
    }

    /**
     * Deletes the records of members that never ran (skipped, refused) whose run expired by
     * {@code now} (the plan's expiry from the run's start): they are in no member backup that an
     * expiry sweep would delete. Called by the scheduler's sweep for group plans. Returns the runs
     * concerned.
     */
    public Set<String> sweepExpiredRecords(BackupLocation shared, Instant now) {
        return folders.sweepExpiredRecords(shared, now);
    }

    /**
     * Stops the group's threads (runs in progress start no more members; those skipped are
     * {@link SkipReason#CANCELLED}) and closes the members' clients when built with
     * {@link Builder#closeMembers(boolean) closeMembers(true)}.
     */
    @Override
    public void close() {
        pool.shutdown();
        if (closeMembers) {
            snapshot().values().forEach(m -> m.client().close());
        }
    }

    private synchronized Map<String, GroupMember> snapshot() {
        return new LinkedHashMap<>(members);
    }

    private void checkConcurrency(int requested) {
        if (requested < 1 || requested > maxConcurrency) {
            throw new InvalidPlanException("Group '" + name + "': concurrency must be between 1 and the group's maximum "
                    + maxConcurrency + ", was " + requested + ". Raise the maximum with ClusterGroup.builder().maxConcurrency(n).");
        }
    }

    private synchronized void requireMember(String member) {
        if (!members.containsKey(member)) {
            throw new InvalidPlanException("'" + member + "' is not a member of group '" + name + "'; members: " + members.keySet() + ".");
        }
    }

    /** Builds a {@link ClusterGroup}. */
    public static final class Builder {
        private String name = "group";
        private final Map<String, GroupMember> members = new LinkedHashMap<>();
        private Clock clock = Clock.systemUTC();
        private boolean closeMembers;
        private int concurrency = 4;
        private int maxConcurrency = 16;
        private Duration healthTimeout = Duration.ofSeconds(5);
        private StorageProviders providers = StorageProviders.discover();

        private Builder() {}

        /** The group's name (a DNS label), recorded with its runs and labelled on its backups. Default {@code group}. */
        public Builder name(String name) {
            if (name == null || !GroupMember.DNS_LABEL.matcher(name).matches()) {
                throw new InvalidPlanException("Cluster group name '" + name
                        + "' is not a DNS label (lower-case letters, digits and '-', at most 63 characters).");
            }
            this.name = name;
            return this;
        }

        /**
         * Adds a member: a name (a DNS label, used as its folder) and its engine. A
         * {@link DirectEngine} member is health-checked on its cluster's {@code /readyz}; any other
         * client is not: give it one, e.g. {@code member(name, KBackup.velero(k8s), MemberHealth.readyz(k8s))}.
         */
        public Builder member(String name, BackupClient client) {
            return member(name, client, client == null ? MemberHealth.ALWAYS : GroupMember.defaultHealth(client));
        }

        /** Adds a member with its own health check. */
        public Builder member(String name, BackupClient client, MemberHealth health) {
            members.put(name, GroupMember.joining(members, name, client, health));
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

        /** How many members a run runs at once by default. Default 4. */
        public Builder concurrency(int concurrency) {
            this.concurrency = concurrency;
            return this;
        }

        /** The most members any run may run at once, and the group's thread bound. Default 16. */
        public Builder maxConcurrency(int maxConcurrency) {
            this.maxConcurrency = maxConcurrency;
            return this;
        }

        /** How long a member's health check may take before it counts as unreachable. Default 5 s. */
        public Builder healthTimeout(Duration timeout) {
            this.healthTimeout = Objects.requireNonNull(timeout, "healthTimeout");
            return this;
        }

        /** Where the storage provider for the shared location comes from. Default {@link StorageProviders#discover()}. */
        public Builder storageProviders(StorageProviders providers) {
            this.providers = Objects.requireNonNull(providers, "storageProviders");
            return this;
        }

        /**
         * Validates and builds. A group may start empty (a workspace without clusters yet) and get
         * members with {@link ClusterGroup#addMember}.
         *
         * @throws InvalidPlanException when the concurrency settings are out of range
         */
        public ClusterGroup build() {
            if (maxConcurrency < 1 || concurrency < 1 || concurrency > maxConcurrency) {
                throw new InvalidPlanException("Cluster group '" + name + "': need 1 <= concurrency <= maxConcurrency, got concurrency "
                        + concurrency + " and maxConcurrency " + maxConcurrency + ".");
            }
            if (healthTimeout.isNegative() || healthTimeout.isZero()) {
                throw new InvalidPlanException("Cluster group '" + name + "': healthTimeout must be positive.");
            }
            return new ClusterGroup(this);
        }
    }
}
