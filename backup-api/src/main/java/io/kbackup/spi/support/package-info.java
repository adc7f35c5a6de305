/**
 * Helpers for {@link io.kbackup.spi.StorageProvider} implementations: a part-buffered writer for
 * services with multipart or block uploads (S3, MinIO, Azure), a download stream that maps client
 * failures to the SDK's typed exceptions (Azure, GCS), trust of a PEM CA bundle, and cutting listing
 * pages to the size asked for when a service returns more (S3, MinIO). Stable enough for
 * third-party providers to use.
 */
package io.kbackup.spi.support;
