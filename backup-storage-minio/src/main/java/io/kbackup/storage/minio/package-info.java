/**
 * The {@code minio} storage provider for MinIO and other S3-compatible servers: {@link
 * io.kbackup.storage.minio.MinioStorageProviderFactory} (found through {@link java.util.ServiceLoader})
 * and its settings, {@link io.kbackup.storage.minio.MinioConfig}. Everything under {@code internal}
 * may change without notice.
 */
package io.kbackup.storage.minio;
