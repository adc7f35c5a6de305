package io.kbackup.core.internal.layout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The records of Velero's {@code <name>-volumeinfo.json.gz} (one per included claim: snapshotted,
 * failed or skipped), built ({@link #snapshot}, {@link #skipped}) and read
 * ({@link #usableSnapshots}) here only.
 */
public final class VolumeInfo {
    /** Velero's {@code backupMethod} of a CSI snapshot. */
    public static final String CSI_SNAPSHOT = "CSISnapshot";

    private VolumeInfo() {}

    /**
     * A claim and its volume.
     *
     * @param namespace     the claim's namespace
     * @param claim         the claim's name
     * @param pvName        its PersistentVolume, or null
     * @param reclaimPolicy the volume's reclaim policy ("" when unknown), or null when the volume is unknown
     * @param pvLabels      the volume's labels (may be empty)
     */
    public record Claim(String namespace, String claim, String pvName, String reclaimPolicy, Map<String, String> pvLabels) {}

    /**
     * A CSI snapshot of a claim's volume.
     *
     * @param driver        the CSI driver
     * @param snapshotClass the VolumeSnapshotClass
     * @param snapshotName  the VolumeSnapshot
     * @param contentName   its VolumeSnapshotContent ("" when none)
     * @param handle        the storage's snapshot handle, or null when the snapshot failed
     * @param size          its restore size in bytes (0 when unknown)
     */
    public record CsiSnapshot(String driver, String snapshotClass, String snapshotName, String contentName, String handle, long size) {}

    /** The record of a snapshot that succeeded ({@code csi.handle()} set) or failed ({@code csi.handle()} null). */
    public static ObjectNode snapshot(Claim claim, Instant started, Instant completed, CsiSnapshot csi) {
        boolean succeeded = csi.handle() != null;
        ObjectNode r = GzipJson.MAPPER.createObjectNode();
        r.put("pvcName", claim.claim());
        r.put("pvcNamespace", claim.namespace());
        r.put("pvName", claim.pvName());
        r.put("backupMethod", CSI_SNAPSHOT);
        r.put("snapshotDataMoved", false);
        r.put("startTimestamp", time(started));
        r.put("completionTimestamp", time(completed));
        r.put("result", succeeded ? "succeeded" : "failed");
        pvInfo(r, claim);
        ObjectNode info = r.putObject("csiSnapshotInfo");
        info.put("snapshotHandle", succeeded ? csi.handle() : "");
        info.put("size", succeeded ? csi.size() : 0);
        info.put("driver", csi.driver());
        info.put("vscName", csi.contentName());
        info.put("operationID", "");
        info.put("volumeSnapshotClass", csi.snapshotClass());
        info.put("volumeSnapshotName", csi.snapshotName());
        if (succeeded) {
            info.put("ReadyToUse", true);
        }
        return r;
    }

    /** The record of a claim whose volume was not snapshotted, and why. */
    public static ObjectNode skipped(Claim claim, String reason) {
        ObjectNode r = GzipJson.MAPPER.createObjectNode();
        r.put("pvcName", claim.claim());
        r.put("pvcNamespace", claim.namespace());
        if (claim.pvName() != null) {
            r.put("pvName", claim.pvName());
        }
        r.put("snapshotDataMoved", false);
        r.put("skipped", true);
        r.put("skippedReason", reason);
        if (claim.reclaimPolicy() != null) {
            pvInfo(r, claim);
        }
        return r;
    }

    /**
     * A snapshot a restore can provision from, as read back.
     *
     * @param snapshotName the recorded VolumeSnapshot name, or "" when the record has none
     */
    public record Usable(String namespace, String claim, String pvName, String driver, String handle, String contentName,
            String snapshotName, String snapshotClass) {}

    /** The succeeded CSI snapshots with a handle, in file order (other records are left out). */
    public static List<Usable> usableSnapshots(JsonNode records) {
        List<Usable> out = new ArrayList<>();
        for (JsonNode r : records) {
            JsonNode csi = r.path("csiSnapshotInfo");
            if (!CSI_SNAPSHOT.equals(r.path("backupMethod").asText()) || !"succeeded".equals(r.path("result").asText())
                    || r.path("skipped").asBoolean(false) || csi.path("snapshotHandle").asText("").isEmpty()) {
                continue;
            }
            out.add(new Usable(r.path("pvcNamespace").asText(), r.path("pvcName").asText(), r.path("pvName").asText(""),
                    csi.path("driver").asText(), csi.path("snapshotHandle").asText(), csi.path("vscName").asText(""),
                    csi.path("volumeSnapshotName").asText(""), csi.path("volumeSnapshotClass").asText("")));
        }
        return out;
    }

    private static void pvInfo(ObjectNode record, Claim claim) {
        ObjectNode info = record.putObject("pvInfo");
        info.put("reclaimPolicy", claim.reclaimPolicy() == null ? "" : claim.reclaimPolicy());
        ObjectNode labels = info.putObject("labels");
        new TreeMap<>(claim.pvLabels()).forEach(labels::put);
    }

    private static String time(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }
}
