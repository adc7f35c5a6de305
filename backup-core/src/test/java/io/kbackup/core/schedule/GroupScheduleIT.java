package io.kbackup.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPlan;
import io.kbackup.Schedule;
import io.kbackup.core.KBackup;
import io.kbackup.core.direct.DirectOptions;
import io.kbackup.core.fleet.ClusterGroup;
import io.kbackup.core.fleet.GroupPhase;
import io.kbackup.core.fleet.TwoEmbeddedClusters;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A group plan on a schedule: two embedded clusters as members, leader election on the first. */
class GroupScheduleIT extends TwoEmbeddedClusters {
    @TempDir
    Path folder;

    private ManualClock clock;
    private BackupLocation shared;

    @BeforeAll
    static void seed() {
        for (KubernetesClient c : List.of(euClient, usClient)) {
            c.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build()).create();
            c.configMaps().inNamespace("shop").resource(new ConfigMapBuilder().withNewMetadata().withName("cm").endMetadata()
                    .addToData("k", "v").build()).create();
        }
    }

    @BeforeEach
    void setUp() {
        clock = new ManualClock(Instant.parse("2026-11-21T10:00:00Z"));
        shared = BackupLocation.localFolder(folder).prefix("ws").build();
    }

    private ClusterGroup group() {
        DirectOptions o = DirectOptions.builder().clock(clock).build();
        return ClusterGroup.builder().name("shop").clock(clock).closeMembers(true)
                .member("eu-1", KBackup.direct(euClient, o)).member("us-1", KBackup.direct(usClient, o)).build();
    }

    private BackupPlan plan() {
        return BackupPlan.builder().prefix("hourly").location(shared).schedule(Schedule.cron("0 * * * *"))
                .includedNamespaces("shop").expiry(Duration.ofHours(2)).build();
    }

    private List<String> names(ClusterGroup g, String member) {
        return g.listBackups(shared).get(member).stream().map(BackupInfo::name).toList();
    }

    @Test
    void exactlyOneOfTwoReplicasRunsEachSlotOfAGroupPlan() {
        List<SchedulerEvent> aEvents = Collections.synchronizedList(new ArrayList<>());
        List<SchedulerEvent> bEvents = Collections.synchronizedList(new ArrayList<>());
        try (ClusterGroup ga = group(); ClusterGroup gb = group()) {
            BackupScheduler a = replica("a", aEvents);
            BackupScheduler b = replica("b", bEvents);
            try {
                a.addGroup(ga, plan());
                b.addGroup(gb, plan());
                a.start();
                await(a::isLeader, "a leads");
                b.start();
                clock.set(Instant.parse("2026-11-21T11:00:00Z"));
                await(() -> completed(aEvents) + completed(bEvents) == 1, "one group run completes");
                assertThat(names(ga, "eu-1")).containsExactly("hourly-20261121110000");
                assertThat(names(ga, "us-1")).containsExactly("hourly-20261121110000");

                a.close();
                await(b::isLeader, "b takes over");
                clock.set(Instant.parse("2026-11-21T12:00:00Z"));
                await(() -> completed(aEvents) + completed(bEvents) == 2, "the next slot runs once on b");
                sleep(500); // further ticks of b must not repeat either slot
                assertThat(started(aEvents)).isEqualTo(1);
                assertThat(started(bEvents)).isEqualTo(1);
                assertThat(names(gb, "eu-1")).containsExactly("hourly-20261121120000", "hourly-20261121110000");
                assertThat(gb.listGroupBackups(shared)).extracting(r -> r.phase()).containsOnly(GroupPhase.COMPLETED);
            } finally {
                a.close();
                b.close();
            }
        }
    }

    @Test
    void aRestartedHostDoesNotRepeatAGroupRunAndExpiresPerMember() {
        List<SchedulerEvent> events = Collections.synchronizedList(new ArrayList<>());
        try (ClusterGroup g = group()) {
            try (BackupScheduler s = BackupScheduler.builder().clock(clock).listener(events::add).build()) {
                s.addGroup(g, plan(), RetentionPolicy.expiryOnly());
                clock.set(Instant.parse("2026-11-21T11:00:00Z"));
                s.runOnce();
                await(() -> completed(events) == 1, "first run completes");
            }
            // a new host: the run of 11:00 is read from the members' records, not repeated
            try (BackupScheduler s = BackupScheduler.builder().clock(clock).listener(events::add).build()) {
                s.addGroup(g, plan(), RetentionPolicy.expiryOnly().keepLast(1));
                clock.set(Instant.parse("2026-11-21T11:30:00Z"));
                s.runOnce();
                assertThat(started(events)).isEqualTo(1);
                clock.set(Instant.parse("2026-11-21T12:00:00Z"));
                s.runOnce();
                await(() -> completed(events) == 2, "second run completes");
                // keepLast(1), per member: each member keeps its newest only
                s.sweepNow();
                assertThat(names(g, "eu-1")).containsExactly("hourly-20261121120000");
                assertThat(names(g, "us-1")).containsExactly("hourly-20261121120000");
                assertThat(events).filteredOn(e -> e.type() == SchedulerEvent.Type.DELETED).hasSize(2);
            }
        }
    }

    private BackupScheduler replica(String identity, List<SchedulerEvent> sink) {
        return BackupScheduler.builder().clock(clock).listener(sink::add).tick(Duration.ofMillis(50))
                .leaderElection(euClient, "default", "kbackup-group-scheduler", identity)
                .leaderElectionTimings(Duration.ofSeconds(2), Duration.ofMillis(1500), Duration.ofMillis(200))
                .build();
    }

    private static long started(List<SchedulerEvent> events) {
        synchronized (events) {
            return events.stream().filter(e -> e.type() == SchedulerEvent.Type.STARTED).count();
        }
    }

    private static long completed(List<SchedulerEvent> events) {
        synchronized (events) {
            return events.stream().filter(e -> e.type() == SchedulerEvent.Type.COMPLETED).count();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(BooleanSupplier condition, String message) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(message);
            }
            sleep(20);
        }
    }
}
