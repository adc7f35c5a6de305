/**
 * Helpers for {@link io.kbackup.spi.StorageProvider} implementations: a part-buffered writer for
 * services with multipart or block uploads (S3, MinIO, Azure), a download stream that maps client
 * failures to the SDK's typed exceptions (Azure, GCS), trust of a PEM CA bundle, cutting listing
 * pages to the size asked for when a service returns more (S3, MinIO), and the reading of a
 * location's config values ({@link io.kbackup.spi.support.LocationConfig}). For
 * {@link io.kbackup.spi.KeyProvider}s that call a key service, the base of their builders
 * ({@link io.kbackup.spi.support.KeyServiceBuilder}). Stable enough for third-party providers to use.
 */
package io.kbackup.spi.support;
