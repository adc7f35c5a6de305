package io.kbackup.core.internal.catalog;

import io.kbackup.BackupLocation;
import io.kbackup.ResourceEntry;
import io.kbackup.RestoreInfo;
import io.kbackup.ResultMessage;
import io.kbackup.core.internal.ApiBoundary;
import io.kbackup.spi.StorageProviders;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What both engines read from a location besides the backups themselves: the restores, and the
 * logs, results and resource lists of backups and restores, streamed. Each method is an API
 * boundary (arguments checked, failures as {@code KBackupException}s). Thread-safe.
 */
public final class LocationReads {
    private final RestoreCatalog restores;
    private final OperationFiles files;

    public LocationReads(StorageProviders providers, Clock clock) {
        this(providers, clock, io.kbackup.core.internal.trust.Trust.defaults());
    }

    /** @param trust decrypts the files of encrypted backups */
    public LocationReads(StorageProviders providers, Clock clock, io.kbackup.core.internal.trust.Trust trust) {
        this.restores = new RestoreCatalog(providers, clock);
        this.files = new OperationFiles(providers, trust);
    }

    public List<RestoreInfo> listRestores(BackupLocation location) {
        Objects.requireNonNull(location, "location");
        return ApiBoundary.call("listRestores", () -> restores.list(location));
    }

    public RestoreInfo describeRestore(BackupLocation location, String restoreName) {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(restoreName, "restoreName");
        return ApiBoundary.call("describeRestore", () -> restores.describe(location, restoreName));
    }

    public void backupLog(BackupLocation location, String backupName, Consumer<String> line) {
        read("backupLog", location, backupName, line, files::backupLog);
    }

    public void backupResults(BackupLocation location, String backupName, Consumer<ResultMessage> message) {
        read("backupResults", location, backupName, message, files::backupResults);
    }

    public void backupResources(BackupLocation location, String backupName, Consumer<ResourceEntry> item) {
        read("backupResources", location, backupName, item, files::backupResources);
    }

    public void restoreLog(BackupLocation location, String restoreName, Consumer<String> line) {
        read("restoreLog", location, restoreName, line, files::restoreLog);
    }

    public void restoreResults(BackupLocation location, String restoreName, Consumer<ResultMessage> message) {
        read("restoreResults", location, restoreName, message, files::restoreResults);
    }

    public void restoreResources(BackupLocation location, String restoreName, Consumer<ResourceEntry> item) {
        read("restoreResources", location, restoreName, item, files::restoreResources);
    }

    private interface Reader<T> {
        void read(BackupLocation location, String name, Consumer<T> sink);
    }

    private static <T> void read(String operation, BackupLocation location, String name, Consumer<T> sink, Reader<T> reader) {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sink, "consumer");
        ApiBoundary.run(operation, () -> reader.read(location, name, sink));
    }
}
