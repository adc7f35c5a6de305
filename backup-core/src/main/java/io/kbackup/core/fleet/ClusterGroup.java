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
import io.kbackup.Schedule;
import io.kbackup.core.direct.DirectEngine;
import io.kbackup.core.internal.layout.BucketLayout;
import io.kbackup.spi.BlobInfo;
import io.kbackup.spi.StorageProvider;
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
import java.util.TreeMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

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
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    /** Label put on every member backup of a group run: the group's name. */
    public static final String GROUP_LABEL = "kbackup.io/group";

    private record Member(BackupClient client, MemberHealth health) {}

    private final String name;
    private final Map<String, Member> members;
    private final Clock clock;
    private final boolean closeMembers;
    private final int concurrency;
    private final int maxConcurrency;
    private final Duration healthTimeout;
    private final StorageProviders providers;
    private final ThreadPoolExecutor pool;

    private ClusterGroup(Builder b) {
        this.name = b.name;
        this.members = new LinkedHashMap<>(b.members);
        this.clock = b.clock;
        this.closeMembers = b.closeMembers;
        this.concurrency = b.concurrency;
        this.maxConcurrency = b.maxConcurrency;
        this.healthTimeout = b.healthTimeout;
        this.providers = b.providers;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(maxConcurrency, maxConcurrency, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "kbackup-group-" + name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.pool.allowCoreThreadTimeOut(true);
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
        return addMember(member, client, defaultHealth(client));
    }

    /** Adds a member with its own health check. */
    public synchronized ClusterGroup addMember(String member, BackupClient client, MemberHealth health) {
        checkNewMember(members, member, client, health);
        members.put(member, new Member(client, health));
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
        Map<String, Member> snapshot = snapshot();
        Instant start = clock.instant();
        String run = plan.backupNameAt(start);
        Instant expires = plan.expiry() == null ? null : start.plus(plan.expiry());
        Map<String, String> labels = new LinkedHashMap<>(plan.labels());
        labels.put(GROUP_LABEL, name);
        BackupLocation shared = plan.location();
        StorageProvider storage = providers.open(shared);
        GroupRun.Work<BackupHandle, BackupInfo> work = new GroupRun.Work<>() {
            @Override
            public BackupHandle start(String member, Instant at) {
                Member m = snapshot.get(member);
                checkHealth(m, member);
                BackupPlan own = plan.toBuilder().schedule(Schedule.never()).prefix(null).name(run).labels(labels)
                        .location(GroupRecords.memberLocation(shared, member)).build();
                return m.client().backup(own);
            }

            @Override
            public MemberOutcome finished(String member, Instant started, BackupInfo info, Instant at) {
                return GroupRecords.fromBackup(member, started, info, at);
            }

            @Override
            public void record(String member, MemberOutcome outcome, boolean ran) {
                if (ran) {
                    GroupRecords.write(storage, shared, name, run, outcome, expires);
                } else {
                    GroupRecords.writeIfAbsent(storage, shared, name, run, outcome, expires);
                }
            }

            @Override
            public void done() {
                storage.close();
            }
        };
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
        Map<String, Member> snapshot = snapshot();
        String restoreName = plan.restoreNameAt(clock.instant());
        BackupLocation shared = plan.location();
        List<String> former = new ArrayList<>();
        try (StorageProvider storage = providers.open(shared)) {
            for (String folder : GroupRecords.memberFolders(storage, shared)) {
                if (!snapshot.containsKey(folder)
                        && storage.exists(new BucketLayout(GroupRecords.memberLocation(shared, folder)).backupJson(plan.backupName()))) {
                    former.add(folder);
                }
            }
        }
        GroupRun.Work<RestoreHandle, RestoreInfo> work = new GroupRun.Work<>() {
            @Override
            public RestoreHandle start(String member, Instant at) {
                Member m = snapshot.get(member);
                checkHealth(m, member);
                RestorePlan.Builder b = plan.toBuilder().restoreName(restoreName).location(GroupRecords.memberLocation(shared, member));
                if (perMember != null) {
                    perMember.accept(member, b);
                }
                try {
                    return m.client().restore(b.build());
                } catch (NotFoundException e) {
                    throw new GroupRun.Skip(SkipReason.NO_BACKUP, "no backup '" + plan.backupName() + "' in this member's folder: "
                            + e.getMessage());
                }
            }

            @Override
            public MemberOutcome finished(String member, Instant started, RestoreInfo r, Instant at) {
                MemberPhase phase = switch (r.phase()) {
                    case COMPLETED -> MemberPhase.COMPLETED;
                    case PARTIALLY_FAILED -> MemberPhase.PARTIALLY_FAILED;
                    default -> r.phase().isTerminal() ? MemberPhase.FAILED : MemberPhase.STARTED;
                };
                return new MemberOutcome(member, phase, null, r.failureReason(), started, r.completed() != null ? r.completed() : at,
                        r.itemsTotal(), r.itemsRestored(), r.errors().size(), r.warnings().size());
            }

            @Override
            public void record(String member, MemberOutcome outcome, boolean ran) {
                // restores are recorded by the engines under each member's restores/ folder
            }

            @Override
            public void done() {}
        };
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
        try (StorageProvider storage = providers.open(shared)) {
            return GroupRecords.list(storage, shared, name, null);
        }
    }

    /**
     * One group run, as {@link #listGroupBackups} shows it.
     *
     * @throws NotFoundException when no member has a record of that run
     */
    public GroupRunInfo describeGroupBackup(BackupLocation shared, String run) {
        try (StorageProvider storage = providers.open(shared)) {
            Map<String, MemberOutcome> found = new TreeMap<>();
            for (String member : GroupRecords.memberFolders(storage, shared)) {
                MemberOutcome o = GroupRecords.read(storage, new BucketLayout(GroupRecords.memberLocation(shared, member)), name, member, run);
                if (o != null) {
                    found.put(member, o);
                }
            }
            if (found.isEmpty()) {
                throw new NotFoundException(run, "No run '" + run + "' of group '" + name + "' in location '" + shared.name()
                        + "'; listGroupBackups shows the group's runs there.");
            }
            return GroupRunInfo.of(run, name, found);
        }
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
     */
    public Set<String> deleteBackup(BackupLocation shared, String backupName) {
        Map<String, Member> snapshot = snapshot();
        Set<String> deleted = new LinkedHashSet<>();
        try (StorageProvider storage = providers.open(shared)) {
            for (String folder : GroupRecords.memberFolders(storage, shared)) {
                BackupLocation own = GroupRecords.memberLocation(shared, folder);
                BucketLayout layout = new BucketLayout(own);
                Member m = snapshot.get(folder);
                if (m != null && storage.exists(layout.backupJson(backupName))) {
                    try {
                        m.client().deleteBackup(own, backupName);
                        deleted.add(folder);
                    } catch (NotFoundException e) {
                        // deleted meanwhile
                    }
                }
                List<String> left;
                try (Stream<BlobInfo> blobs = storage.listAll(layout.backupDir(backupName))) {
                    left = blobs.map(BlobInfo::key).toList();
                }
                if (!left.isEmpty()) {
                    storage.delete(layout.backupJson(backupName));
                    storage.deleteAll(left);
                    deleted.add(folder);
                }
            }
        }
        return deleted;
    }

    /**
     * Deletes the records of members that never ran (skipped, refused) whose run expired by
     * {@code now} (the plan's expiry from the run's start): they are in no member backup that an
     * expiry sweep would delete. Called by the scheduler's sweep for group plans. Returns the runs
     * concerned.
     */
    public Set<String> sweepExpiredRecords(BackupLocation shared, Instant now) {
        Set<String> runs = new LinkedHashSet<>();
        try (StorageProvider storage = providers.open(shared)) {
            for (String folder : GroupRecords.memberFolders(storage, shared)) {
                BucketLayout layout = new BucketLayout(GroupRecords.memberLocation(shared, folder));
                for (String p : storage.listPrefixes(layout.backupsPrefix(), "/")) {
                    String run = layout.backupNameOf(p + "x");
                    if (run != null && GroupRecords.expiredRecordOnly(storage, layout, name, run, now)) {
                        storage.delete(layout.groupRecord(run));
                        runs.add(run);
                    }
                }
            }
        }
        return runs;
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

    // ---------------------------------------------------------------------------------------

    private synchronized Map<String, Member> snapshot() {
        return new LinkedHashMap<>(members);
    }

    private void checkHealth(Member m, String member) {
        MemberHealth.Status status;
        try {
            status = m.health().check(healthTimeout);
        } catch (RuntimeException e) {
            status = MemberHealth.Status.unreachable("the health check failed: " + e);
        }
        if (status == null || !status.ready()) {
            SkipReason reason = status == null ? SkipReason.UNREACHABLE : status.reason();
            throw new GroupRun.Skip(reason, "member '" + member + "' skipped: " + (status == null ? "no health status" : status.message()));
        }
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

    /** {@code /readyz} of the engine's cluster for a DirectEngine; no check for other clients. */
    static MemberHealth defaultHealth(BackupClient client) {
        if (client instanceof DirectEngine d) {
            return MemberHealth.readyz(d.client());
        }
        return MemberHealth.ALWAYS;
    }

    private static void checkNewMember(Map<String, ?> members, String name, BackupClient client, MemberHealth health) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(health, "health");
        if (name == null || !DNS_LABEL.matcher(name).matches()) {
            throw new InvalidPlanException("Cluster group member name '" + name
                    + "' is not a DNS label (lower-case letters, digits and '-', at most 63 characters).");
        }
        if (members.containsKey(name)) {
            throw new InvalidPlanException("Cluster group member '" + name + "' was added twice.");
        }
    }

    /** Builds a {@link ClusterGroup}. */
    public static final class Builder {
        private String name = "group";
        private final Map<String, Member> members = new LinkedHashMap<>();
        private Clock clock = Clock.systemUTC();
        private boolean closeMembers;
        private int concurrency = 4;
        private int maxConcurrency = 16;
        private Duration healthTimeout = Duration.ofSeconds(5);
        private StorageProviders providers = StorageProviders.discover();

        private Builder() {}

        /** The group's name (a DNS label), recorded with its runs and labelled on its backups. Default {@code group}. */
        public Builder name(String name) {
            if (name == null || !DNS_LABEL.matcher(name).matches()) {
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
            return member(name, client, client == null ? MemberHealth.ALWAYS : defaultHealth(client));
        }

        /** Adds a member with its own health check. */
        public Builder member(String name, BackupClient client, MemberHealth health) {
            checkNewMember(members, name, client, health);
            members.put(name, new Member(client, health));
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
