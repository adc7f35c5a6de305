package io.kbackup.storage.azure;

import java.util.Set;

/**
 * The keys an {@code azure} {@link io.kbackup.BackupLocation} accepts in its
 * {@link io.kbackup.BackupLocation#config() config}. Names follow Velero's Azure plugin
 * ({@code velero-plugin-for-microsoft-azure}) where it has one, so a Velero
 * BackupStorageLocation's {@code config} can be copied as it is.
 *
 * <pre>{@code
 * BackupLocation location = BackupLocation.azure("mybackups", "velero")   // sets storageAccount
 *         .config(AzureConfig.BLOCK_SIZE_IN_BYTES, String.valueOf(16 * 1024 * 1024))
 *         .credentials(Credentials.azureWorkloadIdentity())
 *         .build();
 * }</pre>
 */
public final class AzureConfig {

    /**
     * The storage account name (Velero's key). Required unless the credentials are an account key
     * (which names the account) or {@link io.kbackup.BackupLocation#endpoint()} is set.
     */
    public static final String STORAGE_ACCOUNT = "storageAccount";

    /**
     * The blob service URL (Velero's key), e.g. {@code https://mybackups.blob.core.windows.net} or a
     * sovereign cloud's. {@link io.kbackup.BackupLocation#endpoint()} wins when both are set.
     * Default: {@code https://<storageAccount>.blob.core.windows.net}.
     */
    public static final String STORAGE_ACCOUNT_URI = "storageAccountURI";

    /**
     * Accepted so that Velero's configuration can be reused; kbackup does not look up account keys
     * through Azure Resource Manager, so the value is not used: pass credentials instead.
     */
    public static final String RESOURCE_GROUP = "resourceGroup";

    /** Accepted for Velero compatibility and not used; see {@link #RESOURCE_GROUP}. */
    public static final String SUBSCRIPTION_ID = "subscriptionId";

    /**
     * Size of the blocks a streaming upload stages (Velero's key), in bytes; also the most a writer
     * holds in memory. Between {@value #MIN_BLOCK_SIZE} and {@value #MAX_BLOCK_SIZE}. A blob has at
     * most 50,000 blocks, so this caps the largest blob (8 MiB blocks: about 390 GiB). Default
     * {@value #DEFAULT_BLOCK_SIZE} (Velero's default, 100 MB, holds too much memory per writer).
     */
    public static final String BLOCK_SIZE_IN_BYTES = "blockSizeInBytes";

    /**
     * The Blob service REST API version to send, e.g. {@code 2025-11-05}, or {@code latest} for the
     * newest the client library knows. Default {@value #DEFAULT_SERVICE_VERSION}, which Azure and
     * Azurite 3.35 both accept (Azurite refuses versions newer than its own).
     */
    public static final String SERVICE_VERSION = "serviceVersion";

    /** Default of {@link #BLOCK_SIZE_IN_BYTES}: 8 MiB. */
    public static final int DEFAULT_BLOCK_SIZE = 8 * 1024 * 1024;
    /** Smallest {@link #BLOCK_SIZE_IN_BYTES}: 1 KiB. */
    public static final int MIN_BLOCK_SIZE = 1024;
    /** Largest {@link #BLOCK_SIZE_IN_BYTES}: 256 MiB (held in memory per writer). */
    public static final int MAX_BLOCK_SIZE = 256 * 1024 * 1024;
    /** Default of {@link #SERVICE_VERSION}. */
    public static final String DEFAULT_SERVICE_VERSION = "2025-11-05";

    /** Every key above. */
    public static final Set<String> KEYS = Set.of(STORAGE_ACCOUNT, STORAGE_ACCOUNT_URI, RESOURCE_GROUP,
            SUBSCRIPTION_ID, BLOCK_SIZE_IN_BYTES, SERVICE_VERSION);

    private AzureConfig() {}
}
