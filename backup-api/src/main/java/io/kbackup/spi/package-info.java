/**
 * The storage provider SPI: how kbackup stores blobs without knowing the backup format. A provider
 * implements {@link io.kbackup.spi.StorageProvider} (put, get, head, list, delete of opaque blobs,
 * streaming uploads through {@link io.kbackup.spi.BlobWriter}) and registers a
 * {@link io.kbackup.spi.StorageProviderFactory} for {@link java.util.ServiceLoader}
 * ({@code META-INF/services} and {@code provides} in its module-info). Applications find providers
 * with {@link io.kbackup.spi.StorageProviders}, which is where to start; the test kit's
 * {@code StorageProviderContract} is what a new provider must pass.
 */
package io.kbackup.spi;
