package io.kbackup.core.internal.backup;

import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kbackup.BackupInfo;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.KBackupException;
import io.kbackup.core.direct.DirectOptions;
import io.kbackup.core.internal.TrackedOperation;
import io.kbackup.core.internal.kube.ApiResource;
import io.kbackup.core.internal.kube.Discovery;
import io.kbackup.core.internal.kube.KubeRetry;
import io.kbackup.core.internal.kube.PagedLister;
import io.kbackup.core.internal.layout.ArchiveOutput;
import io.kbackup.core.internal.layout.BackupDocument;
import io.kbackup.core.internal.layout.BackupManifest;
import io.kbackup.core.internal.layout.BucketLayout;
import io.kbackup.core.internal.layout.GzipJson;
import io.kbackup.core.internal.layout.OperationResults;
import io.kbackup.core.internal.layout.ResourceList;
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
import java.util.Set;
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
 * to be complete.
 */
final class BackupJob implements Runnable {
    private static final Object DONE = new Object();
    private static final String CRB = "clusterrolebindings.rbac.authorization.k8s.io";
    private static final String CLUSTER_ROLES = "clusterroles.rbac.authorization.k8s.io";
    private static final String CRDS = "customresourcedefinitions.apiextensions.k8s.io";
    private static final String PRIORITY_CLASSES = "priorityclasses.scheduling.k8s.io";

    private record Item(ApiResource resource, String namespace, String name, byte[] json) {}

    private final KubernetesClient client;
    /** Included namespaces labelled {@code velero.io/exclude-from-backup=true}: nothing in them is backed up. */
    private final java.util.Set<String> namespacesExcludedByLabel = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final DirectOptions options;
    private final BackupPlan plan;
    private final String name;
    private final Instant start;
    private final StorageProvider storage;
    private final BucketLayout layout;
    private final TrackedOperation.Backup handle;
    private final Selection selection;
    private final KubeRetry retry;
    private final PagedLister lister;
    private final OperationResults results = new OperationResults();
    private final ResourceList resourceList = new ResourceList();
    private final RelatedItems related = new RelatedItems();
    private final BackupLog log;
    private final BlockingQueue<Object> queue;
    /**
     * VolumeSnapshots / VolumeSnapshotContents to list: none. Those this backup created itself
     * (include all disks) are written by {@link #writeSnapshotItems} from {@link #snapshots}.
     */
    private final Set<String> ownSnapshots = Set.of();
    /** Include all disks: the CSI snapshots to take (issue 8, internal.snapshot), or null. */
    private final CsiSnapshotBackup snapshots;

