package io.kbackup.core.internal.catalog;

import io.kbackup.BackupInProgressException;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupLockedException;
import io.kbackup.BackupPhase;
import io.kbackup.CorruptBackupException;
import io.kbackup.InvalidPlanException;
import io.kbackup.NotFoundException;
import io.kbackup.core.internal.layout.BackupClaim;
import io.kbackup.core.internal.layout.BackupDocument;
import io.kbackup.core.internal.layout.BucketLayout;
import io.kbackup.core.internal.layout.EntryPath;
import io.kbackup.core.internal.snapshot.SnapshotCleanup;
import io.kbackup.spi.BlobInfo;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
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
 * tarball is gone. Calling {@link #delete} again removes the leftovers: a marker
 * ({@code kbackup-deleting}, written first, deleted last) tells them from an unfinished backup
 * (which is not deleted while it may still be written). The writer's claim on the name
 * ({@code kbackup-claim.json}) goes just before the marker, so nobody can claim the name again
 * while files of the old backup remain. (Velero deletes in key
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
    private final BackupDeletion deletion;

    public BackupCatalog(StorageProviders providers, SnapshotCleanup snapshots, UnfinishedPolicy policy) {
        this.providers = providers;
        this.clock = policy.clock();
        this.deletion = new BackupDeletion(snapshots, policy);
    }

    /** With the default grace period and no writer known gone, on the given clock. */
    public BackupCatalog(StorageProviders providers, SnapshotCleanup snapshots, Clock clock) {
        this(providers, snapshots, new UnfinishedPolicy(UnfinishedPolicy.DEFAULT_GRACE, clock, c -> false));
    }

    /** As {@link #BackupCatalog(StorageProviders, SnapshotCleanup, UnfinishedPolicy)} with {@link UnfinishedPolicy#DEFAULT}. */
    public BackupCatalog(StorageProviders providers, SnapshotCleanup snapshots) {
        this(providers, snapshots, UnfinishedPolicy.DEFAULT);
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
     * class comment), then the manifest, then the rest, then (of an unfinished backup) what
     * interrupted uploads left ({@link StorageProvider#sweepIncompleteUploads}, under the folder and
     * by the tarball's exact key), and the writer's claim last. Before that, with a cluster, the backup's CSI
     * VolumeSnapshots (and their data) in that cluster ({@code internal.snapshot.SnapshotCleanup});
     * if the cluster refuses, nothing in the bucket is deleted.
     *
     * <p>An unfinished backup (no {@code velero-backup.json}, or one with a phase that is not
     * terminal) is deleted only when it is {@link Unfinished#reclaimable reclaimable}: its writer is
     * known to be gone, or it is older than the grace period; otherwise the delete is refused, so a
     * delete never races a backup being written.
     *
     * <p>Object lock: when any object of the backup is locked ({@link io.kbackup.ObjectLock}),
     * nothing is deleted and {@link BackupLockedException} says until when. In a location that asks
     * for object lock each object is purged with its older versions ({@link StorageProvider#purge}),
     * as the lock-enabled bucket keeps them all.
     *
     * @throws NotFoundException         when there is nothing under {@code backups/<name>/}
     * @throws BackupInProgressException when the backup is unfinished and not yet reclaimable
     * @throws BackupLockedException     when an object of the backup is locked now
     */
    public void delete(BackupLocation location, String name) {
        checkName(name);
        try (StorageProvider storage = providers.open(location)) {
            deletion.delete(storage, location, name);
        }
    }

    /**
     * The folder {@code backups/<name>/} when it holds an unfinished backup; empty when it holds a
     * finished one (a terminal {@code velero-backup.json}, or one that cannot be read: no writer
     * is behind that), the rest of a deletion that stopped part-way, or nothing.
     */
    public Optional<Unfinished> unfinished(BackupLocation location, String name) {
        checkName(name);
        BucketLayout layout = new BucketLayout(location);
        try (StorageProvider storage = providers.open(location)) {
            List<BlobInfo> blobs = blobsOf(storage, layout, name);
            return blobs.isEmpty() ? Optional.empty() : unfinished(storage, layout, name, blobs);
        }
    }

    /** The names of every folder under {@code backups/}, finished or not. */
    public List<String> folders(BackupLocation location) {
        BucketLayout layout = new BucketLayout(location);
        try (StorageProvider storage = providers.open(location)) {
            return storage.listPrefixes(layout.backupsPrefix(), "/").stream().map(p -> layout.backupNameOf(p + "x"))
                    .filter(n -> n != null).toList();
        }
    }

    static Optional<Unfinished> unfinished(StorageProvider storage, BucketLayout layout, String name, List<BlobInfo> blobs) {
        if (blobs.stream().anyMatch(b -> b.key().equals(layout.deleting(name)))) {
            return Optional.empty(); // a deletion that stopped part-way: no writer behind it, delete it again
        }
        if (blobs.stream().allMatch(b -> b.key().equals(layout.groupRecord(name)))) {
            return Optional.empty(); // the group record of a member that never ran: no backup is written there
        }
        String state;
        try {
            BackupPhase phase = BackupDocument.parse(name, storage.getBytes(layout.backupJson(name))).phase();
            if (phase.isTerminal()) {
                return Optional.empty();
            }
            state = "velero-backup.json says " + phase;
        } catch (NotFoundException e) {
            state = "no velero-backup.json";
        } catch (CorruptBackupException e) {
            return Optional.empty();
        }
        BackupClaim claim = blobs.stream().anyMatch(b -> b.key().equals(layout.claim(name)))
                ? readClaim(storage, layout.claim(name)) : null;
        Instant newest = blobs.stream().map(BlobInfo::lastModified).filter(t -> t != null).max(Comparator.naturalOrder())
                .orElse(Instant.EPOCH);
        // a running backup's progress record proves its writer alive; not refreshed any more, it does not
        Instant heartbeat = blobs.stream().anyMatch(b -> b.key().equals(layout.progress(name)))
                ? BackupProgress.lastHeartbeat(storage, layout, name) : null;
        return Optional.of(new Unfinished(name, state, claim, claim != null ? claim.claimedAt() : newest, heartbeat));
    }

    static List<BlobInfo> blobsOf(StorageProvider storage, BucketLayout layout, String name) {
        try (Stream<BlobInfo> all = storage.listAll(layout.backupDir(name))) {
            return all.toList();
        }
    }

    private static BackupClaim readClaim(StorageProvider storage, String key) {
        try {
            return BackupClaim.parse(storage.getBytes(key)).orElse(null);
        } catch (NotFoundException e) {
            return null;
        }
    }

    /**
     * A folder {@code backups/<name>/} without a finished backup: being written, or left by a writer
     * that crashed or was killed.
     *
     * @param name  the backup name
     * @param state what the folder lacks, for messages
     * @param claim the writer's claim, or null when there is none (written by Velero, by an older version, or unreadable)
     * @param since when the claim was made; without a claim, when the folder's newest blob was written
     * @param heartbeat when its progress record ({@code kbackup-progress.json}) was last written, or null without one
     */
    public record Unfinished(String name, String state, BackupClaim claim, Instant since, Instant heartbeat) {

        /**
         * Whether its leftovers may be deleted: its writer is known to be gone (a run of this engine
         * that ended), its progress record was not refreshed for {@link RunRecords#STALE_AFTER}
         * (listed as {@code Failed}: the process that ran it stopped), or it is at least the grace
         * period old. A writer still running after that loses its claim and ends Failed without a
         * {@code velero-backup.json}.
         */
        public boolean reclaimable(UnfinishedPolicy policy, Instant now) {
            return (claim != null && policy.knownGone().test(claim)) || !since.plus(policy.grace()).isAfter(now)
                    || (heartbeat != null && heartbeat.plus(RunRecords.STALE_AFTER).isBefore(now));
        }
    }

    /**
     * When unfinished backups may be deleted.
     *
     * @param grace     how old an unfinished backup must be before its leftovers may be deleted;
     *                  longer than the longest backup can take
     * @param clock     the time
     * @param knownGone whether a claim's writer is known to have ended (this engine's own runs)
     */
    public record UnfinishedPolicy(Duration grace, Clock clock, Predicate<BackupClaim> knownGone) {
        /** The default grace period: a day. */
        public static final Duration DEFAULT_GRACE = Duration.ofHours(24);

        /** The default grace, the system clock, no writer known gone. */
        public static final UnfinishedPolicy DEFAULT = new UnfinishedPolicy(DEFAULT_GRACE, Clock.systemUTC(), c -> false);
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
            deletion.refuseIfLocked(storage, location, name, blobsOf(storage, layout, name).stream().map(BlobInfo::key).toList());
        }
    }

    private static void checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new InvalidPlanException("'" + name + "' is not a backup name: backup names are lower-case letters,"
                    + " digits, '-' and '.', starting and ending with a letter or digit.");
        }
    }

    static NotFoundException notFound(BackupLocation location, String name) {
        return new NotFoundException(name, "No backup '" + name + "' in location '" + location.name()
                + "' (no " + new BucketLayout(location).backupJson(name) + "); listBackups shows the backups there.");
    }

    private static Instant when(BackupInfo info) {
        return info.started() != null ? info.started() : info.created();
    }
}
