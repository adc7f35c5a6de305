package io.kbackup.storage.azure;

import io.kbackup.BackupLocation;
import io.kbackup.spi.support.SimpleStorageProviderFactory;
import io.kbackup.storage.azure.internal.AzureSettings;
import io.kbackup.storage.azure.internal.AzureStorageProvider;

/**
 * The {@code azure} storage provider: an Azure Blob Storage container, found by
 * {@link java.util.ServiceLoader} when {@code io.kbackup:backup-storage-azure} is on the class path.
 *
 * <p>Location fields: {@link BackupLocation#bucket()} is the container;
 * {@link AzureConfig#STORAGE_ACCOUNT} the account; {@link BackupLocation#endpoint()} overrides the
 * blob service URL (Azurite: {@code http://127.0.0.1:10000/devstoreaccount1}). Credentials:
 * {@link io.kbackup.Credentials.AzureAccountKey account key}, {@link io.kbackup.Credentials.AzureSas
 * SAS token}, {@link io.kbackup.Credentials.AzureServicePrincipal service principal},
 * {@link io.kbackup.Credentials.AzureManagedIdentity managed identity},
 * {@link io.kbackup.Credentials.AzureWorkloadIdentity workload identity}, or
 * {@link io.kbackup.Credentials.None none}, which means azure-identity's
 * {@code DefaultAzureCredential} (environment, workload identity, managed identity, Azure CLI).
 * Token credentials need an {@code https} endpoint.
 *
 * <pre>{@code
 * BackupLocation location = BackupLocation.azure("mybackups", "velero")
 *         .credentials(Credentials.azureServicePrincipal(tenantId, clientId, secret))
 *         .build();
 * try (StorageProvider storage = StorageProviders.discover().open(location)) {
 *     ValidationResult check = storage.validate();
 * }
 * }</pre>
 *
 * <p>Uploads stage blocks of {@link AzureConfig#BLOCK_SIZE_IN_BYTES} and commit the block list on
 * {@code commit()}; an aborted upload commits nothing (its staged blocks are discarded by the
 * service within a week) and leaves any existing blob under the key as it was. HTTP goes through the
 * JDK's {@code java.net.http} client. Thread-safe; stateless.
 */
public final class AzureStorageProviderFactory extends SimpleStorageProviderFactory {

    /** The provider id, {@value}. */
    public static final String ID = "azure";

    /**
     * For {@link java.util.ServiceLoader}. Makes providers without contacting Azure; {@code create}
     * throws {@link io.kbackup.InvalidPlanException} when the location is not an {@code azure} one,
     * a setting is invalid, or the credentials are of another cloud's kind.
     */
    public AzureStorageProviderFactory() {
        super(ID, AzureConfig.KEYS, location -> new AzureStorageProvider(AzureSettings.from(location)));
    }
}
