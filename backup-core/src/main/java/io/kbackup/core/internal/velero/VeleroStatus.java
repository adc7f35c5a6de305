package io.kbackup.core.internal.velero;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kbackup.BackupInfo;
import io.kbackup.BackupPhase;
import io.kbackup.RestoreInfo;
import io.kbackup.RestorePhase;
import io.kbackup.core.internal.layout.BackupDocument;
import io.kbackup.core.internal.layout.VeleroPhases;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Reads the status of Velero's custom resources. */
public final class VeleroStatus {
    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private VeleroStatus() {}

    /** Any fabric8 object (or map) as a Jackson tree. */
    public static JsonNode tree(Object resource) {
        return resource instanceof JsonNode n ? n : SERIALIZATION.convertValue(resource, JsonNode.class);
    }

    /** A Backup's phase; names the SDK does not know are {@link BackupPhase#UNKNOWN}. */
    public static BackupPhase backupPhase(JsonNode backup) {
        return VeleroPhases.backup(text(backup.path("status").path("phase")));
    }

    /** A Restore's phase; names the SDK does not know are {@link RestorePhase#UNKNOWN}. */
    public static RestorePhase restorePhase(JsonNode restore) {
        return VeleroPhases.restore(text(restore.path("status").path("phase")));
    }

    /** Velero's validation errors ({@code status.validationErrors}), possibly empty. */
    public static List<String> validationErrors(JsonNode resource) {
        List<String> out = new ArrayList<>();
        resource.path("status").path("validationErrors").forEach(e -> out.add(e.asText()));
        return out;
    }

    /**
     * Why a Backup or Restore failed: {@code status.failureReason}, else its validation errors
     * joined with "; ", else null.
     */
    public static String failureReason(JsonNode resource) {
        String reason = text(resource.path("status").path("failureReason"));
        if (reason != null && !reason.isBlank()) {
            return reason;
        }
        List<String> errors = validationErrors(resource);
        return errors.isEmpty() ? null : String.join("; ", errors);
    }

    /**
     * A Restore's details from its status. Per-item counts (created, updated, skipped, failed) and
     * messages come from the restore's results in the bucket when Velero wrote them; see
     * {@link RestoreResults}.
     */
    public static RestoreInfo restoreInfo(JsonNode restore, RestoreResults results) {
        JsonNode spec = restore.path("spec");
        JsonNode status = restore.path("status");
        Map<String, String> mapping = new LinkedHashMap<>();
        spec.path("namespaceMapping").properties().forEach(e -> mapping.put(e.getKey(), e.getValue().asText()));
        RestorePhase phase = restorePhase(restore);
        List<String> errors = new ArrayList<>(results.errors());
        List<String> warnings = new ArrayList<>(results.warnings());
        int errorCount = status.path("errors").asInt(0);
        if (errors.isEmpty() && errorCount > 0) {
            errors.add(errorCount + " error(s): see the restore's results and logs in the bucket (velero restore describe/logs "
                    + text(restore.path("metadata").path("name")) + ")");
        }
        int warningCount = status.path("warnings").asInt(0);
        if (warnings.isEmpty() && warningCount > 0) {
            warnings.add(warningCount + " warning(s): see the restore's results in the bucket");
        }
        if (phase == RestorePhase.FAILED_VALIDATION) {
            errors.addAll(validationErrors(restore));
        }
        // Velero lists an item that only has warnings (e.g. it exists already and differs, policy none) as
        // "(failed)" in its resource list; with no error at all in the restore, those items were skipped
        long failed = results.failed();
        long skipped = results.skipped();
        if (errorCount == 0 && results.errors().isEmpty() && phase != RestorePhase.FAILED) {
            skipped += failed;
            failed = 0;
        }
        long total = status.path("progress").path("totalItems").asLong(0);
        long restored = status.path("progress").path("itemsRestored").asLong(0);
        return RestoreInfo.builder().name(text(restore.path("metadata").path("name"))).backupName(text(spec.path("backupName")))
                .veleroPhase(text(status.path("phase"))).started(instant(status.path("startTimestamp"))).completed(instant(status.path("completionTimestamp")))
                .itemsTotal(total).itemsRestored(restored).created(results.created()).updated(results.updated())
                .skipped(skipped).failed(failed).errors(errors).warnings(warnings).namespaceMapping(mapping)
                .failureReason(failureReason(restore)).build();
    }

    /**
     * A Backup's details from the Backup object, with the mapping both engines use for
     * {@code velero-backup.json} ({@link BackupDocument#toInfo(JsonNode)}); a backup Velero refused
     * ({@code FailedValidation}) has its validation errors as failure reason.
     */
    public static BackupInfo backupInfo(JsonNode backup) {
        BackupInfo info = BackupDocument.toInfo(backup);
        String reason = failureReason(backup);
        if (Objects.equals(reason, info.failureReason())) {
            return info;
        }
        return info.toBuilder().failureReason(reason).build();
    }

    /** The text of a node, or null when missing or null. */
    public static String text(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull() ? null : node.asText();
    }

    /** An RFC 3339 timestamp, or null. */
    public static Instant instant(JsonNode node) {
        String t = text(node);
        if (t == null || t.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
