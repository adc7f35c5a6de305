/**
 * The Azure Blob storage provider (provider id {@code azure}), registered for
 * {@link java.util.ServiceLoader}. Also the Azure Key Vault key provider (id {@code azure-key-vault})
 * for encrypted backups. Only {@code io.kbackup.storage.azure} (the factory, the configuration keys,
 * the key provider) is exported.
 */
module io.kbackup.storage.azure {
    requires transitive io.kbackup.api;
    requires com.azure.core;
    requires com.azure.core.http.jdk.httpclient;
    requires com.azure.identity;
    requires com.azure.security.keyvault.keys;
    requires com.azure.storage.blob;
    requires com.azure.storage.common;
    requires java.net.http;
    requires org.slf4j;

    exports io.kbackup.storage.azure;

    provides io.kbackup.spi.StorageProviderFactory with io.kbackup.storage.azure.AzureStorageProviderFactory;
    provides io.kbackup.spi.KeyProvider with io.kbackup.storage.azure.AzureKeyVaultKeyProvider;
}
