/**
 * Google Cloud Storage for kbackup: {@link io.kbackup.storage.gcs.GcsStorageProviderFactory}
 * (provider id {@code gcs}), {@link io.kbackup.storage.gcs.GcsStorageProvider} (also for a
 * {@code Storage} client of your own) and the configuration keys, {@link io.kbackup.storage.gcs.GcsConfig}.
 */
package io.kbackup.storage.gcs;
