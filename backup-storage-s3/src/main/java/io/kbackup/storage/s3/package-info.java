/**
 * The {@code s3} storage provider for AWS S3 and S3-compatible services: {@link
 * io.kbackup.storage.s3.S3StorageProviderFactory} (found through {@link java.util.ServiceLoader})
 * and its settings, {@link io.kbackup.storage.s3.S3Config}. Everything under {@code internal} may
 * change without notice.
 */
package io.kbackup.storage.s3;
