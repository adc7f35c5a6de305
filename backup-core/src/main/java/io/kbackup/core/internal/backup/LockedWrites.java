package io.kbackup.core.internal.backup;

import io.kbackup.BackupPlan;
import io.kbackup.ObjectLock;
import io.kbackup.ValidationResult;
import io.kbackup.spi.BlobInfo;
import io.kbackup.spi.BlobWriter;
import io.kbackup.spi.ListPage;
import io.kbackup.spi.Retention;
import io.kbackup.spi.StorageProvider;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

/**
 * The storage one backup writes its objects through when its location asks for object lock
 * ({@link io.kbackup.BackupLocation#objectLock()}): every blob written (tarball, side files,
 * manifest, {@code velero-backup.json}) is stored under a retention until the backup's expiry. The
 * running backup's progress record is written past this, unlocked, as it is rewritten and then
 * removed. When the expiry is (nearly) past by the time of a write, the blob is written without a
 * lock: the stores refuse a retention date in the past, and there is nothing left to protect.
 */
final class LockedWrites implements StorageProvider {
    /** A retention ending sooner than this after the write is not asked for. */
    private static final Duration MIN_LOCK = Duration.ofSeconds(1);

    private final StorageProvider storage;
    private final ObjectLock mode;
    private final Instant until;
    private final Clock clock;

    private LockedWrites(StorageProvider storage, ObjectLock mode, Instant until, Clock clock) {
        this.storage = storage;
        this.mode = mode;
        this.until = until;
        this.clock = clock;
    }

    /** {@code storage} itself when the plan's location asks for no lock, else the locking view of it. */
    static StorageProvider of(StorageProvider storage, BackupPlan plan, Instant start, Clock clock) {
        ObjectLock mode = plan.location().objectLock();
        return mode == ObjectLock.NONE ? storage : new LockedWrites(storage, mode, start.plus(plan.expiry()), clock);
    }

    /** The retention for a blob written now, or null when the backup's expiry is (nearly) past. */
    private Retention retention() {
        return until.isAfter(clock.instant().plus(MIN_LOCK)) ? new Retention(mode, until) : null;
    }

    @Override
    public String id() {
        return storage.id();
    }

    @Override
    public BlobWriter openWriter(String key) {
        return storage.openWriter(key, retention());
    }

    @Override
    public BlobWriter openWriter(String key, Retention retention) {
        return storage.openWriter(key, retention);
    }

    @Override
    public BlobInfo put(String key, byte[] data) {
        return storage.put(key, data, retention());
    }

    @Override
    public BlobInfo put(String key, byte[] data, Retention retention) {
        return storage.put(key, data, retention);
    }

    @Override
    public InputStream get(String key) {
        return storage.get(key);
    }

    @Override
    public InputStream get(String key, long offset, long length) {
        return storage.get(key, offset, length);
    }

    @Override
    public Optional<BlobInfo> head(String key) {
        return storage.head(key);
    }

    @Override
    public ListPage list(String prefix, String delimiter, String continuationToken, int pageSize) {
        return storage.list(prefix, delimiter, continuationToken, pageSize);
    }

    @Override
    public void delete(String key) {
        storage.delete(key);
    }

    @Override
    public void deleteAll(Collection<String> keys) {
        storage.deleteAll(keys);
    }

    @Override
    public void purge(String key) {
        storage.purge(key);
    }

    @Override
    public ValidationResult validate() {
        return storage.validate();
    }

    @Override
    public boolean objectLockEnabled() {
        return storage.objectLockEnabled();
    }

    @Override
    public Optional<Retention> retention(String key) {
        return storage.retention(key);
    }

    @Override
    public boolean createIfAbsent(String key, byte[] data) {
        return storage.createIfAbsent(key, data);
    }

    @Override
    public int sweepIncompleteUploads(String prefix, Instant startedBefore) {
        return storage.sweepIncompleteUploads(prefix, startedBefore);
    }

    /** The backup's runner closes the storage it opened. */
    @Override
    public void close() {
        // not ours to close
    }
}
