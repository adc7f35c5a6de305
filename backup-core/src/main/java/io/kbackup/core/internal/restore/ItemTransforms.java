package io.kbackup.core.internal.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kbackup.core.internal.layout.VeleroKeys;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What a restore changes in each item before it is applied, as Velero's restore does
 * ({@code pkg/restore/restore.go}, {@code resetMetadataAndStatus} and the built-in restore item
 * actions). Stateless apart from its context; the transform works in place on the item's JSON.
 */
final class ItemTransforms {

    static final String BIND_COMPLETED = "pv.kubernetes.io/bind-completed";
    static final String BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller";
    static final String SELECTED_NODE = "volume.kubernetes.io/selected-node";
    /** Annotations Velero's PVC action removes besides the bind annotations: the provisioner's, Velero's CSI and data mover marks. */
    static final List<String> CLAIM_ANNOTATIONS_REMOVED = List.of("volume.kubernetes.io/storage-provisioner",
            "volume.beta.kubernetes.io/storage-provisioner", VeleroKeys.VOLUME_SNAPSHOT_NAME, "velero.io/data-upload-name");
    /** Workloads whose containers' images Velero's change-image-name action rewrites (group-resources). */
    static final Set<String> IMAGE_RESOURCES = Set.of(RestoreSelection.PODS, "deployments.apps", "statefulsets.apps", "daemonsets.apps",
            "replicasets.apps", "replicationcontrollers", RestoreSelection.JOBS, "cronjobs.batch");

