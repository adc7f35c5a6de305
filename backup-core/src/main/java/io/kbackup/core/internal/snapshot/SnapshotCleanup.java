package io.kbackup.core.internal.snapshot;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kbackup.ClusterRefusedException;
import io.kbackup.core.internal.kube.KubeRetry;
import io.kbackup.core.internal.layout.VeleroKeys;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the CSI snapshots a backup made (VolumeSnapshots labelled {@code velero.io/backup-name})
 * in the engine's cluster, with their data: a bound VolumeSnapshotContent whose deletionPolicy is
 * {@code Retain} is first switched to {@code Delete} (as Velero's CSI plugin does), so the
 * snapshot controller removes the storage snapshot when the content goes; then the VolumeSnapshot
 * and the content are deleted. A cluster without the snapshot API has nothing to delete.
 */
public final class SnapshotCleanup {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotCleanup.class);

    private final KubernetesClient client;
    private final KubeRetry retry;

    public SnapshotCleanup(KubernetesClient client, KubeRetry retry) {
        this.client = client;
        this.retry = retry;
    }

    /**
     * Deletes the backup's snapshots.
     *
     * @return the number of VolumeSnapshots deleted
     * @throws ClusterRefusedException when the cluster refuses (nothing in the bucket should be deleted then; retry)
     */
    public int deleteSnapshotsOf(String backupName) {
        try {
            if (!SnapshotApi.missingResources(client).isEmpty()) {
                return 0;
            }
            String label = SnapshotApi.labelValue(backupName);
            List<GenericKubernetesResource> snapshots = retry.call("list VolumeSnapshots of backup " + backupName,
                    () -> SnapshotApi.snapshots(client).inAnyNamespace().withLabel(VeleroKeys.BACKUP_NAME, label).list().getItems());
            for (GenericKubernetesResource vs : snapshots) {
                String ns = vs.getMetadata().getNamespace();
                String name = vs.getMetadata().getName();
                String content = SnapshotApi.text(vs.get("status", "boundVolumeSnapshotContentName"));
                if (content != null) {
                    GenericKubernetesResource vsc = retry.call("get VolumeSnapshotContent " + content,
                            () -> SnapshotApi.contents(client).withName(content).get());
                    if (vsc != null && !"Delete".equals(vsc.get("spec", "deletionPolicy"))) {
                        retry.call("set deletionPolicy Delete on VolumeSnapshotContent " + content,
                                () -> SnapshotApi.contents(client).withName(content).patch(PatchContext.of(PatchType.JSON_MERGE),
                                        "{\"spec\":{\"deletionPolicy\":\"Delete\"}}"));
                    }
                }
                retry.call("delete VolumeSnapshot " + ns + "/" + name,
                        () -> SnapshotApi.snapshots(client).inNamespace(ns).withName(name).delete());
                if (content != null) {
                    retry.call("delete VolumeSnapshotContent " + content, () -> SnapshotApi.contents(client).withName(content).delete());
                }
                LOG.info("Deleted VolumeSnapshot {}/{} of backup {}{}", ns, name, backupName,
                        content != null ? " and its content " + content : "");
            }
            return snapshots.size();
        } catch (KubernetesClientException e) {
            throw KubeRetry.refused("Could not delete the volume snapshots of backup '" + backupName
                    + "' (the backup's files were not deleted; try again)", e);
        }
    }
}
