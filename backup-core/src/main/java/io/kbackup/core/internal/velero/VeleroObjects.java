package io.kbackup.core.internal.velero;

import com.fasterxml.jackson.core.type.TypeReference;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.kbackup.BackupPlan;
import io.kbackup.InvalidPlanException;
import io.kbackup.RestorePlan;
import io.kbackup.Schedule;
import io.kbackup.core.internal.layout.BackupDocument;
import io.kbackup.core.internal.layout.GzipJson;
import io.kbackup.core.internal.layout.VeleroKeys;
import io.kbackup.core.internal.layout.VeleroValues;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@code velero.io/v1} objects the VeleroEngine creates: Backup, Schedule, Restore and
 * DeleteBackupRequest, from the SDK's plans. Pure functions; every object they return passes the
 * Velero CRD schemas.
 */
public final class VeleroObjects {

    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

    private VeleroObjects() {}

    /** The Velero-side choices that are not in the plan. */
    public record BackupSettings(boolean fileSystemBackup, boolean approximateEveryTwoWeeks) {}

    /** The plan's name for {@link VeleroLabels#PLAN}: its prefix, or its fixed name. */
    public static String planLabel(BackupPlan plan) {
        return plan.prefix().orElseGet(() -> plan.name().orElseThrow());
    }

    /** A {@code Backup} named {@code name} in {@code namespace}, carrying out {@code plan} now. */
    public static GenericKubernetesResource backup(BackupPlan plan, String name, String namespace, BackupSettings settings) {
        Map<String, String> labels = new LinkedHashMap<>(BackupDocument.labels(plan));
        labels.put(VeleroLabels.PLAN, planLabel(plan));
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(VeleroKind.API_VERSION).withKind(VeleroKind.BACKUP.kind())
                .withNewMetadata().withName(name).withNamespace(namespace).withLabels(labels).endMetadata()
                .addToAdditionalProperties("spec", backupSpec(plan, settings))
                .build();
    }

    /**
     * The {@code Backup} spec for a plan: the shared mapping of both engines
     * ({@link BackupDocument#spec(BackupPlan)}: namespaces, resources, cluster-scoped mode, label
     * selector, snapshotVolumes, ttl, storageLocation) plus what only Velero uses:
     * {@code defaultVolumesToFsBackup} (include all disks with file-system backup) and
     * {@code metadata.labels} (labels Velero puts on the backups a Schedule makes).
     */
    public static Map<String, Object> backupSpec(BackupPlan plan, BackupSettings settings) {
        Map<String, Object> spec = GzipJson.MAPPER.convertValue(BackupDocument.spec(plan), MAP);
        if (plan.includeAllDisks() && settings.fileSystemBackup()) {
            spec.put("defaultVolumesToFsBackup", true);
        }
        Map<String, String> labels = new LinkedHashMap<>(plan.labels());
        labels.put(VeleroLabels.PLAN, planLabel(plan));
        spec.put("metadata", Map.of("labels", labels));
        return spec;
    }

    /**
     * A {@code Schedule} for a scheduled plan, named after the plan's prefix (so that its backups
     * are {@code <prefix>-<yyyyMMddHHmmss>}, as the DirectEngine names them). It does not run on
     * creation ({@code skipImmediately}), only at the schedule's times; a zone other than UTC is
     * passed as {@code CRON_TZ=<zone>}.
     *
     * @throws InvalidPlanException when the plan has no schedule or no prefix, or the schedule has
     *                              no cron form (every two weeks, unless approximated)
     */
    public static GenericKubernetesResource schedule(BackupPlan plan, String namespace, BackupSettings settings) {
        if (!plan.schedule().isScheduled()) {
            throw new InvalidPlanException("BackupPlan " + planLabel(plan) + " has no schedule (Schedule.never());"
                    + " give one, e.g. Schedule.cron(\"0 2 * * *\"), or run it now with backup(plan).");
        }
        String prefix = plan.prefix().orElseThrow(() -> new InvalidPlanException(
                "A scheduled BackupPlan needs a prefix: its backups are named <prefix>-<yyyyMMddHHmmss>."));
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("schedule", cronExpression(plan.schedule(), settings));
        spec.put("skipImmediately", true);
        spec.put("template", backupSpec(plan, settings));
        Map<String, String> labels = new LinkedHashMap<>(plan.labels());
        labels.put(VeleroLabels.PLAN, prefix);
        labels.put(VeleroLabels.MANAGED_BY, VeleroLabels.MANAGED_BY_VALUE);
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(VeleroKind.API_VERSION).withKind(VeleroKind.SCHEDULE.kind())
                .withNewMetadata().withName(prefix).withNamespace(namespace).withLabels(labels).endMetadata()
                .addToAdditionalProperties("spec", spec)
                .build();
    }

    /**
     * Velero's {@code spec.schedule} for a schedule: its five-field cron (prefixed with
     * {@code CRON_TZ=<zone> } outside UTC), or {@code @every 336h} for every two weeks when
     * {@code approximateEveryTwoWeeks} is set.
     */
    public static String cronExpression(Schedule schedule, BackupSettings settings) {
        if (schedule.kind() == Schedule.Kind.EVERY_TWO_WEEKS) {
            if (!settings.approximateEveryTwoWeeks()) {
                throw new InvalidPlanException("Schedule.everyTwoWeeks() has no cron form, and Velero's '@every 336h' counts"
                        + " from the Schedule's creation, not from the anchor " + schedule.anchor().orElseThrow()
                        + " at midnight. Use a cron such as Schedule.cron(\"0 0 1,15 * *\"), run the plan with the SDK's"
                        + " own scheduler, or accept the approximation with VeleroOptions.approximateEveryTwoWeeks(true).");
            }
            return "@every 336h";
        }
        String cron = schedule.cronExpression().orElseThrow(() -> new InvalidPlanException(
                "Schedule " + schedule + " has no cron expression for Velero."));
        boolean utc = schedule.zone().normalized().equals(ZoneOffset.UTC) || schedule.zone().getId().equals("UTC");
        return utc ? cron : "CRON_TZ=" + schedule.zone().getId() + " " + cron;
    }

