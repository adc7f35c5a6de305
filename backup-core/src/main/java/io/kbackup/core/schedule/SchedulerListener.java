package io.kbackup.core.schedule;

/**
 * Receives {@link SchedulerEvent}s. Called on the scheduler's thread (or the thread that completes
 * a backup): return quickly, and don't throw (exceptions are logged and ignored).
 */
@FunctionalInterface
public interface SchedulerListener {
    void onEvent(SchedulerEvent event);
}
