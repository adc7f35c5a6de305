package io.kbackup.core.internal.catalog;

import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupLockedException;
import io.kbackup.CorruptBackupException;
import io.kbackup.InvalidPlanException;
import io.kbackup.NotFoundException;
import io.kbackup.ObjectLock;
import io.kbackup.core.internal.layout.BackupDocument;
import io.kbackup.core.internal.layout.BucketLayout;
import io.kbackup.core.internal.layout.EntryPath;
import io.kbackup.core.internal.snapshot.SnapshotCleanup;
import io.kbackup.spi.BlobInfo;
import io.kbackup.spi.Retention;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviders;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists, describes and deletes backups in a location by reading Velero's layout; used by both
 * engines, and works on backups Velero wrote as well as ours. A backup exists when its
 * {@code backups/<name>/velero-backup.json} does. Thread-safe.
 *
 * <p>Deletion order: {@code velero-backup.json} first, then our manifest, then everything else
 * under {@code backups/<name>/}. So a deletion that stops part-way (crash, storage error) leaves
 * files that no listing shows, never a backup that is listed (and claims to be complete) while its
 * tarball is gone. Calling {@link #delete} again removes the leftovers. (Velero deletes in key
 * order, which happens to put {@code velero-backup.json} near the end; we put it first on purpose.)
 */
