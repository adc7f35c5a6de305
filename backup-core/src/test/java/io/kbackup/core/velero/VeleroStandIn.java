package io.kbackup.core.velero;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPlan;
import io.kbackup.ExistingResourcePolicy;
import io.kbackup.RestoreInfo;
import io.kbackup.RestorePlan;
import io.kbackup.core.direct.DirectEngine;
import io.kbackup.core.direct.DirectOptions;
import io.kbackup.core.internal.layout.BucketLayout;
import io.kbackup.core.internal.layout.GoDuration;
import io.kbackup.core.internal.layout.GzipJson;
import io.kbackup.core.internal.layout.VeleroKeys;
import io.kbackup.core.internal.layout.VeleroValues;
import io.kbackup.core.internal.velero.VeleroKind;
import io.kbackup.core.internal.velero.VeleroStatus;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviders;
import io.kbackup.testkit.velero.CrdSchemaValidator;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays the Velero server in tests, on an embedded cluster with Velero's CRDs: validates
 * BackupStorageLocations (Available when the bucket opens, or Unavailable when told), syncs
 * backups from their buckets into Backup objects (as Velero's backup sync does), carries out
 * Backups with the DirectEngine into the location's bucket (New -> InProgress -> Completed, or
 * FailedValidation as Velero's validation does), Restores with the DirectEngine's restore, and
 * DeleteBackupRequests with the catalog's delete. Work runs one item at a time, as in Velero.
 * Every status it writes is checked against the CRD schema.
 */
final class VeleroStandIn implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VeleroStandIn.class);
    private static final Duration SYNC_PERIOD = Duration.ofMillis(200);

    private final KubernetesClient client;
    private final String namespace;
    private final StorageProviders providers;
    private final DirectEngine direct;
    private final ExecutorService work = Executors.newSingleThreadExecutor(r -> daemon(r, "velero-standin-work"));
    private final ScheduledExecutorService syncTimer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "velero-standin-sync"));
    private final List<SharedIndexInformer<GenericKubernetesResource>> informers = new ArrayList<>();
    private final Set<String> taken = ConcurrentHashMap.newKeySet();
    private final Map<String, String> unavailable = new ConcurrentHashMap<>();
    private final Map<String, String> validatedSpecs = new ConcurrentHashMap<>();
    private volatile List<String> validationErrors = List.of();
    private volatile boolean closed;
    private volatile List<String> restoreValidationErrors = List.of();

    VeleroStandIn(KubernetesClient client, String namespace, StorageProviders providers) {
        this.client = client;
        this.namespace = namespace;
        this.providers = providers;
        this.direct = new DirectEngine(client, DirectOptions.builder().storageProviders(providers).build());
    }

    /** Creates Velero's six CRDs in the cluster (from the copies bundled in the test kit). */
    static void installCrds(KubernetesClient client) {
        for (CustomResourceDefinition crd : CrdSchemaValidator.veleroCrds()) {
            client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
        }
    }

    /** From now on, the location {@code name} fails validation with {@code message}. */
    VeleroStandIn unavailable(String name, String message) {
        unavailable.put(name, message);
        return this;
    }

    /** From now on, the location {@code name} validates normally again. */
    VeleroStandIn available(String name) {
        unavailable.remove(name);
        return this;
    }

    /** From now on, every Backup fails validation with these errors (empty: none). */
    VeleroStandIn failValidation(String... errors) {
        this.validationErrors = List.of(errors);
        return this;
    }

    /** From now on, every Restore fails validation with these errors (empty: none). */
    VeleroStandIn failRestoreValidation(String... errors) {
        this.restoreValidationErrors = List.of(errors);
        return this;
    }

    /** Starts watching; returns once the watches are established. */
    VeleroStandIn start() {
        inform(VeleroKind.BACKUP_STORAGE_LOCATION, r -> submit(() -> validateLocation(r.getMetadata().getName())));
        inform(VeleroKind.BACKUP, r -> {
            if (isNew(r) && taken.add("backup/" + r.getMetadata().getName())) {
                submit(() -> runBackup(r.getMetadata().getName()));
            }
        });
        inform(VeleroKind.RESTORE, r -> {
            if (isNew(r) && taken.add("restore/" + r.getMetadata().getName())) {
                submit(() -> runRestore(r.getMetadata().getName()));
            }
        });
        inform(VeleroKind.DELETE_BACKUP_REQUEST, r -> {
            if (isNew(r) && taken.add("dbr/" + r.getMetadata().getName())) {
                submit(() -> runDelete(r.getMetadata().getName()));
            }
        });
        syncTimer.scheduleWithFixedDelay(() -> submit(this::syncBackups), SYNC_PERIOD.toMillis(), SYNC_PERIOD.toMillis(),
                TimeUnit.MILLISECONDS);
        return this;
    }

    private void submit(Runnable task) {
        if (closed) {
            return;
        }
        try {
            work.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    if (!closed) {
                        LOG.warn("stand-in task failed", e);
                    }
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed
        }
    }

    private void inform(VeleroKind kind, Consumer<GenericKubernetesResource> onChange) {
        informers.add(client.genericKubernetesResources(kind.context()).inNamespace(namespace).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(GenericKubernetesResource obj) {
                onChange.accept(obj);
            }

            @Override
            public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
                onChange.accept(newObj);
            }

            @Override
            public void onDelete(GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {}
        }, 0));
    }

    // ---- locations and sync

    private void validateLocation(String name) {
        GenericKubernetesResource bsl = get(VeleroKind.BACKUP_STORAGE_LOCATION, name);
        if (bsl == null) {
            return;
        }
        String phase = "Available";
        String message = null;
        if (unavailable.containsKey(name)) {
            phase = "Unavailable";
            message = unavailable.get(name);
        } else {
            try (StorageProvider storage = providers.open(location(bsl))) {
                if (!storage.validate().isOk()) {
                    phase = "Unavailable";
                    message = storage.validate().toString();
                }
            } catch (RuntimeException e) {
                phase = "Unavailable";
                message = e.getMessage();
            }
        }
        JsonNode status = VeleroStatus.tree(bsl).path("status");
        String spec = VeleroStatus.tree(bsl).path("spec").toString() + "|" + secretVersion(bsl);
        // as Velero, a location without lastValidationTime (never validated, or cleared to ask for it) is validated
        if (phase.equals(status.path("phase").asText(null)) && (message == null || message.equals(status.path("message").asText(null)))
                && spec.equals(validatedSpecs.get(name)) && status.hasNonNull("lastValidationTime")) {
            return;
        }
        validatedSpecs.put(name, spec);
        Map<String, Object> st = new LinkedHashMap<>();
        st.put("phase", phase);
        if (message != null) {
            st.put("message", message);
        }
        st.put("lastValidationTime", Instant.now().toString());
        setStatus(VeleroKind.BACKUP_STORAGE_LOCATION, name, st);
    }

    /** Velero's backup sync: every backup in an Available location's bucket that the cluster lacks becomes a Backup object. */
    private void syncBackups() {
        for (GenericKubernetesResource bsl : client.genericKubernetesResources(VeleroKind.BACKUP_STORAGE_LOCATION.context())
                .inNamespace(namespace).list().getItems()) {
            if (!"Available".equals(VeleroStatus.tree(bsl).path("status").path("phase").asText(null))) {
                continue;
            }
            BackupLocation location = location(bsl);
            BucketLayout layout = new BucketLayout(location);
            try (StorageProvider storage = providers.open(location)) {
                for (String prefix : storage.listPrefixes(layout.backupsPrefix(), "/")) {
                    String name = layout.backupNameOf(prefix + "x");
                    if (name == null || get(VeleroKind.BACKUP, name) != null || !storage.exists(layout.backupJson(name))) {
                        continue;
                    }
                    JsonNode doc = GzipJson.MAPPER.readTree(storage.getBytes(layout.backupJson(name)));
                    GenericKubernetesResource synced = GzipJson.MAPPER.treeToValue(doc, GenericKubernetesResource.class);
                    ObjectMeta meta = synced.getMetadata();
                    meta.setNamespace(namespace);
                    meta.setResourceVersion(null);
                    meta.setUid(null);
                    Map<String, String> labels = meta.getLabels() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(meta.getLabels());
                    labels.put("velero.io/storage-location", bsl.getMetadata().getName());
                    meta.setLabels(labels);
                    taken.add("backup/" + name);
                    client.genericKubernetesResources(VeleroKind.BACKUP.context()).inNamespace(namespace).resource(synced).create();
                    LOG.info("stand-in synced backup {} from location {}", name, bsl.getMetadata().getName());
                }
            } catch (Exception e) {
                if (closed) {
                    return;
                }
                LOG.warn("stand-in sync of {} failed: {}", bsl.getMetadata().getName(), e.toString());
            }
        }
    }

    // ---- backups

    private void runBackup(String name) {
        GenericKubernetesResource backup = get(VeleroKind.BACKUP, name);
        JsonNode spec = VeleroStatus.tree(backup).path("spec");
        String locationName = spec.path("storageLocation").asText("default");
        GenericKubernetesResource bsl = get(VeleroKind.BACKUP_STORAGE_LOCATION, locationName);
        List<String> errors = new ArrayList<>(validationErrors);
        if (bsl == null) {
            errors.add("an existing backup storage location wasn't specified at backup creation time and the default '"
                    + locationName + "' wasn't found. Please address this issue (see `velero backup-location -h` for options)"
                    + " and create a new backup. Error: BackupStorageLocation.velero.io \"" + locationName + "\" not found");
        } else if ("Unavailable".equals(VeleroStatus.tree(bsl).path("status").path("phase").asText(null))) {
            errors.add("backup can't be created because BackupStorageLocation " + locationName + " is in Unavailable status.");
        }
        if (!errors.isEmpty()) {
            setStatus(VeleroKind.BACKUP, name, Map.of("phase", "FailedValidation", "validationErrors", errors,
                    "version", 1, "formatVersion", "1.1.0"));
            return;
        }
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        setStatus(VeleroKind.BACKUP, name, Map.of("phase", "InProgress", "startTimestamp", start.toString(),
                "version", 1, "formatVersion", "1.1.0"));
        BackupPlan.Builder plan = BackupPlan.builder().name(name).location(location(bsl));
        plan.includedNamespaces(strings(spec.path("includedNamespaces")).stream().filter(n -> !n.equals("*")).toList());
        plan.excludedNamespaces(strings(spec.path("excludedNamespaces")));
        plan.includedResources(strings(spec.path("includedResources")).toArray(String[]::new));
        plan.excludedResources(strings(spec.path("excludedResources")).toArray(String[]::new));
        plan.labelSelector(map(spec.path("labelSelector").path("matchLabels")));
        JsonNode icr = spec.path("includeClusterResources");
        plan.clusterWideMode(VeleroValues.clusterWideMode(icr.isBoolean() ? icr.asBoolean() : null));
        plan.includeAllDisks(spec.path("snapshotVolumes").asBoolean(false));
        if (spec.hasNonNull("ttl")) {
            plan.expiry(GoDuration.parse(spec.path("ttl").asText()));
        }
        Map<String, String> labels = new LinkedHashMap<>(backup.getMetadata().getLabels() == null ? Map.of()
                : backup.getMetadata().getLabels());
        labels.remove(VeleroKeys.STORAGE_LOCATION);
        plan.labels(labels);
        try {
            BackupInfo info = direct.backup(plan.build()).await(Duration.ofMinutes(1));
            Map<String, Object> st = new LinkedHashMap<>();
            st.put("phase", info.phase().veleroName());
            st.put("version", 1);
            st.put("formatVersion", "1.1.0");
            st.put("startTimestamp", start.toString());
            st.put("completionTimestamp", now());
            if (info.expires() != null) {
                st.put("expiration", info.expires().truncatedTo(ChronoUnit.SECONDS).toString());
            }
            st.put("progress", Map.of("totalItems", info.itemsTotal(), "itemsBackedUp", info.itemsBackedUp()));
            st.put("errors", info.errors());
            st.put("warnings", info.warnings());
            finish(VeleroKind.BACKUP, name, st, info.failureReason());
        } catch (RuntimeException e) {
            failed(VeleroKind.BACKUP, name, start, e);
        }
    }

    // ---- restores

    private void runRestore(String name) {
        JsonNode restore = VeleroStatus.tree(get(VeleroKind.RESTORE, name));
        JsonNode spec = restore.path("spec");
        String backupName = spec.path("backupName").asText();
        GenericKubernetesResource backup = get(VeleroKind.BACKUP, backupName);
        List<String> errors = new ArrayList<>(restoreValidationErrors);
        if (backup == null) {
            errors.add("Error retrieving backup: backups.velero.io \"" + backupName + "\" not found");
        }
        if (!errors.isEmpty()) {
            setStatus(VeleroKind.RESTORE, name, Map.of("phase", "FailedValidation", "validationErrors", errors));
            return;
        }
        String locationName = VeleroStatus.tree(backup).path("spec").path("storageLocation").asText("default");
        BackupLocation location = location(get(VeleroKind.BACKUP_STORAGE_LOCATION, locationName));
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        setStatus(VeleroKind.RESTORE, name, Map.of("phase", "InProgress", "startTimestamp", start.toString()));
        RestorePlan.Builder plan = RestorePlan.builder().location(location).backupName(backupName).restoreName(name)
                .includedNamespaces(strings(spec.path("includedNamespaces")).stream().filter(n -> !n.equals("*")).toList())
                .excludedNamespaces(strings(spec.path("excludedNamespaces")))
                .namespaceMapping(map(spec.path("namespaceMapping")))
                .labelSelector(map(spec.path("labelSelector").path("matchLabels")))
                .restorePersistentVolumes(spec.path("restorePVs").asBoolean(true))
                .preserveNodePorts(spec.path("preserveNodePorts").asBoolean(false))
                .existingResourcePolicy("update".equals(spec.path("existingResourcePolicy").asText())
                        ? ExistingResourcePolicy.UPDATE : ExistingResourcePolicy.NONE);
        JsonNode icr = spec.path("includeClusterResources");
        plan.clusterWideMode(VeleroValues.clusterWideMode(icr.isBoolean() ? icr.asBoolean() : null));
        try {
            RestoreInfo info = direct.restore(plan.build()).await(Duration.ofMinutes(1));
            Map<String, Object> st = new LinkedHashMap<>();
            st.put("phase", info.phase().veleroName());
            st.put("startTimestamp", start.toString());
            st.put("completionTimestamp", now());
            st.put("progress", Map.of("totalItems", info.itemsTotal(), "itemsRestored", info.itemsRestored()));
            st.put("errors", info.errors().size());
            st.put("warnings", info.warnings().size());
            finish(VeleroKind.RESTORE, name, st, info.failureReason());
        } catch (RuntimeException e) {
            failed(VeleroKind.RESTORE, name, start, e);
        }
    }

    /** Sets the status a finished run ends with: {@code status} and its failure reason, if any. */
    private void finish(VeleroKind kind, String name, Map<String, Object> status, String failureReason) {
        if (failureReason != null) {
            status.put("failureReason", failureReason);
        }
        setStatus(kind, name, status);
    }

    /** Sets the status of a run that threw. */
    private void failed(VeleroKind kind, String name, Instant start, RuntimeException e) {
        LOG.warn("stand-in {} {} failed", kind, name, e);
        setStatus(kind, name, Map.of("phase", "Failed", "failureReason", String.valueOf(e.getMessage()),
                "startTimestamp", start.toString(), "completionTimestamp", now()));
    }

    // ---- deletions

    private void runDelete(String name) {
        String backupName = VeleroStatus.tree(get(VeleroKind.DELETE_BACKUP_REQUEST, name)).path("spec").path("backupName").asText();
        setStatus(VeleroKind.DELETE_BACKUP_REQUEST, name, Map.of("phase", "InProgress"));
        GenericKubernetesResource backup = get(VeleroKind.BACKUP, backupName);
        if (backup == null) {
            setStatus(VeleroKind.DELETE_BACKUP_REQUEST, name, Map.of("phase", "Processed",
                    "errors", List.of("backup not found")));
            return;
        }
        String locationName = VeleroStatus.tree(backup).path("spec").path("storageLocation").asText("default");
        List<String> errors = new ArrayList<>();
        try {
            direct.deleteBackup(location(get(VeleroKind.BACKUP_STORAGE_LOCATION, locationName)), backupName);
            client.genericKubernetesResources(VeleroKind.BACKUP.context()).inNamespace(namespace).withName(backupName).delete();
        } catch (RuntimeException e) {
            errors.add(String.valueOf(e.getMessage()));
        }
        setStatus(VeleroKind.DELETE_BACKUP_REQUEST, name, errors.isEmpty() ? Map.of("phase", "Processed")
                : Map.of("phase", "Processed", "errors", errors));
    }

    // ---- helpers

    /** The resourceVersion of the BSL's credentials Secret, so that a rotated credential is validated again. */
    private String secretVersion(GenericKubernetesResource bsl) {
        String secret = VeleroStatus.tree(bsl).path("spec").path("credential").path("name").asText(null);
        if (secret == null) {
            return "";
        }
        var s = client.secrets().inNamespace(namespace).withName(secret).get();
        return s == null ? "" : s.getMetadata().getResourceVersion();
    }

    /** The SDK location a BackupStorageLocation stands for (aws is served by the test's s3 provider). */
    private static BackupLocation location(GenericKubernetesResource bsl) {
        JsonNode spec = VeleroStatus.tree(bsl).path("spec");
        String provider = spec.path("provider").asText().replace("velero.io/", "");
        return BackupLocation.builder().name(bsl.getMetadata().getName())
                .provider(provider.equals("aws") ? "s3" : provider)
                .bucket(spec.path("objectStorage").path("bucket").asText())
                .prefix(spec.path("objectStorage").path("prefix").asText(""))
                .build();
    }

    private GenericKubernetesResource get(VeleroKind kind, String name) {
        return client.genericKubernetesResources(kind.context()).inNamespace(namespace).withName(name).get();
    }

    private void setStatus(VeleroKind kind, String name, Map<String, Object> status) {
        GenericKubernetesResource updated = client.genericKubernetesResources(kind.context()).inNamespace(namespace).withName(name)
                .edit(r -> {
                    r.setAdditionalProperty("status", status);
                    return r;
                });
        CrdSchemaValidator.velero(kind.kind()).assertValid(updated);
    }

    private static boolean isNew(GenericKubernetesResource r) {
        String phase = VeleroStatus.tree(r).path("status").path("phase").asText("");
        return phase.isEmpty() || phase.equals("New");
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static Map<String, String> map(JsonNode object) {
        Map<String, String> out = new LinkedHashMap<>();
        object.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() {
        closed = true;
        syncTimer.shutdownNow();
        informers.forEach(SharedIndexInformer::close);
        work.shutdownNow();
        direct.close();
    }
}
