package io.kbackup.core.internal.velero;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kbackup.BackupLocation;
import io.kbackup.ClusterRefusedException;
import io.kbackup.InvalidPlanException;
import io.kbackup.core.velero.VeleroLocationUnavailableException;
import io.kbackup.core.velero.VeleroNotInstalledException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VeleroEngine's calls to the API server: the installation check, Velero objects by kind,
 * idempotent BackupStorageLocations and their Secrets, and the watchers. Thread-safe.
 */
public final class VeleroCluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VeleroCluster.class);
    private static final List<String> LOCATION_FIELDS = List.of("provider", "objectStorage", "config", "credential");

    private final KubernetesClient client;
    private final String namespace;
    private final Map<VeleroKind, ResourceWatcher> watchers = new LinkedHashMap<>();

    public VeleroCluster(KubernetesClient client, String namespace) {
        this.client = Objects.requireNonNull(client, "client");
        this.namespace = namespace;
        for (VeleroKind kind : VeleroKind.values()) {
            watchers.put(kind, new ResourceWatcher(client, kind, namespace));
        }
    }

    public String namespace() {
        return namespace;
    }

    public KubernetesClient client() {
        return client;
    }

    /** The watcher of a kind (one shared informer each). */
    public ResourceWatcher watcher(VeleroKind kind) {
        return watchers.get(kind);
    }

    /** Operations on one kind in Velero's namespace. */
    public NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> ops(
            VeleroKind kind) {
        return client.genericKubernetesResources(kind.context()).inNamespace(namespace);
    }

    /**
     * Checks that the API server serves Velero's kinds (discovery of {@code velero.io/v1}; the CRD
     * {@code backups.velero.io} as a fallback where discovery is not served).
     *
     * @throws VeleroNotInstalledException when it does not
     */
    public void requireInstalled() {
        boolean served = false;
        try {
            served = client.supports(VeleroKind.API_VERSION, VeleroKind.BACKUP.kind());
        } catch (KubernetesClientException e) {
            LOG.debug("Discovery of {} failed: {}", VeleroKind.API_VERSION, e.getMessage());
        }
        if (!served) {
            try {
                served = client.apiextensions().v1().customResourceDefinitions().withName(VeleroKind.BACKUP.crdName()).get() != null;
            } catch (KubernetesClientException e) {
                LOG.debug("Reading CRD {} failed: {}", VeleroKind.BACKUP.crdName(), e.getMessage());
            }
        }
        if (!served) {
            throw new VeleroNotInstalledException("Velero is not installed in this cluster: the API server does not serve "
                    + VeleroKind.API_VERSION + " " + VeleroKind.BACKUP.kind() + " (no " + VeleroKind.GROUP
                    + " API group, no CRD " + VeleroKind.BACKUP.crdName() + "). Install Velero (velero install, or its Helm"
                    + " chart) or use KBackup.direct(client), which needs no Velero.");
        }
    }

    /** The object, or null. */
    public GenericKubernetesResource get(VeleroKind kind, String name) {
        try {
            return ops(kind).withName(name).get();
        } catch (KubernetesClientException e) {
            throw refused("read " + kind.kind() + " '" + name + "'", e);
        }
    }

    /**
     * Creates an object.
     *
     * @throws InvalidPlanException when one of that name exists already
     */
    public GenericKubernetesResource create(GenericKubernetesResource resource) {
        VeleroKind kind = kindOf(resource);
        try {
            return ops(kind).resource(resource).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                throw new InvalidPlanException("A Velero " + kind.kind() + " named '" + resource.getMetadata().getName()
                        + "' already exists in namespace " + namespace + "; choose another name (or prefix), or delete it first.");
            }
            throw refused("create " + kind.kind() + " '" + resource.getMetadata().getName() + "'", e);
        }
    }

    /** Deletes an object; false when it was not there. */
    public boolean delete(VeleroKind kind, String name) {
        try {
            return !ops(kind).withName(name).delete().isEmpty();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return false;
            }
            throw refused("delete " + kind.kind() + " '" + name + "'", e);
        }
    }

    /** Creates the object, or replaces its spec (and labels) when it exists and differs. */
    public GenericKubernetesResource createOrUpdateSpec(GenericKubernetesResource desired) {
        VeleroKind kind = kindOf(desired);
        String name = desired.getMetadata().getName();
        GenericKubernetesResource existing = get(kind, name);
        if (existing == null) {
            return create(desired);
        }
        JsonNode want = VeleroStatus.tree(desired.getAdditionalProperties().get("spec"));
        JsonNode have = VeleroStatus.tree(existing.getAdditionalProperties().get("spec"));
        if (want.equals(have) && Objects.equals(existing.getMetadata().getLabels(), desired.getMetadata().getLabels())) {
            return existing;
        }
        try {
            return ops(kind).withName(name).edit(r -> {
                r.setAdditionalProperty("spec", desired.getAdditionalProperties().get("spec"));
                r.getMetadata().setLabels(desired.getMetadata().getLabels());
                return r;
            });
        } catch (KubernetesClientException e) {
            throw refused("update " + kind.kind() + " '" + name + "'", e);
        }
    }

    /**
     * Makes Velero's BackupStorageLocation (and its credentials Secret) match {@code location},
     * creating or updating only what differs, and checks that Velero does not report it
     * {@code Unavailable}. A BackupStorageLocation of that name that kbackup did not create is
     * used as it is when it points to the same bucket and prefix, and refused otherwise.
     *
     * @param validationTimeout how long to wait for Velero's first verdict on a new location
     * @throws InvalidPlanException               when Velero cannot use the location
     * @throws VeleroLocationUnavailableException when Velero reports it Unavailable
     */
    public void ensureLocation(BackupLocation location, Duration validationTimeout) {
        LocationMapping.Mapped mapped = LocationMapping.map(location, namespace);
        String name = location.name();
        GenericKubernetesResource existing = get(VeleroKind.BACKUP_STORAGE_LOCATION, name);
        JsonNode want = VeleroStatus.tree(mapped.storageLocation().getAdditionalProperties().get("spec"));
        boolean created = false;
        boolean updated = false;
        String validatedBefore = null;
        if (existing != null && !isManaged(existing)) {
            JsonNode have = VeleroStatus.tree(existing.getAdditionalProperties().get("spec"));
            if (!sameTarget(want, have)) {
                throw new InvalidPlanException("Velero already has a BackupStorageLocation '" + name + "' in namespace " + namespace
                        + " that kbackup did not create, for " + target(have) + "; backup location '" + name + "' is "
                        + target(want) + ". Give the BackupLocation another name so that both can exist.");
            }
            LOG.info("Using Velero's own BackupStorageLocation '{}' ({}) as it is", name, target(have));
        } else {
            if (mapped.secret() != null) {
                updated = ensureSecret(mapped.secret());
            }
            if (existing == null) {
                existing = create(mapped.storageLocation());
                created = true;
            } else if (!sameLocationSpec(want, VeleroStatus.tree(existing.getAdditionalProperties().get("spec")))) {
                LOG.info("Updating Velero BackupStorageLocation '{}' to {}", name, target(want));
                validatedBefore = lastValidation(existing);
                existing = createOrUpdateSpec(mapped.storageLocation());
                updated = true;
            } else if (updated) {
                // only the Secret changed: Velero revalidates a location on a spec change at once, otherwise only
                // every validation frequency (1 minute by default); ask for it now
                validatedBefore = lastValidation(existing);
                requestValidation(name);
            }
        }
        GenericKubernetesResource current = existing;
        if (created || updated) {
            // the status on hand (if any) judged the old settings: wait for Velero's verdict on the new ones
            current = awaitVerdict(name, created, validatedBefore, validationTimeout);
        }
        if (current != null && "Unavailable".equals(phase(current)) && !validationTimeout.isZero()) {
            // the verdict may be up to a validation period old, or a passing fault: Velero rewrites a location's
            // credentials file (truncating it) each time one of its controllers uses the location, and a plugin
            // reading it meanwhile finds no keys ("no EC2 IMDS role found"). Ask for a fresh verdict once.
            String before = lastValidation(current);
            requestValidation(name);
            GenericKubernetesResource fresh = awaitVerdict(name, false, before, validationTimeout);
            current = fresh != null ? fresh : current;
        }
        if (current != null && "Unavailable".equals(phase(current))) {
            JsonNode status = VeleroStatus.tree(current).path("status");
            String message = VeleroStatus.text(status.path("message"));
            throw new VeleroLocationUnavailableException(name, message, "Velero reports backup storage location '" + name
                    + "' (" + target(want) + ") Unavailable" + (message == null ? "" : ": " + message)
                    + ". Check the bucket, prefix, endpoint and credentials; Velero validates the location again every"
                    + " minute (spec.validationFrequency).");
        }
    }

    /** The location once Velero has validated it (again, when {@code before} is its last validation time), or null. */
    private GenericKubernetesResource awaitVerdict(String name, boolean isNew, String before, Duration timeout) {
        if (timeout.isZero()) {
            return null;
        }
        try {
            return watcher(VeleroKind.BACKUP_STORAGE_LOCATION)
                    .until(name, r -> phase(r) != null && (isNew || (lastValidation(r) != null
                            && !Objects.equals(lastValidation(r), before))), false)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.info("Velero has not validated BackupStorageLocation '{}' within {}; going ahead", name, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.debug("Waiting for BackupStorageLocation '{}' failed: {}", name, e.getCause().toString());
        }
        return null;
    }

    /**
     * Clears the location's {@code status.lastValidationTime} (its CRD has no status subresource), which
     * Velero takes as "never validated": its next periodic look (every 10 s) validates it whatever the
     * validation frequency. When the API server refuses, Velero validates at its own pace.
     */
    private void requestValidation(String name) {
        try {
            ops(VeleroKind.BACKUP_STORAGE_LOCATION).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE),
                    "{\"status\":{\"lastValidationTime\":null}}");
        } catch (KubernetesClientException e) {
            LOG.info("Could not ask Velero to validate BackupStorageLocation '{}' again now (HTTP {}); it does so within its"
                    + " validation frequency", name, e.getCode());
        }
    }

    private static String lastValidation(GenericKubernetesResource r) {
        return VeleroStatus.text(VeleroStatus.tree(r).path("status").path("lastValidationTime"));
    }

    /** Creates or updates the Secret; true when it changed an existing one. */
    private boolean ensureSecret(Secret desired) {
        String name = desired.getMetadata().getName();
        try {
            Secret existing = client.secrets().inNamespace(namespace).withName(name).get();
            if (existing == null) {
                client.secrets().inNamespace(namespace).resource(desired).create();
                return false;
            } else if (!Objects.equals(existing.getData(), desired.getData())
                    || !Objects.equals(existing.getMetadata().getLabels(), desired.getMetadata().getLabels())) {
                client.secrets().inNamespace(namespace).withName(name).edit(s -> {
                    s.setData(desired.getData());
                    s.setStringData(null);
                    s.getMetadata().setLabels(desired.getMetadata().getLabels());
                    return s;
                });
                return true;
            }
            return false;
        } catch (KubernetesClientException e) {
            // the exception's message is the API server's and never contains the Secret's data
            throw refused("write the credentials Secret '" + name + "'", e);
        }
    }

    /** {@code status.phase}, or null. */
    public static String phase(GenericKubernetesResource r) {
        return r == null ? null : VeleroStatus.text(VeleroStatus.tree(r).path("status").path("phase"));
    }

    private static boolean isManaged(GenericKubernetesResource r) {
        Map<String, String> labels = r.getMetadata().getLabels();
        return labels != null && VeleroLabels.MANAGED_BY_VALUE.equals(labels.get(VeleroLabels.MANAGED_BY));
    }

    private static boolean sameLocationSpec(JsonNode want, JsonNode have) {
        for (String field : LOCATION_FIELDS) {
            JsonNode w = want.path(field);
            JsonNode h = have.path(field);
            boolean wMissing = w.isMissingNode() || w.isNull();
            boolean hMissing = h.isMissingNode() || h.isNull();
            if (wMissing != hMissing || (!wMissing && !w.equals(h))) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameTarget(JsonNode want, JsonNode have) {
        return want.path("provider").asText().replace("velero.io/", "").equals(have.path("provider").asText().replace("velero.io/", ""))
                && want.path("objectStorage").path("bucket").asText().equals(have.path("objectStorage").path("bucket").asText())
                && trim(want.path("objectStorage").path("prefix").asText("")).equals(trim(have.path("objectStorage").path("prefix").asText("")));
    }

    private static String trim(String prefix) {
        return prefix.replaceAll("^/+|/+$", "");
    }

    private static String target(JsonNode spec) {
        String prefix = trim(spec.path("objectStorage").path("prefix").asText(""));
        return spec.path("provider").asText() + " bucket '" + spec.path("objectStorage").path("bucket").asText() + "'"
                + (prefix.isEmpty() ? "" : " prefix '" + prefix + "'");
    }

    private static VeleroKind kindOf(GenericKubernetesResource r) {
        for (VeleroKind k : VeleroKind.values()) {
            if (k.kind().equals(r.getKind())) {
                return k;
            }
        }
        throw new IllegalArgumentException("not a Velero kind: " + r.getKind());
    }

    /** The Backups in Velero's namespace labelled with {@code label=value}. */
    public List<GenericKubernetesResource> list(VeleroKind kind, String label, String value) {
        try {
            return new ArrayList<>(ops(kind).withLabel(label, value).list().getItems());
        } catch (KubernetesClientException e) {
            throw refused("list " + kind.plural(), e);
        }
    }

    private ClusterRefusedException refused(String what, KubernetesClientException e) {
        return new ClusterRefusedException("The API server refused to " + what + " in namespace " + namespace + " (HTTP "
                + e.getCode() + "): " + (e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
                        : e.getMessage()), e.getCode(), e);
    }

    @Override
    public void close() {
        watchers.values().forEach(ResourceWatcher::close);
    }
}
