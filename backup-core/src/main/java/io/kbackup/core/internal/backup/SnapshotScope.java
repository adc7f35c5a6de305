package io.kbackup.core.internal.backup;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.kbackup.BackupPlan;
import io.kbackup.core.internal.kube.ApiResource;
import io.kbackup.core.internal.snapshot.CsiSnapshotBackup;
import java.util.List;
import java.util.Set;

/**
 * The claims a backup includes, for its CSI snapshots: the
 * same namespace, label and resource rules as the items ({@link Selection}), and never a claim
 * labelled {@code velero.io/exclude-from-backup=true} or being deleted.
 */
final class SnapshotScope implements CsiSnapshotBackup.ClaimScope {
    private static final ApiResource PVCS = new ApiResource("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim",
            "persistentvolumeclaim", true, Set.of("list", "get", "create", "delete"), List.of("pvc"));

    private final Selection selection;
    private final boolean claimsIncluded;

    SnapshotScope(BackupPlan plan) {
        this.selection = new Selection(plan);
        this.claimsIncluded = selection.includesResource(PVCS);
    }

    @Override
    public List<String> namespaces() {
        return claimsIncluded ? selection.namespacesToList() : List.of();
    }

    @Override
    public boolean includes(GenericKubernetesResource claim) {
        var m = claim.getMetadata();
        return claimsIncluded && m.getNamespace() != null && selection.includesNamespace(m.getNamespace())
                && selection.matchesLabels(m.getLabels()) && !Selection.excludedByLabel(m.getLabels())
                && m.getDeletionTimestamp() == null;
    }
}
