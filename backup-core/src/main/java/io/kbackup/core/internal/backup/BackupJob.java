package io.kbackup.core.internal.backup;


import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kbackup.BackupInfo;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.KBackupException;
import io.kbackup.core.internal.EngineContext;
import io.kbackup.core.internal.TrackedOperation;
import io.kbackup.core.internal.kube.ApiResource;
import io.kbackup.core.internal.kube.Discovery;
import io.kbackup.core.internal.kube.KubeRetry;
import io.kbackup.core.internal.kube.ListedItems;
import io.kbackup.core.internal.kube.PagedLister;
import io.kbackup.core.internal.layout.ArchiveOutput;
import io.kbackup.core.internal.layout.BackupManifest;
import io.kbackup.core.internal.layout.BucketLayout;
import io.kbackup.core.internal.layout.GzipJson;
import io.kbackup.core.internal.layout.ResourceList;
import io.kbackup.core.internal.layout.VeleroKeys;
import io.kbackup.core.internal.snapshot.CsiSnapshotBackup;
import io.kbackup.core.internal.snapshot.SnapshotApi;
import io.kbackup.spi.BlobWriter;
import io.kbackup.spi.StorageProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One DirectEngine backup run: discovery, paged lists on {@code listConcurrency} threads feeding a
 * bounded queue, one writer (this thread) streaming tar + gzip into the storage's
 * {@link BlobWriter}, then the side files, the manifest and, last, {@code velero-backup.json}.
 *
 * <p>Order of work: the Namespace objects and every namespaced resource (in parallel); with a
 * label selector, the PVCs that included pods mount but the selector left out; then
 * ClusterRoleBindings; then the other cluster-scoped resources. The cluster-scoped passes come last
 * because, when only related cluster-scoped objects are wanted (AUTO with a namespace selection),
 * the namespaced pass says which ones.
 *
 * <p>Outcome: {@code Completed}; {@code PartiallyFailed} when single items or single resource
 * types failed (each an error in the results); {@code Failed} when discovery, the storage or the
 * run itself failed, or on cancel (reason {@code cancelled}). A failed run aborts the tarball
 * upload and still writes {@code velero-backup.json} with phase {@code Failed}, so it never claims
 * to be complete. A run that lost its {@link NameClaim} (its leftovers were reclaimed as stale and
 * the name claimed again) ends {@code Failed} and writes nothing more, no {@code velero-backup.json}.
 */
final class BackupJob implements Runnable {
    private static final Object DONE = new Object();

    private record Item(ApiResource resource, String namespace, String name, byte[] json) {}

    private final EngineContext context;
    private final KubernetesClient client;
    private final BackupPlan plan;
    private final String name;
    private final Instant start;
    private final StorageProvider storage;
    private final BucketLayout layout;
    private final TrackedOperation.Backup handle;
    private final Selection selection;
    private final PagedLister lister;
    private final BackupReport report;
    private final ResourceList resourceList = new ResourceList();
    private final RelatedItems related = new RelatedItems();
    private final ItemFilters filters;
    private final BlockingQueue<Object> queue;
    /** Include all disks: the CSI snapshots to take, or null. */
    private final CsiSnapshotBackup snapshots;
    /** The run's hold on its name, checked before the tarball is committed and by {@link BackupMetadata}. */
    private final NameClaim claim;

    BackupJob(EngineContext context, BackupPlan plan, String name, Instant start, StorageProvider storage,
            TrackedOperation.Backup handle, CsiSnapshotBackup snapshots, NameClaim claim) {
        this.context = context;
        this.claim = claim;
        this.client = context.client();
        this.snapshots = snapshots;
        this.plan = plan;
        this.name = name;
        this.start = start;
        this.storage = storage;
        this.layout = new BucketLayout(plan.location());
        this.handle = handle;
        this.selection = new Selection(plan);
        int pageSize = context.backup().pageSize();
        this.lister = new PagedLister(client, context.retry(), pageSize);
        this.report = new BackupReport(name, context.clock());
        this.report.onError = handle::itemError;
        this.filters = new ItemFilters(client, context.retry(), plan, selection, related, report, context.backup().maintenanceLabel());
        this.queue = new ArrayBlockingQueue<>(Math.max(16, Math.min(pageSize, 512)));
    }

