package io.kbackup.core.internal;

import io.kbackup.BackupClient;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.ClientListener;
import io.kbackup.ResourceEntry;
import io.kbackup.RestoreInfo;
import io.kbackup.ResultMessage;
import io.kbackup.VerifyReport;
import io.kbackup.core.internal.catalog.BackupCatalog;
import io.kbackup.core.internal.catalog.OperationFiles;
import io.kbackup.core.internal.catalog.RestoreCatalog;
import io.kbackup.core.internal.layout.ArchiveReader;
import io.kbackup.core.internal.restore.BackupVerifier;
import io.kbackup.core.internal.snapshot.SnapshotCleanup;
import io.kbackup.core.internal.trust.Trust;
import io.kbackup.spi.StorageProviders;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

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
    private final RestoreCatalog restores;
    private final OperationFiles files;
    private final BackupVerifier verifier;

    protected BucketReadingEngine(StorageProviders providers, SnapshotCleanup snapshots, Clock clock) {
        this(new BackupCatalog(providers, snapshots, clock), providers, clock);
    }

    /** With a catalog of the engine's own (its policy for unfinished backups). */
    protected BucketReadingEngine(BackupCatalog catalog, StorageProviders providers, Clock clock) {
        this(catalog, providers, clock, Trust.defaults(), ArchiveReader.Limits.DEFAULTS);
    }

    /**
     * With a catalog of the engine's own, and the trust settings (key providers, verification keys)
     * and archive limits its reads and {@link #verify} use.
     */
    protected BucketReadingEngine(BackupCatalog catalog, StorageProviders providers, Clock clock, Trust trust, ArchiveReader.Limits limits) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.restores = new RestoreCatalog(providers, clock);
        this.files = new OperationFiles(providers, trust);
        this.verifier = new BackupVerifier(providers, trust, limits);
    }

    /**
     * Checks a backup without a cluster (see {@link BackupClient#verify}), with the engine's key
     * providers, verification keys (none: a signed manifest is reported {@code UNVERIFIED}) and
     * archive limits.
     */
    @Override
    public VerifyReport verify(BackupLocation location, String backupName) {
        return read("verify", location, "backupName", backupName, verifier::verify);
    }

    /** The backups in the location, read from the bucket. */
    @Override
    public List<BackupInfo> listBackups(BackupLocation location) {
        return read("listBackups", location, catalog::list);
    }

    /** One backup's details, read from the bucket. */
    @Override
    public BackupInfo describeBackup(BackupLocation location, String backupName) {
        return read("describeBackup", location, "backupName", backupName, catalog::describe);
    }

    @Override
    public List<RestoreInfo> listRestores(BackupLocation location) {
        return read("listRestores", location, restores::list);
    }

    @Override
    public RestoreInfo describeRestore(BackupLocation location, String restoreName) {
        return read("describeRestore", location, "restoreName", restoreName, restores::describe);
    }

    @Override
    public void backupLog(BackupLocation location, String backupName, Consumer<String> line) {
        files.read(OperationFiles.BACKUP_LOG, location, backupName, line);
    }

    @Override
    public void backupResults(BackupLocation location, String backupName, Consumer<ResultMessage> message) {
        files.read(OperationFiles.BACKUP_RESULTS, location, backupName, message);
    }

    @Override
    public void backupResources(BackupLocation location, String backupName, Consumer<ResourceEntry> item) {
        files.read(OperationFiles.BACKUP_RESOURCES, location, backupName, item);
    }

    @Override
    public void restoreLog(BackupLocation location, String restoreName, Consumer<String> line) {
        files.read(OperationFiles.RESTORE_LOG, location, restoreName, line);
    }

    @Override
    public void restoreResults(BackupLocation location, String restoreName, Consumer<ResultMessage> message) {
        files.read(OperationFiles.RESTORE_RESULTS, location, restoreName, message);
    }

    @Override
    public void restoreResources(BackupLocation location, String restoreName, Consumer<ResourceEntry> item) {
        files.read(OperationFiles.RESTORE_RESOURCES, location, restoreName, item);
    }

    /** Runs {@code operation} on {@code location} at the API boundary (its typed errors), the location not null. */
    private static <T> T read(String operation, BackupLocation location, Function<BackupLocation, T> body) {
        Objects.requireNonNull(location, "location");
        return ApiBoundary.call(operation, () -> body.apply(location));
    }

    /** As {@link #read(String, BackupLocation, Function)}, for one backup or restore of the location, named {@code name}. */
    private static <T> T read(String operation, BackupLocation location, String what, String name,
            BiFunction<BackupLocation, String, T> body) {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(name, what);
        return ApiBoundary.call(operation, () -> body.apply(location, name));
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