    BackupJob(KubernetesClient client, DirectOptions options, BackupPlan plan, String name, Instant start,
            StorageProvider storage, TrackedOperation.Backup handle, CsiSnapshotBackup snapshots) {
        this.snapshots = snapshots;
        this.client = client;
        this.options = options;
        this.plan = plan;
        this.name = name;
        this.start = start;
        this.storage = storage;
        this.layout = new BucketLayout(plan.location());
        this.handle = handle;
        this.selection = new Selection(plan);
        this.retry = KubeRetry.of(options);
        this.lister = new PagedLister(client, retry, options.pageSize());
        this.log = new BackupLog(name, options.clock());
        this.queue = new ArrayBlockingQueue<>(Math.max(16, Math.min(options.pageSize(), 512)));
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
            log.info("Starting backup " + name + " to location " + plan.location().name() + ": " + plan);
            List<ApiResource> resources = new Discovery(client, retry).preferredResources(msg -> {
                results.veleroWarning(msg);
                log.warn(msg);
            });
            takeSnapshots();
            checkCancelled();
            tarWriter = storage.openWriter(layout.tarball(name));
            ArchiveOutput archive = new ArchiveOutput(tarWriter, start, options.compressionLevel());
            listers = Executors.newFixedThreadPool(options.listConcurrency(), listerThreads(name));
            collect(resources, archive, listers);
            writeSnapshotItems(archive);
            checkCancelled();
            archive.finish();
            itemsBackedUp = archive.items();
            checkCancelled();
            tarWriter.commit();
            handle.addBytes(archive.bytes() - handle.progress().bytes());
            manifest = BackupManifest.of(name, archive, options.clock().instant());
            phase = results.errorCount() > 0 ? BackupPhase.PartiallyFailed : BackupPhase.Completed;
        } catch (Throwable e) {
            phase = BackupPhase.Failed;
            failure = handle.cancelRequested() ? "cancelled" : failureReason(e);
            log.error("Backup failed: " + failure);
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
            finish(phase, failure, manifest, itemsBackedUp);
        } catch (Throwable e) {
            handle.phase(BackupPhase.Failed);
            handle.completeExceptionally(e);
        }
    }

    private void finish(BackupPhase phase, String failure, BackupManifest manifest, long itemsBackedUp) {
        Instant end = options.clock().instant();
        log.info("Backup " + name + " ended: phase " + phase + ", " + itemsBackedUp + " items, "
                + results.errorCount() + " errors, " + results.warningCount() + " warnings"
                + (failure != null ? ", failure: " + failure : ""));
        try {
            put(layout.logs(name), GzipJson.gzip(log.bytes()));
            put(layout.results(name), GzipJson.gzipJson(results.toJson()));
            put(layout.resourceList(name), GzipJson.gzipJson(resourceList.toJson()));
            put(layout.volumeSnapshots(name), GzipJson.gzipJson(NullNode.getInstance()));
            put(layout.podVolumeBackups(name), GzipJson.gzipJson(NullNode.getInstance()));
            // Velero writes an empty list here when a backup has no async item operations
            put(layout.itemOperations(name), GzipJson.gzipJson(GzipJson.MAPPER.createArrayNode()));
            put(layout.volumeInfo(name), GzipJson.gzipJson(snapshots != null ? snapshots.volumeInfo() : GzipJson.MAPPER.createArrayNode()));
            if (manifest != null && phase.isRestorable()) {
                put(layout.manifest(name), manifest.toBytes());
            }
        } catch (RuntimeException e) {
            if (phase != BackupPhase.Failed) {
                phase = BackupPhase.Failed;
                failure = "could not write the backup's metadata files: " + failureReason(e);
            }
        }
        BackupDocument.Status status = new BackupDocument.Status(phase, start, end, start.plus(plan.expiry()),
                handle.progress().itemsTotal(), itemsBackedUp, results.errorCount(), results.warningCount(), failure,
                snapshots != null ? snapshots.attempted() : 0, snapshots != null ? snapshots.completed() : 0);
        ObjectNode doc = BackupDocument.document(name, plan, start, status);
        BackupDocument.annotateSourceCluster(doc, sourceClusterVersion());
        byte[] bytes = BackupDocument.toBytes(doc);
        try {
            put(layout.backupJson(name), bytes);
        } catch (RuntimeException e) {
            // Nothing is listed without velero-backup.json: the backup is invisible, and the handle says why.
            status = new BackupDocument.Status(BackupPhase.Failed, start, end, start.plus(plan.expiry()),
                    handle.progress().itemsTotal(), itemsBackedUp, results.errorCount(), results.warningCount(),
                    "could not write velero-backup.json: " + failureReason(e),
                    snapshots != null ? snapshots.attempted() : 0, snapshots != null ? snapshots.completed() : 0);
            doc = BackupDocument.document(name, plan, start, status);
        }
        BackupInfo info = BackupDocument.toInfo(doc);
        handle.phase(info.phase());
        handle.complete(info);
    }

    /** The cluster's version as Velero records it on a backup, or null when the API server does not say. */
    private io.fabric8.kubernetes.client.VersionInfo sourceClusterVersion() {
        try {
            return client.getKubernetesVersion();
        } catch (RuntimeException e) {
            log.info("The cluster's version is unknown (" + failureReason(e) + "): velero-backup.json names no source cluster version");
            return null;
        }
    }

    /**
     * Stores a small file; once more when the first try failed, in case a late cancel() interrupted
     * the thread (an interrupt closes file channels) rather than the storage failing.
     */
    private void put(String key, byte[] bytes) {
        try {
            storage.put(key, bytes);
        } catch (RuntimeException first) {
            if (!Thread.interrupted()) {
                throw first;
            }
            storage.put(key, bytes);
        }
    }

    // ------------------------------------------------------------------ collection

    /**
     * An included namespace the cluster does not have, or an included resource no served type
     * matches, is said in the results as a warning naming it: a selection that matches nothing is
     * never a silent, clean "Completed".
     */
    private void warnAboutSelectionsMatchingNothing(List<ApiResource> resources) {
        for (String ns : new java.util.TreeSet<>(plan.includedNamespaces())) {
            if (ns.equals("*") || plan.excludedNamespaces().contains(ns)) {
                continue;
            }
            boolean exists;
            try {
                exists = retry.call("get namespace " + ns, () -> client.namespaces().withName(ns).get()) != null;
            } catch (KubernetesClientException e) {
                continue; // cannot tell; listing it will say what went wrong
            }
            if (!exists) {
                String msg = "includedNamespaces names '" + ns + "', which does not exist in the cluster: nothing was backed up from it.";
                results.warning(ns, msg);
                log.warn(msg);
            }
        }
        for (String pattern : plan.includedResources()) {
            if (!pattern.equals("*") && resources.stream().noneMatch(r -> r.matches(pattern))) {
                String msg = "includedResources names '" + pattern + "', which matches no resource the cluster serves: nothing was backed up for it.";
                results.warning(null, msg);
                log.warn(msg);
            }
        }
    }

    private void collect(List<ApiResource> resources, ArchiveOutput archive, ExecutorService listers) throws Exception {
        warnAboutSelectionsMatchingNothing(resources);
        findNamespacesExcludedByLabel();
        List<Runnable> first = new ArrayList<>();
        for (ApiResource r : resources) {
            if (r.group().isEmpty() && r.plural().equals("namespaces")) {
                if (r.backupable() && selection.includesNamespaceObjects(r)) {
                    first.add(() -> listTask(r, null, null, item -> acceptNamespace(item)));
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
                first.add(() -> listTask(r, null, labels, item -> acceptNamespaced(item)));
            } else {
                for (String ns : namespaces) {
                    first.add(() -> listTask(r, ns, labels, item -> acceptNamespaced(item)));
                }
            }
        }
        runPhase(first, archive, listers);
        addClaimsOfIncludedPods(resources, archive);

        if (!selection.clusterScopedAllowed()) {
            log.info("Cluster-scoped resources are not included (cluster-wide mode NEVER).");
            return;
        }
        boolean all = selection.allClusterScoped();
        List<ApiResource> cluster = resources.stream()
                .filter(r -> !r.namespaced() && !(r.group().isEmpty() && r.plural().equals("namespaces")) && wanted(r))
                .toList();
        for (ApiResource r : cluster) {
            if (r.groupResource().equals(CRB) && (all || !related.serviceAccounts.isEmpty())) {
                runPhase(List.of(() -> listTask(r, null, null, item -> acceptClusterScoped(r, item, all))), archive, listers);
            }
        }
        List<Runnable> rest = new ArrayList<>();
        for (ApiResource r : cluster) {
            if (r.groupResource().equals(CRB) || !(all || !relatedNames(r).isEmpty())) {
                continue;
            }
            rest.add(() -> listTask(r, null, null, item -> acceptClusterScoped(r, item, all)));
        }
        runPhase(rest, archive, listers);
    }

    /** Backupable, passes the resource filters, and not a VolumeSnapshot type this backup has none of. */
    private boolean wanted(ApiResource r) {
        if (!r.backupable() || !selection.includesResource(r)) {
            return false;
        }
        return !Selection.SNAPSHOT_RESOURCES.contains(r.groupResource()) || !ownSnapshots.isEmpty();
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
                pvc = retry.call("get persistentvolumeclaim " + claim,
                        () -> client.genericKubernetesResources(pvcs.context()).inNamespace(ns).withName(name).get());
            } catch (KubernetesClientException e) {
                String msg = "Could not get persistentvolumeclaim " + claim + " used by an included pod: " + KubeRetry.describe(e);
                results.error(ns, msg);
                log.error(msg);
                continue;
            }
            if (pvc == null || pvc.getMetadata() == null || !selection.includesNamespace(ns) || skippedAlways(pvc)) {
                continue;
            }
            pvc.setApiVersion(pvcs.groupVersion());
            pvc.setKind(pvcs.kind());
            markSnapshotted(pvcs, pvc);
            noteRelated(pvcs, pvc);
            handle.addTotal(1);
            write(new Item(pvcs, ns, name, client.getKubernetesSerialization().asJson(pvc).getBytes(StandardCharsets.UTF_8)), archive);
            log.info("Added persistentvolumeclaim " + claim + ", used by an included pod");
        }
    }

    @FunctionalInterface
    private interface ItemFilter {
        boolean accept(GenericKubernetesResource item);
    }

    /** Runs on a lister thread: lists one resource (in one namespace or all), queues accepted items, then DONE. */
    private void listTask(ApiResource r, String namespace, String labelSelector, ItemFilter filter) {
        String where = r.groupResource() + (namespace != null ? " in namespace " + namespace : "");
        try {
            long[] accepted = {0};
            long listed = lister.list(r, namespace, labelSelector, page -> {
                for (GenericKubernetesResource item : page) {
                    ObjectMeta meta = item.getMetadata();
                    if (meta == null || meta.getName() == null || !filter.accept(item)) {
                        continue;
                    }
                    String ns = r.namespaced() ? meta.getNamespace() : null;
                    markSnapshotted(r, item);
                    byte[] json;
                    try {
                        json = client.getKubernetesSerialization().asJson(item).getBytes(StandardCharsets.UTF_8);
                    } catch (RuntimeException e) {
                        String msg = "Could not serialize " + r.groupResource() + " " + qualified(ns, meta.getName()) + ": " + e.getMessage();
                        results.error(ns, msg);
                        log.error(msg);
                        continue;
                    }
                    noteRelated(r, item);
                    handle.addTotal(1);
                    accepted[0]++;
                    queue.put(new Item(r, ns, meta.getName(), json));
                }
            });
            if (listed > 0) {
                log.info("Listed " + listed + " " + where + ", " + accepted[0] + " included");
            }
        } catch (KubernetesClientException e) {
            if (Thread.currentThread().isInterrupted() || handle.cancelRequested()) {
                return;
            }
            if (e.getCode() == 404) {
                String msg = "Resource " + where + " disappeared during the backup (HTTP 404); skipped.";
                results.warning(namespace, msg);
                log.warn(msg);
            } else {
                String msg = "Could not list " + where + ": " + KubeRetry.describe(e);
                results.error(namespace, msg);
                log.error(msg);
            }
        } catch (InterruptedException | CancellationException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (!Thread.currentThread().isInterrupted() && !handle.cancelRequested()) {
                String msg = "Could not list " + where + ": " + e;
                results.error(namespace, msg);
                log.error(msg);
            }
        } finally {
            try {
                queue.put(DONE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private boolean skippedAlways(GenericKubernetesResource item) {
        ObjectMeta m = item.getMetadata();
        return Selection.excludedByLabel(m.getLabels()) || m.getDeletionTimestamp() != null;
    }

    private boolean acceptNamespace(GenericKubernetesResource item) {
        return selection.includesNamespace(item.getMetadata().getName()) && !skippedAlways(item);
    }

    private boolean acceptNamespaced(GenericKubernetesResource item) {
        String ns = item.getMetadata().getNamespace();
        return ns != null && selection.includesNamespace(ns) && !namespacesExcludedByLabel.contains(ns) && !skippedAlways(item);
    }

    /**
     * As Velero: a Namespace labelled {@code velero.io/exclude-from-backup=true} excludes
     * everything in it, not only the Namespace object.
     */
    private void findNamespacesExcludedByLabel() {
        List<io.fabric8.kubernetes.api.model.Namespace> labelled;
        try {
            labelled = retry.call("list namespaces labelled " + Selection.EXCLUDE_LABEL,
                    () -> client.namespaces().withLabel(Selection.EXCLUDE_LABEL, "true").list().getItems());
        } catch (KubernetesClientException e) {
            String msg = "Could not list the namespaces labelled " + Selection.EXCLUDE_LABEL + "=true: " + KubeRetry.describe(e);
            results.error(null, msg);
            log.error(msg);
            return;
        }
        for (var n : labelled) {
            String ns = n.getMetadata().getName();
            if (selection.includesNamespace(ns)) {
                namespacesExcludedByLabel.add(ns);
                log.info("Namespace " + ns + " is labelled " + Selection.EXCLUDE_LABEL + "=true: nothing in it is backed up.");
            }
        }
    }

    private boolean acceptClusterScoped(ApiResource r, GenericKubernetesResource item, boolean all) {
        if (skippedAlways(item)) {
            return false;
        }
        ObjectMeta m = item.getMetadata();
        boolean in = (all && selection.matchesLabels(m.getLabels())) || relatedNames(r).contains(m.getName());
        if (!in && r.groupResource().equals(CRB)) {
            in = bindsIncludedServiceAccount(item);
        }
        if (!in) {
            return false;
        }
        if (r.group().isEmpty() && r.plural().equals("nodes")) {
            String why = maintenance(item);
            if (why != null) {
                String msg = "Node " + m.getName() + " skipped: it is in maintenance mode (" + why + ").";
                results.warning(null, msg);
                log.warn(msg);
                return false;
            }
        }
        if (r.groupResource().equals(CRB)) {
            Object kind = item.get("roleRef", "kind");
            Object roleName = item.get("roleRef", "name");
            if ("ClusterRole".equals(kind) && roleName instanceof String s) {
                related.clusterRoles.add(s);
            }
        }
        return true;
    }

    private String maintenance(GenericKubernetesResource node) {
        if (Boolean.TRUE.equals(node.get("spec", "unschedulable"))) {
            return "cordoned: spec.unschedulable is true";
        }
        Map<String, String> labels = node.getMetadata().getLabels();
        if (labels != null && labels.containsKey(options.maintenanceLabel())) {
            return "label " + options.maintenanceLabel();
        }
        return null;
    }

    private boolean bindsIncludedServiceAccount(GenericKubernetesResource crb) {
        Object subjects = crb.get("subjects");
        if (!(subjects instanceof List<?> list)) {
            return false;
        }
        for (Object s : list) {
            if (s instanceof Map<?, ?> subject && "ServiceAccount".equals(subject.get("kind"))
                    && related.serviceAccounts.contains(subject.get("namespace") + "/" + subject.get("name"))) {
                return true;
            }
        }
        return false;
    }

    /** The names of related objects of a cluster-scoped resource (empty for resources nothing pulls in). */
    private Set<String> relatedNames(ApiResource r) {
        return switch (r.groupResource()) {
            case "persistentvolumes" -> related.persistentVolumes;
            case CRDS -> related.crds;
            case CLUSTER_ROLES -> related.clusterRoles;
            case PRIORITY_CLASSES -> related.priorityClasses;
            default -> Set.of();
        };
    }

    /** Records what an included namespaced object pulls in. */
    private void noteRelated(ApiResource r, GenericKubernetesResource item) {
        if (!r.namespaced()) {
            return;
        }
        String gr = r.groupResource();
        switch (gr) {
            case "persistentvolumeclaims" -> {
                if (item.get("spec", "volumeName") instanceof String pv && !pv.isEmpty()) {
                    related.persistentVolumes.add(pv);
                }
                related.includedClaims.add(item.getMetadata().getNamespace() + "/" + item.getMetadata().getName());
            }
            case "pods" -> {
                if (item.get("spec", "priorityClassName") instanceof String pc && !pc.isEmpty()) {
                    related.priorityClasses.add(pc);
                }
                if (selection.labelSelector() != null && item.get("spec", "volumes") instanceof List<?> volumes) {
                    for (Object v : volumes) {
                        if (v instanceof Map<?, ?> volume && volume.get("persistentVolumeClaim") instanceof Map<?, ?> ref
                                && ref.get("claimName") instanceof String claim) {
                            related.podClaims.add(item.getMetadata().getNamespace() + "/" + claim);
                        }
                    }
                }
            }
            case "serviceaccounts" -> related.serviceAccounts.add(item.getMetadata().getNamespace() + "/" + item.getMetadata().getName());
            default -> {
                if (!r.group().isEmpty()) {
                    related.crds.add(gr);
                }
            }
        }
    }

    // ------------------------------------------------------------------ include all disks (issue 8, internal.snapshot)

    /** Takes the CSI snapshots (before the items are listed); their warnings and errors go to the results. */
    private void takeSnapshots() {
        if (snapshots == null) {
            return;
        }
        snapshots.take(new CsiSnapshotBackup.Report() {
            @Override
            public void info(String message) {
                log.info(message);
            }

            @Override
            public void warning(String namespace, String message) {
                results.warning(namespace, message);
                log.warn(message);
            }

            @Override
            public void error(String namespace, String message) {
                results.error(namespace, message);
                log.error(message);
            }
        }, handle::cancelRequested);
    }

    /**
     * Marks the archived copy of a claim with a ready snapshot as Velero's CSI plugin does (label and
     * annotation {@code velero.io/volume-snapshot-name}, label {@code velero.io/backup-name}): Velero's
     * restore finds the claim's VolumeSnapshot by that annotation. The live claim is not changed.
     */
    private void markSnapshotted(ApiResource r, GenericKubernetesResource item) {
        if (snapshots == null || !r.group().isEmpty() || !r.plural().equals("persistentvolumeclaims")) {
            return;
        }
        ObjectMeta m = item.getMetadata();
        String vs = snapshots.snapshotNameOf(m.getNamespace(), m.getName());
        if (vs == null) {
            return;
        }
        Map<String, String> labels = m.getLabels() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(m.getLabels());
        labels.put(SnapshotApi.VOLUME_SNAPSHOT_NAME, vs);
        labels.put(SnapshotApi.BACKUP_NAME_LABEL, SnapshotApi.labelValue(name));
        m.setLabels(labels);
        Map<String, String> annotations = m.getAnnotations() == null ? new LinkedHashMap<>()
                : new LinkedHashMap<>(m.getAnnotations());
        annotations.put(SnapshotApi.VOLUME_SNAPSHOT_NAME, vs);
        m.setAnnotations(annotations);
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

    private static String qualified(String ns, String name) {
        return ns == null ? name : ns + "/" + name;
    }

    static String failureReason(Throwable e) {
        if (e instanceof KubernetesClientException k) {
            return "the Kubernetes API failed: " + KubeRetry.describe(k);
        }
        if (e instanceof IOException || e instanceof UncheckedIOException) {
            return "writing to the backup location failed: " + e.getMessage();
        }
        if (e instanceof KBackupException) {
            return e.getMessage();
        }
        return e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : "");
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
