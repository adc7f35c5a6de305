package io.kbackup.core.velero;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupHandle;
import io.kbackup.BackupInProgressException;
import io.kbackup.BackupLocation;
import io.kbackup.BackupLockedException;
import io.kbackup.BackupPlan;
import io.kbackup.ClientListener;
import io.kbackup.Encryption;
import io.kbackup.InvalidPlanException;
import io.kbackup.KBackupException;
import io.kbackup.NotFoundException;
import io.kbackup.OperationTimeoutException;
import io.kbackup.RestoreHandle;
import io.kbackup.RestoreInfo;
import io.kbackup.RestorePlan;
import io.kbackup.RestorePreview;
import io.kbackup.core.internal.ApiBoundary;
import io.kbackup.core.internal.BucketReadingEngine;
import io.kbackup.core.internal.EngineContext;
import io.kbackup.core.internal.TrackedOperation;
import io.kbackup.core.internal.catalog.BackupCatalog;
import io.kbackup.core.internal.layout.BucketLayout;
import io.kbackup.core.internal.restore.RestoreRunner;
import io.kbackup.core.internal.snapshot.SnapshotCleanup;
import io.kbackup.core.internal.velero.DeleteBackupRequests;
import io.kbackup.core.internal.velero.LocationMapping;
import io.kbackup.core.internal.velero.OperationTracker;
import io.kbackup.core.internal.velero.RestoreResults;
import io.kbackup.core.internal.velero.VeleroCluster;
import io.kbackup.core.internal.velero.VeleroKind;
import io.kbackup.core.internal.velero.VeleroObjects;
import io.kbackup.core.internal.velero.VeleroStatus;
import io.kbackup.spi.StorageProvider;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine that hands the work to a Velero server already running in the cluster: the same
 * {@link BackupPlan}, {@link RestorePlan} and {@link BackupLocation} become Velero's
 * {@code velero.io/v1} objects, and their progress comes back through a watch.
 *
 * <ul>
 * <li>A {@link BackupLocation} becomes a {@code BackupStorageLocation} of the same name and, for
 *     static credentials, a Secret {@code kbackup-<location>-credentials} in the format of
 *     Velero's provider plugin (aws credentials file; azure {@code AZURE_*} env file; gcp
 *     service-account JSON), created or updated only when they differ. A BackupStorageLocation of
 *     that name that kbackup did not create is used as it is when it points to the same bucket and
 *     prefix, and refused otherwise. Local-folder locations cannot be used (Velero cannot see this
 *     machine's files).</li>
 * <li>{@link #backup(BackupPlan)} creates a {@code Backup}; {@link #schedule(BackupPlan)} a
 *     {@code Schedule} (named after the plan's prefix); {@link #restore(RestorePlan)} a
 *     {@code Restore}; {@link #deleteBackup(BackupLocation, String)} a
 *     {@code DeleteBackupRequest}. Each carries {@code kbackup.io/plan} or Velero's own labels.</li>
 * <li>{@link #listBackups(BackupLocation)} and {@link #describeBackup(BackupLocation, String)}
 *     read the bucket with the same code as the DirectEngine, so they work without the cluster
 *     (they need the storage provider of the location on the class path).</li>
 * <li>{@link #preview(RestorePlan)}: Velero has no dry run; the preview is the SDK's own, from the
 *     bucket and the cluster, as the DirectEngine computes it (Velero restores in the same way).</li>
 * </ul>
 *
 * <p>Errors: {@link VeleroNotInstalledException} when the cluster does not serve
 * {@code velero.io/v1}; {@link VeleroLocationUnavailableException} when Velero reports the
 * location {@code Unavailable}; a backup or restore that Velero refuses ends
 * {@code FailedValidation} with Velero's validation errors as its failure reason; an
 * {@link OperationTimeoutException} from the handle when no Velero server picks the work up
 * within {@link VeleroOptions#pickupTimeout()}.
 *
 * <pre>{@code
 * try (BackupClient kbackup = KBackup.velero(kubernetesClient)) {
 *     BackupInfo info = kbackup.backup(plan).await(Duration.ofMinutes(30));
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} stops its watches; it does not close the client, and work
 * already handed to Velero goes on.
 */
public final class VeleroEngine extends BucketReadingEngine {
    private static final Logger LOG = LoggerFactory.getLogger(VeleroEngine.class);

    private final VeleroOptions options;
    private final VeleroCluster cluster;
    private final OperationTracker tracker;
    private final RestoreRunner previews;
    private final VeleroObjects.BackupSettings settings;

    /** An engine for the cluster of {@code client}, with Velero in {@code options.namespace()}. */
    public VeleroEngine(KubernetesClient client, VeleroOptions options) {
        this(client, options, context(client, options));
    }

    private VeleroEngine(KubernetesClient client, VeleroOptions options, EngineContext context) {
        super(options.storageProviders(), new SnapshotCleanup(client, context.retry()), options.clock());
        this.options = options;
        this.cluster = new VeleroCluster(client, options.namespace());
        this.tracker = new OperationTracker(cluster, options.pickupTimeout());
        this.previews = new RestoreRunner(context);
        this.settings = new VeleroObjects.BackupSettings(options.fileSystemBackup(), options.approximateEveryTwoWeeks());
    }

    /** What the bucket reads and the preview get: the SDK's defaults, Velero does the work. */
    private static EngineContext context(KubernetesClient client, VeleroOptions options) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(options, "options");
        return new EngineContext(client, options.storageProviders(), options.clock(), EngineContext.DEFAULT_RETRY,
                EngineContext.DEFAULT_BACKUP, EngineContext.DEFAULT_RESTORE, EngineContext.DEFAULT_SNAPSHOTS);
    }

    /** The options it was built with. */
    public VeleroOptions options() {
        return options;
    }

    /**
     * Creates a Velero {@code Backup} of the plan now (whatever its schedule says), named
     * {@code plan.backupNameAt(now)}, after making sure the location exists in Velero.
     *
     * @throws InvalidPlanException               when Velero cannot use the plan's location, or the name is taken
     * @throws VeleroNotInstalledException        when Velero is not installed
     * @throws VeleroLocationUnavailableException when Velero reports the location Unavailable
     */
    @Override
    public BackupHandle backup(BackupPlan plan) {
        return ApiBoundary.call("backup", () -> backup0(plan));
    }

    private BackupHandle backup0(BackupPlan plan) {
        Objects.requireNonNull(plan, "plan");
        LocationMapping.map(plan.location(), options.namespace());
        cluster.requireInstalled();
        cluster.ensureLocation(plan.location(), options.locationValidationTimeout());
        String name = plan.backupNameAt(options.clock().instant());
        requireNotInBucket(plan.location(), name);
        GenericKubernetesResource created = cluster.create(VeleroObjects.backup(plan, name, options.namespace(), settings));
        String uid = created.getMetadata().getUid();
        LOG.info("Velero backup '{}' requested (location {})", name, plan.location().name());
        TrackedOperation.Backup handle = new TrackedOperation.Backup(name);
        listeners.backupStarted(handle, plan);
        tracker.trackBackup(handle, () -> uid);
        return handle;
    }

    /**
     * Creates or updates the Velero {@code Schedule} of a scheduled plan, named after the plan's
     * prefix, so that Velero runs it at the schedule's times (not at once) and names its backups
     * {@code <prefix>-<yyyyMMddHHmmss>}. Time zones other than UTC are passed as
     * {@code CRON_TZ=<zone>}. {@code Schedule.everyTwoWeeks()} is refused unless
     * {@link VeleroOptions#approximateEveryTwoWeeks()} is set (then {@code @every 336h}).
     *
     * @return the Schedule's name (the plan's prefix)
     * @throws InvalidPlanException when the plan has no schedule or prefix, or the schedule cannot be expressed
     */
    public String schedule(BackupPlan plan) {
        return ApiBoundary.call("schedule", () -> schedule0(plan));
    }

    private String schedule0(BackupPlan plan) {
        Objects.requireNonNull(plan, "plan");
        GenericKubernetesResource schedule = VeleroObjects.schedule(plan, options.namespace(), settings);
        cluster.requireInstalled();
        cluster.ensureLocation(plan.location(), options.locationValidationTimeout());
        cluster.createOrUpdateSpec(schedule);
        LOG.info("Velero schedule '{}' set to '{}'", schedule.getMetadata().getName(),
                VeleroObjects.cronExpression(plan.schedule(), settings));
        return schedule.getMetadata().getName();
    }

    /**
     * Deletes the Velero {@code Schedule} named {@code name} (a plan's prefix); its backups stay.
     *
     * @return whether there was one
     */
    public boolean unschedule(String name) {
        return ApiBoundary.call("unschedule", () -> unschedule0(name));
    }

    private boolean unschedule0(String name) {
        Objects.requireNonNull(name, "name");
        cluster.requireInstalled();
        return cluster.delete(VeleroKind.SCHEDULE, name);
    }

    /**
     * Deletes a backup through Velero: a {@code DeleteBackupRequest}, then waits (at most
     * {@link VeleroOptions#deleteTimeout()}) for Velero to process it, which removes the backup's
     * objects from the bucket, its snapshots and its Backup object. A backup that is in the bucket
     * but unknown to this cluster's Velero (not synced yet, or taken elsewhere) is deleted from the
     * bucket directly, as the DirectEngine does. So is a backup kbackup encrypted (its Backup carries
     * {@value io.kbackup.Encryption#LABEL}), then its Backup object: Velero cannot delete one (its
     * delete item actions unpack the tarball first, and its DeleteBackupRequest ends with "error
     * invoking delete item actions", every object left in place and the Backup left {@code Deleting}).
     *
     * @throws NotFoundException           when neither Velero nor the bucket has the backup
     * @throws BackupLockedException       when the backup's objects are under object lock (checked
     *                                     before Velero is asked, so nothing is deleted)
     * @throws KBackupException            with Velero's errors when it could not delete it
     * @throws OperationTimeoutException   when Velero did not process the request in time
     */
    @Override
    public void deleteBackup(BackupLocation location, String backupName) {
        ApiBoundary.run("deleteBackup", () -> deleteBackup0(location, backupName));
    }

    private void deleteBackup0(BackupLocation location, String backupName) {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(backupName, "backupName");
        LocationMapping.map(location, options.namespace());
        cluster.requireInstalled();
        GenericKubernetesResource backup = cluster.get(VeleroKind.BACKUP, backupName);
        if (backup == null || !location.name().equals(VeleroStatus.text(VeleroStatus.tree(backup).path("spec").path("storageLocation")))) {
            catalog.delete(location, backupName);
            return;
        }
        if (backup.getMetadata().getLabels() != null && backup.getMetadata().getLabels().containsKey(Encryption.LABEL)) {
            // the bucket first: while the folder is there, Velero's backup sync would bring the Backup back
            catalog.delete(location, backupName);
            cluster.delete(VeleroKind.BACKUP, backupName);
            LOG.info("Deleted encrypted backup '{}' from the bucket and its Velero Backup (Velero cannot delete it)", backupName);
            return;
        }
        // Velero would delete a locked backup's objects only in appearance (delete markers on S3): refuse first
        catalog.refuseIfLocked(location, backupName);
        DeleteBackupRequests.deleteAndWait(cluster, backupName, backup.getMetadata().getUid(), options.deleteTimeout());
        LOG.info("Velero deleted backup '{}'", backupName);
    }

    /**
     * Creates a Velero {@code Restore} of the plan, named {@code plan.restoreNameAt(now)}. When the
     * backup is in the bucket but Velero does not know it yet (taken by the DirectEngine or another
     * cluster), the Restore is created once Velero's backup sync brings it in (at most
     * {@link VeleroOptions#syncTimeout()}).
     *
     * @throws NotFoundException                  when neither Velero nor the bucket has the backup
     * @throws InvalidPlanException               when Velero cannot use the location, or Velero's backup of that name is in another location
     * @throws VeleroNotInstalledException        when Velero is not installed
     * @throws VeleroLocationUnavailableException when Velero reports the location Unavailable
     */
    @Override
    public RestoreHandle restore(RestorePlan plan) {
        return ApiBoundary.call("restore", () -> restore0(plan));
    }

    /** Velero cannot decrypt a backup kbackup encrypted on the client. */
    private static InvalidPlanException encryptedForVelero(String backup) {
        return new InvalidPlanException("Backup '" + backup + "' was encrypted on the client by kbackup (label "
                + io.kbackup.Encryption.LABEL + "): Velero lists it but cannot restore it. Restore it with the DirectEngine"
                + " (KBackup.direct) and its key provider.");
    }

    private RestoreHandle restore0(RestorePlan plan) {
        Objects.requireNonNull(plan, "plan");
        VeleroObjects.refuseUnsupported(plan, options.namespace());
        if (plan.prunes()) {
            throw new io.kbackup.InvalidPlanException("RestorePlan prune (reset) is not supported by the VeleroEngine: Velero"
                    + " restores never delete. Run the reset with the DirectEngine (KBackup.direct) on the same location.");
        }
        LocationMapping.map(plan.location(), options.namespace());
        cluster.requireInstalled();
        cluster.ensureLocation(plan.location(), options.locationValidationTimeout());
        String name = plan.restoreNameAt(options.clock().instant());
        GenericKubernetesResource restore = VeleroObjects.restore(plan, name, options.namespace());
        TrackedOperation.Restore handle = new TrackedOperation.Restore(name);
        GenericKubernetesResource backup = cluster.get(VeleroKind.BACKUP, plan.backupName());
        if (backup != null) {
            requireSameLocation(plan, backup);
            Map<String, String> backupLabels = backup.getMetadata().getLabels();
            if (backupLabels != null && backupLabels.containsKey(io.kbackup.Encryption.LABEL)) {
                throw encryptedForVelero(plan.backupName());
            }
            cluster.create(restore);
            listeners.restoreStarted(handle, plan);
            tracker.trackRestore(handle, node -> restoreInfo(plan, node));
            return handle;
        }
        try {
            if (catalog.describe(plan.location(), plan.backupName()).encrypted()) {
                throw encryptedForVelero(plan.backupName());
            }
        } catch (NotFoundException | InvalidPlanException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.debug("Could not check the bucket for backup '{}' ({}); waiting for Velero's sync", plan.backupName(), e.toString());
        }
        LOG.info("Backup '{}' is in the bucket but not yet in Velero; restore '{}' waits for Velero's backup sync",
                plan.backupName(), name);
        listeners.restoreStarted(handle, plan);
        cluster.watcher(VeleroKind.BACKUP).until(plan.backupName(), r -> true, false)
                .orTimeout(options.syncTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenCompleteAsync((synced, error) -> {
                    if (error != null) {
                        handle.completeExceptionally(new OperationTimeoutException("Velero has not synced backup '"
                                + plan.backupName() + "' from location '" + plan.location().name() + "' within "
                                + options.syncTimeout() + " (it syncs every backupSyncPeriod, 1 minute by default); restore '"
                                + name + "' was not created. Try again later, or check that Velero's server runs."));
                        return;
                    }
                    try {
                        requireSameLocation(plan, synced);
                        if (handle.cancelRequested()) {
                            handle.complete(restoreInfo(plan, VeleroStatus.tree(restore)));
                            return;
                        }
                        cluster.create(restore);
                        tracker.trackRestore(handle, node -> restoreInfo(plan, node));
                    } catch (RuntimeException e) {
                        handle.completeExceptionally(e);
                    }
                });
        return handle;
    }

    /** The SDK's own preview (Velero has none), computed as the DirectEngine does. */
    @Override
    public RestorePreview preview(RestorePlan plan) {
        Objects.requireNonNull(plan, "plan");
        return ApiBoundary.call("preview", () -> previews.preview(plan));
    }

    /**
     * Listeners hear of the backups and restores this engine hands to Velero: phase changes and
     * progress as Velero reports them through the watch, and the end; Velero does not report single
     * item errors as they happen (they are in the results once it ends).
     */
    @Override
    public void addListener(ClientListener listener) {
        super.addListener(listener);
    }

    /**
     * Stops the engine's watches. Work already handed to Velero goes on; handles still open end
     * with a {@link KBackupException} saying so.
     */
    @Override
    public void close() {
        tracker.abandonAll();
        cluster.close();
        previews.close();
    }

    /**
     * Refuses a name the bucket already has: a finished backup, or one being written (a DirectEngine
     * run's claim or progress record, or leftovers not yet reclaimed). Velero's server writes the
     * backup itself, without a claim, when the backup ends; this check before the Backup is created
     * is all kbackup can do, so a DirectEngine starting the same name while Velero still runs is
     * not stopped by it (its claim check sees nothing yet): give the two engines different prefixes.
     */
    private void requireNotInBucket(BackupLocation location, String name) {
        Optional<BackupCatalog.Unfinished> unfinished;
        try {
            unfinished = catalog.unfinished(location, name);
            if (unfinished.isEmpty()) {
                catalog.describe(location, name);
            }
        } catch (NotFoundException e) {
            return;
        } catch (RuntimeException e) {
            LOG.debug("Could not check the bucket for a backup named '{}' ({}); Velero will", name, e.toString());
            return;
        }
        if (unfinished.isPresent()) {
            throw new BackupInProgressException(name, "The backup name '" + name + "' in location '" + location.name()
                    + "' is held by a backup being written (" + unfinished.get().state() + ", since " + unfinished.get().since()
                    + "); no Velero Backup was created. Wait for it to finish or use another name; deleteBackup removes the"
                    + " leftovers of one whose writer is gone.");
        }
        throw new InvalidPlanException("A backup named '" + name + "' already exists in location '" + location.name()
                + "'; choose another name or prefix, or delete that backup first.");
    }

    private static void requireSameLocation(RestorePlan plan, GenericKubernetesResource backup) {
        String location = VeleroStatus.text(VeleroStatus.tree(backup).path("spec").path("storageLocation"));
        if (location != null && !location.equals(plan.location().name())) {
            throw new InvalidPlanException("Velero's backup '" + plan.backupName() + "' is in location '" + location
                    + "', not '" + plan.location().name() + "'; restore it with that location.");
        }
    }

    private RestoreInfo restoreInfo(RestorePlan plan, JsonNode restore) {
        RestoreResults results = RestoreResults.NONE;
        if (VeleroStatus.restorePhase(restore).isTerminal()) {
            try (StorageProvider storage = options.storageProviders().open(plan.location())) {
                results = RestoreResults.read(storage, new BucketLayout(plan.location()), VeleroStatus.text(restore.path("metadata").path("name")));
            } catch (RuntimeException e) {
                LOG.debug("Restore results not read from the bucket: {}", e.toString());
            }
        }
        return VeleroStatus.restoreInfo(restore, results);
    }
}
