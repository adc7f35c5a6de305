/**
 * Scheduled backups and expiry in a host application: start with
 * {@link io.kbackup.core.schedule.BackupScheduler} (plans with a schedule, optional leader election
 * among replicas), keep backups with a {@link io.kbackup.core.schedule.RetentionPolicy}, and follow
 * what happens through {@link io.kbackup.core.schedule.SchedulerListener} and
 * {@link io.kbackup.core.schedule.SchedulerEvent}. (The VeleroEngine can instead hand a schedule to
 * Velero: {@code VeleroEngine.schedule(plan)}.)
 */
package io.kbackup.core.schedule;
