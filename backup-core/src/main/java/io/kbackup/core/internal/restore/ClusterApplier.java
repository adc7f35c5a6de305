package io.kbackup.core.internal.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.kbackup.ExistingResourcePolicy;
import io.kbackup.core.internal.kube.KubeHttp;
import io.kbackup.core.internal.kube.KubeRetry;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Applies restore-ready items to the target cluster through fabric8's generic client. The
 * archive names each item's group, version, plural and scope, so no discovery lookup is needed
 * to address it. Every call goes through {@link KubeRetry} (transient errors are retried).
 */
final class ClusterApplier {

    /** What applying one item did. */
    enum Result {
        CREATED,
        /** It existed, differed and was patched to the backup's version (policy UPDATE, or a merged ServiceAccount). */
        UPDATED,
        /** It existed and equals the backup's version (under UPDATE its restore labels were set). */
        UNCHANGED,
        /** It existed, differed, and was left as is (policy NONE, or a ServiceAccount with nothing to merge). */
        LEFT_DIFFERENT,
        /** It existed and differed; the API server refused the patch, so only its restore labels were set (policy UPDATE). */
        PATCH_REFUSED
    }

    /**
     * The outcome of one item.
     *
     * @param result     what happened
     * @param difference the first differing field path when it existed and differed, else null
     * @param warn       whether the difference deserves a warning (false for a ServiceAccount Velero merges silently)
     * @param refusal    the API server's refusal of the patch ({@link Result#PATCH_REFUSED}), else null
     */
    record Applied(Result result, String difference, boolean warn, String refusal) {
        static final Applied CREATED = new Applied(Result.CREATED, null, false, null);
        static final Applied UNCHANGED = new Applied(Result.UNCHANGED, null, false, null);
    }

    private static final ResourceDefinitionContext CRDS = new ResourceDefinitionContext.Builder()
            .withGroup("apiextensions.k8s.io").withVersion("v1").withPlural("customresourcedefinitions")
            .withKind("CustomResourceDefinition").withNamespaced(false).build();

    private final KubernetesClient client;
    private final KubeRetry retry;

    ClusterApplier(KubernetesClient client, KubeRetry retry) {
        this.client = client;
        this.retry = retry;
    }

    /**
     * Creates the item; when it exists, does what Velero's {@code restoreItem} does with an existing
     * object ({@link ExistingObject} says how it compares): equal, it is left (under UPDATE its
     * restore labels are set, Velero's {@code updateBackupRestoreLabels}); different, NONE leaves it
     * (the caller warns, naming the first differing field), UPDATE patches it with a JSON merge patch
     * to the backup's version, removing what only the cluster has; when the API server refuses that
     * patch, only the restore labels are set and the caller warns. A ServiceAccount is never
     * replaced, whatever the policy: it gains the backup's secrets, image pull secrets, labels and
     * annotations it lacks (Velero's {@code mergeServiceAccounts}).
     *
     * @throws KubernetesClientException when the API server refuses (after retries), or refuses
     *                                   even the restore labels' patch
     */
    Applied apply(IndexedItem item, String namespace, String name, ObjectNode desired, ExistingResourcePolicy policy) {
        ObjectNode resetLive = createOrGet(item, namespace, name, desired);
        return resetLive == null ? Applied.CREATED : existing(item, namespace, name, resetLive, desired, policy);
    }

    /**
     * A reset's apply ({@link io.kbackup.PrunePolicy#PRUNE}): creates the item when the cluster lacks
     * it; when it exists, compares it with the backed-up object itself ({@code snapshot}, reset as
     * a live object is), leaving out the fields the restore lets the cluster fill in
     * ({@link ExistingObject#withoutFilledIn}); different, UPDATE patches it back to the snapshot,
     * NONE leaves it. No restore labels, no ServiceAccount merge: the object becomes the backed-up one.
     */
    Applied reset(IndexedItem item, String namespace, String name, ObjectNode desired, ObjectNode snapshot, ExistingResourcePolicy policy) {
        ObjectNode resetLive = createOrGet(item, namespace, name, desired);
        if (resetLive == null) {
            return Applied.CREATED;
        }
        ObjectNode live = ExistingObject.withoutFilledIn(resetLive, snapshot, desired);
        ObjectNode want = ExistingObject.withoutFilledIn(snapshot, snapshot, desired);
        String difference = ExistingObject.firstDifference(live, want);
        if (difference == null) {
            return Applied.UNCHANGED;
        }
        if (policy == ExistingResourcePolicy.NONE) {
            return new Applied(Result.LEFT_DIFFERENT, difference, true, null);
        }
        return patchOrLabels(item, namespace, name, live, want, desired, difference, false);
    }

