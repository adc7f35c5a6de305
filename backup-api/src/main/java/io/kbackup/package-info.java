/**
 * The public types of kbackup, the same for both engines. Start with
 * {@link io.kbackup.BackupLocation} (where backups are kept: a bucket of a storage provider, or a
 * local folder, with its {@link io.kbackup.Credentials}), then a {@link io.kbackup.BackupPlan} (what
 * to back up, when by {@link io.kbackup.Schedule}, for how long) or a {@link io.kbackup.RestorePlan},
 * handed to a {@link io.kbackup.BackupClient} (from {@code io.kbackup.core.KBackup} in
 * {@code backup-core}). Running work is a {@link io.kbackup.BackupHandle} or
 * {@link io.kbackup.RestoreHandle}; results are {@link io.kbackup.BackupInfo},
 * {@link io.kbackup.RestoreInfo} and {@link io.kbackup.RestorePreview}.
 *
 * <p>Every exception the SDK throws is a {@link io.kbackup.KBackupException}; its subclasses say
 * where the fault is and {@code retryable()} whether trying again can help. Values are immutable and
 * thread-safe; {@code toString()} never prints a secret.
 */
package io.kbackup;
