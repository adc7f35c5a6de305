package io.kbackup.storage.gcs.internal;

import com.google.api.gax.paging.Page;
import com.google.cloud.ReadChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageBatch;
import com.google.cloud.storage.StorageBatchResult;
import io.kbackup.KBackupException;
import io.kbackup.NotFoundException;
import io.kbackup.ObjectLock;
import io.kbackup.StorageException;
import io.kbackup.ValidationResult;
import io.kbackup.spi.BlobInfo;
import io.kbackup.spi.BlobWriter;
import io.kbackup.spi.ListPage;
import io.kbackup.spi.Retention;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.support.ErrorMappingInputStream;
import io.kbackup.storage.gcs.GcsStorageProviderFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link StorageProvider} over one Google Cloud Storage bucket (provider id {@code gcs}).
 * Thread-safe.
 *
 * <p>Made by {@link GcsStorageProviderFactory} from a {@link io.kbackup.BackupLocation} (an emulator is
 * reached through the location's endpoint); {@link #of(Storage, String)} wraps a {@link Storage}
 * client built by the module's own tests (an emulator's, or {@code LocalStorageHelper}'s). Internal:
 * not exported, so no Google type is part of the public API.
 *
 * <pre>{@code
 * Storage client = StorageOptions.http().setProjectId("p").build().getService();
 * try (StorageProvider storage = GcsStorageProvider.of(client, "team-backups")) {
 *     storage.put("backups/b1/velero-backup.json", json);
 * }
 * }</pre>
 *
 * <p>Uploads of up to 1 MiB are one request; larger ones use a resumable upload session that is
 * finalized only by {@link BlobWriter#commit()}, so an aborted writer publishes nothing. Reads pin
 * the object's generation, so a read never mixes two versions. {@link #deleteAll} uses JSON batch
 * requests of up to 100 deletions.
 */
public final class GcsStorageProvider implements StorageProvider {

    /** Most deletions in one batch request (service limit). */
    static final int BATCH_LIMIT = 100;
    /** Most results the service returns on one listing page. */
    static final int MAX_PAGE = 1000;

    private final String bucket;
    private final Supplier<Storage> storage;
    private final Supplier<Storage> validationStorage;
    private final boolean owned;
    private final String kmsKeyName;
    private final GcsErrors errors;
    private final String description;

    private GcsStorageProvider(String bucket, Supplier<Storage> storage, Supplier<Storage> validationStorage,
            boolean owned, String kmsKeyName, GcsErrors errors, String description) {
        this.bucket = bucket;
        this.storage = storage;
        this.validationStorage = validationStorage;
        this.owned = owned;
        this.kmsKeyName = kmsKeyName;
        this.errors = errors;
        this.description = description;
    }

    /**
     * A provider over {@code bucket} using {@code storage} for every request, validation included.
     * The client's own retry and timeout settings apply; {@link #close()} does not close it.
     *
     * @param storage a client; not null
     * @param bucket  an existing bucket's name; not null
     */
    public static GcsStorageProvider of(Storage storage, String bucket) {
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(bucket, "bucket");
        Supplier<Storage> s = () -> storage;
        return new GcsStorageProvider(bucket, s, s, false, null, new GcsErrors(List.of(), "bucket '" + bucket + "'"),
                "GcsStorageProvider[bucket=" + bucket + ", storage=" + storage.getClass().getSimpleName() + "]");
    }

    /** A provider for checked settings; builds its clients on first use. */
    public static GcsStorageProvider create(GcsSettings settings) {
        return new GcsStorageProvider(settings.bucket(), new LazyStorage(settings::buildStorage),
                new LazyStorage(settings::buildValidationStorage), true, settings.kmsKeyName(),
                new GcsErrors(settings.secrets(), "bucket '" + settings.bucket() + "'"),
                "GcsStorageProvider[" + settings + "]");
    }

    @Override
    public String id() {
        return GcsStorageProviderFactory.ID;
    }

    private Storage storage() {
        try {
            return storage.get();
        } catch (RuntimeException e) {
            throw errors.map(e, "setting up the client", null);
        }
    }

    @Override
    public BlobWriter openWriter(String key) {
        return openWriter(key, null);
    }

    /**
     * The object is created with a GCS object retention ({@code Unlocked} for governance,
     * {@code Locked} for compliance) until the retain-until time; the bucket must have object
     * retention enabled.
     */
    @Override
    public BlobWriter openWriter(String key, Retention retention) {
        com.google.cloud.storage.BlobInfo.Builder b = com.google.cloud.storage.BlobInfo.newBuilder(bucket, checkKey(key));
        if (retention != null) {
            b.setRetention(com.google.cloud.storage.BlobInfo.Retention.newBuilder()
                    .setMode(retention.mode() == ObjectLock.COMPLIANCE ? com.google.cloud.storage.BlobInfo.Retention.Mode.LOCKED
                            : com.google.cloud.storage.BlobInfo.Retention.Mode.UNLOCKED)
                    .setRetainUntilTime(retention.retainUntil().atOffset(ZoneOffset.UTC)).build());
        }
        com.google.cloud.storage.BlobInfo target = b.build();
        Storage.BlobWriteOption[] wo = kmsKeyName == null ? new Storage.BlobWriteOption[0]
                : new Storage.BlobWriteOption[] {Storage.BlobWriteOption.kmsKeyName(kmsKeyName)};
        return new GcsBlobWriter(storage(), target, wo, targetOptions(), errors);
    }

    /** The bucket's {@code objectRetention.mode} is {@code Enabled}. */
    @Override
    public boolean objectLockEnabled() {
        try {
            com.google.cloud.storage.Bucket b = storage().get(bucket);
            if (b == null) {
                throw new NotFoundException(bucket, "Google Cloud Storage bucket '" + bucket + "' does not exist.");
            }
            return b.getObjectRetention() != null
                    && b.getObjectRetention().getMode() == com.google.cloud.storage.BucketInfo.ObjectRetention.Mode.ENABLED;
        } catch (KBackupException e) {
            throw e;
        } catch (RuntimeException e) {
            throw errors.map(e, "reading the object retention setting of bucket '" + bucket + "'", null);
        }
    }

    /** The object's {@code retention} (mode and retainUntilTime). */
    @Override
    public Optional<Retention> retention(String key) {
        return blob(key).map(com.google.cloud.storage.BlobInfo::getRetention)
                .filter(r -> r.getRetainUntilTime() != null && r.getMode() != null)
                .map(r -> new Retention(r.getMode() == com.google.cloud.storage.BlobInfo.Retention.Mode.LOCKED
                        ? ObjectLock.COMPLIANCE : ObjectLock.GOVERNANCE, r.getRetainUntilTime().toInstant()));
    }

    /** A create with {@code ifGenerationMatch=0}: GCS answers 412 when the object exists. Tested on fake-gcs-server. */
    @Override
    public boolean createIfAbsent(String key, byte[] data) {
        com.google.cloud.storage.BlobInfo target = com.google.cloud.storage.BlobInfo.newBuilder(bucket, checkKey(key)).build();
        List<Storage.BlobTargetOption> options = new ArrayList<>(List.of(targetOptions()));
        options.add(Storage.BlobTargetOption.doesNotExist());
        try {
            storage().create(target, data, options.toArray(new Storage.BlobTargetOption[0]));
            return true;
        } catch (com.google.cloud.storage.StorageException e) {
            if (e.getCode() == 412) {
                return false;
            }
            throw errors.map(e, "creating object '" + key + "'", key);
        } catch (RuntimeException e) {
            throw errors.map(e, "creating object '" + key + "'", key);
        }
    }

    private Storage.BlobTargetOption[] targetOptions() {
        return kmsKeyName == null ? new Storage.BlobTargetOption[0]
                : new Storage.BlobTargetOption[] {Storage.BlobTargetOption.kmsKeyName(kmsKeyName)};
    }

    @Override
    public InputStream get(String key) {
        Blob blob = blob(key).orElseThrow(() -> notFound(key));
        return open(blob, 0, Long.MAX_VALUE);
    }

    @Override
    public InputStream get(String key, long offset, long length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("offset and length must be >= 0, were " + offset + " and " + length);
        }
        Blob blob = blob(key).orElseThrow(() -> notFound(key));
        long size = blob.getSize() == null ? 0 : blob.getSize();
        if (length == 0 || offset >= size) {
            return InputStream.nullInputStream();
        }
        return open(blob, offset, Math.min(size, offset + length));
    }

    /** Reads the blob's generation from {@code from} up to the absolute offset {@code to}. */
    private InputStream open(Blob blob, long from, long to) {
        String key = blob.getName();
        try {
            ReadChannel channel = storage().reader(BlobId.of(bucket, key, blob.getGeneration()));
            if (from > 0) {
                channel.seek(from);
            }
            if (to != Long.MAX_VALUE) {
                channel.limit(to);
            }
            return new ErrorMappingInputStream(Channels.newInputStream(channel), e -> errors.map(e, "reading object '" + key + "'", key));
        } catch (IOException | RuntimeException e) {
            throw errors.map(e, "reading object '" + key + "'", key);
        }
    }

    @Override
    public Optional<BlobInfo> head(String key) {
        return blob(key).map(b -> info(key, b));
    }

    private Optional<Blob> blob(String key) {
        try {
            return Optional.ofNullable(storage().get(BlobId.of(bucket, checkKey(key))));
        } catch (RuntimeException e) {
            throw errors.map(e, "reading metadata of object '" + key + "'", key);
        }
    }

    private static BlobInfo info(String key, com.google.cloud.storage.BlobInfo b) {
        Instant modified = b.getUpdateTimeOffsetDateTime() != null ? b.getUpdateTimeOffsetDateTime().toInstant() : null;
        String etag = b.getEtag() != null ? b.getEtag() : b.getGeneration() != null ? String.valueOf(b.getGeneration()) : null;
        return new BlobInfo(key, b.getSize() == null ? 0 : b.getSize(), modified, etag);
    }

    @Override
    public ListPage list(String prefix, String delimiter, String continuationToken, int pageSize) {
        Objects.requireNonNull(prefix, "prefix");
        if (pageSize <= 0) {
            throw new IllegalArgumentException("pageSize must be > 0, was " + pageSize);
        }
        List<Storage.BlobListOption> options = new ArrayList<>();
        options.add(Storage.BlobListOption.pageSize(Math.min(pageSize, MAX_PAGE)));
        if (!prefix.isEmpty()) {
            options.add(Storage.BlobListOption.prefix(prefix));
        }
        if (delimiter != null) {
            options.add(Storage.BlobListOption.delimiter(delimiter));
        }
        if (continuationToken != null && !continuationToken.isEmpty()) {
            options.add(Storage.BlobListOption.pageToken(continuationToken));
        }
        try {
            Page<Blob> page = storage().list(bucket, options.toArray(new Storage.BlobListOption[0]));
            List<BlobInfo> blobs = new ArrayList<>();
            List<String> prefixes = new ArrayList<>();
            for (Blob b : page.getValues()) {
                if (b.isDirectory()) {
                    prefixes.add(b.getName());
                } else {
                    blobs.add(info(b.getName(), b));
                }
            }
            // The client merges the response's items and prefixes into one list; split, each in key order.
            blobs.sort(Comparator.comparing(BlobInfo::key));
            prefixes.sort(Comparator.naturalOrder());
            String next = page.getNextPageToken();
            return new ListPage(blobs, prefixes, next == null || next.isEmpty() ? null : next);
        } catch (RuntimeException e) {
            throw errors.map(e, "listing objects under '" + prefix + "'", prefix);
        }
    }

    @Override
    public void delete(String key) {
        try {
            storage().delete(BlobId.of(bucket, checkKey(key)));
        } catch (RuntimeException e) {
            throw errors.map(e, "deleting object '" + key + "'", key);
        }
    }

    /** Deletes in JSON batch requests of up to 100; objects already gone are ignored. */
    @Override
    public void deleteAll(Collection<String> keys) {
        List<String> all = new ArrayList<>(new LinkedHashSet<>(keys));
        all.forEach(GcsStorageProvider::checkKey);
        for (int from = 0; from < all.size(); from += BATCH_LIMIT) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + BATCH_LIMIT));
            if (chunk.size() == 1) {
                delete(chunk.get(0));
                continue;
            }
            List<StorageBatchResult<Boolean>> results = new ArrayList<>();
            try {
                StorageBatch batch = storage().batch();
                for (String key : chunk) {
                    results.add(batch.delete(BlobId.of(bucket, key)));
                }
                batch.submit();
            } catch (RuntimeException e) {
                throw errors.map(e, "deleting " + chunk.size() + " objects in a batch", null);
            }
            KBackupException first = null;
            int failed = 0;
            for (int i = 0; i < chunk.size(); i++) {
                try {
                    results.get(i).get();   // false: was not there
                } catch (RuntimeException e) {
                    KBackupException k = errors.map(e, "deleting object '" + chunk.get(i) + "' in a batch", chunk.get(i));
                    if (k instanceof NotFoundException) {
                        continue;
                    }
                    failed++;
                    if (first == null) {
                        first = k;
                    }
                }
            }
            if (first != null) {
                throw failed == 1 ? first : new StorageException(failed + " of " + chunk.size()
                        + " deletions in a batch failed; the first: " + first.getMessage(), first, first.retryable());
            }
        }
    }

    /** Lists one object with the validation client; see {@link GcsValidation}. */
    @Override
    public ValidationResult validate() {
        return GcsValidation.validate(bucket, validationStorage, errors);
    }

    @Override
    public void close() {
        if (owned) {
            for (Supplier<Storage> s : List.of(storage, validationStorage)) {
                if (s instanceof LazyStorage lazy) {
                    lazy.closeIfBuilt();
                }
            }
        }
    }

    private NotFoundException notFound(String key) {
        return new NotFoundException(key, "Google Cloud Storage bucket '" + bucket + "': object '" + key
                + "' does not exist.");
    }

    private static String checkKey(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("object key must not be empty");
        }
        return key;
    }

    @Override
    public String toString() {
        return description;
    }
}