    /** Metadata fields reset on every item. */
    static final String[] RESET_METADATA = {"generateName", "selfLink", "uid", "resourceVersion", "generation",
        "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "ownerReferences", "managedFields"};

    private final String backupLabel;
    private final String restoreLabel;
    private final Map<String, String> namespaceMapping;
    private final boolean preserveNodePorts;
    private final Predicate<String> pvRestored;
    private final RestoreActionConfig actions;
    /** Whether the restore labels are set (not by a reset: its objects equal the backed-up ones). */
    private final boolean restoreLabels;

    /**
     * @param backupName        the backup restored from (label value, shortened as Velero does)
     * @param restoreName       this restore's name (likewise)
     * @param namespaceMapping  backup namespace -> target namespace
     * @param preserveNodePorts whether Service node ports are kept
     * @param pvRestored        whether the PV of that name is restored with the claim (then the claim keeps its volumeName)
     * @param actions           the storage class, image and node mappings (Velero's ConfigMap-driven actions)
     */
    ItemTransforms(String backupName, String restoreName, Map<String, String> namespaceMapping, boolean preserveNodePorts,
            Predicate<String> pvRestored, RestoreActionConfig actions) {
        this(backupName, restoreName, namespaceMapping, preserveNodePorts, pvRestored, actions, true);
    }

    /** @param restoreLabels whether items get the {@code velero.io/backup-name}/{@code restore-name} labels (false for a reset) */
    ItemTransforms(String backupName, String restoreName, Map<String, String> namespaceMapping, boolean preserveNodePorts,
            Predicate<String> pvRestored, RestoreActionConfig actions, boolean restoreLabels) {
        this.actions = actions;
        this.restoreLabels = restoreLabels;
        this.backupLabel = validLabelValue(backupName);
        this.restoreLabel = validLabelValue(restoreName);
        this.namespaceMapping = Map.copyOf(namespaceMapping);
        this.preserveNodePorts = preserveNodePorts;
        this.pvRestored = pvRestored;
    }

    /** The target namespace of a backup namespace. */
    String target(String backupNamespace) {
        return namespaceMapping.getOrDefault(backupNamespace, backupNamespace);
    }

    /** Transforms the item in place and returns it. */
    ObjectNode apply(IndexedItem item, ObjectNode obj) {
        ObjectNode metadata = RestoreJson.object(obj, "metadata");
        JsonNode managedFields = metadata.path("managedFields");
        for (String f : RESET_METADATA) {
            metadata.remove(f);
        }
        obj.remove("status");
        if (item.namespace != null) {
            metadata.put("namespace", target(item.namespace));
        } else {
            metadata.remove("namespace");
        }
        ObjectNode labels = restoreLabels ? RestoreJson.object(metadata, "labels") : RestoreJson.objectOrNull(metadata, "labels");
        if (restoreLabels) {
            labels.put(VeleroKeys.BACKUP_NAME, backupLabel);
            labels.put(VeleroKeys.RESTORE_NAME, restoreLabel);
        }
        switch (item.groupResource) {
            case RestoreSelection.NAMESPACES -> metadata.put("name", target(item.name));
            case "services" -> service(obj, metadata, managedFields);
            case "secrets" -> secret(obj, metadata);
            case RestoreSelection.PODS -> pod(obj);
            case RestoreSelection.PVCS -> {
                claim(obj, metadata);
                storageClass(RestoreJson.objectOrNull(obj, "spec"));
            }
            case RestoreSelection.PVS -> {
                volume(obj, metadata);
                storageClass(RestoreJson.objectOrNull(obj, "spec"));
            }
            case "statefulsets.apps" -> {
                for (JsonNode template : obj.path("spec").path("volumeClaimTemplates")) {
                    storageClass(RestoreJson.objectOrNull(template, "spec"));
                }
            }
            case "serviceaccounts" -> serviceAccount(obj, metadata);
            case "jobs.batch" -> job(obj, labels);
            case "rolebindings.rbac.authorization.k8s.io", RestoreSelection.CLUSTER_ROLE_BINDINGS -> bindingSubjects(obj);
            case RestoreSelection.CRDS -> crdPreserveUnknownFields(obj);
            case "mutatingwebhookconfigurations.admissionregistration.k8s.io",
                    "validatingwebhookconfigurations.admissionregistration.k8s.io" -> webhookSideEffects(obj);
            default -> {
                // no kind-specific change
            }
        }
        if (IMAGE_RESOURCES.contains(item.groupResource)) {
            images(item.groupResource, obj);
        }
        return obj;
    }

    /** Velero's change-storage-class action on a spec with {@code storageClassName}. */
    private void storageClass(ObjectNode spec) {
        String target = actions.storageClass(RestoreJson.text(spec, "storageClassName"));
        if (target != null) {
            spec.put("storageClassName", target);
        }
    }

    /**
     * Velero's change-image-name action: the images of containers and init containers of the pod
     * spec ({@code spec} of a Pod, {@code spec.jobTemplate.spec.template.spec} of a CronJob,
     * {@code spec.template.spec} of the others).
     */
    private void images(String groupResource, ObjectNode obj) {
        JsonNode podSpec = switch (groupResource) {
            case RestoreSelection.PODS -> obj.path("spec");
            case "cronjobs.batch" -> obj.path("spec").path("jobTemplate").path("spec").path("template").path("spec");
            default -> obj.path("spec").path("template").path("spec");
        };
        for (String field : new String[] {"containers", "initContainers"}) {
            for (JsonNode c : podSpec.path(field)) {
                if (c instanceof ObjectNode container) {
                    String image = actions.image(RestoreJson.text(container, "image"));
                    if (image != null) {
                        container.put("image", image);
                    }
                }
            }
        }
    }

    /** The labels by which a Job selects its pods, holding the old Job's uid. */
    static final List<String> JOB_CONTROLLER_UID_LABELS = List.of("controller-uid", "batch.kubernetes.io/controller-uid");

    /**
     * Job (Velero's job action): the selector and template labels carrying the old Job's uid go,
     * so the API server generates them for the new uid; a real API server refuses a Job whose
     * generated selector names another uid (422). A selector left empty goes too, and so do the
     * Job's own labels naming the old uid.
     */
    private void job(ObjectNode obj, ObjectNode labels) {
        ObjectNode spec = RestoreJson.objectOrNull(obj, "spec");
        if (spec == null || spec.path("manualSelector").asBoolean(false)) {
            return;
        }
        if (labels != null) {
            JOB_CONTROLLER_UID_LABELS.forEach(labels::remove);
        }
        ObjectNode selector = RestoreJson.objectOrNull(spec, "selector");
        ObjectNode matchLabels = RestoreJson.objectOrNull(selector, "matchLabels");
        if (matchLabels != null) {
            JOB_CONTROLLER_UID_LABELS.forEach(matchLabels::remove);
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
            JOB_CONTROLLER_UID_LABELS.forEach(templateLabels::remove);
        }
    }

    /** Annotation of {@code kubectl apply}: the object as the user last applied it. */
    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    /**
     * Service (Velero's service action): cluster IPs go unless headless. Unless preserveNodePorts,
     * node ports go too, except those the user set explicitly, which Velero keeps: named in
     * {@code kubectl.kubernetes.io/last-applied-configuration} (a named port by its name, an unnamed
     * one by its value), or, without that annotation, owned in {@code managedFields}
     * ({@code f:spec.f:ports.k:{"port":..,"protocol":..}.f:nodePort}, as server-side apply and
     * creates that set it record). The health check node port of a LoadBalancer Service with
     * {@code externalTrafficPolicy: Local} likewise. An ExternalName Service keeps its ports as they are.
     */
    private void service(ObjectNode obj, ObjectNode metadata, JsonNode managedFields) {
        ObjectNode spec = RestoreJson.objectOrNull(obj, "spec");
        if (spec == null) {
            return;
        }
        if (!"None".equals(RestoreJson.text(spec, "clusterIP"))) {
            spec.remove("clusterIP");
            spec.remove("clusterIPs");
        }
        if (preserveNodePorts) {
            return;
        }
        JsonNode applied = lastApplied(metadata);
        String type = RestoreJson.text(spec, "type");
        if ("LoadBalancer".equals(type) && "Local".equals(RestoreJson.text(spec, "externalTrafficPolicy"))
                && !(applied != null ? applied.path("spec").path("healthCheckNodePort").asInt(0) != 0
                        : ownsField(managedFields, "f:healthCheckNodePort"))) {
            spec.remove("healthCheckNodePort");
        }
        if ("ExternalName".equals(type)) {
            return;
        }
        Set<String> explicitNames = new HashSet<>();
        Set<Integer> explicitUnnamed = new HashSet<>();
        Set<String> ownedKeys = new HashSet<>();
        if (applied != null) {
            for (JsonNode p : applied.path("spec").path("ports")) {
                JsonNode np = p.get("nodePort");
                int value = np == null ? 0 : np.isTextual() ? parsePort(np.asText()) : np.asInt(0);
                if (value > 0) {
                    if (p.has("name")) {
                        explicitNames.add(p.path("name").asText());
                    } else {
                        explicitUnnamed.add(value);
                    }
                }
            }
        } else {
            for (JsonNode entry : managedFields) {
                entry.path("fieldsV1").path("f:spec").path("f:ports").fields().forEachRemaining(e -> {
                    if (e.getValue().has("f:nodePort")) {
                        ownedKeys.add(e.getKey());
                    }
                });
            }
        }
        for (JsonNode port : spec.path("ports")) {
            if (!(port instanceof ObjectNode p)) {
                continue;
            }
            String name = p.path("name").asText("");
            boolean explicit;
            if (applied != null) {
                explicit = name.isEmpty() ? explicitUnnamed.contains(p.path("nodePort").asInt(0)) : explicitNames.contains(name);
            } else {
                explicit = ownedKeys.contains("k:{\"port\":" + p.path("port").asInt() + ",\"protocol\":\""
                        + p.path("protocol").asText("TCP") + "\"}");
            }
            if (!explicit) {
                p.remove("nodePort");
            }
        }
    }

    private static JsonNode lastApplied(ObjectNode metadata) {
        String text = RestoreJson.text(RestoreJson.objectOrNull(metadata, "annotations"), LAST_APPLIED);
        if (text == null) {
            return null;
        }
        try {
            return RestoreJson.MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            return RestoreJson.MAPPER.createObjectNode(); // unreadable: nothing in it is explicit
        }
    }

    private static int parsePort(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static boolean ownsField(JsonNode managedFields, String specField) {
        for (JsonNode entry : managedFields) {
            if (entry.path("fieldsV1").path("f:spec").has(specField)) {
                return true;
            }
        }
        return false;
    }

    /** The type of the Secrets holding a service account's token. */
    static final String SERVICE_ACCOUNT_TOKEN = "kubernetes.io/service-account-token";

    /**
     * Secret (Velero's secret action): a service-account token Secret that is restored (not a
     * legacy auto-generated one, which {@link RestoreSelection} skips) loses its
     * {@code kubernetes.io/service-account.uid} annotation and its {@code token} and {@code ca.crt}
     * data, which the token controller fills in anew for the restored account.
     */
    private void secret(ObjectNode obj, ObjectNode metadata) {
        if (!SERVICE_ACCOUNT_TOKEN.equals(RestoreJson.text(obj, "type"))) {
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

    private void pod(ObjectNode obj) {
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

    /**
     * PVC (Velero's PVC action): the selected-node annotation becomes its mapped node
     * ({@code velero.io/change-pvc-node-selector}), stays when the target cluster has that node, and
     * goes otherwise; the bind annotations go (the claim binds anew, its uid changed), and so do the
     * provisioner's and Velero's CSI and data mover marks; volumeName stays only when its PV is
     * restored with it, else the claim is re-provisioned.
     */
    private void claim(ObjectNode obj, ObjectNode metadata) {
        ObjectNode annotations = RestoreJson.objectOrNull(metadata, "annotations");
        if (annotations != null) {
            String node = RestoreJson.text(annotations, SELECTED_NODE);
            String target = node == null ? null : actions.selectedNode(node);
            if (target == null) {
                annotations.remove(SELECTED_NODE);
            } else {
                annotations.put(SELECTED_NODE, target);
            }
            annotations.remove(BIND_COMPLETED);
            annotations.remove(BOUND_BY_CONTROLLER);
            CLAIM_ANNOTATIONS_REMOVED.forEach(annotations::remove);
        }
        ObjectNode spec = RestoreJson.objectOrNull(obj, "spec");
        if (spec != null) {
            String volume = RestoreJson.text(spec, "volumeName");
            if (volume != null && !pvRestored.test(volume)) {
                spec.remove("volumeName");
            }
        }
    }

    /** PV: claimRef points at the (mapped) claim, without the old claim's uid and resourceVersion. */
    private void volume(ObjectNode obj, ObjectNode metadata) {
        ObjectNode annotations = RestoreJson.objectOrNull(metadata, "annotations");
        if (annotations != null) {
            annotations.remove(BIND_COMPLETED);
            annotations.remove(BOUND_BY_CONTROLLER);
        }
        ObjectNode claimRef = RestoreJson.objectOrNull(RestoreJson.objectOrNull(obj, "spec"), "claimRef");
        if (claimRef != null) {
            claimRef.remove("uid");
            claimRef.remove("resourceVersion");
            String ns = RestoreJson.text(claimRef, "namespace");
            if (ns != null) {
                claimRef.put("namespace", target(ns));
            }
        }
    }

    /** ServiceAccount: drop references to its legacy token secrets (the cluster makes new ones). */
    private void serviceAccount(ObjectNode obj, ObjectNode metadata) {
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
    private static void crdPreserveUnknownFields(ObjectNode obj) {
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
    private static void webhookSideEffects(ObjectNode obj) {
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

    /** RoleBinding / ClusterRoleBinding: subjects in mapped namespaces follow the mapping. */
    private void bindingSubjects(ObjectNode obj) {
        for (JsonNode s : obj.path("subjects")) {
            if (s instanceof ObjectNode subject) {
                String ns = RestoreJson.text(subject, "namespace");
                if (ns != null && namespaceMapping.containsKey(ns)) {
                    subject.put("namespace", namespaceMapping.get(ns));
                }
            }
        }
    }

    /** Velero's {@code label.GetValidName}: values over 63 characters become 57 characters and 6 hex of their SHA-256. */
    static String validLabelValue(String value) {
        if (value.length() <= 63) {
            return value;
        }
        try {
            byte[] sum = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return value.substring(0, 57) + HexFormat.of().formatHex(sum).substring(0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
