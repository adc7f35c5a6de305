/**
 * Google Cloud Storage for kbackup (provider id {@code gcs}). Start with
 * {@code BackupLocation.gcs(bucket)} in {@code backup-api}; this artifact on the class or module path
 * registers {@link io.kbackup.storage.gcs.GcsStorageProviderFactory} for {@link java.util.ServiceLoader},
 * and {@link io.kbackup.storage.gcs.GcsConfig} lists the location settings it accepts (Velero's
 * key names). The provider itself is internal; no Google type is part of this API.
 */
package io.kbackup.storage.gcs;
