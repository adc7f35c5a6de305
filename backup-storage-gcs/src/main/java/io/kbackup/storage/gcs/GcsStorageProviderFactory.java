package io.kbackup.storage.gcs;

import io.kbackup.BackupLocation;
import io.kbackup.spi.support.SimpleStorageProviderFactory;
import io.kbackup.storage.gcs.internal.GcsSettings;
import io.kbackup.storage.gcs.internal.GcsStorageProvider;

/**
 * The {@code gcs} storage provider: a Google Cloud Storage bucket, found by
 * {@link java.util.ServiceLoader} when {@code io.kbackup:backup-storage-gcs} is on the class path.
 *
 * <p>Location fields: {@link BackupLocation#bucket()} is the bucket; {@link GcsConfig#PROJECT} the
 * project; {@link BackupLocation#endpoint()} overrides the JSON API host (an emulator such as
 * fake-gcs-server). Credentials: {@link io.kbackup.Credentials.GcsServiceAccountJson a
 * service-account key}, {@link io.kbackup.Credentials.GcsApplicationDefault application default
 * credentials} (the default of {@link BackupLocation#gcs}: GKE workload identity, the metadata
 * server, {@code GOOGLE_APPLICATION_CREDENTIALS}, or {@link GcsConfig#CREDENTIALS_FILE}), or
 * {@link io.kbackup.Credentials.None none} for an emulator.
 *
 * <pre>{@code
 * BackupLocation location = BackupLocation.gcs("team-backups")
 *         .credentials(Credentials.gcsServiceAccountJson(Files.readString(keyFile)))
 *         .build();
 * ValidationResult check = location.validate();
 * }</pre>
 *
 * <p>{@link #create} reads a service-account key but contacts nothing; application default
 * credentials are looked up on first use. Thread-safe; stateless.
 */
public final class GcsStorageProviderFactory extends SimpleStorageProviderFactory {

    /** The provider id, {@value}. */
    public static final String ID = "gcs";

    /**
     * For {@link java.util.ServiceLoader}. Makes providers without contacting Google; {@code
     * create} throws {@link io.kbackup.InvalidPlanException} for a location that is not {@code
     * gcs}, an invalid setting, credentials of another cloud, or a malformed key.
     */
    public GcsStorageProviderFactory() {
        super(ID, GcsConfig.KEYS, location -> GcsStorageProvider.create(GcsSettings.from(location)));
    }
}
