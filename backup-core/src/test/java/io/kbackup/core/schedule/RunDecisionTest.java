package io.kbackup.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.kbackup.Schedule;
import java.time.Instant;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class RunDecisionTest {
    private static final Instant ADDED = Instant.parse("2026-11-21T10:00:00Z"); // a Saturday
    private static final Schedule DAILY_AT_2 = Schedule.cron("0 2 * * *");

    private static RunDecision decide(Schedule s, Instant lastStart, Instant now) {
        return RunDecision.decide(s, lastStart, ADDED, now, false, null);
    }

    @Test
    void aPlanWithoutAScheduleIsNeverDue() {
        assertThat(decide(Schedule.never(), null, Instant.parse("2027-01-01T00:00:00Z")).action())
                .isEqualTo(RunDecision.Action.NONE);
    }

    @Test
    void nothingIsDueBeforeTheFirstSlotAfterThePlanWasAdded() {
        assertThat(decide(Schedule.weeklyOnSunday(), null, Instant.parse("2026-11-21T23:59:59Z")).action())
                .isEqualTo(RunDecision.Action.NONE);
    }

    @Test
    void theFirstSlotAfterThePlanWasAddedIsDue() {
        RunDecision d = decide(Schedule.weeklyOnSunday(), null, Instant.parse("2026-11-22T00:00:07Z"));
        assertThat(d.action()).isEqualTo(RunDecision.Action.START);
        assertThat(d.slot().toInstant()).isEqualTo(Instant.parse("2026-11-22T00:00:00Z"));
    }

    @Test
    void aSlotIsNotDueOnceARunStartedAtOrAfterIt() {
        assertThat(decide(DAILY_AT_2, Instant.parse("2026-11-22T02:00:00Z"), Instant.parse("2026-11-22T09:00:00Z")).action())
                .isEqualTo(RunDecision.Action.NONE);
    }

    @Test
    void afterDowntimeOnlyTheLastMissedSlotIsDue() {
        RunDecision d = decide(DAILY_AT_2, Instant.parse("2026-11-22T02:00:00Z"), Instant.parse("2026-12-02T09:00:00Z"));
        assertThat(d.action()).isEqualTo(RunDecision.Action.START);
        assertThat(d.slot().toInstant()).isEqualTo(Instant.parse("2026-12-02T02:00:00Z"));
    }

    @Test
    void aSlotDueWhileThePreviousRunGoesOnIsReportedAsAnOverlap() {
        RunDecision d = RunDecision.decide(DAILY_AT_2, Instant.parse("2026-11-22T02:00:00Z"), ADDED,
                Instant.parse("2026-11-23T02:00:01Z"), true, null);
        assertThat(d.action()).isEqualTo(RunDecision.Action.REPORT_OVERLAP);
        assertThat(d.slot().toInstant()).isEqualTo(Instant.parse("2026-11-23T02:00:00Z"));
    }

    @Test
    void anOverlapAlreadyReportedForTheSlotOnlyWaits() {
        Instant slot = Instant.parse("2026-11-23T02:00:00Z");
        assertThat(RunDecision.decide(DAILY_AT_2, Instant.parse("2026-11-22T02:00:00Z"), ADDED,
                Instant.parse("2026-11-23T02:05:00Z"), true, slot).action()).isEqualTo(RunDecision.Action.WAIT);
    }

    @Test
    void aZonedCronSlotIsTheLocalTimeOfItsZone() {
        RunDecision d = decide(Schedule.cron("30 1 * * *").inZone("Europe/Berlin"), ADDED, Instant.parse("2026-11-22T01:00:00Z"));
        assertThat(d.slot()).isEqualTo(ZonedDateTime.parse("2026-11-22T01:30:00+01:00[Europe/Berlin]"));
    }
}
