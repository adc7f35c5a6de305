package io.kbackup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

class ScheduleTest {

    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static Instant utc(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(UTC).toInstant();
    }

    @Test
    void neverHasNoNextRun() {
        assertThat(Schedule.never().nextRunAfter(Instant.now())).isEmpty();
        assertThat(Schedule.never().isScheduled()).isFalse();
    }

    @Test
    void weeklyRunsOnSundayAtMidnight() {
        // Saturday 2026-11-21 10:00 -> Sunday 2026-11-22 00:00
        ZonedDateTime next = Schedule.weeklyOnSunday().nextRunAfter(utc("2026-11-21T10:00:00")).orElseThrow();
        assertThat(next.toLocalDateTime()).isEqualTo(LocalDateTime.parse("2026-11-22T00:00:00"));
        assertThat(next.getDayOfWeek()).isEqualTo(DayOfWeek.SUNDAY);
        // exactly at a run: the next one is a week later
        ZonedDateTime after = Schedule.weeklyOnSunday().nextRunAfter(next.toInstant()).orElseThrow();
        assertThat(after.toLocalDateTime()).isEqualTo(LocalDateTime.parse("2026-11-29T00:00:00"));
    }

    @Test
    void everyTwoWeeksCountsFourteenDaysFromTheAnchorAcrossMonthAndYearEnds() {
        Schedule s = Schedule.everyTwoWeeks();
        Instant t = utc("2026-11-21T10:00:00");
        for (int i = 0; i < 30; i++) {
            ZonedDateTime next = s.nextRunAfter(t).orElseThrow();
            assertThat(next.toLocalTime().toSecondOfDay()).isZero();
            long days = ChronoUnit.DAYS.between(Schedule.DEFAULT_TWO_WEEK_ANCHOR, next.toLocalDate());
            assertThat(days % 14).isZero();
            if (i > 0) {
                assertThat(ChronoUnit.DAYS.between(t, next.toInstant())).isEqualTo(14);
            }
            t = next.toInstant();
        }
    }

    @Test
    void everyTwoWeeksKeepsLocalMidnightOverADstChange() {
        Schedule s = Schedule.everyTwoWeeks(LocalDate.of(2026, 3, 22)).inZone(BERLIN);
        ZonedDateTime first = s.nextRunAfter(LocalDateTime.parse("2026-03-21T12:00:00").atZone(BERLIN).toInstant()).orElseThrow();
        ZonedDateTime second = s.nextRunAfter(first.toInstant()).orElseThrow();
        assertThat(first.toLocalDateTime()).isEqualTo(LocalDateTime.parse("2026-03-22T00:00:00"));
        assertThat(second.toLocalDateTime()).isEqualTo(LocalDateTime.parse("2026-04-05T00:00:00"));
        // one hour less in between: the clocks went forward on 29 March
        assertThat(ChronoUnit.HOURS.between(first, second)).isEqualTo(14 * 24 - 1);
    }

    @Test
    void monthlyRunsOnTheFirstAcrossAMonthBoundary() {
        ZonedDateTime next = Schedule.monthlyOnFirst().nextRunAfter(utc("2026-11-30T23:59:00")).orElseThrow();
        assertThat(next.toLocalDateTime()).isEqualTo(LocalDateTime.parse("2026-12-01T00:00:00"));
        ZonedDateTime after = Schedule.monthlyOnFirst().nextRunAfter(utc("2026-12-31T23:00:00")).orElseThrow();
        assertThat(after.toLocalDateTime()).isEqualTo(LocalDateTime.parse("2027-01-01T00:00:00"));
    }

    @Test
    void everyTwoMonthsRunsOnTheFirstOfOddMonths() {
        Schedule s = Schedule.everyTwoMonthsOnFirst();
        assertThat(s.nextRunAfter(utc("2026-11-21T00:00:00")).orElseThrow().toLocalDateTime())
                .isEqualTo(LocalDateTime.parse("2027-01-01T00:00:00"));
        assertThat(s.nextRunAfter(utc("2027-01-01T00:00:00")).orElseThrow().toLocalDateTime())
                .isEqualTo(LocalDateTime.parse("2027-03-01T00:00:00"));
    }

    @Test
    void customFieldsBuildACronAndRunThen() {
        Schedule s = Schedule.custom(null, 15, 3, 30);
        assertThat(s.cronExpression()).contains("30 3 15 * *");
        assertThat(s.nextRunAfter(utc("2026-11-21T00:00:00")).orElseThrow().toLocalDateTime())
                .isEqualTo(LocalDateTime.parse("2026-12-15T03:30:00"));
        Schedule yearly = Schedule.custom(2, 1, 0, 0);
        assertThat(yearly.nextRunAfter(utc("2026-11-21T00:00:00")).orElseThrow().toLocalDateTime())
                .isEqualTo(LocalDateTime.parse("2027-02-01T00:00:00"));
    }

