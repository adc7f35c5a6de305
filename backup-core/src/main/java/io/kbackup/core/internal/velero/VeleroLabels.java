package io.kbackup.core.internal.velero;

/** Labels the VeleroEngine reads and writes. */
public final class VeleroLabels {
    /** Ties a Backup, Schedule or Restore to the plan that made it: the plan's prefix or fixed name. */
    public static final String PLAN = "kbackup.io/plan";
    /** Ties a credentials Secret to its location. */
    public static final String LOCATION = "kbackup.io/location";
    /** Marks what the SDK created and may update. */
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY_VALUE = "kbackup";

    public static final String BACKUP_NAME = "velero.io/backup-name";
    public static final String RESTORE_NAME = "velero.io/restore-name";
    public static final String SCHEDULE_NAME = "velero.io/schedule-name";
    public static final String STORAGE_LOCATION = "velero.io/storage-location";

    private VeleroLabels() {}
}