    /** Run after the backup's final documents are written and before its handle completes. */
    private Runnable beforeEnd = () -> { };

    /**
     * What to do once the final documents are written, before the caller hears of the end (the
     * runner removes the backup's progress record there, so none is left when {@code await} returns).
     */
    void beforeEnd(Runnable action) {
        this.beforeEnd = action;
    }

    @Override
    public void run() {
        handle.worker(Thread.currentThread());
        BackupPhase phase;
        String failure = null;
        BlobWriter tarWriter = null;
        BackupManifest manifest = null;
        ExecutorService listers = null;
        long itemsBackedUp = 0;
        try {
            checkCancelled();
            handle.phase(BackupPhase.InProgress);
            report.info("Starting backup " + name + " to location " + plan.location().name() + ": " + plan);
            List<ApiResource> resources = new Discovery(client, context.retry()).preferredResources(report::veleroWarning);
            if (snapshots != null) {
                snapshots.take(report, handle::cancelRequested);
            }
            checkCancelled();
            tarWriter = storage.openWriter(layout.tarball(name));
            ArchiveOutput archive = new ArchiveOutput(tarWriter, start, context.backup().compressionLevel());
            listers = Executors.newFixedThreadPool(context.backup().listConcurrency(), listerThreads(name));
            collect(resources, archive, listers);
            writeSnapshotItems(archive);
            checkCancelled();
            archive.finish();
            itemsBackedUp = archive.items();
            checkCancelled();
            BackupMetadata.requireClaim(claim, name);
            tarWriter.commit();
            handle.addBytes(archive.bytes() - handle.progress().bytes());
            manifest = BackupManifest.of(name, archive, context.clock().instant());
            phase = report.results.errorCount() > 0 ? BackupPhase.PartiallyFailed : BackupPhase.Completed;
        } catch (Throwable e) {
            phase = BackupPhase.Failed;
            failure = handle.cancelRequested() ? "cancelled" : BackupReport.failureReason(e);
            report.log.error("Backup failed: " + failure);
            if (!handle.cancelRequested() && !(e instanceof KBackupException || e instanceof IOException
                    || e instanceof UncheckedIOException || e instanceof KubernetesClientException)) {
                org.slf4j.LoggerFactory.getLogger(BackupJob.class).error("Backup {} failed unexpectedly", name, e);
            }
        } finally {
            if (listers != null) {
                listers.shutdownNow();
            }
            if (tarWriter != null && !tarWriter.committed()) {
                try {
                    tarWriter.abort();
                } catch (IOException | RuntimeException ignored) {
                    // the upload is abandoned either way
                }
            }
        }
        // From here on nothing should interrupt the metadata writes.
        handle.worker(null);
        Thread.interrupted();
        try {
            BackupMetadata.Outcome outcome = new BackupMetadata.Outcome(phase, failure, manifest, handle.progress().itemsTotal(),
                    itemsBackedUp, snapshots != null ? snapshots.volumeInfo() : GzipJson.MAPPER.createArrayNode(),
                    snapshots != null ? snapshots.attempted() : 0, snapshots != null ? snapshots.completed() : 0);
            BackupInfo info = new BackupMetadata(client, storage, plan, name, start, report, resourceList, claim)
                    .write(outcome, context.clock().instant());
            beforeEnd.run();
            handle.phase(info.phase());
            handle.complete(info);
        } catch (Throwable e) {
            beforeEnd.run();
            handle.phase(BackupPhase.Failed);
            handle.completeExceptionally(e);
        }
    }

    // ------------------------------------------------------------------ collection

    private void collect(List<ApiResource> resources, ArchiveOutput archive, ExecutorService listers) throws Exception {
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
            checkCancelled();
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
            checkCancelled();
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
    private void writeSnapshotItems(ArchiveOutput archive) throws IOException {
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

    // ------------------------------------------------------------------ helpers

    private void checkCancelled() {
        if (handle.cancelRequested() || Thread.currentThread().isInterrupted()) {
            throw new CancellationException("cancelled");
        }
    }

    private static java.util.concurrent.ThreadFactory listerThreads(String backup) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "kbackup-list-" + backup + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