    @Test
    void customRejectsOutOfRangeFieldsNamingTheField() {
        assertThatThrownBy(() -> Schedule.custom(13, 1, 0, 0)).isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("month");
        assertThatThrownBy(() -> Schedule.custom(null, null, 24, 0)).isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("hour");
    }

    @Test
    void cronInAZoneRunsAtLocalTimeAcrossADstChange() {
        Schedule s = Schedule.cron("30 1 * * *").inZone(BERLIN);
        // 28 March 2026 01:30 CET = 00:30 UTC; 29 March 01:30 CET (before the 02:00 jump) = 00:30 UTC;
        // 30 March 01:30 CEST = 23:30 UTC on the 29th
        ZonedDateTime a = s.nextRunAfter(utc("2026-03-28T12:00:00")).orElseThrow();
        ZonedDateTime b = s.nextRunAfter(a.toInstant()).orElseThrow();
        assertThat(a.toLocalDateTime()).isEqualTo(LocalDateTime.parse("2026-03-29T01:30:00"));
        assertThat(b.toLocalDateTime()).isEqualTo(LocalDateTime.parse("2026-03-30T01:30:00"));
        assertThat(ChronoUnit.HOURS.between(a, b)).isEqualTo(23);
    }

    @Test
    void badCronFailsAndSaysWhere() {
        assertThatThrownBy(() -> Schedule.cron("61 * * * *")).isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("61 * * * *").hasMessageContaining("minute hour day-of-month");
        assertThatThrownBy(() -> Schedule.cron("* * *")).isInstanceOf(InvalidPlanException.class);
        assertThatThrownBy(() -> Schedule.cron(" ")).isInstanceOf(InvalidPlanException.class);
    }

    @Test
    void unknownZoneIsRefused() {
        assertThatThrownBy(() -> Schedule.weeklyOnSunday().inZone("Mars/Olympus"))
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("Mars/Olympus");
    }

    @Test
    void lastRunAtOrBeforeIncludesAnExactSlot() {
        Schedule s = Schedule.cron("0 2 * * *");
        assertThat(s.lastRunAtOrBefore(utc("2026-11-21T02:00:00")).orElseThrow().toLocalDateTime())
                .isEqualTo(LocalDateTime.parse("2026-11-21T02:00:00"));
        assertThat(s.lastRunAtOrBefore(utc("2026-11-21T01:59:59")).orElseThrow().toLocalDateTime())
                .isEqualTo(LocalDateTime.parse("2026-11-20T02:00:00"));
        Schedule two = Schedule.everyTwoWeeks();
        ZonedDateTime last = two.lastRunAtOrBefore(utc("2026-11-21T10:00:00")).orElseThrow();
        assertThat(two.nextRunAfter(last.toInstant()).orElseThrow().toInstant()).isAfter(utc("2026-11-21T10:00:00"));
    }

    @Test
    void schedulesWhoseDaysNeverComeAreRefusedWhenBuilt() {
        assertThatThrownBy(() -> Schedule.cron("0 0 30 2 *")).isInstanceOfSatisfying(ScheduleNeverRunsException.class,
                e -> assertThat(e.cronExpression()).isEqualTo("0 0 30 2 *")).hasMessageContaining("never runs");
        assertThatThrownBy(() -> Schedule.cron("0 0 31 4,6 *")).isInstanceOf(ScheduleNeverRunsException.class);
        assertThatThrownBy(() -> Schedule.custom(2, 31, 0, 0)).isInstanceOf(ScheduleNeverRunsException.class)
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("FEBRUARY has at most 29 days");
        assertThatThrownBy(() -> Schedule.custom(4, 31, 0, 0)).isInstanceOf(ScheduleNeverRunsException.class);
    }

    @Test
    void rareButRealDaysAreAccepted() {
        assertThat(Schedule.cron("0 0 29 2 *").nextRunAfter(utc("2026-03-01T00:00:00")).orElseThrow().toLocalDate())
                .isEqualTo(LocalDate.of(2028, 2, 29));
        assertThat(Schedule.custom(2, 29, 0, 0).cronExpression()).contains("0 0 29 2 *");
        assertThat(Schedule.cron("0 0 30 2 1").nextRunAfter(utc("2026-01-01T00:00:00"))).as("or with the weekday: Mondays").isPresent();
    }
}
