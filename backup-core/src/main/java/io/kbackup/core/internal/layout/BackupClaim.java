package io.kbackup.core.internal.layout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * A backup writer's claim on a backup name: {@code backups/<name>/kbackup-claim.json} (see
 * {@link BucketLayout#claim(String)}), created with the store's exclusive create
 * ({@code StorageProvider.createIfAbsent}) before anything else of the backup is written, so that of
 * two writers of one name (in any processes) exactly one goes on. Velero ignores the file. It stays
 * with the backup and is deleted last with it.
 *
 * <p>Shape (compact JSON plus {@code \n}):
 * <pre>{@code
 * {"claimVersion":1,"backupName":"nightly-20261121020000","claimId":"<uuid>","engineId":"<uuid>",
 *  "host":"backup-7d9f","claimedAt":"2026-11-21T02:00:00Z"}
 * }</pre>
 *
 * @param backupName the backup's name
 * @param claimId    unique per backup run: the writer compares it to tell its claim from another's
 * @param engineId   unique per engine instance: the engine that knows the run is no longer running
 *                   may reclaim its leftovers at once
 * @param host       the writer's host name, for messages only
 * @param claimedAt  when the name was claimed (the writer's clock)
 */
public record BackupClaim(String backupName, String claimId, String engineId, String host, Instant claimedAt) {

    /** The shape version this code writes. */
    public static final int VERSION = 1;

    public BackupClaim {
        Objects.requireNonNull(backupName, "backupName");
        Objects.requireNonNull(claimId, "claimId");
        Objects.requireNonNull(engineId, "engineId");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(claimedAt, "claimedAt");
    }

    /** The stored bytes. */
    public byte[] toBytes() {
        ObjectNode n = GzipJson.MAPPER.createObjectNode();
        n.put("claimVersion", VERSION);
        n.put("backupName", backupName);
        n.put("claimId", claimId);
        n.put("engineId", engineId);
        n.put("host", host);
        n.put("claimedAt", claimedAt.toString());
        return GzipJson.json(n);
    }

    /** The claim stored in {@code bytes}, or empty when they are not one (damaged, another shape). */
    public static Optional<BackupClaim> parse(byte[] bytes) {
        try {
            JsonNode n = GzipJson.MAPPER.readTree(bytes);
            if (n == null || !n.path("claimId").isTextual() || !n.path("claimedAt").isTextual()) {
                return Optional.empty();
            }
            return Optional.of(new BackupClaim(n.path("backupName").asText(""), n.path("claimId").asText(),
                    n.path("engineId").asText(""), n.path("host").asText(""), Instant.parse(n.path("claimedAt").asText())));
        } catch (IOException | DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
