package io.kbackup.storage.gcs;

import java.util.Set;

/**
 * The keys a {@code gcs} {@link io.kbackup.BackupLocation} accepts in its
 * {@link io.kbackup.BackupLocation#config() config}. Names follow Velero's GCP plugin
 * ({@code velero-plugin-for-gcp}) where it has one.
 *
 * <pre>{@code
 * BackupLocation location = BackupLocation.gcs("team-backups")
 *         .config(GcsConfig.PROJECT, "my-project")
 *         .config(GcsConfig.KMS_KEY_NAME, "projects/p/locations/eu/keyRings/r/cryptoKeys/k")
 *         .build();
 * }</pre>
 */
public final class GcsConfig {

    /** The Google Cloud project (billing/quota project for requests). Optional for object access. */
    public static final String PROJECT = "project";

    /**
     * A Cloud KMS key that encrypts uploaded objects (Velero's key), e.g.
     * {@code projects/P/locations/L/keyRings/R/cryptoKeys/K}. Default: the bucket's default encryption.
     */
    public static final String KMS_KEY_NAME = "kmsKeyName";

    /**
     * Path of a service-account key file (Velero's key), used when the location's credentials are
     * application default credentials. {@link io.kbackup.Credentials#gcsServiceAccountJson} is the
     * way to pass the key's content instead.
     */
    public static final String CREDENTIALS_FILE = "credentialsFile";

    /**
     * Accepted so Velero's configuration can be reused (Velero signs download URLs with it); not
     * used by kbackup.
     */
    public static final String SERVICE_ACCOUNT = "serviceAccount";

    /**
     * Bytes a streaming upload sends per request of its resumable session, and so about the most a
     * writer holds in memory: a multiple of 256 KiB, at least 256 KiB and at most 256 MiB. Default
     * {@value #DEFAULT_CHUNK_SIZE} (16 MiB, the client library's default).
     */
    public static final String CHUNK_SIZE_BYTES = "chunkSizeBytes";

    /** Default of {@link #CHUNK_SIZE_BYTES}. */
    public static final int DEFAULT_CHUNK_SIZE = 16 * 1024 * 1024;
    /** The granularity GCS resumable uploads require. */
    public static final int CHUNK_GRANULARITY = 256 * 1024;
    /** Largest {@link #CHUNK_SIZE_BYTES}. */
    public static final int MAX_CHUNK_SIZE = 256 * 1024 * 1024;

    /** Every key above. */
    public static final Set<String> KEYS = Set.of(PROJECT, KMS_KEY_NAME, CREDENTIALS_FILE, SERVICE_ACCOUNT,
            CHUNK_SIZE_BYTES);

    private GcsConfig() {}
}
