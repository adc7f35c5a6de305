package io.kbackup.storage.azure.internal;

import com.azure.core.http.rest.PagedResponse;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobImmutabilityPolicy;
import com.azure.storage.blob.models.BlobImmutabilityPolicyMode;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobItemProperties;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.DeleteSnapshotsOptionType;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlobInputStreamOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import io.kbackup.NotFoundException;
import io.kbackup.ObjectLock;
import io.kbackup.ValidationResult;
import io.kbackup.spi.BlobInfo;
import io.kbackup.spi.BlobWriter;
import io.kbackup.spi.ListPage;
import io.kbackup.spi.Retention;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.support.ErrorMappingInputStream;
import java.io.InputStream;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link StorageProvider} over one Azure Blob container. Thread-safe: the SDK clients are.
 *
 * <p>Two client stacks share the credentials: one for data with retries (exponential, 4 tries) and
 * generous timeouts, one for {@link #validate()} with a single try and short timeouts, so that a
 * wrong endpoint is reported in seconds.
 */
public final class AzureStorageProvider implements StorageProvider {

    /** Most results the service returns on one listing page. */
    static final int MAX_PAGE = 5000;
    /** Read-ahead of {@link #get} streams. */
    static final int READ_BLOCK = 4 * 1024 * 1024;

    private final AzureSettings settings;
    private final AzureErrors errors;
    private final BlobContainerClient container;
    private final AzureValidation validation;

    /** Builds the clients; contacts nothing. */
    public AzureStorageProvider(AzureSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.errors = new AzureErrors(settings.secrets(),
                settings.accountLabel() + ", container '" + settings.container() + "'");
        AzureClients clients = new AzureClients(settings);
        this.container = clients.container();
        this.validation = new AzureValidation(settings, errors, clients.validationContainer());
    }

    @Override
    public String id() {
        return "azure";
    }

    /** The checked settings this provider was made from. */
    public AzureSettings settings() {
        return settings;
    }

    @Override
    public BlobWriter openWriter(String key) {
        return openWriter(key, null);
    }

    /**
     * The blob is created with a version-level immutability policy ({@code Unlocked} for governance,
     * {@code Locked} for compliance) expiring at the retain-until time, on Put Blob or Put Block
     * List; the container must have version-level immutability support.
     */
    @Override
    public BlobWriter openWriter(String key, Retention retention) {
        BlobImmutabilityPolicy policy = retention == null ? null : new BlobImmutabilityPolicy()
                .setExpiryTime(retention.retainUntil().atOffset(ZoneOffset.UTC))
                .setPolicyMode(retention.mode() == ObjectLock.COMPLIANCE ? BlobImmutabilityPolicyMode.LOCKED
                        : BlobImmutabilityPolicyMode.UNLOCKED);
        return new AzureBlobWriter(container.getBlobClient(checkKey(key)).getBlockBlobClient(), key,
                settings.blockSize(), errors, policy);
    }

    /** The container's {@code x-ms-immutable-storage-with-versioning-enabled} property. */
    @Override
    public boolean objectLockEnabled() {
        try {
            return Boolean.TRUE.equals(container.getProperties().isImmutableStorageWithVersioningEnabled());
        } catch (RuntimeException e) {
            throw errors.map(e, "reading the properties of the container", null);
        }
    }

    /** The blob's immutability policy (expiry and mode); none, or {@code Mutable}, is no lock. */
    @Override
    public Optional<Retention> retention(String key) {
        BlobProperties p;
        try {
            p = container.getBlobClient(checkKey(key)).getProperties();
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 404 && !"ContainerNotFound".equals(String.valueOf(e.getErrorCode()))) {
                return Optional.empty();
            }
            throw errors.map(e, "reading the properties of blob '" + key + "'", key);
        } catch (RuntimeException e) {
            throw errors.map(e, "reading the properties of blob '" + key + "'", key);
        }
        BlobImmutabilityPolicy policy = p.getImmutabilityPolicy();
        if (policy == null || policy.getExpiryTime() == null || policy.getPolicyMode() == null
                || policy.getPolicyMode() == BlobImmutabilityPolicyMode.MUTABLE) {
            return Optional.empty();
        }
        return Optional.of(new Retention(policy.getPolicyMode() == BlobImmutabilityPolicyMode.LOCKED ? ObjectLock.COMPLIANCE
                : ObjectLock.GOVERNANCE, policy.getExpiryTime().toInstant()));
    }

    @Override
    public InputStream get(String key) {
        return open(key, null);
    }

    @Override
    public InputStream get(String key, long offset, long length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("offset and length must be >= 0, were " + offset + " and " + length);
        }
        if (length == 0) {
            head(key).orElseThrow(() -> notFound(key));
            return InputStream.nullInputStream();
        }
        return open(key, new long[] {offset, length});
    }

    private InputStream open(String key, long[] range) {
        BlobClient blob = container.getBlobClient(checkKey(key));
        BlobInputStreamOptions options = new BlobInputStreamOptions().setBlockSize(READ_BLOCK);
        if (range != null) {
            BlobProperties props = properties(key).orElseThrow(() -> notFound(key));
            if (range[0] >= props.getBlobSize()) {
                return InputStream.nullInputStream();
            }
            options.setRange(new BlobRange(range[0], Math.min(range[1], props.getBlobSize() - range[0])));
        }
        try {
            return new ErrorMappingInputStream(blob.openInputStream(options), e -> errors.map(e, "reading blob '" + key + "'", key));
        } catch (RuntimeException e) {
            throw errors.map(e, "reading blob '" + key + "'", key);
        }
    }

    @Override
    public Optional<BlobInfo> head(String key) {
        return properties(key).map(p -> new BlobInfo(key, p.getBlobSize(), instant(p.getLastModified()), p.getETag()));
    }

    private Optional<BlobProperties> properties(String key) {
        try {
            return Optional.of(container.getBlobClient(checkKey(key)).getProperties());
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 404) {
                return Optional.empty();
            }
            throw errors.map(e, "reading properties of blob '" + key + "'", key);
        } catch (RuntimeException e) {
            throw errors.map(e, "reading properties of blob '" + key + "'", key);
        }
    }

    @Override
    public ListPage list(String prefix, String delimiter, String continuationToken, int pageSize) {
        if (pageSize <= 0) {
            throw new IllegalArgumentException("pageSize must be > 0, was " + pageSize);
        }
        Objects.requireNonNull(prefix, "prefix");
        int size = Math.min(pageSize, MAX_PAGE);
        ListBlobsOptions options = new ListBlobsOptions().setMaxResultsPerPage(size);
        if (!prefix.isEmpty()) {
            options.setPrefix(prefix);
        }
        String token = continuationToken == null || continuationToken.isEmpty() ? null : continuationToken;
        try {
            PagedResponse<BlobItem> page = (delimiter == null
                    ? container.listBlobs(options, null)
                    : container.listBlobsByHierarchy(delimiter, options, null))
                    .iterableByPage(token, size).iterator().next();
            List<BlobInfo> blobs = new ArrayList<>();
            List<String> prefixes = new ArrayList<>();
            for (BlobItem item : page.getValue()) {
                if (Boolean.TRUE.equals(item.isPrefix())) {
                    prefixes.add(item.getName());
                } else {
                    BlobItemProperties p = item.getProperties();
                    blobs.add(new BlobInfo(item.getName(), p.getContentLength() == null ? 0 : p.getContentLength(),
                            instant(p.getLastModified()), p.getETag()));
                }
            }
            String next = page.getContinuationToken();
            return new ListPage(blobs, prefixes, next == null || next.isEmpty() ? null : next);
        } catch (RuntimeException e) {
            throw errors.map(e, "listing blobs under '" + prefix + "'", prefix);
        }
    }

    @Override
    public void delete(String key) {
        try {
            container.getBlobClient(checkKey(key))
                    .deleteIfExistsWithResponse(DeleteSnapshotsOptionType.INCLUDE, null, null, Context.NONE);
        } catch (RuntimeException e) {
            throw errors.map(e, "deleting blob '" + key + "'", key);
        }
    }

    /**
     * Put Blob with {@code If-None-Match: *}: the service answers 409 BlobAlreadyExists when a blob
     * (committed) is under the key. Tested on Azurite.
     */
    @Override
    public boolean createIfAbsent(String key, byte[] data) {
        try {
            container.getBlobClient(checkKey(key)).getBlockBlobClient().uploadWithResponse(
                    new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(data))
                            .setContentMd5(AzureBlobWriter.md5(data, data.length))
                            .setRequestConditions(new BlobRequestConditions().setIfNoneMatch("*")),
                    null, Context.NONE);
            return true;
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 409 || e.getStatusCode() == 412) {
                return false;
            }
            throw errors.map(e, "creating blob '" + key + "'", key);
        } catch (RuntimeException e) {
            throw errors.map(e, "creating blob '" + key + "'", key);
        }
    }

    /**
     * Deletes one blob after the other. Blob batches (BlobBatchClient) would save round trips on
     * Azure, but Azurite 3.35 answers the SDK's batch requests with 400 InvalidInput, so that path
     * could not be tested here; backups have few blobs each.
     */
    @Override
    public void deleteAll(Collection<String> keys) {
        for (String key : new LinkedHashSet<>(keys)) {
            delete(key);
        }
    }

    /** Lists one blob with the fast, single-try clients; see {@link AzureValidation}. */
    @Override
    public ValidationResult validate() {
        return validation.validate();
    }

    private NotFoundException notFound(String key) {
        return new NotFoundException(key, "Azure Blob " + settings.accountLabel() + ", container '"
                + settings.container() + "': blob '" + key + "' does not exist.");
    }

    private static String checkKey(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("blob key must not be empty");
        }
        return key;
    }

    private static java.time.Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    @Override
    public String toString() {
        return "AzureStorageProvider[" + settings + "]";
    }
}
