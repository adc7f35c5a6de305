package io.kbackup.core.internal.catalog;

import io.kbackup.BackupInProgressException;
import io.kbackup.BackupLocation;
import io.kbackup.BackupLockedException;
import io.kbackup.KBackupException;
import io.kbackup.ObjectLock;
import io.kbackup.core.internal.catalog.BackupCatalog.Unfinished;
import io.kbackup.core.internal.catalog.BackupCatalog.UnfinishedPolicy;
import io.kbackup.core.internal.layout.BucketLayout;
import io.kbackup.core.internal.snapshot.SnapshotCleanup;
import io.kbackup.spi.BlobInfo;
import io.kbackup.spi.Retention;
import io.kbackup.spi.StorageProvider;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How {@link BackupCatalog#delete} deletes a backup's folder: the checks first (an unfinished
 * backup not yet reclaimable, an object under lock: nothing is deleted), then the backup's CSI
 * snapshots in the cluster, then the objects in the order the catalog's class comment gives, with
 * the {@code kbackup-deleting} marker around them, and the leftovers of interrupted uploads.
 * Thread-safe (no state besides its settings).
 */
final class BackupDeletion {
    /** Logged under the catalog, whose operation this is. */
    private static final Logger LOG = LoggerFactory.getLogger(BackupCatalog.class);

    /** Deletes a backup's CSI snapshots in the engine's cluster; null for a catalog without cluster. */
    private final SnapshotCleanup snapshots;
    private final UnfinishedPolicy policy;
    private final Clock clock;

    BackupDeletion(SnapshotCleanup snapshots, UnfinishedPolicy policy) {
        this.snapshots = snapshots;
        this.policy = policy;
        this.clock = policy.clock();
    }

    /** See {@link BackupCatalog#delete}; the name is checked. */
    void delete(StorageProvider storage, BackupLocation location, String name) {
        BucketLayout layout = new BucketLayout(location);
        List<BlobInfo> blobs = BackupCatalog.blobsOf(storage, layout, name);
        Instant now = clock.instant();
        if (blobs.isEmpty()) {
            if (sweepUploads(storage, layout, name, now) > 0) {
                LOG.info("Removed the unfinished uploads of backup {} from location {}", name, location.name());
                return;
            }
            throw BackupCatalog.notFound(location, name);
        }
        Unfinished unfinished = BackupCatalog.unfinished(storage, layout, name, blobs).orElse(null);
        if (unfinished != null && !unfinished.reclaimable(policy, now)) {
            throw new BackupInProgressException(name, "Backup '" + name + "' in location '" + location.name()
                    + "' is not finished (" + unfinished.state() + ", since " + unfinished.since() + "): it may still be"
                    + " being written, so it was not deleted. Wait for it to finish; an unfinished backup's leftovers can be"
                    + " deleted once they are older than " + policy.grace() + " (DirectOptions.unfinishedBackupGrace) or its"
                    + " progress record was not refreshed for " + RunRecords.STALE_AFTER.toMinutes() + " minutes.");
        }
        refuseIfLocked(storage, location, name, blobs.stream().map(BlobInfo::key).toList());
        // the backup's CSI snapshots go first: if the cluster refuses, nothing in the bucket is deleted
        if (snapshots != null) {
            snapshots.deleteSnapshotsOf(name);
        }
        List<String> keys = new ArrayList<>(blobs.stream().map(BlobInfo::key).toList());
        String deleting = layout.deleting(name);
        if (!keys.remove(deleting)) {
            storage.put(deleting, new byte[0]);
        }
        String json = layout.backupJson(name);
        String manifest = layout.manifest(name);
        String claim = layout.claim(name);
        boolean purge = location.objectLock() != ObjectLock.NONE;
        if (keys.remove(json)) {
            remove(storage, json, purge);
        }
        if (keys.remove(manifest)) {
            remove(storage, manifest, purge);
        }
        boolean claimed = keys.remove(claim);
        if (purge) {
            keys.forEach(storage::purge);
        } else {
            storage.deleteAll(keys);
        }
        // a finished backup's writer completed or aborted its uploads; an unfinished one's may have been killed
        int swept = unfinished != null ? sweepUploads(storage, layout, name, now) : 0;
        if (claimed) {
            remove(storage, claim, purge);
        }
        remove(storage, deleting, purge);
        LOG.info("Deleted {}backup {} ({} objects, {} unfinished uploads) from location {}", unfinished != null ? "unfinished " : "",
                name, blobs.size(), swept, location.name());
    }

    /**
     * Interrupted uploads of the backup: under its folder, and by the tarball's exact key (MinIO
     * lists them only so). A failure (a credential without the right to list uploads) is logged,
     * not thrown: the backup's files matter more, and the store's lifecycle rules can abort uploads.
     */
    private static int sweepUploads(StorageProvider storage, BucketLayout layout, String name, Instant before) {
        try {
            return storage.sweepIncompleteUploads(layout.backupDir(name), before)
                    + storage.sweepIncompleteUploads(layout.tarball(name), before);
        } catch (KBackupException e) {
            LOG.warn("Could not remove the unfinished uploads of backup {}: {}", name, e.getMessage());
            return 0;
        }
    }

    /**
     * Refuses, before anything is deleted, the deletion of a backup with one of these objects locked now.
     *
     * @throws BackupLockedException saying until when the backup is locked
     */
    void refuseIfLocked(StorageProvider storage, BackupLocation location, String name, List<String> keys) {
        if (location.objectLock() == ObjectLock.NONE && !lockable(storage)) {
            return; // a bucket without object lock holds no locked object: no request per object
        }
        Instant now = clock.instant();
        Retention latest = null;
        for (String key : keys) {
            Retention r = storage.retention(key).filter(x -> x.holdsAt(now)).orElse(null);
            if (r != null && (latest == null || r.retainUntil().isAfter(latest.retainUntil()))) {
                latest = r;
            }
        }
        if (latest != null) {
            throw new BackupLockedException(name, latest.retainUntil(), "Backup '" + name + "' in location '" + location.name()
                    + "' is under object lock (" + latest.mode() + ") until " + latest.retainUntil() + ": it cannot be deleted"
                    + " before then, and nothing of it was deleted. Delete it after " + latest.retainUntil()
                    + " (the scheduler's sweeps do so by themselves).");
        }
    }

    /** Whether the bucket may hold locked objects; when it cannot tell, it may. */
    private static boolean lockable(StorageProvider storage) {
        try {
            return storage.objectLockEnabled();
        } catch (RuntimeException e) {
            return true;
        }
    }

    private static void remove(StorageProvider storage, String key, boolean purge) {
        if (purge) {
            storage.purge(key);
        } else {
            storage.delete(key);
        }
    }
}
