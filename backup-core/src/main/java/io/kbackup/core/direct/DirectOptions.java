package io.kbackup.core.direct;

import io.kbackup.InvalidPlanException;
import io.kbackup.ManifestKey;
import io.kbackup.core.internal.EngineContext;
import io.kbackup.core.internal.catalog.BackupCatalog;
import io.kbackup.spi.KeyProviders;
import io.kbackup.spi.StorageProviders;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Tuning and wiring of the {@link DirectEngine}. Immutable; the defaults suit most clusters.
 *
 * <pre>{@code
 * DirectOptions options = DirectOptions.builder().pageSize(1000).listConcurrency(8).build();
 * }</pre>
 */
public final class DirectOptions {
    private final int pageSize;
    private final int listConcurrency;
    private final int restoreConcurrency;
    private final String maintenanceLabel;
    private final int maxRetries;
    private final Duration retryBaseDelay;
    private final long maxEntryBytes;
    private final long maxArchiveBytes;
    private final long maxObjectBytes;
    private final int maxArchiveExpansion;
    private final boolean requireManifest;
    private final Duration crdEstablishTimeout;
    private final Clock clock;
    private final StorageProviders storageProviders;
    private final KeyProviders keyProviders;
    private final ManifestKey signingKey;
    private final List<ManifestKey> verificationKeys;
    private final boolean requireSignature;
    private final int compressionLevel;
    private final MissingSnapshotClassPolicy snapshotMissingClassPolicy;
    private final boolean strictSnapshotDeletionPolicy;
    private final Duration snapshotReadyTimeout;
    private final int snapshotConcurrency;
    private final Duration unfinishedBackupGrace;
    private final Duration progressInterval;
    private final String eventsNamespace;

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

    private DirectOptions(Builder b) {
        this.pageSize = b.pageSize;
        this.listConcurrency = b.listConcurrency;
        this.restoreConcurrency = b.restoreConcurrency;
        this.maintenanceLabel = b.maintenanceLabel;
        this.maxRetries = b.maxRetries;
        this.retryBaseDelay = b.retryBaseDelay;
        this.maxEntryBytes = b.maxEntryBytes;
        this.maxArchiveBytes = b.maxArchiveBytes;
        this.maxObjectBytes = b.maxObjectBytes;
        this.maxArchiveExpansion = b.maxArchiveExpansion;
        this.requireManifest = b.requireManifest;
        this.crdEstablishTimeout = b.crdEstablishTimeout;
        this.clock = b.clock;
        this.storageProviders = b.storageProviders;
        this.keyProviders = b.keyProviders;
        this.signingKey = b.signingKey;
        this.verificationKeys = List.copyOf(b.verificationKeys);
        this.requireSignature = b.requireSignature;
        this.compressionLevel = b.compressionLevel;
        this.snapshotMissingClassPolicy = b.snapshotMissingClassPolicy;
        this.strictSnapshotDeletionPolicy = b.strictSnapshotDeletionPolicy;
        this.snapshotReadyTimeout = b.snapshotReadyTimeout;
        this.snapshotConcurrency = b.snapshotConcurrency;
        this.unfinishedBackupGrace = b.unfinishedBackupGrace;
        this.progressInterval = b.progressInterval;
        this.eventsNamespace = b.eventsNamespace;
    }