    /**
     * Creates the item; null when created, else the existing object reset ({@link ExistingObject#reset}).
     * The create is a POST of the object's JSON, serialised once, through the client's HTTP client
     * ({@link KubeHttp}); the server's answer is not parsed (a restore needs only its status code).
     */
    private ObjectNode createOrGet(IndexedItem item, String namespace, String name, ObjectNode desired) {
        byte[] body;
        try {
            body = RestoreJson.MAPPER.writeValueAsBytes(desired);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String url = KubeHttp.collectionUrl(client, item.group(), item.version(), item.plural(), namespace);
        for (int attempt = 0; ; attempt++) {
            try {
                retry.call("create " + item.describe(), () -> KubeHttp.postJson(client, url, body));
                return null;
            } catch (KubernetesClientException e) {
                boolean portTaken = portTakenByItself(item, e);
                if (e.getCode() != 409 && !portTaken) {
                    throw e;
                }
                if (portTaken && get(item, namespace, name) == null) {
                    throw e; // the port is another Service's
                }
            }
            ObjectNode live = get(item, namespace, name);
            if (live == null) {
                if (attempt < 2) {
                    continue; // deleted between the create and the get: create again
                }
                throw new KubernetesClientException("the object exists and vanishes again; giving up");
            }
            return ExistingObject.reset(live);
        }
    }

    /**
     * Deletes a live object a reset prunes (background propagation: what it owns goes with it).
     *
     * @return false when it was already gone
     */
    boolean delete(ResourceDefinitionContext type, String namespace, String name) {
        var op = client.genericKubernetesResources(type);
        Resource<GenericKubernetesResource> r = namespace == null ? op.withName(name) : op.inNamespace(namespace).withName(name);
        var deleted = retry.call("delete " + type.getPlural() + " " + (namespace == null ? name : namespace + "/" + name),
                () -> r.withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND).delete());
        return deleted != null && !deleted.isEmpty();
    }

    /**
     * Velero's {@code isAlreadyExistsError}: a real API server answers the create of a Service that
     * already exists with its node port (kept as explicit, or preserveNodePorts) by "provided port is
     * already allocated" (422, or 500 for a health check node port) before it checks the name; every
     * cause saying so, the Service is looked up as an existing one (when it is not there, the port
     * belongs to another Service and the create's error stands).
     */
    private static boolean portTakenByItself(IndexedItem item, KubernetesClientException e) {
        if (!item.groupResource.equals("services") || (e.getCode() != 422 && e.getCode() != 500) || e.getStatus() == null
                || e.getStatus().getDetails() == null || e.getStatus().getDetails().getCauses() == null
                || e.getStatus().getDetails().getCauses().isEmpty()) {
            return false;
        }
        return e.getStatus().getDetails().getCauses().stream()
                .allMatch(c -> c.getMessage() != null && c.getMessage().contains("provided port is already allocated"));
    }

    private Applied existing(IndexedItem item, String namespace, String name, ObjectNode resetLive, ObjectNode desired,
            ExistingResourcePolicy policy) {
        String difference = ExistingObject.firstDifference(ExistingObject.comparable(resetLive, desired), desired);
        if (difference == null) {
            if (policy == ExistingResourcePolicy.UPDATE) {
                patch(item, namespace, name, ExistingObject.restoreLabelsPatch(resetLive, desired));
            }
            return Applied.UNCHANGED;
        }
        if (item.groupResource.equals(RestoreSelection.SERVICE_ACCOUNTS)) {
            ObjectNode merged = ExistingObject.comparable(ExistingObject.mergeServiceAccount(resetLive, desired), desired);
            if (ExistingObject.firstDifference(ExistingObject.comparable(resetLive, desired), merged) == null) {
                return new Applied(Result.LEFT_DIFFERENT, difference, false, null);
            }
            return patchOrLabels(item, namespace, name, resetLive, merged, desired, difference,
                    policy == ExistingResourcePolicy.UPDATE);
        }
        if (policy == ExistingResourcePolicy.NONE) {
            return new Applied(Result.LEFT_DIFFERENT, difference, true, null);
        }
        return patchOrLabels(item, namespace, name, resetLive, desired, desired, difference, true);
    }