    /**
     * Refuses what a Velero {@code Restore} cannot carry: the plan's storage class, image and node
     * mappings (Velero reads them only from its plugin ConfigMaps).
     *
     * @throws InvalidPlanException naming the mapping and the ConfigMap to use instead
     */
    public static void refuseUnsupported(RestorePlan plan, String veleroNamespace) {
        refuseMapping(!plan.storageClassMapping().isEmpty(), "storageClassMapping", "velero.io/change-storage-class", veleroNamespace);
        refuseMapping(!plan.imageNameMapping().isEmpty(), "imageNameMapping", "velero.io/change-image-name", veleroNamespace);
        refuseMapping(!plan.nodeMapping().isEmpty(), "nodeMapping", "velero.io/change-pvc-node-selector", veleroNamespace);
    }

    private static void refuseMapping(boolean given, String field, String label, String veleroNamespace) {
        if (given) {
            throw new InvalidPlanException("RestorePlan " + field + " is not supported by the VeleroEngine: Velero reads it only from a"
                    + " ConfigMap in namespace '" + veleroNamespace + "' labelled velero.io/plugin-config and " + label
                    + "=RestoreItemAction. Create that ConfigMap, or restore with the DirectEngine.");
        }
    }

    /** A {@code Restore} named {@code name} of {@code plan}'s backup. */
    public static GenericKubernetesResource restore(RestorePlan plan, String name, String namespace) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("backupName", plan.backupName());
        putList(spec, "includedNamespaces", plan.includedNamespaces());
        putList(spec, "excludedNamespaces", plan.excludedNamespaces());
        putList(spec, "includedResources", plan.includedResources());
        putList(spec, "excludedResources", plan.excludedResources());
        if (!plan.namespaceMapping().isEmpty()) {
            spec.put("namespaceMapping", new LinkedHashMap<>(plan.namespaceMapping()));
        }
        Boolean cluster = VeleroValues.includeClusterResources(plan.clusterWideMode());
        if (cluster != null) {
            spec.put("includeClusterResources", cluster);
        }
        if (!plan.labelSelector().isEmpty()) {
            spec.put("labelSelector", Map.of("matchLabels", new LinkedHashMap<>(plan.labelSelector())));
        }
        spec.put("restorePVs", plan.restorePersistentVolumes());
        spec.put("preserveNodePorts", plan.preserveNodePorts());
        spec.put("existingResourcePolicy", VeleroValues.existingResourcePolicy(plan.existingResourcePolicy()));
        if (plan.restoreStatus()) {
            Map<String, Object> status = new LinkedHashMap<>();
            putList(status, "includedResources", plan.restoreStatusIncludedResources());
            putList(status, "excludedResources", plan.restoreStatusExcludedResources());
            spec.put("restoreStatus", status);
        }
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(VeleroKind.API_VERSION).withKind(VeleroKind.RESTORE.kind())
                .withNewMetadata().withName(name).withNamespace(namespace)
                .addToLabels(VeleroLabels.MANAGED_BY, VeleroLabels.MANAGED_BY_VALUE)
                .addToLabels(VeleroKeys.BACKUP_NAME, labelValue(plan.backupName())).endMetadata()
                .addToAdditionalProperties("spec", spec)
                .build();
    }

    /**
     * A {@code DeleteBackupRequest} for a backup, labelled as Velero's CLI labels them
     * ({@code velero.io/backup-name}, and {@code velero.io/backup-uid} when known).
     */
    public static GenericKubernetesResource deleteRequest(String backupName, String backupUid, String name, String namespace) {
        GenericKubernetesResourceBuilder b = new GenericKubernetesResourceBuilder()
                .withApiVersion(VeleroKind.API_VERSION).withKind(VeleroKind.DELETE_BACKUP_REQUEST.kind());
        var meta = b.withNewMetadata().withName(name).withNamespace(namespace)
                .addToLabels(VeleroLabels.MANAGED_BY, VeleroLabels.MANAGED_BY_VALUE)
                .addToLabels(VeleroKeys.BACKUP_NAME, labelValue(backupName));
        if (backupUid != null) {
            meta.addToLabels(VeleroKeys.BACKUP_UID, backupUid);
        }
        return meta.endMetadata().addToAdditionalProperties("spec", Map.of("backupName", backupName)).build();
    }

    /**
     * A name as a label value, as Velero's {@code label.GetValidName}: unchanged up to 63
     * characters, else its first 57 and six hex digits of its SHA-256.
     */
    public static String labelValue(String value) {
        if (value.length() <= 63) {
            return value;
        }
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return value.substring(0, 57) + java.util.HexFormat.of().formatHex(hash).substring(0, 6);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void putList(Map<String, Object> spec, String key, java.util.Collection<String> values) {
        if (!values.isEmpty()) {
            spec.put(key, new ArrayList<>(values));
        }
    }

    static List<String> strings(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof List<?> l) {
            l.forEach(v -> out.add(String.valueOf(v)));
        }
        return out;
    }
}
