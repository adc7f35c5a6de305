package io.kbackup.core.internal.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;

/**
 * Velero's built-in restore item actions that depend on nothing but the item itself (Job,
 * service-account token Secret, Pod, ServiceAccount, CRD and admission webhook), each a static
 * method working in place on the item's JSON. {@link ItemTransforms} calls them by kind; the
 * actions that depend on the restore (namespace mapping, restored volumes, ConfigMap-driven
 * mappings) stay there, the Service's in {@link ServicePorts}.
 */
final class BuiltInActions {
    private BuiltInActions() {}

    /**
     * Job (Velero's job action): the selector and template labels carrying the old Job's uid go,
     * so the API server generates them for the new uid; a real API server refuses a Job whose
     * generated selector names another uid (422). A selector left empty goes too, and so do the
     * Job's own labels naming the old uid.
     */
    static void job(ObjectNode obj, ObjectNode labels) {
        ObjectNode spec = RestoreJson.objectOrNull(obj, "spec");
        if (spec == null || spec.path("manualSelector").asBoolean(false)) {
            return;
        }
        if (labels != null) {
            ItemTransforms.JOB_CONTROLLER_UID_LABELS.forEach(labels::remove);
        }
        ObjectNode selector = RestoreJson.objectOrNull(spec, "selector");
        ObjectNode matchLabels = RestoreJson.objectOrNull(selector, "matchLabels");
        if (matchLabels != null) {
            ItemTransforms.JOB_CONTROLLER_UID_LABELS.forEach(matchLabels::remove);
            if (matchLabels.isEmpty()) {
                selector.remove("matchLabels");
            }
        }
        if (selector != null && selector.isEmpty()) {
            spec.remove("selector");
        }
        ObjectNode templateLabels = RestoreJson.objectOrNull(
                RestoreJson.objectOrNull(RestoreJson.objectOrNull(spec, "template"), "metadata"), "labels");
        if (templateLabels != null) {
            ItemTransforms.JOB_CONTROLLER_UID_LABELS.forEach(templateLabels::remove);
        }
    }

    /**
     * Secret (Velero's secret action): a service-account token Secret that is restored (not a
     * legacy auto-generated one, which {@link RestoreSelection} skips) loses its
     * {@code kubernetes.io/service-account.uid} annotation and its {@code token} and {@code ca.crt}
     * data, which the token controller fills in anew for the restored account.
     */
    static void secret(ObjectNode obj, ObjectNode metadata) {
        if (!ItemTransforms.SERVICE_ACCOUNT_TOKEN.equals(RestoreJson.text(obj, "type"))) {
            return;
        }
        ObjectNode annotations = RestoreJson.objectOrNull(metadata, "annotations");
        if (annotations != null) {
            annotations.remove("kubernetes.io/service-account.uid");
        }
        ObjectNode data = RestoreJson.objectOrNull(obj, "data");
        if (data != null) {
            data.remove("token");
            data.remove("ca.crt");
        }
    }

    static void pod(ObjectNode obj) {
        ObjectNode spec = RestoreJson.objectOrNull(obj, "spec");
        if (spec == null) {
            return;
        }
        spec.remove("nodeName");
        spec.remove("priority");
        String sa = RestoreJson.text(spec, "serviceAccountName");
        if (sa == null) {
            sa = RestoreJson.text(spec, "serviceAccount");
        }
        if (sa == null || sa.isEmpty()) {
            sa = "default";
        }
        String tokenPrefix = sa + "-token-";
        JsonNode volumes = spec.get("volumes");
        if (volumes instanceof ArrayNode vs) {
            Set<String> removed = new HashSet<>();
            for (Iterator<JsonNode> it = vs.elements(); it.hasNext(); ) {
                JsonNode v = it.next();
                String name = v.path("name").asText("");
                if (name.startsWith(tokenPrefix)) {
                    removed.add(name);
                    it.remove();
                }
            }
            if (!removed.isEmpty()) {
                for (String containers : new String[] {"containers", "initContainers", "ephemeralContainers"}) {
                    for (JsonNode c : spec.path(containers)) {
                        JsonNode mounts = c.get("volumeMounts");
                        if (mounts instanceof ArrayNode ms) {
                            for (Iterator<JsonNode> it = ms.elements(); it.hasNext(); ) {
                                if (removed.contains(it.next().path("name").asText(""))) {
                                    it.remove();
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** ServiceAccount: drop references to its legacy token secrets (the cluster makes new ones). */
    static void serviceAccount(ObjectNode obj, ObjectNode metadata) {
        String prefix = metadata.path("name").asText("") + "-token-";
        JsonNode secrets = obj.get("secrets");
        if (secrets instanceof ArrayNode ss) {
            for (Iterator<JsonNode> it = ss.elements(); it.hasNext(); ) {
                if (it.next().path("name").asText("").startsWith(prefix)) {
                    it.remove();
                }
            }
        }
    }

    /**
     * CustomResourceDefinition (Velero's CRD preserve-unknown-fields action): an
     * {@code apiextensions.k8s.io/v1} CRD with {@code spec.preserveUnknownFields: true}, which v1
     * refuses, gets false there and {@code x-kubernetes-preserve-unknown-fields: true} on the schema
     * of every version that has one.
     */
    static void crdPreserveUnknownFields(ObjectNode obj) {
        ObjectNode spec = RestoreJson.objectOrNull(obj, "spec");
        if (!"apiextensions.k8s.io/v1".equals(RestoreJson.text(obj, "apiVersion")) || spec == null
                || !spec.path("preserveUnknownFields").asBoolean(false)) {
            return;
        }
        spec.put("preserveUnknownFields", false);
        for (JsonNode v : spec.path("versions")) {
            ObjectNode schema = RestoreJson.objectOrNull(RestoreJson.objectOrNull(v, "schema"), "openAPIV3Schema");
            if (schema != null) {
                schema.put("x-kubernetes-preserve-unknown-fields", true);
            }
        }
    }

    /**
     * Mutating/ValidatingWebhookConfiguration (Velero's admission webhook action): in
     * {@code admissionregistration.k8s.io/v1}, a webhook whose {@code sideEffects} is not
     * {@code None} or {@code NoneOnDryRun} (v1beta1's {@code Unknown}/{@code Some}, which v1
     * refuses) gets {@code None}.
     */
    static void webhookSideEffects(ObjectNode obj) {
        if (!"admissionregistration.k8s.io/v1".equals(RestoreJson.text(obj, "apiVersion"))) {
            return;
        }
        for (JsonNode w : obj.path("webhooks")) {
            if (w instanceof ObjectNode webhook) {
                String s = RestoreJson.text(webhook, "sideEffects");
                if (!"None".equals(s) && !"NoneOnDryRun".equals(s)) {
                    webhook.put("sideEffects", "None");
                }
            }
        }
    }
}
