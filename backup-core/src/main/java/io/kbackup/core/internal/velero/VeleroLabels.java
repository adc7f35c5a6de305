package io.kbackup.core.internal.velero;

/** kbackup's own labels the VeleroEngine reads and writes; Velero's are in {@code internal.layout.VeleroKeys}. */
public final class VeleroLabels {
    /** Ties a Backup, Schedule or Restore to the plan that made it: the plan's prefix or fixed name. */
    public static final String PLAN = "kbackup.io/plan";
    /** Ties a credentials Secret to its location. */
    public static final String LOCATION = "kbackup.io/location";
    /** Marks what the SDK created and may update. */
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY_VALUE = "kbackup";

    private VeleroLabels() {}
}
