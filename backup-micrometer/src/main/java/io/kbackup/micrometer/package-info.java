/**
 * Micrometer metrics of backups and restores: start with {@link io.kbackup.micrometer.KBackupMetrics#bindTo}.
 */
package io.kbackup.micrometer;
