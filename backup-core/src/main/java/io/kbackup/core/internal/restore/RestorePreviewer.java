package io.kbackup.core.internal.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kbackup.ExistingResourcePolicy;
import io.kbackup.RestorePlan;
import io.kbackup.RestorePreview;
import io.kbackup.core.internal.kube.KubeRetry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What a restore would do, item by item: GETs each selected item's target in the cluster, in
 * parallel, and compares it with the object the restore would apply. Changes nothing.
 */
final class RestorePreviewer {
    private final RestorePlan plan;
    private final RestorePipeline pipeline;
    private final ClusterApplier cluster;
    private final int concurrency;
    /** What a reset listed in the cluster; null when the plan does not prune. */
    private final LiveState live;

    RestorePreviewer(RestorePlan plan, RestorePipeline pipeline, ClusterApplier cluster, int concurrency, LiveState live) {
        this.live = live;
        this.plan = plan;
        this.pipeline = pipeline;
        this.cluster = cluster;
        this.concurrency = concurrency;
    }

    RestorePreview preview() {
        List<IndexedItem> selected = new ArrayList<>();
        List<IndexedItem> excluded = pipeline.excluded();
        for (IndexedItem i : pipeline.selected()) {
            (i.decision.verdict() == RestoreDecision.Verdict.APPLY ? selected : excluded).add(i);
        }
        List<IndexedItem> ordered = new ArrayList<>();
        RestoreOrder.tiers(selected).forEach(t -> ordered.addAll(t.items()));
        RestorePreview.Item[] out = new RestorePreview.Item[ordered.size()];
        ExecutorService pool = Executors.newFixedThreadPool(concurrency, RestorePipeline.daemon("kbackup-preview-"));
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int n = 0; n < ordered.size(); n++) {
                int at = n;
                futures.add(pool.submit(() -> out[at] = previewOne(ordered.get(at))));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while previewing the restore", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
        } finally {
            pool.shutdownNow();
        }
        List<RestorePreview.Item> items = new ArrayList<>(List.of(out));
        excluded.sort(Comparator.comparing((IndexedItem i) -> i.groupResource).thenComparing(i -> i.namespace == null ? "" : i.namespace)
                .thenComparing(i -> i.name));
        for (IndexedItem i : excluded) {
            items.add(new RestorePreview.Item(i.groupResource, pipeline.targetNamespace(i), pipeline.targetName(i),
                    RestorePreview.Action.EXCLUDED, i.decision.reason()));
        }
        if (live != null) {
            List<LiveState.Live> prune = new ArrayList<>();
            List<LiveState.Live> kept = new ArrayList<>();
            live.notInBackup(LiveState.backupKeys(pipeline), prune, kept);
            for (LiveState.Live l : prune) {
                items.add(new RestorePreview.Item(l.resource().groupResource(), l.namespace(), l.name(), RestorePreview.Action.DELETE,
                        "in the cluster, not in the backup: a reset deletes it (prunePolicy PRUNE)"));
            }
            for (LiveState.Live l : kept) {
                items.add(new RestorePreview.Item(l.resource().groupResource(), l.namespace(), l.name(), RestorePreview.Action.EXCLUDED,
                        "in the cluster, not in the backup, and left: a reset never touches it: " + l.neverTouched()));
            }
        }
        return new RestorePreview(plan.backupName(), items);
    }

    private RestorePreview.Item previewOne(IndexedItem item) {
        return live != null ? previewReset(item) : previewRestore(item);
    }

    /** A reset's item: unchanged by uid and resourceVersion, else compared with the backed-up object as {@link ClusterApplier#reset} does. */
    private RestorePreview.Item previewReset(IndexedItem item) {
        String ns = pipeline.targetNamespace(item);
        String name = pipeline.targetName(item);
        if (live.unchanged(item, ns, name)) {
            return new RestorePreview.Item(item.groupResource, ns, name, RestorePreview.Action.SKIP_EXISTS,
                    "unchanged since the backup (same uid and resourceVersion)");
        }
        ObjectNode existing = live.listed(item.groupResource) && live.get(item.groupResource, ns, name) == null ? null
                : cluster.get(item, ns, name);
        if (existing == null) {
            return new RestorePreview.Item(item.groupResource, ns, name, RestorePreview.Action.CREATE,
                    "not in the cluster: a reset creates it again");
        }
        ObjectNode desired = pipeline.desired(item);
        ObjectNode snapshot = pipeline.snapshot(item);
        String difference = ExistingObject.firstDifference(ExistingObject.withoutFilledIn(ExistingObject.reset(existing), snapshot, desired),
                ExistingObject.withoutFilledIn(snapshot, snapshot, desired));
        if (difference == null) {
            return new RestorePreview.Item(item.groupResource, ns, name, RestorePreview.Action.SKIP_EXISTS,
                    "exists and equals the backup's version (unchanged)");
        }
        return plan.existingResourcePolicy() == ExistingResourcePolicy.UPDATE
                ? new RestorePreview.Item(item.groupResource, ns, name, RestorePreview.Action.UPDATE,
                        "differs from the backup first at " + difference + ": a reset patches it back to the backup's version")
                : new RestorePreview.Item(item.groupResource, ns, name, RestorePreview.Action.SKIP_EXISTS,
                        "differs from the backup first at " + difference + "; would be left as is (existingResourcePolicy NONE)");
    }

    private RestorePreview.Item previewRestore(IndexedItem item) {
        String ns = pipeline.targetNamespace(item);
        String name = pipeline.targetName(item);
        ObjectNode desired;
        try {
            desired = pipeline.desired(item);
        } catch (IllegalStateException e) { // a restore item action refuses it (ItemTransforms)
            return new RestorePreview.Item(item.groupResource, ns, name, RestorePreview.Action.FAIL, "would fail: " + e.getMessage());
        }
        ObjectNode live;
        try {
            live = cluster.get(item, ns, name);
        } catch (KubernetesClientException e) {
            return new RestorePreview.Item(item.groupResource, ns, name, RestorePreview.Action.CREATE,
                    "would be created (the cluster could not be asked whether it exists: " + KubeRetry.describe(e) + ")");
        }
        if (live == null) {
            String dataSource = item.groupResource.equals(RestoreSelection.PVCS)
                    ? pipeline.snapshots.describeDataSource(item.namespace, name, ns) : null; // include all disks
            return new RestorePreview.Item(item.groupResource, ns, name, RestorePreview.Action.CREATE,
                    item.synthetic ? "namespace of restored items (the backup has no object for it)"
                            : dataSource != null ? "not in the cluster; provisioned anew from its CSI snapshot: " + dataSource
                            : "not in the cluster");
        }
        ObjectNode resetLive = ExistingObject.reset(live);
        String difference = ExistingObject.firstDifference(ExistingObject.comparable(resetLive, desired), desired);
        if (difference == null) {
            return new RestorePreview.Item(item.groupResource, ns, name, RestorePreview.Action.SKIP_EXISTS,
                    "exists and equals the backup's version (unchanged)");
        }
        if (item.groupResource.equals(RestoreSelection.SERVICE_ACCOUNTS)) {
            ObjectNode merged = ExistingObject.comparable(ExistingObject.mergeServiceAccount(resetLive, desired), desired);
            return ExistingObject.firstDifference(ExistingObject.comparable(resetLive, desired), merged) == null
                    ? new RestorePreview.Item(item.groupResource, ns, name, RestorePreview.Action.SKIP_EXISTS,
                            "exists and differs at " + difference + "; a ServiceAccount is merged, and it has all the backup adds")
                    : new RestorePreview.Item(item.groupResource, ns, name, RestorePreview.Action.UPDATE,
                            "exists and differs at " + difference + "; would gain the backup's secrets, labels and annotations it lacks"
                                    + " (a ServiceAccount is merged whatever the policy)");
        }
        if (plan.existingResourcePolicy() == ExistingResourcePolicy.UPDATE) {
            return new RestorePreview.Item(item.groupResource, ns, name, RestorePreview.Action.UPDATE,
                    "exists and differs from the backup first at " + difference
                            + "; would be patched to the backup's version (existingResourcePolicy UPDATE)");
        }
        return new RestorePreview.Item(item.groupResource, ns, name, RestorePreview.Action.SKIP_EXISTS,
                "exists and differs from the backup first at " + difference
                        + "; would be left as is, with a warning (existingResourcePolicy NONE)");
    }
}
