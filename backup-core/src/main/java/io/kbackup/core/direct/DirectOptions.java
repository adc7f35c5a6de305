package io.kbackup.core.direct;

import io.kbackup.ManifestKey;
import io.kbackup.spi.KeyProviders;
import io.kbackup.spi.StorageProviders;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Tuning and wiring of the {@link DirectEngine}. Immutable; the defaults suit most clusters.
 *
 * <pre>{@code
 * DirectOptions options = DirectOptions.builder().pageSize(1000).listConcurrency(8).build();
 * }</pre>
 */
public final class DirectOptions {
    private final DirectSettings settings;

    /**
     * What a backup that includes all disks does with a volume whose CSI driver has no usable
     * VolumeSnapshotClass (see {@link #snapshotMissingClassPolicy()}).
     */
    public enum MissingSnapshotClassPolicy {
        /** Refuse the whole backup before anything is created ({@code InvalidPlanException} naming the volumes and drivers). */
        FAIL,
        /** Back up the other volumes; each volume without a class is skipped with a warning naming it. */
        SKIP
    }

    private DirectOptions(DirectSettings settings) {
        this.settings = settings;
    }

    /** The defaults. */
    public static DirectOptions defaults() {
        return builder().build();
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder(new DirectSettings());
    }

    /** Items per list page. Default 500 (Velero's). */
    public int pageSize() {
        return settings.pageSize;
    }

    /** Resource types listed at once during a backup. Default 4. */
    public int listConcurrency() {
        return settings.listConcurrency;
    }

    /** Items created at once within one restore tier. Default 16. */
    public int restoreConcurrency() {
        return settings.restoreConcurrency;
    }

    /**
     * Label that marks a node in maintenance mode (besides cordoning); nodes carrying it with any
     * value are skipped, with a warning. Default {@code kbackup.io/maintenance}.
     */
    public String maintenanceLabel() {
        return settings.maintenanceLabel;
    }

    /** Retries of a transient API error (429, 5xx, timeout) before giving up. Default 5. */
    public int maxRetries() {
        return settings.maxRetries;
    }

    /** First retry delay, doubled each time, with jitter. Default 200 ms. */
    public Duration retryBaseDelay() {
        return settings.retryBaseDelay;
    }

    /**
     * Largest archive entry (one item's JSON as stored) a restore accepts; a larger one refuses the
     * archive. Default 3 MiB: an object in etcd is at most about 1.5 MiB (etcd's default
     * {@code --max-request-bytes}), and its JSON can be larger than the protobuf etcd holds (field
     * names, and a Secret's bytes grow by a third as base64), so twice that leaves room for every
     * object a cluster can hold (see {@link #maxObjectBytes()} for the object itself).
     */
    public long maxEntryBytes() {
        return settings.maxEntryBytes;
    }

    /**
     * Largest object a restore accepts, as etcd would store it: its compact JSON, with the base64
     * values of a Secret's {@code data} and a ConfigMap's {@code binaryData} counted at their
     * decoded size. A larger one refuses the archive: no API server could have served it. Default
     * 1.5 MiB (1572864 bytes, etcd's default request limit); raise it for clusters whose etcd runs
     * with a larger {@code --max-request-bytes}.
     */
    public long maxObjectBytes() {
        return settings.maxObjectBytes;
    }

    /**
     * Largest total uncompressed archive size a restore accepts. Default 16 GiB. The spool a
     * restore writes to {@code java.io.tmpdir} (each item's compact JSON) is never larger.
     */
    public long maxArchiveBytes() {
        return settings.maxArchiveBytes;
    }

    /**
     * How many times its compressed size an archive may inflate to (beyond a 16 MiB allowance every
     * archive has), checked as it is read. Default 50 (Kubernetes JSON in tar compresses 5 to 20
     * times): a 2 MiB archive can make a restore inflate and spool at most 116 MiB, never
     * gigabytes.
     */
    public int maxArchiveExpansion() {
        return settings.maxArchiveExpansion;
    }

    /**
     * Whether a restore requires the backup's integrity manifest ({@code kbackup-manifest.json},
     * with the archive's SHA-256 and size). Default {@code false}: backups Velero wrote have none,
     * and restoring one warns that the archive could not be verified against a checksum. With
     * {@code true} a backup without a manifest (for example one whose manifest was deleted) is
     * refused with a {@code CorruptBackupException} before anything is read or applied.
     */
    public boolean requireManifest() {
        return settings.requireManifest;
    }

    /** How long a restore waits for restored CRDs to become Established. Default 60 s. */
    public Duration crdEstablishTimeout() {
        return settings.crdEstablishTimeout;
    }

    /** The clock for timestamps and expiry. Default UTC system clock. */
    public Clock clock() {
        return settings.clock;
    }

    /** Where storage providers come from. Default discovery through ServiceLoader. */
    public StorageProviders storageProviders() {
        return settings.storageProviders;
    }

    /**
     * Where the data keys of encrypted backups are wrapped and unwrapped ({@link io.kbackup.Encryption}
     * on a location turns encryption on). Default: the providers on the class path
     * ({@code static} from backup-core, {@code aws-kms} from backup-storage-s3); pass configured ones
     * with {@code KeyProviders.discover().with(provider)}.
     */
    public KeyProviders keyProviders() {
        return settings.keyProviders;
    }

