package io.kbackup.core.internal;

import io.kbackup.BackupClient;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.ClientListener;
import io.kbackup.ResourceEntry;
import io.kbackup.RestoreInfo;
import io.kbackup.ResultMessage;
import io.kbackup.core.internal.catalog.BackupCatalog;
import io.kbackup.core.internal.catalog.LocationReads;
import io.kbackup.core.internal.snapshot.SnapshotCleanup;
import io.kbackup.spi.StorageProviders;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What both engines share: everything read from a location (backups, restores, their logs,
 * results and resource lists), read from the bucket with the same code whichever engine wrote
 * it, and the engine's listeners. Thread-safe.
 */
public abstract class BucketReadingEngine implements BackupClient {
    /** The backups in the bucket. */
    protected final BackupCatalog catalog;
    /** The engine's listeners. */
    protected final ClientListeners listeners = new ClientListeners();
    private final LocationReads reads;

    protected BucketReadingEngine(StorageProviders providers, SnapshotCleanup snapshots, Clock clock) {
        this(new BackupCatalog(providers, snapshots, clock), providers, clock);
    }

    /** With a catalog of the engine's own (its policy for unfinished backups). */
    protected BucketReadingEngine(BackupCatalog catalog, StorageProviders providers, Clock clock) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.reads = new LocationReads(providers, clock);
    }

    /** The backups in the location, read from the bucket. */
    @Override
    public List<BackupInfo> listBackups(BackupLocation location) {
        Objects.requireNonNull(location, "location");
        return ApiBoundary.call("listBackups", () -> catalog.list(location));
    }

    /** One backup's details, read from the bucket. */
    @Override
    public BackupInfo describeBackup(BackupLocation location, String backupName) {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(backupName, "backupName");
        return ApiBoundary.call("describeBackup", () -> catalog.describe(location, backupName));
    }

    @Override
    public List<RestoreInfo> listRestores(BackupLocation location) {
        return reads.listRestores(location);
    }

    @Override
    public RestoreInfo describeRestore(BackupLocation location, String restoreName) {
        return reads.describeRestore(location, restoreName);
    }

    @Override
    public void backupLog(BackupLocation location, String backupName, Consumer<String> line) {
        reads.backupLog(location, backupName, line);
    }

    @Override
    public void backupResults(BackupLocation location, String backupName, Consumer<ResultMessage> message) {
        reads.backupResults(location, backupName, message);
    }

    @Override
    public void backupResources(BackupLocation location, String backupName, Consumer<ResourceEntry> item) {
        reads.backupResources(location, backupName, item);
    }

    @Override
    public void restoreLog(BackupLocation location, String restoreName, Consumer<String> line) {
        reads.restoreLog(location, restoreName, line);
    }

    @Override
    public void restoreResults(BackupLocation location, String restoreName, Consumer<ResultMessage> message) {
        reads.restoreResults(location, restoreName, message);
    }

    @Override
    public void restoreResources(BackupLocation location, String restoreName, Consumer<ResourceEntry> item) {
        reads.restoreResources(location, restoreName, item);
    }

    @Override
    public void addListener(ClientListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(ClientListener listener) {
        listeners.remove(listener);
    }
}
