package io.kbackup.core.internal.backup;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupHandle;
import io.kbackup.BackupPlan;
import io.kbackup.core.direct.DirectOptions;

/** Runs DirectEngine backups. (Scaffold: implemented by the DirectEngine backup work.) */
public final class BackupRunner implements AutoCloseable {
    private final KubernetesClient client;
    private final DirectOptions options;

    public BackupRunner(KubernetesClient client, DirectOptions options) {
        this.client = client;
        this.options = options;
    }

    public BackupHandle start(BackupPlan plan) {
        throw new UnsupportedOperationException("DirectEngine backup is not implemented yet");
    }

    @Override
    public void close() {}
}
