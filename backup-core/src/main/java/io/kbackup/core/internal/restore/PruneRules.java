package io.kbackup.core.internal.restore;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * What a reset ({@link io.kbackup.PrunePolicy#PRUNE}) never touches, for a backed-up item and a
 * live object alike: the list {@link io.kbackup.PrunePolicy} documents. One place, so that the
 * reset, the prune and the preview agree.
 */
final class PruneRules {
    private PruneRules() {}

    /** Kinds a reset neither lists, prunes, creates nor reverts. */
    static final Set<String> NEVER_TOUCHED_KINDS = Set.of("events", "events.events.k8s.io", "leases.coordination.k8s.io",
            "endpoints", RestoreSelection.ENDPOINT_SLICES);

    static final String KUBE_ROOT_CA = "kube-root-ca.crt";

    /** Whether a reset lists (and so may prune) objects of this resource at all. */
    static boolean listable(String groupResource) {
        return !NEVER_TOUCHED_KINDS.contains(groupResource) && !RestoreSelection.NEVER_RESTORED.contains(groupResource)
                && !groupResource.equals(RestoreSelection.NAMESPACES);
    }

    /**
     * Why a reset never touches this object, or null when it may. {@code object} is the object's
     * JSON (a backed-up item or a live object).
     */
    static String neverTouched(String groupResource, JsonNode object) {
        if (NEVER_TOUCHED_KINDS.contains(groupResource)) {
            return groupResource + " are kept by the cluster's controllers";
        }
        if (RestoreSelection.NEVER_RESTORED.contains(groupResource)) {
            return "a kind restores never touch";
        }
        JsonNode metadata = object.path("metadata");
        for (JsonNode owner : metadata.path("ownerReferences")) {
            if (owner.path("controller").asBoolean(false)) {
                return "owned by the controller of " + owner.path("kind").asText("?") + " " + owner.path("name").asText("?")
                        + ", which keeps it";
            }
        }
        String name = metadata.path("name").asText("");
        switch (groupResource) {
            case RestoreSelection.SERVICE_ACCOUNTS -> {
                if (name.equals("default")) {
                    return "the namespace's default ServiceAccount (the API server makes it)";
                }
            }
            case "configmaps" -> {
                if (name.equals(KUBE_ROOT_CA)) {
                    return "the namespace's kube-root-ca.crt ConfigMap (the API server publishes it)";
                }
            }
            case RestoreSelection.SECRETS -> {
                if (ItemTransforms.SERVICE_ACCOUNT_TOKEN.equals(object.path("type").asText())) {
                    return "a service-account token Secret (the token controller fills it)";
                }
            }
            case RestoreSelection.PODS -> {
                if (metadata.path("annotations").has(RestoreSelection.MIRROR_ANNOTATION)) {
                    return "a mirror pod (the kubelet makes it)";
                }
            }
            default -> {
                // no name rule
            }
        }
        if (!metadata.path("deletionTimestamp").asText("").isEmpty()) {
            return "already being deleted";
        }
        return null;
    }
}
