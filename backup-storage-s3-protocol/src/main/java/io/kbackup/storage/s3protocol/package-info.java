/**
 * What the S3 protocol fixes whichever client library speaks it, shared by the {@code s3} (AWS SDK)
 * and {@code minio} (MinIO client) providers: the settings of a location and their Velero config
 * key names ({@link io.kbackup.storage.s3protocol.S3ProtocolKeys},
 * {@link io.kbackup.storage.s3protocol.S3LocationSettings}), the table of S3 error codes and the
 * typed exceptions and validation problems they map to
 * ({@link io.kbackup.storage.s3protocol.S3ErrorTable}), and keys and ETags
 * ({@link io.kbackup.storage.s3protocol.S3Keys}). No third-party dependency. For the providers'
 * own use: it may change with them.
 */
package io.kbackup.storage.s3protocol;