public final class BackupCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(BackupCatalog.class);
    /** Kubernetes object names (DNS subdomain): what a Velero backup name can be. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    /** Newest first: by start time, else creation time; undated last; then by name, descending. */
    private static final Comparator<BackupInfo> NEWEST_FIRST = Comparator
            .comparing(BackupCatalog::when, Comparator.nullsLast(Comparator.<Instant>reverseOrder()))
            .thenComparing(BackupInfo::name, Comparator.reverseOrder());

    private final StorageProviders providers;
    /** Tells when a running backup's record is stale. */
    private final Clock clock;
    /** Deletes a backup's CSI snapshots in the engine's cluster; null for a catalog without cluster. */
    private final SnapshotCleanup snapshots;

    public BackupCatalog(StorageProviders providers, SnapshotCleanup snapshots, Clock clock) {
        this.providers = providers;
        this.snapshots = snapshots;
        this.clock = clock;
    }

    public BackupCatalog(StorageProviders providers, SnapshotCleanup snapshots) {
        this(providers, snapshots, Clock.systemUTC());
    }

    /** A catalog that needs no cluster (listing only reads the location). */
    public BackupCatalog(StorageProviders providers) {
        this(providers, null);
    }

    /**
     * Every backup in the location with a readable {@code velero-backup.json}, newest first, and
     * every running backup with a readable {@code kbackup-progress.json} ({@link BackupProgress}).
     * Other folders (half-deleted, being written by Velero) and unreadable documents are skipped (logged).
     */
    public List<BackupInfo> list(BackupLocation location) {
        return list(providers, location, clock.instant());
    }

    /** As {@link #list(BackupLocation)} with the given providers. */
    public static List<BackupInfo> list(StorageProviders providers, BackupLocation location) {
        return list(providers, location, Instant.now());
    }

    private static List<BackupInfo> list(StorageProviders providers, BackupLocation location, Instant now) {
        BucketLayout layout = new BucketLayout(location);
        List<BackupInfo> out = new ArrayList<>();
        try (StorageProvider storage = providers.open(location)) {
            for (String prefix : storage.listPrefixes(layout.backupsPrefix(), "/")) {
                String name = layout.backupNameOf(prefix + "x");
                if (name == null) {
                    continue;
                }
                if (!NAME.matcher(name).matches()) {
                    // describe, delete and restore refuse such a name: list must not show what they cannot reach
                    LOG.warn("Skipping backups/{}/: not a backup name (lower-case letters, digits, '-' and '.')",
                            EntryPath.printable(name));
                    continue;
                }
                try {
                    byte[] bytes = storage.getBytes(layout.backupJson(name));
                    BackupInfo info = BackupDocument.parse(name, bytes);
                    if (!name.equals(info.name())) {
                        LOG.warn("Skipping backups/{}/: its velero-backup.json names backup '{}'", name, info.name());
                        continue;
                    }
                    out.add(info);
                } catch (NotFoundException e) {
                    BackupInfo running = BackupProgress.read(storage, layout, name, now);
                    if (running != null) {
                        out.add(running);
                    } else {
                        LOG.debug("Skipping backups/{}/: no velero-backup.json (being written or deleted)", name);
                    }
                } catch (CorruptBackupException e) {
                    LOG.warn("Skipping backups/{}/: {}", name, e.getMessage());
                }
            }
        }
        out.sort(NEWEST_FIRST);
        return out;
    }

    /**
     * One backup's details, from its {@code velero-backup.json} (or, while it runs, its progress record).
     *
     * @throws NotFoundException      when the location has no such backup
     * @throws CorruptBackupException when its {@code velero-backup.json} cannot be read or names another backup
     */
    public BackupInfo describe(BackupLocation location, String name) {
        checkName(name);
        BucketLayout layout = new BucketLayout(location);
        try (StorageProvider storage = providers.open(location)) {
            byte[] bytes;
            try {
                bytes = storage.getBytes(layout.backupJson(name));
            } catch (NotFoundException e) {
                BackupInfo running = BackupProgress.read(storage, layout, name, clock.instant());
                if (running != null) {
                    return running;
                }
                throw notFound(location, name);
            }
            BackupInfo info = BackupDocument.parse(name, bytes);
            if (!name.equals(info.name())) {
                throw new CorruptBackupException(name, "Backup '" + name + "': its velero-backup.json names backup '" + info.name()
                        + "' (the folder was copied or renamed); it is not listed, described or restored. Restore another backup.");
            }
            return info;
        }
    }

    /**
     * Deletes every object under {@code backups/<name>/}: {@code velero-backup.json} first (see the
     * class comment), then the manifest, then the rest. Before that, with a cluster, the backup's
     * CSI VolumeSnapshots (and their data) in that cluster ({@code internal.snapshot.SnapshotCleanup});
     * if the cluster refuses, nothing in the bucket is deleted.
     *
     * <p>Object lock: when any object of the backup is locked ({@link io.kbackup.ObjectLock}),
     * nothing is deleted and {@link BackupLockedException} says until when. In a location that asks
     * for object lock each object is purged with its older versions ({@link StorageProvider#purge}),
     * as the lock-enabled bucket keeps them all.
     *
     * @throws NotFoundException      when there is nothing under {@code backups/<name>/}
     * @throws BackupLockedException  when an object of the backup is locked now
     */
    public void delete(BackupLocation location, String name) {
        checkName(name);
        BucketLayout layout = new BucketLayout(location);
        try (StorageProvider storage = providers.open(location)) {
            List<String> keys = keysOf(storage, layout, name);
            if (keys.isEmpty()) {
                throw notFound(location, name);
            }
            refuseIfLocked(storage, location, name, keys);
            // the backup's CSI snapshots go first: if the cluster refuses, nothing in the bucket is deleted
            if (snapshots != null) {
                snapshots.deleteSnapshotsOf(name);
            }
            int total = keys.size();
            String json = layout.backupJson(name);
            String manifest = layout.manifest(name);
            boolean purge = location.objectLock() != ObjectLock.NONE;
            if (keys.remove(json)) {
                remove(storage, json, purge);
            }
            if (keys.remove(manifest)) {
                remove(storage, manifest, purge);
            }
            if (purge) {
                keys.forEach(storage::purge);
            } else {
                storage.deleteAll(keys);
            }
            LOG.info("Deleted backup {} ({} objects) from location {}", name, total, location.name());
        }
    }

    /**
     * Refuses, before anything is deleted, the deletion of a backup with an object that is locked
     * now ({@link io.kbackup.ObjectLock}). A backup with no objects in the location passes.
     *
     * @throws BackupLockedException saying until when the backup is locked
     */
    public void refuseIfLocked(BackupLocation location, String name) {
        checkName(name);
        BucketLayout layout = new BucketLayout(location);
        try (StorageProvider storage = providers.open(location)) {
            refuseIfLocked(storage, location, name, keysOf(storage, layout, name));
        }
    }

    /** Every key under {@code backups/<name>/}, in a list the caller may change. */
    private static List<String> keysOf(StorageProvider storage, BucketLayout layout, String name) {
        try (Stream<BlobInfo> blobs = storage.listAll(layout.backupDir(name))) {
            return new ArrayList<>(blobs.map(BlobInfo::key).toList());
        }
    }

    private void refuseIfLocked(StorageProvider storage, BackupLocation location, String name, List<String> keys) {
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

    private static void remove(StorageProvider storage, String key, boolean purge) {
        if (purge) {
            storage.purge(key);
        } else {
            storage.delete(key);
        }
    }

    private static void checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new InvalidPlanException("'" + name + "' is not a backup name: backup names are lower-case letters,"
                    + " digits, '-' and '.', starting and ending with a letter or digit.");
        }
    }

    private static NotFoundException notFound(BackupLocation location, String name) {
        return new NotFoundException(name, "No backup '" + name + "' in location '" + location.name()
                + "' (no " + new BucketLayout(location).backupJson(name) + "); listBackups shows the backups there.");
    }

    private static Instant when(BackupInfo info) {
        return info.started() != null ? info.started() : info.created();
    }
}