    /**
     * Merge-patches {@code resetLive} to {@code target}; a patch the cluster refuses (4xx) is
     * {@code PATCH_REFUSED}, with the restore labels of {@code desired} patched on when {@code labelsOnRefusal}.
     */
    private Applied patchOrLabels(IndexedItem item, String namespace, String name, ObjectNode resetLive, ObjectNode target,
            ObjectNode desired, String difference, boolean labelsOnRefusal) {
        try {
            patch(item, namespace, name, ExistingObject.mergePatch(resetLive, target));
            return new Applied(Result.UPDATED, difference, false, null);
        } catch (KubernetesClientException e) {
            if (e.getCode() < 400 || e.getCode() >= 500) {
                throw e;
            }
            if (labelsOnRefusal) {
                patch(item, namespace, name, ExistingObject.restoreLabelsPatch(resetLive, desired));
            }
            return new Applied(Result.PATCH_REFUSED, difference, true, KubeRetry.describe(e));
        }
    }

    private void patch(IndexedItem item, String namespace, String name, ObjectNode patch) {
        if (patch.isEmpty()) {
            return;
        }
        String p = patch.toString();
        retry.call("patch " + item.describe(), () -> ops(item, namespace).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE), p));
    }

    /**
     * Writes {@code status} into the live object through its {@code /status} subresource (a PUT
     * with the live resourceVersion, as Velero's {@code UpdateStatus} after the create).
     *
     * @throws KubernetesClientException when the API server refuses (e.g. 404: the kind has no status subresource)
     * @throws IllegalStateException     when the object is gone
     */
    void replaceStatus(IndexedItem item, String namespace, String name, JsonNode status) {
        ObjectNode live = get(item, namespace, name);
        if (live == null) {
            throw new IllegalStateException("it was deleted right after its create");
        }
        live.set("status", status);
        GenericKubernetesResource body = toResource(live);
        retry.call("update status of " + item.describe(), () -> ops(item, namespace).resource(body).updateStatus());
    }

    /** The live object as JSON, or null when there is none. */
    ObjectNode get(IndexedItem item, String namespace, String name) {
        GenericKubernetesResource live = retry.call("get " + item.describe(), () -> ops(item, namespace).withName(name).get());
        return live == null ? null : toJson(live);
    }

    /**
     * Whether a CRD can serve its resources: condition Established=True; or, when the server has
     * set no conditions at all (the mock API server never does), its group/version lists the
     * plural in discovery. A CRD whose conditions exist but say not-established is not ready.
     */
    boolean crdEstablished(String name) {
        GenericKubernetesResource crd;
        try {
            crd = retry.call("get CRD " + name, () -> client.genericKubernetesResources(CRDS).withName(name).get());
        } catch (KubernetesClientException e) {
            return false;
        }
        if (crd == null) {
            return false;
        }
        JsonNode node = toJson(crd);
        JsonNode conditions = node.path("status").path("conditions");
        if (conditions.isArray() && !conditions.isEmpty()) {
            for (JsonNode c : conditions) {
                if ("Established".equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) {
                    return true;
                }
            }
            return false;
        }
        String group = node.path("spec").path("group").asText("");
        String plural = node.path("spec").path("names").path("plural").asText("");
        for (JsonNode v : node.path("spec").path("versions")) {
            if (!v.path("served").asBoolean(true)) {
                continue;
            }
            try {
                APIResourceList list = client.getApiResources(group + "/" + v.path("name").asText());
                if (list != null && list.getResources() != null) {
                    for (APIResource r : list.getResources()) {
                        if (plural.equals(r.getName())) {
                            return true;
                        }
                    }
                }
            } catch (KubernetesClientException e) {
                // not served (yet)
            }
        }
        return false;
    }

    static ResourceDefinitionContext context(IndexedItem item) {
        return new ResourceDefinitionContext.Builder().withGroup(item.group()).withVersion(item.version())
                .withPlural(item.plural()).withKind(item.kind).withNamespaced(item.namespace != null).build();
    }

    private NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> ops(
            IndexedItem item, String namespace) {
        MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> op =
                client.genericKubernetesResources(context(item));
        return namespace == null ? op : op.inNamespace(namespace);
    }

    private GenericKubernetesResource toResource(ObjectNode node) {
        return client.getKubernetesSerialization().unmarshal(node.toString(), GenericKubernetesResource.class);
    }

    private ObjectNode toJson(GenericKubernetesResource r) {
        try {
            return (ObjectNode) RestoreJson.MAPPER.readTree(client.getKubernetesSerialization().asJson(r));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
