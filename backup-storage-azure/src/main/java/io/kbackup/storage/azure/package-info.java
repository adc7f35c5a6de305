/**
 * Azure Blob Storage for kbackup: {@link io.kbackup.storage.azure.AzureStorageProviderFactory}
 * (provider id {@code azure}) and its configuration keys, {@link io.kbackup.storage.azure.AzureConfig}.
 */
package io.kbackup.storage.azure;
