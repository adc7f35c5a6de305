package io.kbackup.core.internal.catalog;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.core.direct.DirectOptions;
import java.util.List;

/**
 * Lists, describes and deletes backups in a location by reading Velero's layout; used by both
 * engines. (Scaffold: implemented by the DirectEngine backup work.)
 */
public final class BackupCatalog {
    private final KubernetesClient client;
    private final DirectOptions options;

    public BackupCatalog(KubernetesClient client, DirectOptions options) {
        this.client = client;
        this.options = options;
    }

    public List<BackupInfo> list(BackupLocation location) {
        throw new UnsupportedOperationException("listing backups is not implemented yet");
    }

    public BackupInfo describe(BackupLocation location, String name) {
        throw new UnsupportedOperationException("describing backups is not implemented yet");
    }

    public void delete(BackupLocation location, String name) {
        throw new UnsupportedOperationException("deleting backups is not implemented yet");
    }
}
