package io.kbackup.core.internal.backup;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import io.kbackup.BackupInfo;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.KBackupException;
import io.kbackup.core.internal.layout.BackupDocument;
import io.kbackup.core.internal.layout.BackupManifest;
import io.kbackup.core.internal.layout.BackupSideFiles;
import io.kbackup.core.internal.layout.BucketLayout;
import io.kbackup.core.internal.layout.ResourceList;
import io.kbackup.spi.StorageProvider;
import java.time.Instant;

/**
 * Writes what a backup leaves next to its tarball, once the tarball is committed or abandoned:
 * the side files ({@link BackupSideFiles}), the integrity manifest of a restorable backup and,
 * last, {@code velero-backup.json}. A failure to write a side file turns the backup Failed; a
 * failure to write {@code velero-backup.json} leaves it invisible and the returned info says why.
 * Before the side files and again right before {@code velero-backup.json} the run's
 * {@link NameClaim} is read back: when the name is no longer the run's, nothing more is written and
 * the returned info is Failed.
 */
final class BackupMetadata {

    /**
     * What the run produced.
     *
     * @param phase      the phase the run reached
     * @param failure    why it failed, or null
     * @param manifest   the tarball's manifest, or null when there is no committed tarball
     * @param itemsTotal items found
     * @param items      items written
     * @param volumeInfo the volumeinfo records
     * @param attempted  volume snapshots attempted
     * @param completed  volume snapshots completed
     */
    record Outcome(BackupPhase phase, String failure, BackupManifest manifest, long itemsTotal, long items, ArrayNode volumeInfo,
            int attempted, int completed) {}

    private final KubernetesClient client;
    private final StorageProvider storage;
    private final BucketLayout layout;
    private final BackupPlan plan;
    private final String name;
    private final Instant start;
    private final BackupReport report;
    private final ResourceList resourceList;
    private final NameClaim claim;

    BackupMetadata(KubernetesClient client, StorageProvider storage, BackupPlan plan, String name, Instant start, BackupReport report,
            ResourceList resourceList, NameClaim claim) {
        this.claim = claim;
        this.client = client;
        this.storage = storage;
        this.layout = new BucketLayout(plan.location());
        this.plan = plan;
        this.name = name;
        this.start = start;
        this.report = report;
        this.resourceList = resourceList;
    }

    /** Writes everything and returns what {@code velero-backup.json} says (or would have said). */
    BackupInfo write(Outcome o, Instant end) {
        BackupPhase phase = o.phase();
        String failure = o.failure();
        report.info("Backup " + name + " ended: phase " + phase + ", " + o.items() + " items, "
                + report.results.errorCount() + " errors, " + report.results.warningCount() + " warnings"
                + (failure != null ? ", failure: " + failure : ""));
        String lost = lostClaim(claim, name);
        if (lost != null) {
            return notWritten(o, end, lost);
        }
        try {
            BackupSideFiles.of(layout, name, report.log.bytes(), report.results, resourceList, o.volumeInfo()).forEach(this::put);
            if (o.manifest() != null && phase.isRestorable()) {
                put(layout.manifest(name), o.manifest().toBytes());
            }
        } catch (RuntimeException e) {
            if (phase != BackupPhase.Failed) {
                phase = BackupPhase.Failed;
                failure = "could not write the backup's metadata files: " + BackupReport.failureReason(e);
            }
        }
        ObjectNode doc = BackupDocument.document(name, plan, start, status(o, phase, end, failure));
        BackupDocument.annotateSourceCluster(doc, sourceClusterVersion());
        lost = lostClaim(claim, name);
        if (lost != null) {
            return notWritten(o, end, lost);
        }
        try {
            put(layout.backupJson(name), BackupDocument.toBytes(doc));
        } catch (RuntimeException e) {
            // Nothing is listed without velero-backup.json: the backup is invisible, and the handle says why.
            doc = BackupDocument.document(name, plan, start, status(o, BackupPhase.Failed, end,
                    "could not write velero-backup.json: " + BackupReport.failureReason(e)));
        }
        return BackupDocument.toInfo(doc);
    }

    /** The info of a run that writes nothing more: Failed, with the reason, and no velero-backup.json. */
    private BackupInfo notWritten(Outcome o, Instant end, String reason) {
        if (!reason.equals(o.failure())) {
            report.log.error("Backup failed: " + reason);
        }
        return BackupDocument.toInfo(BackupDocument.document(name, plan, start, status(o, BackupPhase.Failed, end, reason)));
    }

    /**
     * Why the run no longer holds its name (it must write nothing more), or null when it does.
     * The claim is read from the store: a run whose leftovers were reclaimed (or whose name was
     * claimed again) must not overwrite another backup's files.
     */
    static String lostClaim(NameClaim claim, String name) {
        try {
            return claim.isOurs() ? null : "the claim on the name '" + name + "' is no longer this backup's (its unfinished"
                    + " files were deleted or another writer claimed the name); nothing more was written, no velero-backup.json";
        } catch (RuntimeException e) {
            return "could not confirm the claim on the name '" + name + "' (" + BackupReport.failureReason(e)
                    + "); nothing more was written, no velero-backup.json";
        }
    }

    /** Throws (the run fails) when the run no longer holds its name; see {@link #lostClaim}. */
    static void requireClaim(NameClaim claim, String name) {
        String lost = lostClaim(claim, name);
        if (lost != null) {
            throw new KBackupException(lost, false);
        }
    }

    private BackupDocument.Status status(Outcome o, BackupPhase phase, Instant end, String failure) {
        return new BackupDocument.Status(phase, start, end, start.plus(plan.expiry()), o.itemsTotal(), o.items(),
                report.results.errorCount(), report.results.warningCount(), failure, o.attempted(), o.completed());
    }

    /** The cluster's version as Velero records it on a backup, or null when the API server does not say. */
    private VersionInfo sourceClusterVersion() {
        try {
            return client.getKubernetesVersion();
        } catch (RuntimeException e) {
            report.info("The cluster's version is unknown (" + BackupReport.failureReason(e)
                    + "): velero-backup.json names no source cluster version");
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
}
