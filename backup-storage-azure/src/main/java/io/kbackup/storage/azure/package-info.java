/**
 * Azure Blob Storage for kbackup (provider id {@code azure}). Start with
 * {@code BackupLocation.azure(storageAccount, container)} in {@code backup-api}; this artifact
 * registers {@link io.kbackup.storage.azure.AzureStorageProviderFactory} for
 * {@link java.util.ServiceLoader}, and {@link io.kbackup.storage.azure.AzureConfig} lists the
 * location settings it accepts (Velero's key names). Everything under {@code internal} is not
 * exported and may change without notice.
 */
package io.kbackup.storage.azure;
