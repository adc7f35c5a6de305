package io.kbackup.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.kbackup.BackupPhase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SweepDecisionTest {
    private static final Instant NOW = Instant.parse("2026-11-21T15:00:00Z");
    private static final Instant PAST = NOW.minusSeconds(1);
    private static final Instant FUTURE = NOW.plusSeconds(3600);

    private static PlanBackup backup(int hour, BackupPhase phase, Instant expires) {
        return new PlanBackup("p-202611210" + hour + "0000", phase, Instant.parse("2026-11-21T0" + hour + ":00:00Z"), expires);
    }

    private static List<String> deleted(List<SweepDecision> decisions) {
        return decisions.stream().filter(d -> d.action() == SweepDecision.Action.DELETE).map(SweepDecision::backup).toList();
    }

    @Test
    void finishedBackupsPastTheirExpiryAreDeletedAndOthersNotNamed() {
        List<SweepDecision> d = SweepDecision.decide(RetentionPolicy.expiryOnly(), List.of(
                backup(3, BackupPhase.Completed, FUTURE), backup(2, BackupPhase.Failed, PAST), backup(1, BackupPhase.Completed, PAST)),
                null, NOW);
        assertThat(d).extracting(SweepDecision::backup).containsExactly("p-20261121020000", "p-20261121010000");
        assertThat(d).allSatisfy(x -> assertThat(x.reason()).startsWith("expired at "));
    }

    @Test
    void aBackupInProgressIsNeverDeletedEvenPastItsExpiry() {
        assertThat(SweepDecision.decide(RetentionPolicy.expiryOnly().keepLast(1),
                List.of(backup(2, BackupPhase.InProgress, PAST), backup(1, BackupPhase.New, PAST)), null, NOW)).isEmpty();
    }

    @Test
    void thePlansRunStillGoingIsNeverDeletedWhateverItsRecordSays() {
        assertThat(SweepDecision.decide(RetentionPolicy.expiryOnly(),
                List.of(backup(1, BackupPhase.Completed, PAST)), "p-20261121010000", NOW)).isEmpty();
    }

    @Test
    void keepNewestGoodRetainsTheNewestCompletedBackupPastItsExpiry() {
        List<SweepDecision> d = SweepDecision.decide(RetentionPolicy.expiryOnly().keepNewestGood(true), List.of(
                backup(3, BackupPhase.Failed, PAST), backup(2, BackupPhase.Completed, PAST), backup(1, BackupPhase.Completed, PAST)),
                null, NOW);
        assertThat(deleted(d)).containsExactly("p-20261121030000", "p-20261121010000");
        assertThat(d).filteredOn(x -> x.action() == SweepDecision.Action.RETAIN).singleElement()
                .satisfies(x -> {
                    assertThat(x.backup()).isEqualTo("p-20261121020000");
                    assertThat(x.reason()).endsWith("kept as the newest Completed backup");
                });
    }

    @Test
    void keepLastDeletesFinishedBackupsBeyondTheNewestNBeforeTheyExpire() {
        List<SweepDecision> d = SweepDecision.decide(RetentionPolicy.expiryOnly().keepLast(2), List.of(
                backup(4, BackupPhase.InProgress, FUTURE), backup(3, BackupPhase.Completed, FUTURE),
                backup(2, BackupPhase.Failed, FUTURE), backup(1, BackupPhase.Completed, FUTURE)), null, NOW);
        assertThat(deleted(d)).containsExactly("p-20261121010000");
        assertThat(d.get(0).reason()).isEqualTo("beyond the newest 2");
    }

    @Test
    void keepNewestGoodWinsOverKeepLast() {
        List<SweepDecision> d = SweepDecision.decide(RetentionPolicy.expiryOnly().keepLast(1).keepNewestGood(true), List.of(
                backup(2, BackupPhase.Failed, FUTURE), backup(1, BackupPhase.Completed, FUTURE)), null, NOW);
        assertThat(d).singleElement().satisfies(x -> {
            assertThat(x.backup()).isEqualTo("p-20261121010000");
            assertThat(x.action()).isEqualTo(SweepDecision.Action.RETAIN);
        });
    }

    @Test
    void leftoversOfUnfinishedRunsAreReclaimedOnlyOnceOlderThanTheGracePeriod() {
        Duration grace = Duration.ofHours(2);
        List<SweepDecision> d = SweepDecision.decideLeftovers(List.of(
                new SweepDecision.Leftover("p-20261121120000", NOW.minus(Duration.ofHours(3))),
                new SweepDecision.Leftover("p-20261121130000", NOW.minus(Duration.ofHours(2))),
                new SweepDecision.Leftover("p-20261121140000", NOW.minus(Duration.ofMinutes(119)))), null, grace, NOW);
        assertThat(d).extracting(SweepDecision::backup).containsExactly("p-20261121120000", "p-20261121130000");
        assertThat(d).allSatisfy(x -> {
            assertThat(x.action()).isEqualTo(SweepDecision.Action.RECLAIM);
            assertThat(x.reason()).startsWith("unfinished since ").contains("grace period of PT2H");
        });
    }

    @Test
    void thePlansRunStillGoingIsNeverReclaimedHoweverOld() {
        assertThat(SweepDecision.decideLeftovers(List.of(new SweepDecision.Leftover("p-20261121010000", NOW.minus(Duration.ofDays(3)))),
                "p-20261121010000", Duration.ZERO, NOW)).isEmpty();
    }
}
