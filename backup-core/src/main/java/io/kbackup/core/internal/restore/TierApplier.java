package io.kbackup.core.internal.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kbackup.RestorePlan;
import io.kbackup.core.internal.TrackedOperation;
import io.kbackup.core.internal.kube.KubeRetry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Applies a restore's selected items in Velero's order ({@link RestoreOrder}): CRDs first, then a
 * wait until they are Established (or, on servers that never set CRD conditions, served in
 * discovery) for at most the context's {@code crdEstablishTimeout}, then each tier, its items
 * applied in parallel by {@code concurrency} threads. Items a skip rule leaves out are counted as
 * skipped. A pod refused because admission has not yet seen a PriorityClass the restore created in
 * its tier is tried again after a short wait ({@link AdmissionLag}). Records each item's {@link IndexedItem#outcome}.
 */
final class TierApplier {

    /** The restore was cancelled. */
    static final class CancelledException extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    /**
     * What happened to the items, counted: disjoint, each applied or rule-skipped item in exactly one
     * count, so they add up to the items the restore considered.
     */
    static final class Counters {
        final AtomicLong created = new AtomicLong();
        final AtomicLong updated = new AtomicLong();
        /** Existed and equal to the backup's version. */
        final AtomicLong unchanged = new AtomicLong();
        /** Left out by a skip rule, or existed, differed and was left as is. */
        final AtomicLong skipped = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        /** Live objects a reset deleted (not items of the backup, so outside the other counts). */
        final AtomicLong deleted = new AtomicLong();
        /** Live objects a reset should have deleted and could not. */
        final AtomicLong deleteFailed = new AtomicLong();

        @Override
        public String toString() {
            return "created " + created + ", updated " + updated + ", unchanged " + unchanged + ", skipped " + skipped + ", failed " + failed
                    + (deleted.get() + deleteFailed.get() > 0 ? ", deleted " + deleted + ", not deleted " + deleteFailed : "");
        }
    }

    private final RestorePlan plan;
    private final RestorePipeline pipeline;
    private final RestoreReport report;
    private final TrackedOperation.Restore handle;
    private final Counters counters;
    private final ClusterApplier cluster;
    private final int concurrency;
    private final Duration crdEstablishTimeout;
    private final AdmissionLag admissionLag = new AdmissionLag();
    /** What a reset found in the cluster; null when the plan does not prune. */
    private final LiveState live;

    /**
     * @param live what a reset ({@link io.kbackup.PrunePolicy#PRUNE}) listed in the cluster, or null for a plain restore
     */
    TierApplier(RestorePlan plan, RestorePipeline pipeline, RestoreReport report, TrackedOperation.Restore handle, Counters counters,
            ClusterApplier cluster, int concurrency, Duration crdEstablishTimeout, LiveState live) {
        this.live = live;
        this.plan = plan;
        this.pipeline = pipeline;
        this.report = report;
        this.handle = handle;
        this.counters = counters;
        this.cluster = cluster;
        this.concurrency = concurrency;
        this.crdEstablishTimeout = crdEstablishTimeout;
    }

