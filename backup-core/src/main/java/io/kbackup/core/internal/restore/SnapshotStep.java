package io.kbackup.core.internal.restore;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.RestorePlan;
import io.kbackup.core.direct.DirectOptions;
import io.kbackup.core.internal.layout.BucketLayout;
import io.kbackup.core.internal.snapshot.SnapshotRestore;
import io.kbackup.spi.StorageProvider;
import java.util.List;

/**
 * The restore's part of include all disks (issue 8, {@code internal.snapshot.SnapshotRestore}):
 * after selection, the backup's VolumeSnapshots/VolumeSnapshotContents are taken out (never restored
 * as they are), and so are the PersistentVolumes of claims that are provisioned from their snapshot.
 */
final class SnapshotStep {
    private SnapshotStep() {}

    static SnapshotRestore apply(KubernetesClient client, DirectOptions options, StorageProvider storage, BucketLayout layout,
            RestorePlan plan, String restoreName, List<IndexedItem> items) {
        SnapshotRestore snapshots = SnapshotRestore.load(client, options, storage, layout, plan.backupName(), restoreName,
                plan.restorePersistentVolumes());
        for (IndexedItem i : items) {
            if (!i.selected) {
                continue;
            }
            if (SnapshotRestore.handlesResource(i.groupResource)) {
                i.selected = false;
                i.excludedBecause = SnapshotRestore.notRestoredReason();
            } else if (i.groupResource.equals(RestoreSelection.PVS) && snapshots.pvFromSnapshot(i.name)) {
                i.selected = false;
                i.excludedBecause = "its claim is provisioned anew from the volume's CSI snapshot";
            }
        }
        return snapshots;
    }
}
