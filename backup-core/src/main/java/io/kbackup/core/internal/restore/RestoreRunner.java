package io.kbackup.core.internal.restore;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.RestoreHandle;
import io.kbackup.RestorePlan;
import io.kbackup.RestorePreview;
import io.kbackup.core.direct.DirectOptions;

/** Runs DirectEngine restores and previews. (Scaffold: implemented by the DirectEngine restore work.) */
public final class RestoreRunner implements AutoCloseable {
    private final KubernetesClient client;
    private final DirectOptions options;

    public RestoreRunner(KubernetesClient client, DirectOptions options) {
        this.client = client;
        this.options = options;
    }

    public RestoreHandle start(RestorePlan plan) {
        throw new UnsupportedOperationException("DirectEngine restore is not implemented yet");
    }

    public RestorePreview preview(RestorePlan plan) {
        throw new UnsupportedOperationException("DirectEngine restore preview is not implemented yet");
    }

    @Override
    public void close() {}
}
