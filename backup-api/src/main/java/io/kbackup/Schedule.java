package io.kbackup;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * When a plan runs by itself: the choices a platform's backup page offers, or any cron
 * expression. Immutable and thread-safe.
 *
 * <table>
 * <caption>Presets and their exact meaning (in the schedule's time zone, default UTC)</caption>
 * <tr><th>factory</th><th>runs</th><th>cron</th></tr>
 * <tr><td>{@link #never()}</td><td>only on demand</td><td>-</td></tr>
 * <tr><td>{@link #weeklyOnSunday()}</td><td>every Sunday at 00:00</td><td>{@code 0 0 * * 0}</td></tr>
 * <tr><td>{@link #everyTwoWeeks()}</td><td>at 00:00 every 14 days, counted from an anchor date
 *     (default Sunday 2023-01-01), so always on the same weekday, never drifting at month ends</td>
 *     <td>none (not expressible in cron)</td></tr>
 * <tr><td>{@link #monthlyOnFirst()}</td><td>on the 1st of every month at 00:00</td><td>{@code 0 0 1 * *}</td></tr>
 * <tr><td>{@link #everyTwoMonthsOnFirst()}</td><td>on the 1st of January, March, May, July,
 *     September and November at 00:00</td><td>{@code 0 0 1 1/2 *}</td></tr>
 * <tr><td>{@link #custom(Integer, Integer, int, int)}</td><td>the given month, day of month, hour
 *     and minute; a {@code null} month or day means every</td><td>built from the fields</td></tr>
 * <tr><td>{@link #cron(String)}</td><td>any five-field Unix cron expression</td><td>as given</td></tr>
 * </table>
 *
 * <pre>{@code
 * Schedule nightly = Schedule.cron("30 2 * * *").inZone(ZoneId.of("Europe/Berlin"));
 * Optional<ZonedDateTime> next = nightly.nextRunAfter(Instant.now());
 * }</pre>
 */
public final class Schedule extends ValueObject {

    /** The kinds of schedule a user can pick. */
    public enum Kind { NEVER, WEEKLY_SUNDAY, EVERY_TWO_WEEKS, MONTHLY_FIRST, EVERY_TWO_MONTHS_FIRST, CUSTOM, CRON }

    /** The default anchor of {@link #everyTwoWeeks()}: Sunday, 1 January 2023. */
    public static final LocalDate DEFAULT_TWO_WEEK_ANCHOR = LocalDate.of(2023, 1, 1);

    /** Where {@link #cron} starts looking for a first run, to refuse expressions that never run. */
    private static final ZonedDateTime NEVER_RUNS_PROBE = ZonedDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private final Kind kind;
    private final String cron;
    private final LocalDate anchor;
    private final ZoneId zone;
    private final ExecutionTime executionTime;

    private Schedule(Kind kind, String cron, LocalDate anchor, ZoneId zone) {
        this.kind = kind;
        this.cron = cron;
        this.anchor = anchor;
        this.zone = zone;
        this.executionTime = cron == null ? null : ExecutionTime.forCron(parse(cron));
    }

    /** Only on demand. */
    public static Schedule never() {
        return new Schedule(Kind.NEVER, null, null, ZoneOffset.UTC);
    }

    /** Every week on Sunday at midnight. */
    public static Schedule weeklyOnSunday() {
        return new Schedule(Kind.WEEKLY_SUNDAY, "0 0 * * 0", null, ZoneOffset.UTC);
    }

    /** Every two weeks at midnight, counted from {@link #DEFAULT_TWO_WEEK_ANCHOR}. */
    public static Schedule everyTwoWeeks() {
        return everyTwoWeeks(DEFAULT_TWO_WEEK_ANCHOR);
    }

    /** Every two weeks at midnight, on {@code anchor} and every 14th day before and after it. */
    public static Schedule everyTwoWeeks(LocalDate anchor) {
        return new Schedule(Kind.EVERY_TWO_WEEKS, null, Objects.requireNonNull(anchor, "anchor"), ZoneOffset.UTC);
    }

    /** Every month on the first at midnight. */
    public static Schedule monthlyOnFirst() {
        return new Schedule(Kind.MONTHLY_FIRST, "0 0 1 * *", null, ZoneOffset.UTC);
    }

    /** Every two months (January, March, ...) on the first at midnight. */
    public static Schedule everyTwoMonthsOnFirst() {
        return new Schedule(Kind.EVERY_TWO_MONTHS_FIRST, "0 0 1 1/2 *", null, ZoneOffset.UTC);
    }

    /**
     * A custom month, day of month, hour and minute.
     *
     * @param month      1-12, or {@code null} for every month
     * @param dayOfMonth 1-31, or {@code null} for every day
     * @param hour       0-23
     * @param minute     0-59
     * @throws InvalidPlanException naming the field out of range
     * @throws ScheduleNeverRunsException when that day never comes (February 30th or 31st, April 31st, ...)
     */
    public static Schedule custom(Integer month, Integer dayOfMonth, int hour, int minute) {
        check("month", month, 1, 12);
        check("dayOfMonth", dayOfMonth, 1, 31);
        check("hour", hour, 0, 23);
        check("minute", minute, 0, 59);
        String expr = minute + " " + hour + " " + (dayOfMonth == null ? "*" : dayOfMonth) + " "
                + (month == null ? "*" : month) + " *";
        if (month != null && dayOfMonth != null && dayOfMonth > java.time.Month.of(month).maxLength()) {
            throw new ScheduleNeverRunsException(expr, "Schedule custom(" + month + ", " + dayOfMonth + ", " + hour + ", " + minute
                    + ") never runs: " + java.time.Month.of(month) + " has at most " + java.time.Month.of(month).maxLength()
                    + " days. Choose a day that exists, or leave the day null for every day.");
        }
        return new Schedule(Kind.CUSTOM, expr, null, ZoneOffset.UTC);
    }

    /**
     * Any five-field Unix cron expression: minute, hour, day of month, month, day of week.
     *
     * @throws InvalidPlanException when the expression is invalid, saying where
     * @throws ScheduleNeverRunsException when it matches no date ({@code 0 0 30 2 *})
     */
    public static Schedule cron(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new InvalidPlanException("Schedule cron expression is empty; give five fields, e.g. '0 2 * * *' (02:00 daily).");
        }
        String expr = expression.trim().replaceAll("\\s+", " ");
        // any date that exists comes within 8 years of any start (February 29th included)
        if (ExecutionTime.forCron(parse(expr)).nextExecution(NEVER_RUNS_PROBE).isEmpty()) {
            throw new ScheduleNeverRunsException(expr, "Schedule cron expression '" + expr + "' never runs: no date matches its"
                    + " day of month and month (such as the 30th of February). Choose a day that exists in the month.");
        }
        return new Schedule(Kind.CRON, expr, null, ZoneOffset.UTC);
    }

    /** A copy in another time zone (the zone the hours and days are read in). Default UTC. */
    public Schedule inZone(ZoneId zone) {
        Objects.requireNonNull(zone, "zone");
        return new Schedule(kind, cron, anchor, zone);
    }

    /** A copy in the named time zone, e.g. {@code Europe/Berlin}. */
    public Schedule inZone(String zoneId) {
        try {
            return inZone(ZoneId.of(zoneId));
        } catch (DateTimeException e) {
            throw new InvalidPlanException("Schedule time zone '" + zoneId + "' is unknown; use an IANA name such as 'Europe/Berlin' or 'UTC'.");
        }
    }

    /** Which kind of schedule this is. */
    public Kind kind() {
        return kind;
    }

    /** The time zone. */
    public ZoneId zone() {
        return zone;
    }

    /** The anchor date of {@link Kind#EVERY_TWO_WEEKS}, empty for other kinds. */
    public Optional<LocalDate> anchor() {
        return Optional.ofNullable(anchor);
    }

    /** The equivalent five-field cron expression; empty for {@link Kind#NEVER} and {@link Kind#EVERY_TWO_WEEKS}. */
    public Optional<String> cronExpression() {
        return Optional.ofNullable(cron);
    }

    /** Whether this schedule ever runs by itself. */
    public boolean isScheduled() {
        return kind != Kind.NEVER;
    }

    /**
     * The first run strictly after {@code after}, in the schedule's zone; empty for {@link Kind#NEVER}
     * (or a cron that never matches again).
     */
    public Optional<ZonedDateTime> nextRunAfter(Instant after) {
        Objects.requireNonNull(after, "after");
        return run(after, 1, t -> executionTime.nextExecution(t));
    }

    /** The last run at or before {@code atOrBefore}; empty for {@link Kind#NEVER}. */
    public Optional<ZonedDateTime> lastRunAtOrBefore(Instant atOrBefore) {
        Objects.requireNonNull(atOrBefore, "atOrBefore");
        return run(atOrBefore, -1, t ->
                // ExecutionTime.lastExecution is strictly before; include an exact match.
                executionTime.isMatch(t.truncatedTo(ChronoUnit.MINUTES)) && t.getSecond() == 0 && t.getNano() == 0
                        ? Optional.of(t) : executionTime.lastExecution(t));
    }

    /**
     * The run nearest {@code at}: the first strictly after it ({@code step} 1) or the last at or
     * before it ({@code step} -1); {@code cron} finds it for a cron schedule.
     */
    private Optional<ZonedDateTime> run(Instant at, int step, Function<ZonedDateTime, Optional<ZonedDateTime>> cron) {
        ZonedDateTime t = at.atZone(zone);
        return switch (kind) {
            case NEVER -> Optional.empty();
            case EVERY_TWO_WEEKS -> Optional.of(fortnightRun(t, step, run -> run.toInstant().isAfter(at) == (step > 0)));
            default -> cron.apply(t).map(z -> z.withZoneSameInstant(zone));
        };
    }

    /**
     * The first two-week run {@code wanted} accepts, from the one of {@code t}'s fortnight on,
     * stepping {@code step} fortnights (1 forwards, -1 backwards); one of three always is.
     */
    private ZonedDateTime fortnightRun(ZonedDateTime t, int step, Predicate<ZonedDateTime> wanted) {
        long k = Math.floorDiv(ChronoUnit.DAYS.between(anchor, t.toLocalDate()), 14);
        for (long i = k; Math.abs(i - k) <= 2; i += step) {
            ZonedDateTime run = anchor.plusDays(i * 14).atStartOfDay(zone);
            if (wanted.test(run)) {
                return run;
            }
        }
        throw new IllegalStateException("unreachable");
    }

    @Override
    List<Object> values() {
        return Arrays.asList(kind, cron, anchor, zone);
    }

    @Override
    public String toString() {
        return "Schedule[" + kind + (cron != null ? " '" + cron + "'" : "") + (anchor != null ? " from " + anchor : "")
                + " " + zone + "]";
    }

    private static Cron parse(String expr) {
        try {
            return PARSER.parse(expr).validate();
        } catch (IllegalArgumentException e) {
            throw new InvalidPlanException("Schedule cron expression '" + expr + "' is invalid: " + e.getMessage()
                    + ". Use five fields: minute hour day-of-month month day-of-week, e.g. '0 2 * * *'.", e);
        }
    }

    private static void check(String field, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            throw new InvalidPlanException("Schedule " + field + " must be between " + min + " and " + max + ", was " + value + ".");
        }
    }
}
