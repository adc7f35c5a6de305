package io.kbackup.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.InvalidPlanException;
import io.kbackup.Schedule;
import io.kbackup.core.KBackup;
import io.kbackup.core.direct.DirectEngine;
import io.kbackup.core.direct.DirectOptions;
import io.kbackup.spi.StorageProviders;
import io.kbackup.testkit.cluster.EmbeddedCluster;
import io.kbackup.testkit.cluster.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupSchedulerIT {

    static TestCluster cluster;
    static KubernetesClient client;

    @TempDir
    Path folder;

    private ManualClock clock;
    private GatedStorageFactory gated;
    private DirectEngine engine;
    private BackupLocation location;
    private final List<SchedulerEvent> events = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void startCluster() {
        startCluster(EmbeddedCluster.start());
    }

    static void startCluster(TestCluster started) {
        cluster = started;
        client = cluster.client();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build()).create();
        for (int i = 0; i < 5; i++) {
            client.configMaps().inNamespace("shop").resource(new ConfigMapBuilder().withNewMetadata().withName("cm-" + i)
                    .endMetadata().addToData("k", "v" + i).build()).create();
        }
    }

    @AfterAll
    static void stopCluster() {
        client.close();
        cluster.close();
    }

    @BeforeEach
    void setUp() {
        clock = new ManualClock(Instant.parse("2026-11-21T10:00:00Z")); // a Saturday
        gated = new GatedStorageFactory();
        engine = newEngine();
        location = BackupLocation.builder().provider(GatedStorageFactory.ID).bucket(folder.toString()).build();
    }

    @AfterEach
    void tearDown() {
        gated.open();
        engine.close();
    }

    private DirectEngine newEngine() {
        return KBackup.direct(client, DirectOptions.builder().clock(clock)
                .storageProviders(StorageProviders.discover().with(gated)).build());
    }

    private BackupScheduler scheduler(DirectEngine with) {
        return BackupScheduler.builder().backupClient(with).clock(clock).listener(events::add).build();
    }

    private BackupPlan plan(String prefix, Schedule schedule) {
        return BackupPlan.builder().prefix(prefix).location(location).schedule(schedule).includedNamespaces("shop").build();
    }

    private List<BackupInfo> backups(String prefix) {
        return engine.listBackups(location).stream().filter(b -> b.name().startsWith(prefix + "-")).toList();
    }

    private long count(SchedulerEvent.Type type) {
        synchronized (events) {
            return events.stream().filter(e -> e.type() == type).count();
        }
    }

    /** Sets the clock to {@code instant} and lets {@code scheduler} start what is due then. */
    private void runAt(BackupScheduler scheduler, String instant) {
        clock.set(Instant.parse(instant));
        scheduler.runOnce();
    }

    /** Waits for the backups the scheduler started (they run on the engine's threads) to end. */
    private void awaitIdle(String prefix, int expected) {
        await(() -> backups(prefix).size() == expected && backups(prefix).stream().allMatch(b -> b.phase().isTerminal()),
                "expected " + expected + " finished backups of " + prefix + ", have " + backups(prefix));
        // the bucket says Completed a moment before the run's handle completes; a tick in between
        // would see the run still in flight and (rightly) skip the next slot as an overlap
        awaitQuiet();
    }

    /** Waits until every backup the scheduler started has ended, so the clock can move on. */
    private void awaitQuiet() {
        await(() -> count(SchedulerEvent.Type.STARTED) == count(SchedulerEvent.Type.COMPLETED) + count(SchedulerEvent.Type.FAILED),
                "runs still in progress: " + events);
    }

    private static void await(BooleanSupplier condition, String message) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(message);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void runsAWeeklyPlanOnceAtItsSlotAndNamesItWithThePrefix() {
        try (BackupScheduler s = scheduler(engine)) {
            s.add(plan("weekly", Schedule.weeklyOnSunday()));
            s.runOnce();
            assertThat(backups("weekly")).isEmpty();

            runAt(s, "2026-11-22T00:00:07Z");
            awaitIdle("weekly", 1);
            BackupInfo b = backups("weekly").get(0);
            assertThat(b.name()).isEqualTo("weekly-20261122000007");
            assertThat(b.phase()).isEqualTo(BackupPhase.COMPLETED);
            assertThat(b.scheduleName()).isEqualTo("weekly");

            clock.advance(Duration.ofHours(3));
            s.runOnce();
            runAt(s, "2026-11-28T23:59:59Z");
            assertThat(backups("weekly")).hasSize(1);

            runAt(s, "2026-11-29T00:00:00Z");
            awaitIdle("weekly", 2);
        }
        assertThat(count(SchedulerEvent.Type.STARTED)).isEqualTo(2);
        assertThat(count(SchedulerEvent.Type.COMPLETED)).isEqualTo(2);
        assertThat(count(SchedulerEvent.Type.SCHEDULED)).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aDrillRunsAfterEachScheduledBackupAndIsReportedAsAnEvent() throws Exception {
        try (EmbeddedCluster scratch = EmbeddedCluster.start();
                BackupScheduler s = BackupScheduler.builder().backupClient(engine).clock(clock).listener(events::add)
                        .drillAfterEachBackup((where, name) -> engine.drill(where, name, scratch.client(), Duration.ofSeconds(60))).build()) {
            s.add(plan("drilled", Schedule.weeklyOnSunday()));
            runAt(s, "2026-11-22T00:00:07Z");
            awaitIdle("drilled", 1);
            await(() -> count(SchedulerEvent.Type.DRILL_PASSED) + count(SchedulerEvent.Type.DRILL_FAILED) == 1, "no drill event: " + events);
            SchedulerEvent drill;
            synchronized (events) {
                drill = events.stream().filter(e -> e.type() == SchedulerEvent.Type.DRILL_PASSED).findFirst().orElseThrow(
                        () -> new AssertionError("the drill did not pass: " + events));
            }
            assertThat(drill.backup()).isEqualTo("drilled-20261122000007");
            assertThat(drill.message()).startsWith("drill compared ").doesNotContain("problems");
            // the plan's five ConfigMaps (a real source cluster also has its kube-root-ca.crt in every namespace)
            assertThat(scratch.client().configMaps().inNamespace("shop").list().getItems())
                    .filteredOn(c -> c.getMetadata().getName().startsWith("cm-")).hasSize(5);
        }
    }

    @Test
    void everyPresetRunsExactlyOnceAtItsNextSlot() {
        Map<String, Schedule> presets = Map.of(
                "weekly", Schedule.weeklyOnSunday(),
                "biweekly", Schedule.everyTwoWeeks(),
                "monthly", Schedule.monthlyOnFirst(),
                "bimonthly", Schedule.everyTwoMonthsOnFirst(),
                "custom", Schedule.custom(12, 24, 18, 30),
                "cron", Schedule.cron("15 3 * * 1-5"));
        for (Map.Entry<String, Schedule> p : presets.entrySet()) {
            clock.set(Instant.parse("2026-11-21T10:00:00Z"));
            try (BackupScheduler s = scheduler(engine)) {
                s.add(plan(p.getKey(), p.getValue()));
                Instant next = p.getValue().nextRunAfter(clock.instant()).orElseThrow().toInstant();
                clock.set(next.minusSeconds(1));
                s.runOnce();
                assertThat(backups(p.getKey())).as(p.getKey()).isEmpty();
                clock.set(next);
                s.runOnce();
                awaitIdle(p.getKey(), 1);
                s.runOnce();
                assertThat(backups(p.getKey())).as(p.getKey()).hasSize(1);
                assertThat(backups(p.getKey()).get(0).name()).isEqualTo(p.getKey() + "-" + BackupPlan.NAME_TIMESTAMP.format(next));
            }
        }
    }

    @Test
    void aCronPlanInAZoneRunsOncePerDayAcrossADstChangeAndAMonthEnd() {
        clock.set(Instant.parse("2026-03-27T12:00:00Z"));
        try (BackupScheduler s = scheduler(engine)) {
            s.add(plan("dst", Schedule.cron("30 1 * * *").inZone(ZoneId.of("Europe/Berlin"))));
            // step through 27 March 12:00 UTC .. 2 April 00:00 UTC in 10-minute ticks
            while (clock.instant().isBefore(Instant.parse("2026-04-02T00:00:00Z"))) {
                clock.advance(Duration.ofMinutes(10));
                s.runOnce();
                awaitQuiet();
            }
            // 01:30 local on 28, 29 (the day of the change), 30, 31 March, 1 and 2 April (= 1 April 23:30 UTC)
            awaitIdle("dst", 6);
            List<LocalDateTime> local = backups("dst").stream()
                    .map(b -> LocalDateTime.ofInstant(b.started(), ZoneId.of("Europe/Berlin"))).sorted().toList();
            assertThat(local).allSatisfy(t -> {
                assertThat(t.getHour()).isEqualTo(1);
                assertThat(t.getMinute()).isBetween(30, 39);
            });
            assertThat(local.stream().map(LocalDateTime::toLocalDate).distinct()).hasSize(6);
        }
    }

    /** A first scheduler, on {@link #engine}, runs plan {@code name} (daily at 02:00) once at {@code at}, then stops. */
    private void firstHostRunsAt2Once(String name, String at) {
        try (BackupScheduler s = scheduler(engine)) {
            s.add(plan(name, Schedule.cron("0 2 * * *")));
            runAt(s, at);
            awaitIdle(name, 1);
        }
    }

    @Test
    void afterDowntimeAMissedRunHappensOnceNotOncePerMissedSlot() {
        firstHostRunsAt2Once("daily", "2026-11-22T02:00:00Z");
        // the host is down for ten days
        clock.set(Instant.parse("2026-12-02T09:00:00Z"));
        try (BackupScheduler restarted = scheduler(engine)) {
            restarted.add(plan("daily", Schedule.cron("0 2 * * *")));
            restarted.runOnce();
            restarted.runOnce();
            awaitIdle("daily", 2);
            restarted.runOnce();
            assertThat(backups("daily")).hasSize(2);
        }
    }

    @Test
    void aRestartedHostNeitherForgetsNorRepeatsARun() {
        firstHostRunsAt2Once("nightly", "2026-11-22T02:00:30Z");
        clock.set(Instant.parse("2026-11-22T02:05:00Z"));
        try (BackupScheduler again = scheduler(newEngine())) {
            again.add(plan("nightly", Schedule.cron("0 2 * * *")));
            again.runOnce();
            assertThat(backups("nightly")).hasSize(1);
            runAt(again, "2026-11-23T02:00:00Z");
            awaitIdle("nightly", 2);
        }
    }

    @Test
    void anOverlappingRunIsRefusedAndRunsOnceThePreviousEnds() {
        try (BackupScheduler s = scheduler(engine)) {
            s.add(plan("hourly", Schedule.cron("0 * * * *")));
            gated.close();
            runAt(s, "2026-11-21T11:00:00Z");
            assertThat(count(SchedulerEvent.Type.STARTED)).isEqualTo(1);

            runAt(s, "2026-11-21T12:00:00Z");
            s.runOnce();
            assertThat(count(SchedulerEvent.Type.STARTED)).isEqualTo(1);
            assertThat(count(SchedulerEvent.Type.SKIPPED_OVERLAP)).isEqualTo(1);

            gated.open();
            awaitIdle("hourly", 1);
            await(() -> count(SchedulerEvent.Type.COMPLETED) == 1, "first run completes");
            runAt(s, "2026-11-21T12:20:00Z");
            awaitIdle("hourly", 2);
            s.runOnce();
            assertThat(backups("hourly")).hasSize(2);
        }
    }

    @Test
    void expiredBackupsAreSweptButNotUnexpiredOrRunningOnes() {
        BackupPlan p = plan("exp", Schedule.cron("0 * * * *")).toBuilder().expiry(Duration.ofMinutes(150)).build();
        try (BackupScheduler s = scheduler(engine)) {
            s.add(p);
            for (int h = 11; h <= 13; h++) {
                runAt(s, "2026-11-21T" + h + ":00:00Z");
                awaitIdle("exp", h - 10);
            }
            // 15:00: the 15:00 run is held in progress (the gate is shut)
            gated.close();
            runAt(s, "2026-11-21T15:00:00Z");
            s.sweepNow();
            // 11:00's backup expired at 13:30 and 12:00's at 14:30; 13:00's has half an hour left
            assertThat(backups("exp")).extracting(BackupInfo::name)
                    .doesNotContain("exp-20261121110000", "exp-20261121120000").contains("exp-20261121130000");
            assertThat(count(SchedulerEvent.Type.DELETED)).isEqualTo(2);
            gated.open();
            awaitIdle("exp", 2);
            // nothing unexpired is deleted
            s.sweepNow();
            assertThat(backups("exp")).hasSize(2);
        }
    }

    @Test
    void keepNewestGoodKeepsTheNewestCompletedBackupPastItsExpiry() {
        BackupPlan p = plan("ret", Schedule.cron("0 * * * *")).toBuilder().expiry(Duration.ofMinutes(30)).build();
        try (BackupScheduler s = scheduler(engine)) {
            s.add(p, RetentionPolicy.expiryOnly().keepNewestGood(true));
            runAt(s, "2026-11-21T11:00:00Z");
            awaitIdle("ret", 1);
            clock.set(Instant.parse("2026-11-21T15:00:00Z"));
            s.sweepNow();
            assertThat(backups("ret")).extracting(BackupInfo::name).containsExactly("ret-20261121110000");
            assertThat(count(SchedulerEvent.Type.RETAINED)).isEqualTo(1);
        }
    }

    @Test
    void keepLastDeletesFinishedBackupsBeyondTheNewestN() {
        BackupPlan q = plan("last", Schedule.cron("0 * * * *")).toBuilder().expiry(Duration.ofDays(30)).build();
        try (BackupScheduler s = scheduler(engine)) {
            s.add(q, RetentionPolicy.expiryOnly().keepLast(2));
            for (int h = 16; h <= 19; h++) {
                runAt(s, "2026-11-21T" + h + ":00:00Z");
                awaitIdle("last", Math.min(h - 15, 3));
            }
            s.sweepNow();
            assertThat(backups("last")).extracting(BackupInfo::name)
                    .containsExactlyInAnyOrder("last-20261121180000", "last-20261121190000");
        }
    }

    @Test
    void aPlanWithoutAPrefixIsRefused() {
        try (BackupScheduler s = scheduler(engine)) {
            assertThatThrownBy(() -> s.add(BackupPlan.builder().name("fixed").location(location).build()))
                    .isInstanceOf(InvalidPlanException.class).hasMessageContaining("prefix");
        }
    }

    @Test
    void aPlanAddedTwiceIsRefused() {
        try (BackupScheduler s = scheduler(engine)) {
            s.add(plan("twice", Schedule.weeklyOnSunday()));
            assertThatThrownBy(() -> s.add(plan("twice", Schedule.weeklyOnSunday())))
                    .isInstanceOf(InvalidPlanException.class).hasMessageContaining("already scheduled");
        }
    }

    @Test
    void exactlyOneOfTwoReplicasRunsAndTheOtherTakesOverWhenTheLeaderGoesAway() {
        BackupPlan p = plan("ha", Schedule.cron("0 * * * *"));
        List<SchedulerEvent> aEvents = Collections.synchronizedList(new ArrayList<>());
        List<SchedulerEvent> bEvents = Collections.synchronizedList(new ArrayList<>());
        BackupScheduler a = replica("a", aEvents);
        BackupScheduler b = replica("b", bEvents);
        try {
            a.add(p);
            b.add(p);
            a.start();
            await(a::isLeader, "a leads");
            b.start();
            clock.set(Instant.parse("2026-11-21T11:00:00Z"));
            awaitIdle("ha", 1);
            assertThat(b.isLeader()).isFalse();
            assertThat(bEvents).noneMatch(e -> e.type() == SchedulerEvent.Type.STARTED);

            a.close();
            await(b::isLeader, "b takes over");
            clock.set(Instant.parse("2026-11-21T12:00:00Z"));
            awaitIdle("ha", 2);
            assertThat(bEvents).anyMatch(e -> e.type() == SchedulerEvent.Type.LEADER_ACQUIRED);
            assertThat(bEvents).filteredOn(e -> e.type() == SchedulerEvent.Type.STARTED).hasSize(1);
            assertThat(aEvents).filteredOn(e -> e.type() == SchedulerEvent.Type.STARTED).hasSize(1);
        } finally {
            a.close();
            b.close();
        }
    }

    private BackupScheduler replica(String identity, List<SchedulerEvent> sink) {
        return BackupScheduler.builder().backupClient(engine).clock(clock).listener(sink::add)
                .tick(Duration.ofMillis(50))
                .leaderElection(client, "default", "kbackup-scheduler", identity)
                .leaderElectionTimings(Duration.ofSeconds(2), Duration.ofMillis(1500), Duration.ofMillis(200))
                .build();
    }
}