    void apply(List<IndexedItem> selected) {
        List<IndexedItem> toApply = new ArrayList<>();
        for (IndexedItem item : selected) {
            if (item.decision.verdict() == RestoreDecision.Verdict.SKIP_RULE) {
                item.outcome = IndexedItem.Outcome.SKIPPED_RULE;
                counters.skipped.incrementAndGet();
                handle.addDone(1);
                report.detail("Skipping " + item.describe() + ": " + item.decision.reason());
            } else {
                toApply.add(item);
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(concurrency, RestorePipeline.daemon("kbackup-restore-item-"));
        try {
            for (RestoreOrder.Tier tier : RestoreOrder.tiers(toApply)) {
                if (handle.cancelRequested() || Thread.currentThread().isInterrupted()) {
                    throw new CancelledException();
                }
                report.info("Restoring " + tier.items().size() + " " + tier.groupResource());
                runTier(pool, tier);
                if (tier.groupResource().equals(RestoreSelection.CRDS)) {
                    awaitCrds(tier.items());
                }
            }
            if (live != null) {
                prune(pool);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void runTier(ExecutorService pool, RestoreOrder.Tier tier) {
        Semaphore slots = new Semaphore(concurrency);
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
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancelledException();
        }
        awaitAll(running);
        if (handle.cancelRequested()) {
            throw new CancelledException();
        }
    }

    /** A reset's prune: deletes the live objects of the selection the backup lacks, in parallel. */
    private void prune(ExecutorService pool) {
        List<LiveState.Live> prune = new ArrayList<>();
        List<LiveState.Live> kept = new ArrayList<>();
        live.notInBackup(LiveState.backupKeys(pipeline), prune, kept);
        report.info("Pruning " + prune.size() + " objects the backup does not have (" + kept.size() + " more left: a reset never touches them)");
        for (LiveState.Live l : kept) {
            report.detail("Left " + l.describe() + " (not in the backup): " + l.neverTouched());
        }
        List<Future<?>> running = new ArrayList<>();
        for (LiveState.Live l : prune) {
            running.add(pool.submit(() -> {
                try {
                    if (cluster.delete(l.resource().context(), l.namespace(), l.name())) {
                        counters.deleted.incrementAndGet();
                        report.info("Deleted " + l.describe() + " (not in the backup)");
                    } else {
                        report.detail(l.describe() + " was already gone");
                    }
                } catch (KubernetesClientException e) {
                    counters.deleteFailed.incrementAndGet();
                    report.error(l.namespace(), "could not delete " + l.describe() + " (not in the backup): " + KubeRetry.describe(e));
                }
            }));
        }
        awaitAll(running);
    }

    /** Waits for the items in flight; an item's unexpected failure ends the restore. */
    private static void awaitAll(List<Future<?>> running) {
        try {
            for (Future<?> f : running) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancelledException();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
        }
    }

    private void applyOne(IndexedItem item) {
        String targetNs = pipeline.targetNamespace(item);
        String where = pipeline.where(item);
        try {
            if (live != null && live.unchanged(item, targetNs, pipeline.targetName(item))) {
                item.outcome = IndexedItem.Outcome.UNCHANGED;
                counters.unchanged.incrementAndGet();
                report.detail(where + " is unchanged since the backup (same uid and resourceVersion)");
                return;
            }
            RestorePipeline.Prepared prepared = pipeline.prepare(item);
            ObjectNode desired = prepared.object();
            if (item.groupResource.equals(RestoreSelection.PVCS)) {
                pipeline.snapshots.prepareClaim(item.namespace, targetNs, desired); // include all disks: dataSource -> VolumeSnapshot
            }
            ClusterApplier.Applied r = write(item, targetNs, desired);
            switch (r.result()) {
                case CREATED -> {
                    item.outcome = IndexedItem.Outcome.CREATED;
                    counters.created.incrementAndGet();
                    admissionLag.created(item, pipeline.targetName(item));
                    report.detail("Restored " + where + (item.additional != null ? " (" + item.additional + ")" : ""));
                    if (prepared.status() != null) {
                        restoreStatus(item, targetNs, where, prepared.status());
                    }
                }
                case UPDATED -> {
                    item.outcome = IndexedItem.Outcome.UPDATED;
                    counters.updated.incrementAndGet();
                    report.info("Updated " + where + " to the backup's version (it differed at " + r.difference() + ")"
                            + (live != null ? " (reset)" : item.groupResource.equals(RestoreSelection.SERVICE_ACCOUNTS)
                                    ? ": the backup's secrets, image pull secrets, labels and annotations it lacked were added"
                                    : " (existingResourcePolicy UPDATE)"));
                }
                case UNCHANGED -> {
                    item.outcome = IndexedItem.Outcome.UNCHANGED;
                    counters.unchanged.incrementAndGet();
                    report.detail(where + " already exists as in the backup");
                }
                case LEFT_DIFFERENT -> {
                    item.outcome = IndexedItem.Outcome.SKIPPED;
                    counters.skipped.incrementAndGet();
                    if (r.warn() && !item.synthetic) {
                        report.warning(targetNs, "could not restore " + where + ": it already exists in the cluster and differs"
                                + " from the backup (first at " + r.difference() + "); left as it is (existingResourcePolicy NONE)");
                    } else {
                        report.detail(where + " already exists (differs at " + r.difference() + "); left as it is");
                    }
                }
                case PATCH_REFUSED -> {
                    item.outcome = IndexedItem.Outcome.SKIPPED;
                    counters.skipped.incrementAndGet();
                    String message = "could not update " + where + " to the backup's version (it differs at " + r.difference()
                            + "): the API server refused the patch: " + r.refusal();
                    if (live != null) {
                        report.error(targetNs, message + "; a reset leaves it as it is");
                    } else {
                        report.warning(targetNs, message + "; only its restore labels were set");
                    }
                }
                default -> throw new IllegalStateException(r.result().name());
            }
        } catch (KubernetesClientException e) {
            fail(item, targetNs, where, e.getCode() == 404
                    ? "the cluster does not serve " + item.apiVersion + " " + item.plural() + " (a missing CRD or API version): "
                            + KubeRetry.describe(e)
                    : KubeRetry.describe(e));
        } catch (CancellationException e) {
            throw e;
        } catch (RuntimeException e) {
            fail(item, targetNs, where, e.getMessage() == null ? e.toString() : e.getMessage());
        } finally {
            handle.addDone(1);
        }
    }

    /**
     * Creates or updates the item (a reset compares it with its snapshot first), trying again after
     * a short wait while admission has not yet seen a PriorityClass this restore created.
     */
    private ClusterApplier.Applied write(IndexedItem item, String targetNs, ObjectNode desired) {
        for (int attempt = 0;; attempt++) {
            try {
                return live != null
                        ? cluster.reset(item, targetNs, pipeline.targetName(item), desired, pipeline.snapshot(item), plan.existingResourcePolicy())
                        : cluster.apply(item, targetNs, pipeline.targetName(item), desired, plan.existingResourcePolicy());
            } catch (KubernetesClientException e) {
                long wait = admissionLag.waitBeforeRetry(e, attempt);
                if (wait < 0) {
                    throw e;
                }
                report.detail(pipeline.where(item) + ": admission has not seen a PriorityClass this restore created yet ("
                        + KubeRetry.describe(e) + "); trying again in " + wait + " ms");
                try {
                    TimeUnit.MILLISECONDS.sleep(wait);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new CancellationException("interrupted while waiting to restore " + pipeline.where(item));
                }
            }
        }
    }

    /** Velero's restoreStatus: the backed-up status through the status subresource; a refusal is a warning, as in Velero. */
    private void restoreStatus(IndexedItem item, String targetNs, String where, com.fasterxml.jackson.databind.JsonNode status) {
        try {
            cluster.replaceStatus(item, targetNs, pipeline.targetName(item), status);
            report.detail("Restored the status of " + where);
        } catch (KubernetesClientException e) {
            report.warning(targetNs, "could not restore the status of " + where + ": " + KubeRetry.describe(e));
        } catch (RuntimeException e) {
            report.warning(targetNs, "could not restore the status of " + where + ": " + e.getMessage());
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
        long deadline = System.nanoTime() + crdEstablishTimeout.toNanos();
        long pause = 20;
        while (!waiting.isEmpty()) {
            waiting.removeIf(cluster::crdEstablished);
            if (waiting.isEmpty()) {
                break;
            }
            if (System.nanoTime() > deadline) {
                for (String crd : waiting) {
                    report.warning(null, "CustomResourceDefinition " + crd + " was not established within "
                            + crdEstablishTimeout + "; its custom resources may fail to restore");
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
