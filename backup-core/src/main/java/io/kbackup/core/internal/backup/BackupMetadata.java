package io.kbackup.core.internal.backup;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import io.kbackup.BackupInfo;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.Encryption;
import io.kbackup.KBackupException;
import io.kbackup.core.internal.layout.ArchivePaths;
import io.kbackup.core.internal.layout.BackupDocument;
import io.kbackup.core.internal.layout.BackupManifest;
import io.kbackup.core.internal.layout.BackupSideFiles;
import io.kbackup.core.internal.layout.BucketLayout;
import io.kbackup.core.internal.layout.ManifestSignature;
import io.kbackup.core.internal.layout.ResourceList;
import io.kbackup.core.internal.trust.SealedBackup;
import io.kbackup.core.internal.trust.Trust;
import io.kbackup.spi.StorageProvider;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

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
    private final Trust trust;
    private final Trust.Sealing sealing;

    /**
     * @param trust   signs the manifest
     * @param sealing the backup's encryption, or null for a plain backup
     */
    BackupMetadata(KubernetesClient client, StorageProvider storage, BackupPlan plan, String name, Instant start, BackupReport report,
            ResourceList resourceList, NameClaim claim, Trust trust, Trust.Sealing sealing) {
        this.claim = claim;
        this.trust = trust;
        this.sealing = sealing;
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
        report.info("Backup " + name + " ended: phase " + phase.veleroName() + ", " + o.items() + " items, "
                + report.results.errorCount() + " errors, " + report.results.warningCount() + " warnings"
                + (failure != null ? ", failure: " + failure : ""));
        String lost = lostClaim(claim, name);
        if (lost != null) {
            return notWritten(o, end, lost);
        }
        try {
            Map<String, BackupManifest.FileDigest> digests = new TreeMap<>();
            BackupSideFiles.of(layout, name, report.log.bytes(), report.results, resourceList, o.volumeInfo()).forEach((key, bytes) -> {
                String file = SealedBackup.fileName(key);
                byte[] stored = sealing == null ? bytes : sealing.cipher().encrypt(bytes, file);
                put(key, stored);
                digests.put(file, BackupManifest.FileDigest.of(stored));
            });
            BackupManifest manifest = o.manifest() != null && phase.isRestorable() ? o.manifest()
                    // an encrypted backup always has a manifest: it holds the wrapped key of the side files
                    : sealing != null ? new BackupManifest(BackupManifest.VERSION, name, ArchivePaths.FORMAT_VERSION, name + ".tar.gz", 0,
                            BackupManifest.FileDigest.of(new byte[0]).sha256(), 0, 0, end) : null;
            if (manifest != null) {
                byte[] bytes = manifest.with(digests, sealing == null ? null : sealing.encrypted()).toBytes();
                put(layout.manifest(name), bytes);
                ManifestSignature signature = trust.sign(bytes);
                if (signature != null) {
                    put(layout.manifestSignature(name), signature.toBytes());
                }
            }
        } catch (RuntimeException e) {
            if (phase != BackupPhase.FAILED) {
                phase = BackupPhase.FAILED;
                failure = "could not write the backup's metadata files: " + BackupReport.failureReason(e);
            }
        }
        ObjectNode doc = BackupDocument.document(name, plan, start, status(o, phase, end, failure));
        BackupDocument.annotateSourceCluster(doc, sourceClusterVersion());
        lost = lostClaim(claim, name);
        if (lost != null) {
            return notWritten(o, end, lost);
        }
        if (sealing != null) {
            markEncrypted(doc);
        }
        try {
            put(layout.backupJson(name), BackupDocument.toBytes(doc));
        } catch (RuntimeException e) {
            // Nothing is listed without velero-backup.json: the backup is invisible, and the handle says why.
            doc = BackupDocument.document(name, plan, start, status(o, BackupPhase.FAILED, end,
                    "could not write velero-backup.json: " + BackupReport.failureReason(e)));
        }
        return BackupDocument.toInfo(doc);
    }

    /** The info of a run that writes nothing more: Failed, with the reason, and no velero-backup.json. */
    private BackupInfo notWritten(Outcome o, Instant end, String reason) {
        if (!reason.equals(o.failure())) {
            report.log.error("Backup failed: " + reason);
        }
        return BackupDocument.toInfo(BackupDocument.document(name, plan, start, status(o, BackupPhase.FAILED, end, reason)));
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

    /**
     * Labels an encrypted backup's document ({@link Encryption#LABEL}) and says in an annotation
     * that only kbackup restores it: Velero syncs both onto its Backup resource. Its expiry is kept
     * from Velero ({@link BackupDocument#hideExpirationFromVelero}): Velero's delete fails on an
     * encrypted tarball, so its garbage collection would leave the backup whole and its Backup
     * {@code Deleting}; kbackup expires it.
     */
    private static void markEncrypted(ObjectNode doc) {
        BackupDocument.hideExpirationFromVelero(doc);
        ObjectNode meta = (ObjectNode) doc.path("metadata");
        ObjectNode labels = meta.path("labels") instanceof ObjectNode l ? l : meta.putObject("labels");
        labels.put(Encryption.LABEL, Encryption.ALGORITHM);
        BackupDocument.annotations(doc).put(ENCRYPTION_NOTE, "encrypted on the client by kbackup: only kbackup, with the key, restores it");
    }

    /** The annotation on an encrypted backup's document that explains it. */
    static final String ENCRYPTION_NOTE = "kbackup.io/encryption-note";

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
