package io.kbackup.core.internal.layout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kbackup.CorruptBackupException;
import io.kbackup.RestoreInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Our record of a restore, {@code restores/<name>/kbackup-restore.json} ({@link BucketLayout#restoreRecord}):
 * the {@link RestoreInfo} fields as JSON, phases with Velero's names, times in RFC 3339, plus
 * {@code heartbeat}, when the process that runs it last wrote it. Velero never reads it.
 *
 * @param info      what the record says
 * @param heartbeat when it was written
 */
public record RestoreRecord(RestoreInfo info, Instant heartbeat) {
    /** The {@code kind} of the document. */
    public static final String KIND = "KBackupRestoreRecord";

    /** The stored bytes: compact JSON and {@code \n}. */
    public byte[] toBytes() {
        ObjectNode n = GzipJson.MAPPER.createObjectNode();
        n.put("kind", KIND);
        n.put("name", info.name());
        n.put("backupName", info.backupName());
        n.put("phase", info.veleroPhase());
        time(n, "started", info.started());
        time(n, "completed", info.completed());
        time(n, "heartbeat", heartbeat);
        n.put("itemsTotal", info.itemsTotal());
        n.put("itemsRestored", info.itemsRestored());
        n.put("created", info.created());
        n.put("updated", info.updated());
        n.put("skipped", info.skipped());
        n.put("failed", info.failed());
        info.errors().forEach(n.putArray("errors")::add);
        info.warnings().forEach(n.putArray("warnings")::add);
        ObjectNode mapping = n.putObject("namespaceMapping");
        info.namespaceMapping().forEach(mapping::put);
        if (info.failureReason() != null) {
            n.put("failureReason", info.failureReason());
        }
        return GzipJson.json(n);
    }

    /**
     * Reads a stored record.
     *
     * @throws CorruptBackupException when it is not such a record (the message names the restore)
     */
    public static RestoreRecord parse(String restore, byte[] bytes) {
        JsonNode n = GzipJson.tree(bytes, e -> new CorruptBackupException(restore, "The record of restore '" + restore
                + "' is not valid JSON: " + e.getMessage(), e));
        if (n == null || !KIND.equals(n.path("kind").asText()) || !n.path("name").isTextual()) {
            throw new CorruptBackupException(restore, "The record of restore '" + restore + "' is not a " + KIND + " document.");
        }
        Map<String, String> mapping = new LinkedHashMap<>();
        n.path("namespaceMapping").properties().forEach(e -> mapping.put(e.getKey(), e.getValue().asText()));
        RestoreInfo info = RestoreInfo.builder().name(n.path("name").asText()).backupName(text(n, "backupName"))
                .veleroPhase(text(n, "phase")).started(at(text(n, "started")))
                .completed(at(text(n, "completed"))).itemsTotal(n.path("itemsTotal").asLong())
                .itemsRestored(n.path("itemsRestored").asLong()).created(n.path("created").asLong()).updated(n.path("updated").asLong())
                .skipped(n.path("skipped").asLong()).failed(n.path("failed").asLong()).errors(strings(n.path("errors")))
                .warnings(strings(n.path("warnings"))).namespaceMapping(mapping).failureReason(text(n, "failureReason")).build();
        return new RestoreRecord(info, at(text(n, "heartbeat")));
    }

    private static void time(ObjectNode n, String field, Instant t) {
        if (t != null) {
            n.put(field, BackupDocument.timestamp(t));
        }
    }

    private static Instant at(String text) {
        return text == null || text.isEmpty() ? null : BackupDocument.parseTime(text);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }
}
