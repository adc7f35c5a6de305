package io.kbackup.core.internal.velero;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/** The {@code velero.io/v1} kinds the VeleroEngine creates and watches. */
public enum VeleroKind {
    BACKUP("Backup", "backups"),
    BACKUP_STORAGE_LOCATION("BackupStorageLocation", "backupstoragelocations"),
    DELETE_BACKUP_REQUEST("DeleteBackupRequest", "deletebackuprequests"),
    RESTORE("Restore", "restores"),
    SCHEDULE("Schedule", "schedules");

    public static final String GROUP = "velero.io";
    public static final String VERSION = "v1";
    public static final String API_VERSION = GROUP + "/" + VERSION;

    private final String kind;
    private final String plural;
    private final ResourceDefinitionContext context;

    VeleroKind(String kind, String plural) {
        this.kind = kind;
        this.plural = plural;
        this.context = new ResourceDefinitionContext.Builder().withGroup(GROUP).withVersion(VERSION).withKind(kind)
                .withPlural(plural).withNamespaced(true).build();
    }

    public String kind() {
        return kind;
    }

    public String plural() {
        return plural;
    }

    /** {@code <plural>.velero.io}, the CRD's name. */
    public String crdName() {
        return plural + "." + GROUP;
    }

    public ResourceDefinitionContext context() {
        return context;
    }
}