    /** The defaults. */
    public static DirectOptions defaults() {
        return builder().build();
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Items per list page. Default 500 (Velero's). */
    public int pageSize() {
        return pageSize;
    }

    /** Resource types listed at once during a backup. Default 4. */
    public int listConcurrency() {
        return listConcurrency;
    }

    /** Items created at once within one restore tier. Default 16. */
    public int restoreConcurrency() {
        return restoreConcurrency;
    }

    /**
     * Label that marks a node in maintenance mode (besides cordoning); nodes carrying it with any
     * value are skipped, with a warning. Default {@code kbackup.io/maintenance}.
     */
    public String maintenanceLabel() {
        return maintenanceLabel;
    }

    /** Retries of a transient API error (429, 5xx, timeout) before giving up. Default 5. */
    public int maxRetries() {
        return maxRetries;
    }

    /** First retry delay, doubled each time, with jitter. Default 200 ms. */
    public Duration retryBaseDelay() {
        return retryBaseDelay;
    }

    /**
     * Largest archive entry (one item's JSON as stored) a restore accepts; a larger one refuses the
     * archive. Default 3 MiB: an object in etcd is at most about 1.5 MiB (etcd's default
     * {@code --max-request-bytes}), and its JSON can be larger than the protobuf etcd holds (field
     * names, and a Secret's bytes grow by a third as base64), so twice that leaves room for every
     * object a cluster can hold (see {@link #maxObjectBytes()} for the object itself).
     */
    public long maxEntryBytes() {
        return maxEntryBytes;
    }

    /**
     * Largest object a restore accepts, as etcd would store it: its compact JSON, with the base64
     * values of a Secret's {@code data} and a ConfigMap's {@code binaryData} counted at their
     * decoded size. A larger one refuses the archive: no API server could have served it. Default
     * 1.5 MiB (1572864 bytes, etcd's default request limit); raise it for clusters whose etcd runs
     * with a larger {@code --max-request-bytes}.
     */
    public long maxObjectBytes() {
        return maxObjectBytes;
    }

    /**
     * Largest total uncompressed archive size a restore accepts. Default 16 GiB. The spool a
     * restore writes to {@code java.io.tmpdir} (each item's compact JSON) is never larger.
     */
    public long maxArchiveBytes() {
        return maxArchiveBytes;
    }

    /**
     * How many times its compressed size an archive may inflate to (beyond a 16 MiB allowance every
     * archive has), checked as it is read. Default 50 (Kubernetes JSON in tar compresses 5 to 20
     * times): a 2 MiB archive can make a restore inflate and spool at most 116 MiB, never
     * gigabytes.
     */
    public int maxArchiveExpansion() {
        return maxArchiveExpansion;
    }

    /**
     * Whether a restore requires the backup's integrity manifest ({@code kbackup-manifest.json},
     * with the archive's SHA-256 and size). Default {@code false}: backups Velero wrote have none,
     * and restoring one warns that the archive could not be verified against a checksum. With
     * {@code true} a backup without a manifest (for example one whose manifest was deleted) is
     * refused with a {@code CorruptBackupException} before anything is read or applied.
     */
    public boolean requireManifest() {
        return requireManifest;
    }

    /** How long a restore waits for restored CRDs to become Established. Default 60 s. */
    public Duration crdEstablishTimeout() {
        return crdEstablishTimeout;
    }

    /** The clock for timestamps and expiry. Default UTC system clock. */
    public Clock clock() {
        return clock;
    }

    /** Where storage providers come from. Default discovery through ServiceLoader. */
    public StorageProviders storageProviders() {
        return storageProviders;
    }

    /**
     * Where the data keys of encrypted backups are wrapped and unwrapped ({@link io.kbackup.Encryption}
     * on a location turns encryption on). Default: the providers on the class path
     * ({@code static} from backup-core, {@code aws-kms} from backup-storage-s3); pass configured ones
     * with {@code KeyProviders.discover().with(provider)}.
     */
    public KeyProviders keyProviders() {
        return keyProviders;
    }

    /**
     * The key that signs the manifest of every backup this engine writes ({@code kbackup-manifest.sig}),
     * or null (the default: manifests are not signed). It also verifies.
     */
    public ManifestKey signingKey() {
        return signingKey;
    }

    /**
     * The keys that verify manifest signatures on restore and {@code verify}, besides the signing
     * key (old keys after a rotation; public keys of other signers). Default: none. With any key
     * configured, a restore of a backup signed by an unknown key or with a bad signature is refused,
     * and one of an unsigned backup warns.
     */
    public List<ManifestKey> verificationKeys() {
        return verificationKeys;
    }

    /**
     * Whether a restore refuses a backup whose manifest is unsigned or missing (Velero-written
     * backups have none). Default {@code false}: such a backup restores with a warning.
     */
    public boolean requireSignature() {
        return requireSignature;
    }

    /**
     * The gzip level of the backup tarball, 1 (fastest) to 9 (smallest). Default 1: deflate is the
     * largest single cost of a backup (Velero's layout holds every item twice); on config-map and
     * secret-like JSON level 1 compresses 1.5 to 1.9 times faster than gzip's default 6 for an
     * archive about 6% larger. Velero and our restore read any level.
     */
    public int compressionLevel() {
        return compressionLevel;
    }

    /**
     * With include all disks: what happens when a CSI driver of an included volume has no
     * VolumeSnapshotClass (none by PVC annotation {@code velero.io/csi-volumesnapshot-class}, none
     * labelled {@code velero.io/csi-volumesnapshot-class}, no default and not exactly one for the
     * driver). Default {@link MissingSnapshotClassPolicy#FAIL}: the backup is refused before
     * anything is created.
     */
    public MissingSnapshotClassPolicy snapshotMissingClassPolicy() {
        return snapshotMissingClassPolicy;
    }

    /**
     * With include all disks: whether a chosen VolumeSnapshotClass whose {@code deletionPolicy} is
     * not {@code Retain} refuses the backup ({@code true}), rather than only warning
     * ({@code false}, the default). With {@code Delete}, deleting the VolumeSnapshot object (by
     * anyone) deletes the snapshot data too.
     */
    public boolean strictSnapshotDeletionPolicy() {
        return strictSnapshotDeletionPolicy;
    }

    /**
     * With include all disks: how long a backup waits for each VolumeSnapshot to become
     * {@code readyToUse}; a snapshot not ready by then is an error naming the volume and the backup
     * ends PartiallyFailed. Default 10 minutes.
     */
    public Duration snapshotReadyTimeout() {
        return snapshotReadyTimeout;
    }

    /**
     * With include all disks: the most VolumeSnapshots a backup has in flight (created and not yet
     * ready) at once. Default 8.
     */
    public int snapshotConcurrency() {
        return snapshotConcurrency;
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
        return unfinishedBackupGrace;
    }

    /**
     * How often a running backup's or restore's record in the location
     * ({@code backups/<name>/kbackup-progress.json}, {@code restores/<name>/kbackup-restore.json}) is
     * refreshed with its progress, so that other processes list it with its progress; a record not
     * refreshed for 10 minutes is read as abandoned ({@code Failed}). Default 15 seconds.
     */
    public Duration progressInterval() {
        return progressInterval;
    }

    /**
     * Where Kubernetes Events about outcomes go: when set, each backup and restore that ends
     * creates one Event in this namespace ({@code involvedObject} a {@code velero.io/v1} Backup or
     * Restore of that name, reason {@code BackupCompleted}, {@code BackupPartiallyFailed},
     * {@code BackupFailed}, {@code RestoreCompleted}, ...; type {@code Warning} unless completed).
     * Needs {@code create} on {@code events} in that namespace. Null (the default): no Events.
     */
    public String eventsNamespace() {
        return eventsNamespace;
    }

    /** A builder holding these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.pageSize = pageSize;
        b.listConcurrency = listConcurrency;
        b.restoreConcurrency = restoreConcurrency;
        b.maintenanceLabel = maintenanceLabel;
        b.maxRetries = maxRetries;
        b.retryBaseDelay = retryBaseDelay;
        b.maxEntryBytes = maxEntryBytes;
        b.maxArchiveBytes = maxArchiveBytes;
        b.maxObjectBytes = maxObjectBytes;
        b.maxArchiveExpansion = maxArchiveExpansion;
        b.requireManifest = requireManifest;
        b.crdEstablishTimeout = crdEstablishTimeout;
        b.clock = clock;
        b.storageProviders = storageProviders;
        b.keyProviders = keyProviders;
        b.signingKey = signingKey;
        b.verificationKeys = new ArrayList<>(verificationKeys);
        b.requireSignature = requireSignature;
        b.compressionLevel = compressionLevel;
        b.snapshotMissingClassPolicy = snapshotMissingClassPolicy;
        b.strictSnapshotDeletionPolicy = strictSnapshotDeletionPolicy;
        b.snapshotReadyTimeout = snapshotReadyTimeout;
        b.snapshotConcurrency = snapshotConcurrency;
        b.unfinishedBackupGrace = unfinishedBackupGrace;
        b.progressInterval = progressInterval;
        b.eventsNamespace = eventsNamespace;
        return b;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof DirectOptions other)) {
            return false;
        }
        return pageSize == other.pageSize && listConcurrency == other.listConcurrency && restoreConcurrency == other.restoreConcurrency
                && maintenanceLabel.equals(other.maintenanceLabel) && maxRetries == other.maxRetries
                && retryBaseDelay.equals(other.retryBaseDelay) && maxEntryBytes == other.maxEntryBytes
                && maxArchiveBytes == other.maxArchiveBytes && maxObjectBytes == other.maxObjectBytes
                && maxArchiveExpansion == other.maxArchiveExpansion && requireManifest == other.requireManifest && crdEstablishTimeout.equals(other.crdEstablishTimeout)
                && clock.equals(other.clock) && storageProviders.equals(other.storageProviders)
                && keyProviders.equals(other.keyProviders) && Objects.equals(signingKey, other.signingKey)
                && verificationKeys.equals(other.verificationKeys) && requireSignature == other.requireSignature
                && compressionLevel == other.compressionLevel && snapshotMissingClassPolicy == other.snapshotMissingClassPolicy
                && strictSnapshotDeletionPolicy == other.strictSnapshotDeletionPolicy
                && snapshotReadyTimeout.equals(other.snapshotReadyTimeout) && snapshotConcurrency == other.snapshotConcurrency
                && unfinishedBackupGrace.equals(other.unfinishedBackupGrace)
                && progressInterval.equals(other.progressInterval) && Objects.equals(eventsNamespace, other.eventsNamespace);
    }

    @Override
    public int hashCode() {
        return Objects.hash(pageSize, listConcurrency, restoreConcurrency, maintenanceLabel, maxRetries, retryBaseDelay, maxEntryBytes,
                maxArchiveBytes, maxObjectBytes, maxArchiveExpansion, requireManifest, crdEstablishTimeout, clock, storageProviders,
                compressionLevel, snapshotMissingClassPolicy, strictSnapshotDeletionPolicy, snapshotReadyTimeout, snapshotConcurrency,
                unfinishedBackupGrace, progressInterval, eventsNamespace, keyProviders, signingKey, verificationKeys, requireSignature);
    }

    @Override
    public String toString() {
        return "DirectOptions[pageSize=" + pageSize + ", listConcurrency=" + listConcurrency + ", restoreConcurrency="
                + restoreConcurrency + ", maintenanceLabel=" + maintenanceLabel + ", maxRetries=" + maxRetries
                + ", retryBaseDelay=" + retryBaseDelay + ", maxEntryBytes=" + maxEntryBytes + ", maxArchiveBytes="
                + maxArchiveBytes + ", maxObjectBytes=" + maxObjectBytes + ", maxArchiveExpansion=" + maxArchiveExpansion
                + ", requireManifest=" + requireManifest + ", crdEstablishTimeout=" + crdEstablishTimeout + ", clock=" + clock
                + ", compressionLevel=" + compressionLevel + ", snapshotMissingClassPolicy=" + snapshotMissingClassPolicy
                + ", strictSnapshotDeletionPolicy=" + strictSnapshotDeletionPolicy + ", snapshotReadyTimeout="
                + snapshotReadyTimeout + ", snapshotConcurrency=" + snapshotConcurrency + ", unfinishedBackupGrace=" + unfinishedBackupGrace
                + ", progressInterval=" + progressInterval + ", eventsNamespace=" + eventsNamespace + ", keyProviders=" + keyProviders
                + ", signingKey=" + signingKey + ", verificationKeys=" + verificationKeys + ", requireSignature=" + requireSignature + "]";
    }

    /** Builds {@link DirectOptions}. */
    public static final class Builder {
        // the defaults are the internals' own (EngineContext), which the VeleroEngine uses as well
        private int pageSize = EngineContext.DEFAULT_BACKUP.pageSize();
        private int listConcurrency = EngineContext.DEFAULT_BACKUP.listConcurrency();
        private int restoreConcurrency = EngineContext.DEFAULT_RESTORE.concurrency();
        private String maintenanceLabel = EngineContext.DEFAULT_BACKUP.maintenanceLabel();
        private int maxRetries = EngineContext.DEFAULT_RETRY.maxRetries();
        private Duration retryBaseDelay = EngineContext.DEFAULT_RETRY.baseDelay();
        private long maxEntryBytes = EngineContext.DEFAULT_RESTORE.limits().maxEntryBytes();
        private long maxArchiveBytes = EngineContext.DEFAULT_RESTORE.limits().maxArchiveBytes();
        private long maxObjectBytes = EngineContext.DEFAULT_RESTORE.limits().maxObjectBytes();
        private int maxArchiveExpansion = EngineContext.DEFAULT_RESTORE.limits().maxExpansion();
        private boolean requireManifest = EngineContext.DEFAULT_RESTORE.requireManifest();
        private Duration crdEstablishTimeout = EngineContext.DEFAULT_RESTORE.crdEstablishTimeout();
        private Clock clock = Clock.systemUTC();
        private StorageProviders storageProviders = StorageProviders.discover();
        private KeyProviders keyProviders = KeyProviders.discover();
        private ManifestKey signingKey;
        private List<ManifestKey> verificationKeys = new ArrayList<>();
        private boolean requireSignature;
        private int compressionLevel = EngineContext.DEFAULT_BACKUP.compressionLevel();
        private MissingSnapshotClassPolicy snapshotMissingClassPolicy = EngineContext.DEFAULT_SNAPSHOTS.skipVolumesWithoutClass()
                ? MissingSnapshotClassPolicy.SKIP : MissingSnapshotClassPolicy.FAIL;
        private boolean strictSnapshotDeletionPolicy = EngineContext.DEFAULT_SNAPSHOTS.strictDeletionPolicy();
        private Duration snapshotReadyTimeout = EngineContext.DEFAULT_SNAPSHOTS.readyTimeout();
        private int snapshotConcurrency = EngineContext.DEFAULT_SNAPSHOTS.concurrency();
        private Duration unfinishedBackupGrace = BackupCatalog.UnfinishedPolicy.DEFAULT_GRACE;
        private Duration progressInterval = Duration.ofSeconds(15);
        private String eventsNamespace;

        private Builder() {}

        /** Items per list page, 1..10000; see {@link DirectOptions#pageSize()}. */
        public Builder pageSize(int pageSize) {
            this.pageSize = pageSize;
            return this;
        }

        /** Resource types listed at once, at least 1; see {@link DirectOptions#listConcurrency()}. */
        public Builder listConcurrency(int n) {
            this.listConcurrency = n;
            return this;
        }

        /** Items created at once within a restore tier, at least 1; see {@link DirectOptions#restoreConcurrency()}. */
        public Builder restoreConcurrency(int n) {
            this.restoreConcurrency = n;
            return this;
        }

        /** The node label that marks maintenance mode; see {@link DirectOptions#maintenanceLabel()}. */
        public Builder maintenanceLabel(String label) {
            this.maintenanceLabel = Objects.requireNonNull(label, "maintenanceLabel");
            return this;
        }

        /** Retries of a transient API error, 0 or more; see {@link DirectOptions#maxRetries()}. */
        public Builder maxRetries(int n) {
            this.maxRetries = n;
            return this;
        }

        /** The first retry delay; see {@link DirectOptions#retryBaseDelay()}. */
        public Builder retryBaseDelay(Duration d) {
            this.retryBaseDelay = Objects.requireNonNull(d, "retryBaseDelay");
            return this;
        }

        /** The largest archive entry a restore accepts; see {@link DirectOptions#maxEntryBytes()}. */
        public Builder maxEntryBytes(long n) {
            this.maxEntryBytes = n;
            return this;
        }

        /** The largest uncompressed archive a restore accepts; see {@link DirectOptions#maxArchiveBytes()}. */
        public Builder maxArchiveBytes(long n) {
            this.maxArchiveBytes = n;
            return this;
        }

        /** The largest object a restore accepts, as etcd stores it; see {@link DirectOptions#maxObjectBytes()}. */
        public Builder maxObjectBytes(long n) {
            this.maxObjectBytes = n;
            return this;
        }

        /** How many times its compressed size an archive may inflate to, at least 1; see {@link DirectOptions#maxArchiveExpansion()}. */
        public Builder maxArchiveExpansion(int n) {
            this.maxArchiveExpansion = n;
            return this;
        }

        /** Whether restores require an integrity manifest; see {@link DirectOptions#requireManifest()}. */
        public Builder requireManifest(boolean require) {
            this.requireManifest = require;
            return this;
        }

        /** How long a restore waits for CRDs; see {@link DirectOptions#crdEstablishTimeout()}. */
        public Builder crdEstablishTimeout(Duration d) {
            this.crdEstablishTimeout = Objects.requireNonNull(d, "crdEstablishTimeout");
            return this;
        }

        /** The clock for names, timestamps and expiry (give tests and the scheduler the same one). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The tarball's gzip level, 1 to 9; see {@link DirectOptions#compressionLevel()}. */
        public Builder compressionLevel(int level) {
            this.compressionLevel = level;
            return this;
        }

        /** Where key providers come from; see {@link DirectOptions#keyProviders()}. */
        public Builder keyProviders(KeyProviders providers) {
            this.keyProviders = Objects.requireNonNull(providers, "keyProviders");
            return this;
        }

        /** The key that signs new manifests; see {@link DirectOptions#signingKey()}. {@code null}: none. */
        public Builder signingKey(ManifestKey key) {
            if (key != null && !key.canSign()) {
                throw new io.kbackup.InvalidPlanException("DirectOptions.signingKey: " + key + " cannot sign; pass it as a"
                        + " verificationKey, or give the key pair.");
            }
            this.signingKey = key;
            return this;
        }

        /** Replaces the verification keys; see {@link DirectOptions#verificationKeys()}. */
        public Builder verificationKeys(ManifestKey... keys) {
            this.verificationKeys = new ArrayList<>(List.of(keys));
            return this;
        }

        /** Whether unsigned backups are refused; see {@link DirectOptions#requireSignature()}. */
        public Builder requireSignature(boolean require) {
            this.requireSignature = require;
            return this;
        }

        /** Where storage providers come from; factories passed with {@code with(...)} win over discovery. */
        public Builder storageProviders(StorageProviders providers) {
            this.storageProviders = Objects.requireNonNull(providers, "storageProviders");
            return this;
        }

        /** See {@link DirectOptions#snapshotMissingClassPolicy()}. Not null. */
        public Builder snapshotMissingClassPolicy(MissingSnapshotClassPolicy policy) {
            this.snapshotMissingClassPolicy = Objects.requireNonNull(policy, "snapshotMissingClassPolicy");
            return this;
        }

        /** See {@link DirectOptions#strictSnapshotDeletionPolicy()}. */
        public Builder strictSnapshotDeletionPolicy(boolean strict) {
            this.strictSnapshotDeletionPolicy = strict;
            return this;
        }

        /** See {@link DirectOptions#snapshotReadyTimeout()}. Positive, not null. */
        public Builder snapshotReadyTimeout(Duration d) {
            this.snapshotReadyTimeout = Objects.requireNonNull(d, "snapshotReadyTimeout");
            return this;
        }

        /** See {@link DirectOptions#snapshotConcurrency()}. At least 1. */
        public Builder snapshotConcurrency(int n) {
            this.snapshotConcurrency = n;
            return this;
        }

        /** See {@link DirectOptions#unfinishedBackupGrace()}. Not negative, not null. */
        public Builder unfinishedBackupGrace(Duration d) {
            this.unfinishedBackupGrace = Objects.requireNonNull(d, "unfinishedBackupGrace");
            return this;
        }

        /** See {@link DirectOptions#progressInterval()}. Positive, at most 5 minutes. */
        public Builder progressInterval(Duration d) {
            this.progressInterval = Objects.requireNonNull(d, "progressInterval");
            return this;
        }

        /** See {@link DirectOptions#eventsNamespace()}; null turns Events off. */
        public Builder eventsNamespace(String namespace) {
            this.eventsNamespace = namespace == null || namespace.isEmpty() ? null : namespace;
            return this;
        }

        /** Validates and builds. */
        public DirectOptions build() {
            if (pageSize < 1 || pageSize > 10_000) {
                throw new InvalidPlanException("DirectOptions pageSize must be 1..10000, was " + pageSize + ".");
            }
            if (listConcurrency < 1 || restoreConcurrency < 1) {
                throw new InvalidPlanException("DirectOptions concurrency must be at least 1.");
            }
            if (compressionLevel < 1 || compressionLevel > 9) {
                throw new InvalidPlanException("DirectOptions compressionLevel must be 1..9, was " + compressionLevel + ".");
            }
            if (maxRetries < 0 || maxEntryBytes < 1 || maxArchiveBytes < 1 || maxObjectBytes < 1 || maxArchiveExpansion < 1) {
                throw new InvalidPlanException("DirectOptions maxRetries must be >= 0 and size limits positive.");
            }
            if (snapshotReadyTimeout.isZero() || snapshotReadyTimeout.isNegative() || snapshotConcurrency < 1) {
                throw new InvalidPlanException("DirectOptions snapshotReadyTimeout must be positive (was " + snapshotReadyTimeout
                        + ") and snapshotConcurrency at least 1 (was " + snapshotConcurrency + ").");
            }
            if (unfinishedBackupGrace.isNegative()) {
                throw new InvalidPlanException("DirectOptions unfinishedBackupGrace must not be negative, was " + unfinishedBackupGrace + ".");
            }
            if (progressInterval.isZero() || progressInterval.isNegative() || progressInterval.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new InvalidPlanException("DirectOptions progressInterval must be positive and at most 5 minutes (records older"
                        + " than 10 minutes read as abandoned), was " + progressInterval + ".");
            }
            return new DirectOptions(this);
        }
    }
}
