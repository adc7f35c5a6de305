package io.kbackup.core.internal;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.core.internal.kube.KubeRetry;
import io.kbackup.core.internal.layout.ArchiveReader;
import io.kbackup.spi.StorageProviders;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * What the internals of both engines work with, built by the engine from its own public options
 * ({@code DirectEngine} from {@code DirectOptions}, {@code VeleroEngine} from {@code VeleroOptions}
 * with {@link #DEFAULT_BACKUP}, {@link #DEFAULT_RESTORE} and {@link #DEFAULT_SNAPSHOTS}). Each
 * collaborator is handed the parts it needs. Immutable.
 *
 * @param client    the cluster
 * @param providers where storage providers come from
 * @param clock     names, timestamps and expiry
 * @param retry     the retry policy of Kubernetes API calls
 * @param backup    how backups list and write
 * @param restore   how restores read and apply
 * @param snapshots how backups that include all disks take CSI snapshots
 */
public record EngineContext(KubernetesClient client, StorageProviders providers, Clock clock, KubeRetry retry, Backup backup,
        Restore restore, Snapshots snapshots) {

    /**
     * Backup settings.
     *
     * @param pageSize         items per list page
     * @param listConcurrency  resource types listed at once
     * @param compressionLevel gzip level of the tarball
     * @param maintenanceLabel the node label that marks maintenance mode
     */
    public record Backup(int pageSize, int listConcurrency, int compressionLevel, String maintenanceLabel) {}

    /**
     * Restore settings.
     *
     * @param concurrency         items applied at once within a tier
     * @param crdEstablishTimeout how long restored CRDs are waited for
     * @param limits              sizes that make an archive refused
     * @param requireManifest     whether a backup without an integrity manifest is refused
     */
    public record Restore(int concurrency, Duration crdEstablishTimeout, ArchiveReader.Limits limits, boolean requireManifest) {}

    /**
     * CSI snapshot settings of backups that include all disks.
     *
     * @param skipVolumesWithoutClass true: a volume whose driver has no class is skipped with a warning; false: the backup is refused
     * @param strictDeletionPolicy    whether a class that does not retain its snapshots refuses the backup
     * @param readyTimeout            how long each snapshot is waited for
     * @param concurrency             snapshots in flight at once
     */
    public record Snapshots(boolean skipVolumesWithoutClass, boolean strictDeletionPolicy, Duration readyTimeout, int concurrency) {}

    // the defaults of DirectOptions' builder, and what the VeleroEngine's own reads and previews use
    /** Retries of Kubernetes API calls. */
    public static final KubeRetry DEFAULT_RETRY = new KubeRetry(5, Duration.ofMillis(200));
    /** Backup defaults. */
    public static final Backup DEFAULT_BACKUP = new Backup(500, 4, java.util.zip.Deflater.BEST_SPEED, "kbackup.io/maintenance");
    /** Restore defaults. */
    public static final Restore DEFAULT_RESTORE = new Restore(16, Duration.ofSeconds(60), ArchiveReader.Limits.DEFAULTS, false);
    /** Snapshot defaults. */
    public static final Snapshots DEFAULT_SNAPSHOTS = new Snapshots(false, false, Duration.ofMinutes(10), 8);

    public EngineContext {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(providers, "providers");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(backup, "backup");
        Objects.requireNonNull(restore, "restore");
        Objects.requireNonNull(snapshots, "snapshots");
    }
}
