package io.kbackup.core.internal.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kbackup.core.internal.layout.VeleroKeys;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
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

    /** The type of the Secrets holding a service account's token. */
    static final String SERVICE_ACCOUNT_TOKEN = "kubernetes.io/service-account-token";
    /** The labels by which a Job selects its pods, holding the old Job's uid. */
    static final List<String> JOB_CONTROLLER_UID_LABELS = List.of("controller-uid", "batch.kubernetes.io/controller-uid");

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
            case "services" -> ServicePorts.reset(obj, metadata, managedFields, preserveNodePorts);
            case "secrets" -> BuiltInActions.secret(obj, metadata);
            case RestoreSelection.PODS -> BuiltInActions.pod(obj);
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
            case "serviceaccounts" -> BuiltInActions.serviceAccount(obj, metadata);
            case "jobs.batch" -> BuiltInActions.job(obj, labels);
            case "rolebindings.rbac.authorization.k8s.io", RestoreSelection.CLUSTER_ROLE_BINDINGS -> bindingSubjects(obj);
            case RestoreSelection.CRDS -> BuiltInActions.crdPreserveUnknownFields(obj);
            case "mutatingwebhookconfigurations.admissionregistration.k8s.io",
                    "validatingwebhookconfigurations.admissionregistration.k8s.io" -> BuiltInActions.webhookSideEffects(obj);
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
