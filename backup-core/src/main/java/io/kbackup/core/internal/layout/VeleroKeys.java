package io.kbackup.core.internal.layout;

/**
 * The {@code velero.io/} labels and annotations Velero reads and writes, in one place. Label values
 * longer than 63 characters are shortened as Velero does ({@code SnapshotApi.labelValue}).
 */
public final class VeleroKeys {
    /** The API group and version of Velero's objects and of {@code velero-backup.json}. */
    public static final String API_VERSION = "velero.io/v1";

    /** Label: the backup an object belongs to (a Backup's own, a VolumeSnapshot it made, a restored item's source). */
    public static final String BACKUP_NAME = "velero.io/backup-name";
    /** Label: the uid of the Backup a DeleteBackupRequest is for. */
    public static final String BACKUP_UID = "velero.io/backup-uid";
    /** Label: the restore that created an object. */
    public static final String RESTORE_NAME = "velero.io/restore-name";
    /** Label: the Schedule that made a backup. */
    public static final String SCHEDULE_NAME = "velero.io/schedule-name";
    /** Label: the BackupStorageLocation of a backup. */
    public static final String STORAGE_LOCATION = "velero.io/storage-location";
    /** Label {@code =true}: leave this object (and, on a Namespace, everything in it) out of backups. */
    public static final String EXCLUDE_FROM_BACKUP = "velero.io/exclude-from-backup";
    /** Label on a VolumeSnapshotClass ({@code =true}) or annotation on a claim (class name): the class to use. */
    /** Label and annotation on an archived claim: the name of its VolumeSnapshot (Velero's CSI restore reads the annotation). */
    public static final String VOLUME_SNAPSHOT_NAME = "velero.io/volume-snapshot-name";
    public static final String CSI_SNAPSHOT_CLASS = "velero.io/csi-volumesnapshot-class";

    /** Annotation on a backed-up VolumeSnapshot: the storage's snapshot handle. */
    public static final String CSI_SNAPSHOT_HANDLE = "velero.io/csi-volumesnapshot-handle";
    /** Annotation on a backed-up VolumeSnapshot: the CSI driver. */
    public static final String CSI_DRIVER_NAME = "velero.io/csi-driver-name";
    /** Annotation on a backed-up VolumeSnapshot: the restore size. */
    public static final String CSI_RESTORE_SIZE = "velero.io/csi-volumesnapshot-restore-size";
    /** Annotation on a backup: the source cluster's Kubernetes git version. */
    public static final String SOURCE_CLUSTER_GIT_VERSION = "velero.io/source-cluster-k8s-gitversion";
    /** Annotation on a backup: the source cluster's Kubernetes major version. */
    public static final String SOURCE_CLUSTER_MAJOR = "velero.io/source-cluster-k8s-major-version";
    /** Annotation on a backup: the source cluster's Kubernetes minor version. */
    public static final String SOURCE_CLUSTER_MINOR = "velero.io/source-cluster-k8s-minor-version";

    private VeleroKeys() {}
}
