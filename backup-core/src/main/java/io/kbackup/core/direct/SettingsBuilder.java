package io.kbackup.core.direct;

import io.kbackup.InvalidPlanException;
import io.kbackup.ManifestKey;
import io.kbackup.core.direct.DirectOptions.MissingSnapshotClassPolicy;
import io.kbackup.spi.KeyProviders;
import io.kbackup.spi.StorageProviders;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The setters of {@link DirectOptions.Builder}, one per setting, each checking what it can alone
 * (not null; a signing key that can sign); the checks across settings run in
 * {@link DirectOptions.Builder#build()}. They write into the builder's {@link DirectSettings}.
 * {@code DirectOptions.Builder} is the only subclass; the setters are its public API.
 */
abstract class SettingsBuilder {
    final DirectSettings settings;

    SettingsBuilder(DirectSettings settings) {
        this.settings = settings;
    }

    private DirectOptions.Builder self() {
        return (DirectOptions.Builder) this;
    }

    /** Items per list page, 1..10000; see {@link DirectOptions#pageSize()}. */
    public DirectOptions.Builder pageSize(int pageSize) {
        settings.pageSize = pageSize;
        return self();
    }

    /** Resource types listed at once, at least 1; see {@link DirectOptions#listConcurrency()}. */
    public DirectOptions.Builder listConcurrency(int n) {
        settings.listConcurrency = n;
        return self();
    }

    /** Items created at once within a restore tier, at least 1; see {@link DirectOptions#restoreConcurrency()}. */
    public DirectOptions.Builder restoreConcurrency(int n) {
        settings.restoreConcurrency = n;
        return self();
    }

    /** The node label that marks maintenance mode; see {@link DirectOptions#maintenanceLabel()}. */
    public DirectOptions.Builder maintenanceLabel(String label) {
        settings.maintenanceLabel = Objects.requireNonNull(label, "maintenanceLabel");
        return self();
    }

    /** Retries of a transient API error, 0 or more; see {@link DirectOptions#maxRetries()}. */
    public DirectOptions.Builder maxRetries(int n) {
        settings.maxRetries = n;
        return self();
    }

    /** The first retry delay; see {@link DirectOptions#retryBaseDelay()}. */
    public DirectOptions.Builder retryBaseDelay(Duration d) {
        settings.retryBaseDelay = Objects.requireNonNull(d, "retryBaseDelay");
        return self();
    }

    /** The largest archive entry a restore accepts; see {@link DirectOptions#maxEntryBytes()}. */
    public DirectOptions.Builder maxEntryBytes(long n) {
        settings.maxEntryBytes = n;
        return self();
    }

    /** The largest uncompressed archive a restore accepts; see {@link DirectOptions#maxArchiveBytes()}. */
    public DirectOptions.Builder maxArchiveBytes(long n) {
        settings.maxArchiveBytes = n;
        return self();
    }

    /** The largest object a restore accepts, as etcd stores it; see {@link DirectOptions#maxObjectBytes()}. */
    public DirectOptions.Builder maxObjectBytes(long n) {
        settings.maxObjectBytes = n;
        return self();
    }

    /** How many times its compressed size an archive may inflate to, at least 1; see {@link DirectOptions#maxArchiveExpansion()}. */
    public DirectOptions.Builder maxArchiveExpansion(int n) {
        settings.maxArchiveExpansion = n;
        return self();
    }

    /** Whether restores require an integrity manifest; see {@link DirectOptions#requireManifest()}. */
    public DirectOptions.Builder requireManifest(boolean require) {
        settings.requireManifest = require;
        return self();
    }

    /** How long a restore waits for CRDs; see {@link DirectOptions#crdEstablishTimeout()}. */
    public DirectOptions.Builder crdEstablishTimeout(Duration d) {
        settings.crdEstablishTimeout = Objects.requireNonNull(d, "crdEstablishTimeout");
        return self();
    }

    /** The clock for names, timestamps and expiry (give tests and the scheduler the same one). */
    public DirectOptions.Builder clock(Clock clock) {
        settings.clock = Objects.requireNonNull(clock, "clock");
        return self();
    }

    /** The tarball's gzip level, 1 to 9; see {@link DirectOptions#compressionLevel()}. */
    public DirectOptions.Builder compressionLevel(int level) {
        settings.compressionLevel = level;
        return self();
    }

    /** Where key providers come from; see {@link DirectOptions#keyProviders()}. */
    public DirectOptions.Builder keyProviders(KeyProviders providers) {
        settings.keyProviders = Objects.requireNonNull(providers, "keyProviders");
        return self();
    }

    /** The key that signs new manifests; see {@link DirectOptions#signingKey()}. {@code null}: none. */
    public DirectOptions.Builder signingKey(ManifestKey key) {
        if (key != null && !key.canSign()) {
            throw new InvalidPlanException("DirectOptions.signingKey: " + key + " cannot sign; pass it as a"
                    + " verificationKey, or give the key pair.");
        }
        settings.signingKey = key;
        return self();
    }

    /** Replaces the verification keys; see {@link DirectOptions#verificationKeys()}. */
    public DirectOptions.Builder verificationKeys(ManifestKey... keys) {
        settings.verificationKeys = List.of(keys);
        return self();
    }

    /** Whether unsigned backups are refused; see {@link DirectOptions#requireSignature()}. */
    public DirectOptions.Builder requireSignature(boolean require) {
        settings.requireSignature = require;
        return self();
    }

    /** Where storage providers come from; factories passed with {@code with(...)} win over discovery. */
    public DirectOptions.Builder storageProviders(StorageProviders providers) {
        settings.storageProviders = Objects.requireNonNull(providers, "storageProviders");
        return self();
    }

    /** See {@link DirectOptions#snapshotMissingClassPolicy()}. Not null. */
    public DirectOptions.Builder snapshotMissingClassPolicy(MissingSnapshotClassPolicy policy) {
        settings.snapshotMissingClassPolicy = Objects.requireNonNull(policy, "snapshotMissingClassPolicy");
        return self();
    }

    /** See {@link DirectOptions#strictSnapshotDeletionPolicy()}. */
    public DirectOptions.Builder strictSnapshotDeletionPolicy(boolean strict) {
        settings.strictSnapshotDeletionPolicy = strict;
        return self();
    }

    /** See {@link DirectOptions#snapshotReadyTimeout()}. Positive, not null. */
    public DirectOptions.Builder snapshotReadyTimeout(Duration d) {
        settings.snapshotReadyTimeout = Objects.requireNonNull(d, "snapshotReadyTimeout");
        return self();
    }

    /** See {@link DirectOptions#snapshotConcurrency()}. At least 1. */
    public DirectOptions.Builder snapshotConcurrency(int n) {
        settings.snapshotConcurrency = n;
        return self();
    }

    /** See {@link DirectOptions#unfinishedBackupGrace()}. Not negative, not null. */
    public DirectOptions.Builder unfinishedBackupGrace(Duration d) {
        settings.unfinishedBackupGrace = Objects.requireNonNull(d, "unfinishedBackupGrace");
        return self();
    }

    /** See {@link DirectOptions#progressInterval()}. Positive, at most 5 minutes. */
    public DirectOptions.Builder progressInterval(Duration d) {
        settings.progressInterval = Objects.requireNonNull(d, "progressInterval");
        return self();
    }

    /** See {@link DirectOptions#eventsNamespace()}; null turns Events off. */
    public DirectOptions.Builder eventsNamespace(String namespace) {
        settings.eventsNamespace = namespace == null || namespace.isEmpty() ? null : namespace;
        return self();
    }
}
