package io.kbackup.core;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupClient;
import io.kbackup.core.direct.DirectEngine;
import io.kbackup.core.direct.DirectOptions;
import io.kbackup.core.velero.VeleroEngine;
import io.kbackup.core.velero.VeleroOptions;

/**
 * Entry point: a {@link BackupClient} for a cluster, carried out by the engine you choose.
 *
 * <pre>{@code
 * KubernetesClient k8s = new KubernetesClientBuilder().build();
 * BackupLocation location = BackupLocation.localFolder(Path.of("backups")).build();
 * try (BackupClient kbackup = KBackup.direct(k8s)) {
 *     BackupInfo info = kbackup.backup(BackupPlan.builder().prefix("demo").location(location).build())
 *                              .await(Duration.ofMinutes(10));
 *     System.out.println(info.name() + " " + info.phase());
 * }
 * }</pre>
 */
public final class KBackup {
    private KBackup() {}

    /** The DirectEngine with default options: no Velero needed in the cluster. */
    public static DirectEngine direct(KubernetesClient client) {
        return new DirectEngine(client, DirectOptions.defaults());
    }

    /** The DirectEngine with the given options. */
    public static DirectEngine direct(KubernetesClient client, DirectOptions options) {
        return new DirectEngine(client, options);
    }

    /** The VeleroEngine with default options: a Velero server in namespace {@code velero} does the work. */
    public static VeleroEngine velero(KubernetesClient client) {
        return new VeleroEngine(client, VeleroOptions.defaults());
    }

    /** The VeleroEngine with the given options. */
    public static VeleroEngine velero(KubernetesClient client, VeleroOptions options) {
        return new VeleroEngine(client, options);
    }
}
