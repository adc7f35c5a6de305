package io.kbackup.core.internal.backup;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.kbackup.BackupPlan;
import io.kbackup.core.internal.EngineContext;
import io.kbackup.core.internal.kube.ApiResource;
import io.kbackup.core.internal.kube.PagedLister;
import io.kbackup.core.internal.snapshot.CsiSnapshotBackup;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The claims a backup includes, for its CSI snapshots: the
 * same namespace, label and resource rules as the items ({@link Selection}), and never a claim
 * labelled {@code velero.io/exclude-from-backup=true} or being deleted. With a label selector, the
 * claims of included pods are in too, labelled or not, as the backup adds them to the items
 * (Velero's pod action; {@code BackupJob.addClaimsOfIncludedPods}).
 */
final class SnapshotScope implements CsiSnapshotBackup.ClaimScope {
    private static final ApiResource PVCS = new ApiResource("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim",
            "persistentvolumeclaim", true, Set.of("list", "get", "create", "delete"), List.of("pvc"));
    private static final ApiResource PODS = new ApiResource("", "v1", "pods", "Pod", "pod", true, Set.of("list"), List.of("po"));

    private final Selection selection;
    private final boolean claimsIncluded;
    private final EngineContext context;
    /** {@code namespace/claim} used by an included pod; listed on first need. */
    private Set<String> podClaims;

    SnapshotScope(BackupPlan plan, EngineContext context) {
        this.selection = new Selection(plan);
        this.claimsIncluded = selection.includesResource(PVCS);
        this.context = context;
    }

    @Override
    public List<String> namespaces() {
        return claimsIncluded ? selection.namespacesToList() : List.of();
    }

    @Override
    public boolean includes(GenericKubernetesResource claim) {
        var m = claim.getMetadata();
        if (!claimsIncluded || m.getNamespace() == null || !selection.includesNamespace(m.getNamespace())
                || Selection.excludedByLabel(m.getLabels()) || m.getDeletionTimestamp() != null) {
            return false;
        }
        return selection.matchesLabels(m.getLabels()) || podClaims().contains(m.getNamespace() + "/" + m.getName());
    }

    private Set<String> podClaims() {
        if (podClaims != null) {
            return podClaims;
        }
        Set<String> out = new HashSet<>();
        if (selection.labelSelector() != null && selection.includesResource(PODS)) {
            PagedLister lister = new PagedLister(context.client(), context.retry(), context.backup().pageSize());
            List<String> namespaces = selection.namespacesToList();
            for (String ns : namespaces == null ? java.util.Collections.<String>singletonList(null) : namespaces) {
                try {
                    lister.list(PODS, ns, selection.labelSelector(), page -> page.forEach(pod -> addClaims(pod, out)));
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException("could not list pods: " + e, e);
                }
            }
        }
        podClaims = out;
        return out;
    }

    private void addClaims(GenericKubernetesResource pod, Set<String> out) {
        String ns = pod.getMetadata().getNamespace();
        if (ns == null || !selection.includesNamespace(ns) || Selection.excludedByLabel(pod.getMetadata().getLabels())
                || pod.getMetadata().getDeletionTimestamp() != null || !(pod.get("spec", "volumes") instanceof List<?> volumes)) {
            return;
        }
        for (Object v : volumes) {
            if (v instanceof Map<?, ?> volume && volume.get("persistentVolumeClaim") instanceof Map<?, ?> ref
                    && ref.get("claimName") instanceof String claimName) {
                out.add(ns + "/" + claimName);
            }
        }
    }
}
