package io.kbackup.core.internal.backup;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kbackup.BackupPlan;
import io.kbackup.core.internal.EngineContext;
import io.kbackup.core.internal.TrackedOperation;
import io.kbackup.core.internal.kube.ApiResource;
import io.kbackup.core.internal.kube.KubeRetry;
import io.kbackup.core.internal.kube.ListedItems;
import io.kbackup.core.internal.kube.PagedLister;
import io.kbackup.core.internal.layout.ArchiveOutput;
import io.kbackup.core.internal.layout.ResourceList;
import io.kbackup.core.internal.layout.VeleroKeys;
import io.kbackup.core.internal.snapshot.CsiSnapshotBackup;
import io.kbackup.core.internal.snapshot.SnapshotApi;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The collection part of a {@link BackupJob}: which resources are listed in which order, paged
 * lists on the lister threads feeding a bounded queue, and the one writer (the job's thread)
 * adding each accepted item to the archive and the resource list, with the progress counters.
 *
 * <p>Order of work: the Namespace objects and every namespaced resource (in parallel); with a
 * label selector, the PVCs that included pods mount but the selector left out; then
 * ClusterRoleBindings; then the other cluster-scoped resources. The cluster-scoped passes come last
 * because, when only related cluster-scoped objects are wanted (AUTO with a namespace selection),
 * the namespaced pass says which ones. With include all disks, the claims with a snapshot are
 * marked as Velero's CSI plugin marks them, and the snapshot objects this backup made are written
 * last. One run, one instance.
 */
final class ResourceCollector {
    private static final Object DONE = new Object();

    private record Item(ApiResource resource, String namespace, String name, byte[] json) {}

    private final EngineContext context;
    private final KubernetesClient client;
    private final String name;
    private final TrackedOperation.Backup handle;
    private final Selection selection;
    private final PagedLister lister;
    private final BackupReport report;
    private final ResourceList resourceList;
    private final RelatedItems related = new RelatedItems();
    private final ItemFilters filters;
    private final BlockingQueue<Object> queue;
    /** Include all disks: the CSI snapshots taken, or null. */
    private final CsiSnapshotBackup snapshots;

    ResourceCollector(EngineContext context, BackupPlan plan, String name, TrackedOperation.Backup handle, BackupReport report,
            ResourceList resourceList, CsiSnapshotBackup snapshots) {
        this.context = context;
        this.client = context.client();
        this.name = name;
        this.handle = handle;
        this.report = report;
        this.resourceList = resourceList;
        this.snapshots = snapshots;
        this.selection = new Selection(plan);
        int pageSize = context.backup().pageSize();
        this.lister = new PagedLister(client, context.retry(), pageSize);
        this.filters = new ItemFilters(client, context.retry(), plan, selection, related, report, context.backup().maintenanceLabel());
        this.queue = new ArrayBlockingQueue<>(Math.max(16, Math.min(pageSize, 512)));
    }

    /** Lists the resources on the lister threads and writes the accepted items into the archive, on this thread. */
    void collect(List<ApiResource> resources, ArchiveOutput archive, ExecutorService listers) throws Exception {
        filters.warnAboutSelectionsMatchingNothing(resources);
        filters.findNamespacesExcludedByLabel();
        List<Runnable> first = new ArrayList<>();
        for (ApiResource r : resources) {
            if (r.group().isEmpty() && r.plural().equals("namespaces")) {
                if (r.backupable() && selection.includesNamespaceObjects(r)) {
                    first.add(() -> listTask(r, null, null, filters::acceptNamespace));
                }
            }
        }
        List<String> namespaces = selection.namespacesToList();
        String labels = selection.labelSelector();
        for (ApiResource r : resources) {
            if (!r.namespaced() || !wanted(r)) {
                continue;
            }
            if (namespaces == null) {
                first.add(() -> listTask(r, null, labels, filters::acceptNamespaced));
            } else {
                for (String ns : namespaces) {
                    first.add(() -> listTask(r, ns, labels, filters::acceptNamespaced));
                }
            }
        }
        runPhase(first, archive, listers);
        addClaimsOfIncludedPods(resources, archive);

        if (!selection.clusterScopedAllowed()) {
            report.info("Cluster-scoped resources are not included (cluster-wide mode NEVER).");
            return;
        }
        boolean all = selection.allClusterScoped();
        List<ApiResource> cluster = resources.stream()
                .filter(r -> !r.namespaced() && !(r.group().isEmpty() && r.plural().equals("namespaces")) && wanted(r))
                .toList();
        for (ApiResource r : cluster) {
            if (r.groupResource().equals(RelatedItems.CRB) && (all || !related.serviceAccounts.isEmpty())) {
                runPhase(List.of(() -> listTask(r, null, null, item -> filters.acceptClusterScoped(r, item, all))), archive, listers);
            }
        }
        List<Runnable> rest = new ArrayList<>();
        for (ApiResource r : cluster) {
            if (r.groupResource().equals(RelatedItems.CRB) || !(all || !related.namesOf(r).isEmpty())) {
                continue;
            }
            rest.add(() -> listTask(r, null, null, item -> filters.acceptClusterScoped(r, item, all)));
        }
        runPhase(rest, archive, listers);
    }

    /**
     * Backupable, passes the resource filters, and not a VolumeSnapshot type: those are never listed;
     * the ones this backup made itself (include all disks) are written by {@link #writeSnapshotItems}.
     */
    private boolean wanted(ApiResource r) {
        return r.backupable() && selection.includesResource(r) && !Selection.SNAPSHOT_RESOURCES.contains(r.groupResource());
    }

    private void runPhase(List<Runnable> tasks, ArchiveOutput archive, ExecutorService listers) throws Exception {
        for (Runnable t : tasks) {
            listers.execute(t);
        }
        int pending = tasks.size();
        while (pending > 0) {
            handle.checkCancelled();
            Object o = queue.poll(250, TimeUnit.MILLISECONDS);
            if (o == null) {
                continue;
            }
            if (o == DONE) {
                pending--;
                continue;
            }
            write((Item) o, archive);
        }
    }

    private void write(Item item, ArchiveOutput archive) throws IOException {
        archive.addItem(item.resource().groupResource(), item.resource().version(), item.namespace(), item.name(), item.json());
        resourceList.add(item.resource().groupVersion(), item.resource().kind(), item.namespace(), item.name());
        handle.addDone(1);
        long bytes = archive.bytes();
        long seen = handle.progress().bytes();
        if (bytes > seen) {
            handle.addBytes(bytes - seen);
        }
    }

    /**
     * Velero's pod action: a pod's PersistentVolumeClaims come with it even when the label
     * selector left them out. Only a label selector can leave them out (they live in the pod's
     * namespace), so this runs only with one; the claims are fetched by name.
     */
    private void addClaimsOfIncludedPods(List<ApiResource> resources, ArchiveOutput archive) throws Exception {
        ApiResource pvcs = resources.stream().filter(r -> r.group().isEmpty() && r.plural().equals("persistentvolumeclaims"))
                .findFirst().orElse(null);
        if (pvcs == null || !wanted(pvcs) || selection.labelSelector() == null) {
            return;
        }
        for (String claim : new java.util.TreeSet<>(related.podClaims)) {
            if (related.includedClaims.contains(claim)) {
                continue;
            }
            handle.checkCancelled();
            int slash = claim.indexOf('/');
            String ns = claim.substring(0, slash);
            String name = claim.substring(slash + 1);
            GenericKubernetesResource pvc;
            try {
                pvc = context.retry().call("get persistentvolumeclaim " + claim,
                        () -> client.genericKubernetesResources(pvcs.context()).inNamespace(ns).withName(name).get());
            } catch (KubernetesClientException e) {
                report.error(ns, "Could not get persistentvolumeclaim " + claim + " used by an included pod: " + KubeRetry.describe(e));
                continue;
            }
            if (pvc == null || pvc.getMetadata() == null || !selection.includesNamespace(ns) || filters.skippedAlways(pvc)) {
                continue;
            }
            pvc.setApiVersion(pvcs.groupVersion());
            pvc.setKind(pvcs.kind());
            markSnapshotted(pvcs, pvc);
            related.note(pvcs, pvc, true);
            handle.addTotal(1);
            write(new Item(pvcs, ns, name, client.getKubernetesSerialization().asJson(pvc).getBytes(StandardCharsets.UTF_8)), archive);
            report.info("Added persistentvolumeclaim " + claim + ", used by an included pod");
        }
    }

    @FunctionalInterface
    private interface ItemFilter {
        boolean accept(GenericKubernetesResource item);
    }

    /**
     * A list that failed: its items are unknown, so it counts as one item that is never backed up;
     * the backup's progress never reads complete (done = total) when a whole list is missing.
     */
    private void unlisted() {
        handle.addTotal(1);
    }

    /**
     * Runs on a lister thread: lists one resource (in one namespace or all), queues accepted items (the server's own
     * bytes, see {@link ListedItems}), then DONE.
     */
    private void listTask(ApiResource r, String namespace, String labelSelector, ItemFilter filter) {
        String where = r.groupResource() + (namespace != null ? " in namespace " + namespace : "");
        try {
            long[] accepted = {0};
            long listed = lister.listRaw(r, namespace, labelSelector, page -> {
                for (ListedItems.Item item : page) {
                    if (item.name() == null || !filter.accept(item.view())) {
                        continue;
                    }
                    byte[] json = item.json();
                    if (markSnapshotted(r, item.view())) { // a claim's view is parsed whole (ListedItems.needsWholeItem)
                        json = client.getKubernetesSerialization().asJson(item.view()).getBytes(StandardCharsets.UTF_8);
                    }
                    related.note(r, item.view(), selection.labelSelector() != null);
                    handle.addTotal(1);
                    accepted[0]++;
                    queue.put(new Item(r, item.namespace(), item.name(), json));
                }
            });
            if (listed > 0) {
                report.info("Listed " + listed + " " + where + ", " + accepted[0] + " included");
            }
        } catch (KubernetesClientException e) {
            if (Thread.currentThread().isInterrupted() || handle.cancelRequested()) {
                return;
            }
            if (e.getCode() == 404) {
                report.warning(namespace, "Resource " + where + " disappeared during the backup (HTTP 404); skipped.");
            } else {
                report.error(namespace, "Could not list " + where + ": " + KubeRetry.describe(e));
                unlisted();
            }
        } catch (InterruptedException | CancellationException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (!Thread.currentThread().isInterrupted() && !handle.cancelRequested()) {
                report.error(namespace, "Could not list " + where + ": " + e);
                unlisted();
            }
        } finally {
            try {
                queue.put(DONE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Marks the archived copy of a claim with a ready snapshot as Velero's CSI plugin does (label and
     * annotation {@code velero.io/volume-snapshot-name}, label {@code velero.io/backup-name}): Velero's
     * restore finds the claim's VolumeSnapshot by that annotation. The live claim is not changed.
     */
    private boolean markSnapshotted(ApiResource r, GenericKubernetesResource item) {
        if (snapshots == null || !r.group().isEmpty() || !r.plural().equals("persistentvolumeclaims")) {
            return false;
        }
        ObjectMeta m = item.getMetadata();
        String vs = snapshots.snapshotNameOf(m.getNamespace(), m.getName());
        if (vs == null) {
            return false;
        }
        Map<String, String> labels = m.getLabels() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(m.getLabels());
        labels.put(VeleroKeys.VOLUME_SNAPSHOT_NAME, vs);
        labels.put(VeleroKeys.BACKUP_NAME, SnapshotApi.labelValue(name));
        m.setLabels(labels);
        Map<String, String> annotations = m.getAnnotations() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(m.getAnnotations());
        annotations.put(VeleroKeys.VOLUME_SNAPSHOT_NAME, vs);
        m.setAnnotations(annotations);
        return true;
    }

    /** Writes the VolumeSnapshots and VolumeSnapshotContents this backup made into the tarball. */
    void writeSnapshotItems(ArchiveOutput archive) throws IOException {
        if (snapshots == null) {
            return;
        }
        for (GenericKubernetesResource item : snapshots.items()) {
            String ns = item.getMetadata().getNamespace();
            String gr = ns != null ? SnapshotApi.SNAPSHOTS_GR : SnapshotApi.CONTENTS_GR;
            byte[] json = client.getKubernetesSerialization().asJson(item).getBytes(StandardCharsets.UTF_8);
            handle.addTotal(1);
            archive.addItem(gr, "v1", ns, item.getMetadata().getName(), json);
            resourceList.add(SnapshotApi.API_VERSION, item.getKind(), ns, item.getMetadata().getName());
            handle.addDone(1);
        }
    }
}
