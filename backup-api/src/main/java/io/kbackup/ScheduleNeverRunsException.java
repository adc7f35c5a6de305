package io.kbackup;

/**
 * A schedule that can never run: its days do not exist (the 30th of February, {@code 0 0 30 2 *},
 * {@code Schedule.custom(2, 31, 0, 0)}, the 31st of April and June). Thrown by the
 * {@link Schedule} factories, so such a plan is never built. Fix the day or the month.
 */
public class ScheduleNeverRunsException extends InvalidPlanException {
    private static final long serialVersionUID = 1L;

    private final String cronExpression;

    public ScheduleNeverRunsException(String cronExpression, String message) {
        super(message);
        this.cronExpression = cronExpression;
    }

    /** The five-field cron expression that never matches a date. */
    public String cronExpression() {
        return cronExpression;
    }
}
