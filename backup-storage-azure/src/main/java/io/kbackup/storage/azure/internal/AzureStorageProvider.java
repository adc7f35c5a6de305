package io.kbackup.storage.azure.internal;

import com.azure.core.credential.AzureSasCredential;
import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.rest.PagedResponse;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
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
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import io.kbackup.Credentials;
import io.kbackup.InvalidPlanException;
import io.kbackup.NotFoundException;
import io.kbackup.ObjectLock;
import io.kbackup.ValidationResult;
import io.kbackup.spi.BlobInfo;
import io.kbackup.spi.BlobWriter;
import io.kbackup.spi.ListPage;
import io.kbackup.spi.Retention;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.support.CauseChain;
import io.kbackup.spi.support.ErrorMappingInputStream;
import java.io.InputStream;
import java.time.Duration;
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

    private static final Duration VALIDATE_TIMEOUT = Duration.ofSeconds(10);

    private final AzureSettings settings;
    private final AzureErrors errors;
    private final BlobContainerClient container;
    private final BlobContainerClient validationContainer;

    /** Builds the clients; contacts nothing. */
    public AzureStorageProvider(AzureSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.errors = new AzureErrors(settings.secrets(),
                settings.accountLabel() + ", container '" + settings.container() + "'");
        HttpClient http = new JdkHttpClientBuilder()
                .connectionTimeout(Duration.ofSeconds(10))
                .responseTimeout(Duration.ofSeconds(60))
                .readTimeout(Duration.ofSeconds(60))
                .writeTimeout(Duration.ofSeconds(60))
                .build();
        HttpClient fastHttp = new JdkHttpClientBuilder()
                .connectionTimeout(Duration.ofSeconds(5))
                .responseTimeout(VALIDATE_TIMEOUT)
                .readTimeout(VALIDATE_TIMEOUT)
                .build();
        RequestRetryOptions retries = new RequestRetryOptions(RetryPolicyType.EXPONENTIAL, 4,
                Duration.ofMinutes(5), Duration.ofMillis(500), Duration.ofSeconds(30), null);
        RequestRetryOptions once = new RequestRetryOptions(RetryPolicyType.FIXED, 1, VALIDATE_TIMEOUT,
                Duration.ofMillis(1), Duration.ofMillis(1), null);
        Object credential = credential(settings);
        BlobServiceClient service = client(http, retries, credential).buildClient();
        this.container = service.getBlobContainerClient(settings.container());
        this.validationContainer = client(fastHttp, once, credential).buildClient()
                .getBlobContainerClient(settings.container());
    }

    private BlobServiceClientBuilder client(HttpClient http, RequestRetryOptions retries, Object credential) {
        BlobServiceClientBuilder b = new BlobServiceClientBuilder()
                .endpoint(settings.endpoint())
                .serviceVersion(settings.serviceVersion())
                .httpClient(http)
                .retryOptions(retries);
        if (credential instanceof StorageSharedKeyCredential k) {
            b.credential(k);
        } else if (credential instanceof AzureSasCredential s) {
            b.credential(s);
        } else {
            b.credential((TokenCredential) credential);
        }
        return b;
    }

    private static Object credential(AzureSettings s) {
        Credentials c = s.credentials();
        try {
            if (c instanceof Credentials.AzureAccountKey k) {
                return new StorageSharedKeyCredential(k.accountName(), k.accountKey());
            }
            if (c instanceof Credentials.AzureSas sas) {
                String token = sas.sasToken().startsWith("?") ? sas.sasToken().substring(1) : sas.sasToken();
                return new AzureSasCredential(token);
            }
            return AzureTokenCredentials.of(c);
        } catch (IllegalArgumentException | NullPointerException | IllegalStateException e) {
            String hint = c instanceof Credentials.AzureWorkloadIdentity
                    ? " Workload identity reads AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_FEDERATED_TOKEN_FILE, which AKS"
                            + " injects into pods whose service account is set up for it (label azure.workload.identity/use=true)."
                    : "";
            throw new InvalidPlanException("Azure credentials of kind '" + c.kind() + "' could not be set up: "
                    + new AzureErrors(s.secrets(), "").scrub(e.getMessage()) + "." + hint, null);
        }
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

    @Override
    public ValidationResult validate() {
        String where = settings.accountLabel() + ", container '" + settings.container() + "'";
        try {
            validationContainer.listBlobs(new ListBlobsOptions().setMaxResultsPerPage(1), VALIDATE_TIMEOUT)
                    .iterableByPage(1).iterator().next();
            return ValidationResult.ok();
        } catch (BlobStorageException e) {
            String detail = errors.describe(e);
            if (e.getStatusCode() == 404 && e.getErrorCode() != null
                    && e.getErrorCode().toString().equals("ContainerNotFound")) {
                return ValidationResult.failed(ValidationResult.Kind.BUCKET_MISSING,
                        "Container '" + settings.container() + "' does not exist in " + settings.accountLabel()
                                + " (" + detail + ").",
                        "Create the container (az storage container create --name " + settings.container()
                                + (settings.account() != null ? " --account-name " + settings.account() : "")
                                + ") or correct the location's bucket.");
            }
            if (e.getStatusCode() == 401 || e.getStatusCode() == 403) {
                if (AzureErrors.isBadCredentials(e)) {
                    return ValidationResult.failed(ValidationResult.Kind.BAD_CREDENTIALS,
                            "Azure Blob " + where + " refused the " + settings.credentials().kind()
                                    + " credentials (" + detail + ").",
                            fixCredentials());
                }
                return ValidationResult.failed(ValidationResult.Kind.ACCESS_DENIED,
                        "Azure Blob " + where + " denied listing the container with the "
                                + settings.credentials().kind() + " credentials (" + detail + ").",
                        "Grant the identity 'Storage Blob Data Contributor' on the container or account, give the SAS"
                                + " token read, add, create, write, delete and list permissions, or allow this"
                                + " network in the storage account's firewall.");
            }
            return ValidationResult.failed(ValidationResult.Kind.OTHER,
                    "Azure Blob " + where + " answered " + detail + ".",
                    "Check the location's settings against the service's message; retry if the service was busy.");
        } catch (ClientAuthenticationException e) {
            if (settings.credentials() instanceof Credentials.None) {
                return ValidationResult.failed(ValidationResult.Kind.BAD_CREDENTIALS,
                        "No usable Azure credentials for " + where + ": the location gives none, and none of Azure's"
                                + " default sources had any (AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET, workload"
                                + " identity, managed identity, az login).",
                        "Give the location an account key, a SAS token or a service principal, or set up one of those"
                                + " sources.");
            }
            return ValidationResult.failed(ValidationResult.Kind.BAD_CREDENTIALS,
                    "Could not obtain an Azure AD token with the " + settings.credentials().kind() + " credentials: "
                            + CauseChain.firstLine(errors.scrub(e.getMessage())) + ".",
                    fixCredentials());
        } catch (RuntimeException e) {
            Throwable cause = AzureErrors.unreachableCause(e);
            if (cause != null) {
                return ValidationResult.failed(ValidationResult.Kind.UNREACHABLE,
                        "Cannot reach the Azure Blob endpoint " + settings.endpoint() + ": "
                                + cause.getClass().getSimpleName() + ": "
                                + CauseChain.firstLine(errors.scrub(cause.getMessage())) + ".",
                        "Check the endpoint or storage account name, DNS, proxy and firewall; the service must answer"
                                + " within " + VALIDATE_TIMEOUT.toSeconds() + " s.");
            }
            return ValidationResult.failed(ValidationResult.Kind.OTHER,
                    errors.map(e, "listing the container", null).getMessage(),
                    "Check the location's settings and credentials.");
        }
    }

    private String fixCredentials() {
        Credentials c = settings.credentials();
        if (c instanceof Credentials.AzureAccountKey) {
            return "Use a current access key of the storage account (az storage account keys list).";
        }
        if (c instanceof Credentials.AzureSas) {
            return "Use a SAS token signed for this account and container that has not expired.";
        }
        if (c instanceof Credentials.AzureServicePrincipal) {
            return "Check the tenant id, client id and client secret (not expired) of the service principal.";
        }
        if (c instanceof Credentials.AzureManagedIdentity) {
            return "Assign the managed identity to this VM or pod, and pass its client id for a user-assigned one.";
        }
        if (c instanceof Credentials.AzureWorkloadIdentity) {
            return "Check the federated credential of the app registration and the pod's service account annotation.";
        }
        return "Pass credentials for the storage account.";
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
