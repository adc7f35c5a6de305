package io.kbackup.core.direct;

import io.kbackup.InvalidPlanException;
import io.kbackup.ManifestKey;
import io.kbackup.core.direct.DirectOptions.MissingSnapshotClassPolicy;
import io.kbackup.core.internal.EngineContext;
import io.kbackup.core.internal.catalog.BackupCatalog;
import io.kbackup.spi.KeyProviders;
import io.kbackup.spi.StorageProviders;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The values of the {@link DirectOptions} settings with their defaults, their validation, equality
 * and text. A {@link DirectOptions.Builder} fills one; {@link DirectOptions} keeps a validated copy
 * it never changes (what each setting means is documented on its {@code DirectOptions} accessor).
 * Not thread-safe while a builder fills it.
 */
final class DirectSettings implements Cloneable {
    // the defaults are the internals' own (EngineContext), which the VeleroEngine uses as well
    int pageSize = EngineContext.DEFAULT_BACKUP.pageSize();
    int listConcurrency = EngineContext.DEFAULT_BACKUP.listConcurrency();
    int restoreConcurrency = EngineContext.DEFAULT_RESTORE.concurrency();
    String maintenanceLabel = EngineContext.DEFAULT_BACKUP.maintenanceLabel();
    int maxRetries = EngineContext.DEFAULT_RETRY.maxRetries();
    Duration retryBaseDelay = EngineContext.DEFAULT_RETRY.baseDelay();
    long maxEntryBytes = EngineContext.DEFAULT_RESTORE.limits().maxEntryBytes();
    long maxArchiveBytes = EngineContext.DEFAULT_RESTORE.limits().maxArchiveBytes();
    long maxObjectBytes = EngineContext.DEFAULT_RESTORE.limits().maxObjectBytes();
    int maxArchiveExpansion = EngineContext.DEFAULT_RESTORE.limits().maxExpansion();
    boolean requireManifest = EngineContext.DEFAULT_RESTORE.requireManifest();
    Duration crdEstablishTimeout = EngineContext.DEFAULT_RESTORE.crdEstablishTimeout();
    Clock clock = Clock.systemUTC();
    StorageProviders storageProviders = StorageProviders.discover();
    KeyProviders keyProviders = KeyProviders.discover();
    ManifestKey signingKey;
    List<ManifestKey> verificationKeys = List.of();
    boolean requireSignature;
    int compressionLevel = EngineContext.DEFAULT_BACKUP.compressionLevel();
    MissingSnapshotClassPolicy snapshotMissingClassPolicy = EngineContext.DEFAULT_SNAPSHOTS.skipVolumesWithoutClass()
            ? MissingSnapshotClassPolicy.SKIP : MissingSnapshotClassPolicy.FAIL;
    boolean strictSnapshotDeletionPolicy = EngineContext.DEFAULT_SNAPSHOTS.strictDeletionPolicy();
    Duration snapshotReadyTimeout = EngineContext.DEFAULT_SNAPSHOTS.readyTimeout();
    int snapshotConcurrency = EngineContext.DEFAULT_SNAPSHOTS.concurrency();
    Duration unfinishedBackupGrace = BackupCatalog.UnfinishedPolicy.DEFAULT_GRACE;
    Duration progressInterval = Duration.ofSeconds(15);
    String eventsNamespace;

    /** A copy with the same values (field by field: the verification keys are an unmodifiable list, shared). */
    DirectSettings copy() {
        try {
            return (DirectSettings) clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError("DirectSettings is Cloneable", e);
        }
    }

    /**
     * Checks the values together.
     *
     * @throws InvalidPlanException naming the setting that is out of range
     */
    void validate() {
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
    }

    /** Every setting's value, for {@link #equals} and {@link #hashCode}. */
    private List<Object> values() {
        return Arrays.asList(pageSize, listConcurrency, restoreConcurrency, maintenanceLabel, maxRetries, retryBaseDelay, maxEntryBytes,
                maxArchiveBytes, maxObjectBytes, maxArchiveExpansion, requireManifest, crdEstablishTimeout, clock, storageProviders,
                keyProviders, signingKey, verificationKeys, requireSignature, compressionLevel, snapshotMissingClassPolicy,
                strictSnapshotDeletionPolicy, snapshotReadyTimeout, snapshotConcurrency, unfinishedBackupGrace, progressInterval,
                eventsNamespace);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DirectSettings other && values().equals(other.values());
    }

    @Override
    public int hashCode() {
        return values().hashCode();
    }

    /** The settings as {@code [name=value, ...]}; keys print only their ids (see {@link ManifestKey#toString()}). */
    @Override
    public String toString() {
        return "[pageSize=" + pageSize + ", listConcurrency=" + listConcurrency + ", restoreConcurrency="
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
}
