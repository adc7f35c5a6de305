package io.kbackup.core.internal.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kbackup.BackupPhase;
import io.kbackup.CorruptBackupException;
import io.kbackup.ExistingResourcePolicy;
import io.kbackup.InvalidPlanException;
import io.kbackup.KBackupException;
import io.kbackup.NotFoundException;
import io.kbackup.RestoreHandle;
import io.kbackup.RestoreInfo;
import io.kbackup.RestorePhase;
import io.kbackup.RestorePlan;
import io.kbackup.RestorePreview;
import io.kbackup.core.direct.DirectOptions;
import io.kbackup.core.internal.TrackedOperation;
import io.kbackup.core.internal.kube.KubeRetry;
import io.kbackup.core.internal.layout.BackupManifest;
import io.kbackup.core.internal.layout.BucketLayout;
import io.kbackup.core.internal.snapshot.SnapshotRestore;
import io.kbackup.spi.StorageProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs DirectEngine restores and previews.
 *
 * <p>A restore goes: (1) synchronously, in {@link #start}: the backup's {@code velero-backup.json}
 * must exist ({@link NotFoundException}) and be in phase Completed or PartiallyFailed
 * ({@link InvalidPlanException}), and a fixed restore name must be unused; then, on a worker
 * thread: (2) the check pass ({@link ArchiveIndex}): the tarball is streamed once, its SHA-256 and
 * size compared with {@code kbackup-manifest.json} when the backup has one (Velero-written backups
 * have none), every entry checked, every item parsed and spooled to a local temp file; any failure
 * ends the restore in phase FailedValidation, applies nothing, and makes {@code await} throw
 * {@link CorruptBackupException}; (3) selection ({@link RestoreSelection}); (4) apply in Velero's
 * order ({@link RestoreOrder}): CRDs first, then a wait until they are Established (or, on servers
 * that never set CRD conditions, served in discovery) for at most
 * {@link DirectOptions#crdEstablishTimeout()}, then each tier, its items applied in parallel by
 * {@link DirectOptions#restoreConcurrency()} threads; (5) the log, results and resource list are
 * written under {@code restores/<name>/}. Items are addressed by the group, version and plural the
 * archive records, so no discovery cache has to be refreshed after the CRDs.
 */
public final class RestoreRunner implements AutoCloseable {
    private static final Set<BackupPhase> RESTORABLE = Set.of(BackupPhase.Completed, BackupPhase.PartiallyFailed);
    private static final String CRDS = RestoreSelection.CRDS;

    private final KubernetesClient client;
    private final DirectOptions options;
    private final ExecutorService workers;
    private final AtomicInteger threads = new AtomicInteger();
    /** Names of restores running here, so that two started in the same second get different names. */
    private final Set<String> running = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public RestoreRunner(KubernetesClient client, DirectOptions options) {
        this.client = client;
        this.options = options;
        this.workers = Executors.newCachedThreadPool(daemon("kbackup-restore-"));
    }

    /**
     * Starts a restore.
     *
     * @throws NotFoundException    when the backup is not in the location
     * @throws InvalidPlanException when the backup is not restorable (phase) or the restore name is taken
     */
    public RestoreHandle start(RestorePlan plan) {
        Source source = open(plan);
        try {
            Instant started = options.clock().instant();
            String name = restoreName(source, plan, started);
            TrackedOperation.Restore handle = new TrackedOperation.Restore(name);
            try {
                workers.execute(() -> {
                    handle.worker(Thread.currentThread());
                    try {
                        run(source, plan, handle, started);
                    } finally {
                        handle.worker(null);
                        Thread.interrupted();
                        source.storage.close();
                        running.remove(name);
                    }
                });
            } catch (RuntimeException e) {
                running.remove(name);
                throw e;
            }
            return handle;
        } catch (RuntimeException e) {
            source.storage.close();
            throw e;
        }
    }

    /**
     * What a restore would do, item by item: checks the backup as a restore does (and throws
     * {@link CorruptBackupException} if it fails), applies the filters, and looks each selected item
     * up in the cluster. Changes nothing.
     */
    public RestorePreview preview(RestorePlan plan) {
        Source source = open(plan);
        StorageProvider storage = source.storage;
        try (storage) {
            RestoreSelection selection = new RestoreSelection(plan);
            try (ArchiveIndex index = readArchive(source, selection, n -> { })) {
                List<IndexedItem> synthetic = selection.decide(index.items());
                SnapshotRestore snapshots = SnapshotStep.apply(client, options, storage, source.layout, plan, // include all disks
                        plan.restoreNameAt(options.clock().instant()), index.items());
                ItemTransforms transforms = new ItemTransforms(plan.backupName(), plan.restoreNameAt(options.clock().instant()),
                        plan.namespaceMapping(), plan.preserveNodePorts(), pv -> selection.pvRestored(pv) && !snapshots.pvFromSnapshot(pv));
                return new Previewer(plan, index, transforms, snapshots).preview(synthetic);
            }
        }
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }

    // ---- preparation ----

    private record Source(StorageProvider storage, BucketLayout layout, String backupName) {}

    private Source open(RestorePlan plan) {
        StorageProvider storage = options.storageProviders().open(plan.location());
        try {
            BucketLayout layout = new BucketLayout(plan.location());
            String backup = plan.backupName();
            String key = layout.backupJson(backup);
            if (!storage.exists(key)) {
                throw new NotFoundException(backup, "Backup '" + backup + "' is not in location '" + plan.location().name()
                        + "' (no " + key + "). List the backups there with BackupClient.listBackups(location).");
            }
            JsonNode doc;
            try {
                doc = RestoreJson.MAPPER.readTree(storage.getBytes(key));
            } catch (IOException e) {
                throw new CorruptBackupException(backup, "Backup '" + backup + "': velero-backup.json is not valid JSON ("
                        + e.getMessage() + "). Nothing was restored.", e);
            }
            String phaseText = doc.path("status").path("phase").asText("");
            BackupPhase phase;
            try {
                phase = BackupPhase.parse(phaseText);
            } catch (IllegalArgumentException e) {
                throw new InvalidPlanException("Backup '" + backup + "' has an unknown phase '" + phaseText
                        + "'; only Completed or PartiallyFailed backups can be restored.");
            }
            if (!RESTORABLE.contains(phase)) {
                throw new InvalidPlanException("Backup '" + backup + "' is in phase " + phase
                        + "; only Completed or PartiallyFailed backups can be restored. Choose another backup"
                        + (phase.isTerminal() ? "." : ", or wait until this one has finished."));
            }
            return new Source(storage, layout, backup);
        } catch (RuntimeException e) {
            storage.close();
            throw e;
        }
    }

    /** A name no restore in the location has, reserved in {@link #running} until the restore ends. */
    private String restoreName(Source source, RestorePlan plan, Instant started) {
        String name = plan.restoreNameAt(started);
        if (!restoreExists(source, name) && running.add(name)) {
            return name;
        }
        if (plan.restoreName().isPresent()) {
            throw new InvalidPlanException("A restore named '" + name + "' already exists (or is running) in location '" + plan.location().name()
                    + "'; choose another restoreName, or leave it unset for a generated one.");
        }
        for (int n = 2; ; n++) {
            String suffix = "-" + n;
            String candidate = (name.length() + suffix.length() > 63 ? name.substring(0, 63 - suffix.length()) : name) + suffix;
            if (!restoreExists(source, candidate) && running.add(candidate)) {
                return candidate;
            }
        }
    }

    private static boolean restoreExists(Source source, String name) {
        return !source.storage.list(source.layout.restoreDir(name), null, null, 1).blobs().isEmpty();
    }

    private ArchiveIndex readArchive(Source source, RestoreSelection selection, java.util.function.LongConsumer bytes) {
        String backup = source.backupName;
        ArchiveIndex.Expected expected = readManifest(source);
        String tarball = source.layout.tarball(backup);
        if (!source.storage.exists(tarball)) {
            throw new CorruptBackupException(backup, "Backup '" + backup + "' has no archive (" + tarball
                    + "); it cannot be restored. Nothing was restored.");
        }
        try (InputStream in = source.storage.get(tarball)) {
            return ArchiveIndex.build(in, backup, new ArchiveIndex.Limits(options.maxEntryBytes(), options.maxArchiveBytes()),
                    expected, Path.of(System.getProperty("java.io.tmpdir")), selection, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("could not close the archive stream of backup '" + backup + "': " + e.getMessage(), e);
        }
    }

    /** The manifest's expected checksum and size, or null when the backup has no manifest (Velero wrote it). */
    private static ArchiveIndex.Expected readManifest(Source source) {
        String key = source.layout.manifest(source.backupName);
        if (!source.storage.exists(key)) {
            return null;
        }
        String backup = source.backupName;
        BackupManifest manifest;
        try {
            manifest = BackupManifest.parse(backup, source.storage.getBytes(key));
        } catch (CorruptBackupException e) {
            throw new CorruptBackupException(backup, "Backup '" + backup + "': its integrity manifest " + key + " is unusable: "
                    + e.getMessage() + " Nothing was restored.", e);
        }
        if (!manifest.backupName().equals(backup) || !manifest.tarballKey().equals(backup + ".tar.gz")) {
            throw new CorruptBackupException(backup, "Backup '" + backup + "': its integrity manifest " + key + " describes backup '"
                    + manifest.backupName() + "' (" + manifest.tarballKey() + "), not this one. Nothing was restored.");
        }
        return new ArchiveIndex.Expected(manifest.tarballSha256(), manifest.tarballSize());
    }

    // ---- the restore ----

    private void run(Source source, RestorePlan plan, TrackedOperation.Restore handle, Instant started) {
        String name = handle.name();
        Counters counters = new Counters();
        try (RestoreReport report = new RestoreReport(name, options.clock())) {
            List<IndexedItem> applied = null;
            ItemTransforms transforms = null;
            RestorePhase phase;
            String failure = null;
            KBackupException refusal = null;
            handle.phase(RestorePhase.InProgress);
            report.info("Starting restore " + name + " of backup " + plan.backupName() + " (" + plan + ")");
            try {
                RestoreSelection selection = new RestoreSelection(plan);
                try (ArchiveIndex index = readArchive(source, selection, handle::addBytes)) {
                    report.info("Checked the archive: " + index.items().size() + " items, " + index.compressedBytes()
                            + " bytes, SHA-256 " + index.sha256() + (index.formatVersion() != null ? ", format " + index.formatVersion() : ""));
                    List<IndexedItem> synthetic = selection.decide(index.items());
                    SnapshotRestore snapshots = SnapshotStep.apply(client, options, source.storage, source.layout, plan, name, // include all disks
                            index.items());
                    transforms = new ItemTransforms(plan.backupName(), name, plan.namespaceMapping(), plan.preserveNodePorts(),
                            pv -> selection.pvRestored(pv) && !snapshots.pvFromSnapshot(pv));
                    applied = new ArrayList<>();
                    for (IndexedItem i : index.items()) {
                        if (i.selected) {
                            applied.add(i);
                        }
                    }
                    applied.addAll(synthetic);
                    handle.setTotal(applied.size());
                    new Applier(plan, index, transforms, report, handle, counters).withSnapshots(snapshots).apply(applied);
                }
                if (handle.cancelRequested()) {
                    phase = RestorePhase.Failed;
                    failure = "cancelled";
                } else {
                    phase = report.errorCount() > 0 ? RestorePhase.PartiallyFailed : RestorePhase.Completed;
                }
            } catch (CorruptBackupException | InvalidPlanException e) {
                phase = RestorePhase.FailedValidation;
                failure = e.getMessage();
                refusal = e;
                report.error("", e.getMessage());
            } catch (CancelledException | java.util.concurrent.CancellationException e) {
                phase = RestorePhase.Failed;
                failure = "cancelled";
                report.error("", "The restore was cancelled; items restored before that stay in the cluster.");
            } catch (RuntimeException e) {
                phase = RestorePhase.Failed;
                if (handle.cancelRequested()) {
                    failure = "cancelled";
                    report.error("", "The restore was cancelled; items restored before that stay in the cluster.");
                } else {
                    failure = e.getMessage() == null ? e.toString() : e.getMessage();
                    report.error("", "The restore failed: " + failure);
                }
            }
            report.info("Restore ended in phase " + phase + ": " + counters);
            ItemTransforms t = transforms;
            report.store(source.storage, source.layout, applied, item -> targetKey(item, t));
            RestoreInfo info = new RestoreInfo(name, plan.backupName(), phase, started, options.clock().instant(), handle.progress().itemsTotal(),
                    counters.created.get() + counters.updated.get() + counters.same.get(), counters.created.get(), counters.updated.get(),
                    counters.skipped.get(), counters.failed.get(), report.firstErrors(), report.firstWarnings(), plan.namespaceMapping(), failure);
            handle.phase(phase);
            running.remove(name); // before completing: a caller that awaits may start the next one at once
            if (refusal != null) {
                handle.completeExceptionally(refusal);
            } else {
                handle.complete(info);
            }
        } catch (RuntimeException | Error e) {
            running.remove(name);
            handle.phase(RestorePhase.Failed);
            handle.completeExceptionally(e);
        }
    }

    private static String targetKey(IndexedItem item, ItemTransforms t) {
        String name = item.groupResource.equals(RestoreSelection.NAMESPACES) && t != null ? t.target(item.name) : item.name;
        return item.namespace == null ? name : (t == null ? item.namespace : t.target(item.namespace)) + "/" + name;
    }

    private static final class CancelledException extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    private static final class Counters {
        final AtomicLong created = new AtomicLong();
        final AtomicLong updated = new AtomicLong();
        final AtomicLong same = new AtomicLong();
        final AtomicLong skipped = new AtomicLong();
        final AtomicLong failed = new AtomicLong();

        @Override
        public String toString() {
            return "created " + created + ", updated " + updated + ", skipped " + skipped + " (unchanged " + same + "), failed " + failed;
        }
    }

    /** Applies the selected items tier by tier. */
    private final class Applier {
        private final RestorePlan plan;
        private final ArchiveIndex index;
        private final ItemTransforms transforms;
        private final RestoreReport report;
        private final TrackedOperation.Restore handle;
        private final Counters counters;
        private final ClusterApplier cluster;
        /** Include all disks (issue 8): claims restored from their CSI snapshot; null for none. */
        private SnapshotRestore snapshots;

        Applier withSnapshots(SnapshotRestore snapshots) {
            this.snapshots = snapshots;
            return this;
        }

        Applier(RestorePlan plan, ArchiveIndex index, ItemTransforms transforms, RestoreReport report, TrackedOperation.Restore handle,
                Counters counters) {
            this.plan = plan;
            this.index = index;
            this.transforms = transforms;
            this.report = report;
            this.handle = handle;
            this.counters = counters;
            this.cluster = new ClusterApplier(client, KubeRetry.of(options));
        }

        void apply(List<IndexedItem> selected) {
            List<IndexedItem> toApply = new ArrayList<>();
            for (IndexedItem item : selected) {
                if (item.skipRule != null) {
                    item.outcome = IndexedItem.Outcome.SKIPPED_RULE;
                    counters.skipped.incrementAndGet();
                    handle.addDone(1);
                    report.detail("Skipping " + item.describe() + ": " + item.skipRule);
                } else {
                    toApply.add(item);
                }
            }
            ExecutorService pool = Executors.newFixedThreadPool(options.restoreConcurrency(), daemon("kbackup-restore-item-"));
            try {
                for (RestoreOrder.Tier tier : RestoreOrder.tiers(toApply)) {
                    if (handle.cancelRequested() || Thread.currentThread().isInterrupted()) {
                        throw new CancelledException();
                    }
                    report.info("Restoring " + tier.items().size() + " " + tier.groupResource());
                    runTier(pool, tier);
                    if (tier.groupResource().equals(CRDS)) {
                        awaitCrds(tier.items());
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }

        private void runTier(ExecutorService pool, RestoreOrder.Tier tier) {
            Semaphore slots = new Semaphore(options.restoreConcurrency());
            List<Future<?>> running = new ArrayList<>();
            try {
                for (IndexedItem item : tier.items()) {
                    if (handle.cancelRequested()) {
                        break;
                    }
                    slots.acquire();
                    running.add(pool.submit(() -> {
                        try {
                            applyOne(item);
                        } finally {
                            slots.release();
                        }
                    }));
                    running.removeIf(Future::isDone);
                }
                for (Future<?> f : running) {
                    f.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancelledException();
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable cause = e.getCause();
                throw cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
            }
            if (handle.cancelRequested()) {
                throw new CancelledException();
            }
        }

        private void applyOne(IndexedItem item) {
            String targetNs = item.namespace == null ? null : transforms.target(item.namespace);
            String name = item.groupResource.equals(RestoreSelection.NAMESPACES) ? transforms.target(item.name) : item.name;
            String where = item.groupResource + " " + (targetNs == null ? name : targetNs + "/" + name);
            try {
                ObjectNode desired = transforms.apply(item, item.synthetic ? bareNamespace(item.name) : index.read(item));
                if (snapshots != null && item.groupResource.equals(RestoreSelection.PVCS)) {
                    snapshots.prepareClaim(item.namespace, targetNs, desired); // include all disks: dataSource -> VolumeSnapshot
                }
                ClusterApplier.Result r = cluster.apply(item, targetNs, name, desired, plan.existingResourcePolicy());
                switch (r) {
                    case CREATED -> {
                        item.outcome = IndexedItem.Outcome.CREATED;
                        counters.created.incrementAndGet();
                        report.detail("Restored " + where);
                    }
                    case UPDATED -> {
                        item.outcome = IndexedItem.Outcome.UPDATED;
                        counters.updated.incrementAndGet();
                        report.info("Updated " + where + " toward the backup (existingResourcePolicy UPDATE)");
                    }
                    case EXISTS_SAME -> {
                        item.outcome = IndexedItem.Outcome.SKIPPED;
                        counters.skipped.incrementAndGet();
                        counters.same.incrementAndGet();
                        report.detail(where + " already exists as in the backup");
                    }
                    case EXISTS_DIFFERENT -> {
                        item.outcome = IndexedItem.Outcome.SKIPPED;
                        counters.skipped.incrementAndGet();
                        if (!item.synthetic) {
                            report.warning(targetNs, "could not restore " + where + ": it already exists in the cluster and differs"
                                    + " from the backup; left as it is (existingResourcePolicy NONE)");
                        }
                    }
                    default -> throw new IllegalStateException(r.name());
                }
            } catch (KubernetesClientException e) {
                fail(item, targetNs, where, e.getCode() == 404
                        ? "the cluster does not serve " + item.apiVersion + " " + item.plural() + " (a missing CRD or API version): " + describe(e)
                        : describe(e));
            } catch (java.util.concurrent.CancellationException e) {
                throw e;
            } catch (RuntimeException e) {
                fail(item, targetNs, where, e.getMessage() == null ? e.toString() : e.getMessage());
            } finally {
                handle.addDone(1);
            }
        }

        private void fail(IndexedItem item, String targetNs, String where, String why) {
            item.outcome = IndexedItem.Outcome.FAILED;
            counters.failed.incrementAndGet();
            report.error(targetNs, "error restoring " + where + ": " + why);
        }

        private void awaitCrds(List<IndexedItem> crds) {
            Set<String> waiting = new LinkedHashSet<>();
            for (IndexedItem crd : crds) {
                if (crd.outcome != IndexedItem.Outcome.FAILED) {
                    waiting.add(crd.name);
                }
            }
            long deadline = System.nanoTime() + options.crdEstablishTimeout().toNanos();
            long pause = 20;
            while (!waiting.isEmpty()) {
                waiting.removeIf(cluster::crdEstablished);
                if (waiting.isEmpty()) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    for (String crd : waiting) {
                        report.warning(null, "CustomResourceDefinition " + crd + " was not established within "
                                + options.crdEstablishTimeout() + "; its custom resources may fail to restore");
                    }
                    break;
                }
                try {
                    TimeUnit.MILLISECONDS.sleep(pause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CancelledException();
                }
                pause = Math.min(pause * 2, 500);
            }
            report.info("CustomResourceDefinitions ready: " + (crds.size() - waiting.size()) + " of " + crds.size());
        }
    }

    /** Works out the preview: GETs each selected item's target, in parallel. */
    private final class Previewer {
        private final RestorePlan plan;
        private final ArchiveIndex index;
        private final ItemTransforms transforms;
        private final ClusterApplier cluster;
        private final SnapshotRestore snapshots;

        Previewer(RestorePlan plan, ArchiveIndex index, ItemTransforms transforms, SnapshotRestore snapshots) {
            this.plan = plan;
            this.index = index;
            this.transforms = transforms;
            this.snapshots = snapshots;
            this.cluster = new ClusterApplier(client, KubeRetry.of(options));
        }

        RestorePreview preview(List<IndexedItem> synthetic) {
            List<IndexedItem> selected = new ArrayList<>();
            List<IndexedItem> excluded = new ArrayList<>();
            for (IndexedItem i : index.items()) {
                (i.selected && i.skipRule == null ? selected : excluded).add(i);
            }
            selected.addAll(synthetic);
            List<IndexedItem> ordered = new ArrayList<>();
            RestoreOrder.tiers(selected).forEach(t -> ordered.addAll(t.items()));
            RestorePreview.Item[] out = new RestorePreview.Item[ordered.size()];
            ExecutorService pool = Executors.newFixedThreadPool(options.restoreConcurrency(), daemon("kbackup-preview-"));
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
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable cause = e.getCause();
                throw cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
            } finally {
                pool.shutdownNow();
            }
            List<RestorePreview.Item> items = new ArrayList<>(List.of(out));
            excluded.sort(Comparator.comparing((IndexedItem i) -> i.groupResource).thenComparing(i -> i.namespace == null ? "" : i.namespace)
                    .thenComparing(i -> i.name));
            for (IndexedItem i : excluded) {
                String ns = i.namespace == null ? null : transforms.target(i.namespace);
                String name = i.groupResource.equals(RestoreSelection.NAMESPACES) ? transforms.target(i.name) : i.name;
                items.add(new RestorePreview.Item(i.groupResource, ns, name, RestorePreview.Action.EXCLUDED,
                        i.skipRule != null ? i.skipRule : i.excludedBecause));
            }
            return new RestorePreview(plan.backupName(), items);
        }

        private RestorePreview.Item previewOne(IndexedItem item) {
            String ns = item.namespace == null ? null : transforms.target(item.namespace);
            String name = item.groupResource.equals(RestoreSelection.NAMESPACES) ? transforms.target(item.name) : item.name;
            ObjectNode live;
            try {
                live = cluster.get(item, ns, name);
            } catch (KubernetesClientException e) {
                return new RestorePreview.Item(item.groupResource, ns, name, RestorePreview.Action.CREATE,
                        "would be created (the cluster could not be asked whether it exists: " + describe(e) + ")");
            }
            if (live == null) {
                String dataSource = item.groupResource.equals(RestoreSelection.PVCS)
                        ? snapshots.describeDataSource(item.namespace, name, ns) : null; // include all disks
                return new RestorePreview.Item(item.groupResource, ns, name, RestorePreview.Action.CREATE,
                        item.synthetic ? "namespace of restored items (the backup has no object for it)"
                                : dataSource != null ? "not in the cluster; provisioned anew from its CSI snapshot: " + dataSource
                                : "not in the cluster");
            }
            ObjectNode desired = transforms.apply(item, item.synthetic ? bareNamespace(item.name) : index.read(item));
            boolean same = JsonSubset.covers(live, JsonSubset.withoutRestoreLabels(desired));
            if (same) {
                return new RestorePreview.Item(item.groupResource, ns, name, RestorePreview.Action.SKIP_EXISTS,
                        "exists and already matches the backup");
            }
            if (plan.existingResourcePolicy() == ExistingResourcePolicy.UPDATE) {
                return new RestorePreview.Item(item.groupResource, ns, name, RestorePreview.Action.UPDATE,
                        "exists and differs from the backup; would be patched toward it (existingResourcePolicy UPDATE)");
            }
            return new RestorePreview.Item(item.groupResource, ns, name, RestorePreview.Action.SKIP_EXISTS,
                    "exists and differs from the backup; would be left as is, with a warning (existingResourcePolicy NONE)");
        }
    }

    private static ObjectNode bareNamespace(String name) {
        ObjectNode ns = RestoreJson.MAPPER.createObjectNode();
        ns.put("apiVersion", "v1");
        ns.put("kind", "Namespace");
        ns.putObject("metadata").put("name", name);
        return ns;
    }

    private static String describe(KubernetesClientException e) {
        return KubeRetry.describe(e);
    }

    private ThreadFactory daemon(String prefix) {
        return r -> {
            Thread t = new Thread(r, prefix + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