    /**
     * The key that signs the manifest of every backup this engine writes ({@code kbackup-manifest.sig}),
     * or null (the default: manifests are not signed). It also verifies.
     */
    public ManifestKey signingKey() {
        return settings.signingKey;
    }

    /**
     * The keys that verify manifest signatures on restore and {@code verify}, besides the signing
     * key (old keys after a rotation; public keys of other signers). Default: none. With any key
     * configured, a restore of a backup signed by an unknown key or with a bad signature is refused,
     * and one of an unsigned backup warns.
     */
    public List<ManifestKey> verificationKeys() {
        return settings.verificationKeys;
    }

    /**
     * Whether a restore refuses a backup whose manifest is unsigned or missing (Velero-written
     * backups have none). Default {@code false}: such a backup restores with a warning.
     */
    public boolean requireSignature() {
        return settings.requireSignature;
    }

    /**
     * The gzip level of the backup tarball, 1 (fastest) to 9 (smallest). Default 1: deflate is the
     * largest single cost of a backup (Velero's layout holds every item twice); on config-map and
     * secret-like JSON level 1 compresses 1.5 to 1.9 times faster than gzip's default 6 for an
     * archive about 6% larger. Velero and our restore read any level.
     */
    public int compressionLevel() {
        return settings.compressionLevel;
    }

    /**
     * With include all disks: what happens when a CSI driver of an included volume has no
     * VolumeSnapshotClass (none by PVC annotation {@code velero.io/csi-volumesnapshot-class}, none
     * labelled {@code velero.io/csi-volumesnapshot-class}, no default and not exactly one for the
     * driver). Default {@link MissingSnapshotClassPolicy#FAIL}: the backup is refused before
     * anything is created.
     */
    public MissingSnapshotClassPolicy snapshotMissingClassPolicy() {
        return settings.snapshotMissingClassPolicy;
    }

    /**
     * With include all disks: whether a chosen VolumeSnapshotClass whose {@code deletionPolicy} is
     * not {@code Retain} refuses the backup ({@code true}), rather than only warning
     * ({@code false}, the default). With {@code Delete}, deleting the VolumeSnapshot object (by
     * anyone) deletes the snapshot data too.
     */
    public boolean strictSnapshotDeletionPolicy() {
        return settings.strictSnapshotDeletionPolicy;
    }

    /**
     * With include all disks: how long a backup waits for each VolumeSnapshot to become
     * {@code readyToUse}; a snapshot not ready by then is an error naming the volume and the backup
     * ends PartiallyFailed. Default 10 minutes.
     */
    public Duration snapshotReadyTimeout() {
        return settings.snapshotReadyTimeout;
    }

    /**
     * With include all disks: the most VolumeSnapshots a backup has in flight (created and not yet
     * ready) at once. Default 8.
     */
    public int snapshotConcurrency() {
        return settings.snapshotConcurrency;
    }

    /**
     * How old an unfinished backup (a folder {@code backups/<name>/} without a terminal
     * {@code velero-backup.json}: being written, or left by a writer that crashed or was killed)
     * must be before {@code deleteBackup} removes its leftovers, counted from its writer's claim on
     * the name (without a claim, from its newest file). Before that, deleting it is refused with
     * {@link io.kbackup.BackupInProgressException}, unless this engine itself ran it and it has
     * ended. Make it longer than the longest backup can take: a writer still running after it loses
     * its claim and ends {@code Failed} without a {@code velero-backup.json}. Default 24 hours.
     */
    public Duration unfinishedBackupGrace() {
        return settings.unfinishedBackupGrace;
    }

    /**
     * How often a running backup's or restore's record in the location
     * ({@code backups/<name>/kbackup-progress.json}, {@code restores/<name>/kbackup-restore.json}) is
     * refreshed with its progress, so that other processes list it with its progress; a record not
     * refreshed for 10 minutes is read as abandoned ({@code Failed}). Default 15 seconds.
     */
    public Duration progressInterval() {
        return settings.progressInterval;
    }

    /**
     * Where Kubernetes Events about outcomes go: when set, each backup and restore that ends
     * creates one Event in this namespace ({@code involvedObject} a {@code velero.io/v1} Backup or
     * Restore of that name, reason {@code BackupCompleted}, {@code BackupPartiallyFailed},
     * {@code BackupFailed}, {@code RestoreCompleted}, ...; type {@code Warning} unless completed).
     * Needs {@code create} on {@code events} in that namespace. Null (the default): no Events.
     */
    public String eventsNamespace() {
        return settings.eventsNamespace;
    }

    /** A builder holding these options. */
    public Builder toBuilder() {
        return new Builder(settings.copy());
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof DirectOptions other && settings.equals(other.settings);
    }

    @Override
    public int hashCode() {
        return settings.hashCode();
    }

    /** Every setting by name; keys show only their ids. */
    @Override
    public String toString() {
        return "DirectOptions" + settings;
    }

    /**
     * Builds {@link DirectOptions}: one setter per setting (named as its accessor, documented
     * there), then {@link #build()}. Not thread-safe.
     */
    public static final class Builder extends SettingsBuilder {
        private Builder(DirectSettings settings) {
            super(settings);
        }

        /**
         * Validates and builds.
         *
         * @throws io.kbackup.InvalidPlanException naming a setting that is out of range
         */
        public DirectOptions build() {
            DirectSettings values = settings.copy();
            values.validate();
            return new DirectOptions(values);
        }
    }
}
