/**
 * Small helpers for {@link io.kbackup.spi.StorageProvider} implementations: trust of a PEM CA
 * bundle, and cutting listing pages to the size asked for when a service returns more. Shared by
 * the S3 and MinIO providers; stable enough for third-party providers to use.
 */
package io.kbackup.spi.support;
