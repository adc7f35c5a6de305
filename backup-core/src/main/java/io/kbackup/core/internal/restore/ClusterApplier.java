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
        UPDATED,
        /** It existed and already matched the backup. */
        EXISTS_SAME,
        /** It existed, differed, and was left as is (policy NONE). */
        EXISTS_DIFFERENT
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
     * Creates the item; when it exists, leaves it (NONE) or patches it toward the backup (UPDATE).
     *
     * @throws KubernetesClientException when the API server refuses (after retries)
     */
    Result apply(IndexedItem item, String namespace, String name, ObjectNode desired, ExistingResourcePolicy policy) {
        GenericKubernetesResource body = toResource(desired);
        for (int attempt = 0; ; attempt++) {
            try {
                retry.call("create " + item.describe(), () -> ops(item, namespace).resource(body).create());
                return Result.CREATED;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
            }
            ObjectNode live = get(item, namespace, name);
            if (live == null) {
                if (attempt < 2) {
                    continue; // deleted between the create and the get: create again
                }
                throw new KubernetesClientException("the object exists and vanishes again; giving up");
            }
            if (JsonSubset.covers(live, JsonSubset.withoutRestoreLabels(desired))) {
                return Result.EXISTS_SAME;
            }
            if (policy == ExistingResourcePolicy.NONE) {
                return Result.EXISTS_DIFFERENT;
            }
            String patch = RestoreJson.MAPPER.createObjectNode().toString();
            try {
                patch = RestoreJson.MAPPER.writeValueAsString(mergePatch(desired));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String p = patch;
            retry.call("patch " + item.describe(), () -> ops(item, namespace).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE), p));
            return Result.UPDATED;
        }
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

    /** The merge patch that moves a live object toward the backup: all its content but server-owned metadata. */
    static ObjectNode mergePatch(ObjectNode desired) {
        ObjectNode patch = desired.deepCopy();
        patch.remove("status");
        JsonNode metadata = desired.get("metadata");
        ObjectNode meta = patch.putObject("metadata");
        if (metadata != null) {
            for (String keep : new String[] {"labels", "annotations"}) {
                if (metadata.has(keep)) {
                    meta.set(keep, metadata.get(keep).deepCopy());
                }
            }
        }
        return patch;
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
