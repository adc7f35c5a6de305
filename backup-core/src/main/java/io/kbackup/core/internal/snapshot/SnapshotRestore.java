package io.kbackup.core.internal.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kbackup.CorruptBackupException;
import io.kbackup.core.internal.kube.KubeRetry;
import io.kbackup.core.internal.layout.BucketLayout;
import io.kbackup.core.internal.layout.GzipJson;
import io.kbackup.core.internal.layout.VeleroKeys;
import io.kbackup.core.internal.layout.VolumeInfo;
import io.kbackup.spi.StorageProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The restore side of include all disks: claims whose volume was snapshotted by the backup
 * ({@code volumeinfo} record with {@code backupMethod: CSISnapshot}, {@code result: succeeded})
 * come back provisioned from their snapshot, when the restore restores persistent volumes.
 *
 * <p>For such a claim, {@link #prepareClaim} (called just before the claim is created) makes sure a
 * VolumeSnapshot of the backup's snapshot exists in the claim's (mapped) namespace: the backup's own
 * VolumeSnapshot when it is still there, bound to the recorded content (same cluster); otherwise a
 * statically provisioned VolumeSnapshotContent ({@code source.snapshotHandle} = the recorded
 * handle, the recorded driver, deletionPolicy {@code Retain}, {@code volumeSnapshotRef} to the new
 * VolumeSnapshot) and a VolumeSnapshot with {@code source.volumeSnapshotContentName} (another
 * cluster, or the original was deleted). The claim then gets {@code spec.dataSource} pointing at
 * that VolumeSnapshot and loses {@code spec.volumeName}, so it is provisioned anew from the
 * snapshot; its PersistentVolume from the backup is not restored ({@link #pvFromSnapshot}).
 *
 * <p>The VolumeSnapshots and VolumeSnapshotContents in the tarball are never restored as they are
 * ({@link #handlesResource}): a VolumeSnapshot with {@code source.persistentVolumeClaimName} would
 * take a new snapshot of whatever claim has that name now. Thread-safe after {@link #load}.
 */
public final class SnapshotRestore {
    /** A usable snapshot record. */
    private record Snapshot(String namespace, String claim, String pvName, String driver, String handle, String contentName,
            String snapshotName, String snapshotClass) {}

    private final KubernetesClient client;
    private final KubeRetry retry;
    private final String restoreName;
    private final boolean active;
    /** backup namespace/claim -> snapshot. */
    private final Map<String, Snapshot> byClaim;
    private final Map<String, Snapshot> byPv;

    private SnapshotRestore(KubernetesClient client, KubeRetry retry, String restoreName, boolean active,
            Map<String, Snapshot> byClaim) {
        this.client = client;
        this.retry = retry;
        this.restoreName = restoreName;
        this.active = active;
        this.byClaim = byClaim;
        this.byPv = new HashMap<>();
        byClaim.values().forEach(s -> byPv.put(s.pvName(), s));
    }

    /**
     * Reads the backup's {@code <name>-volumeinfo.json.gz} (absent or {@code null}: no snapshots).
     *
     * @param restorePersistentVolumes the plan's choice; when false, claims get new empty volumes as before
     * @param plain                    the stored file's content as written (decrypts an encrypted backup's)
     * @throws CorruptBackupException when the file is there but unreadable
     */
    public static SnapshotRestore load(KubernetesClient client, KubeRetry retry, StorageProvider storage, BucketLayout layout,
            String backup, String restoreName, boolean restorePersistentVolumes,
            java.util.function.BiFunction<InputStream, String, InputStream> plain) {
        Map<String, Snapshot> byClaim = new LinkedHashMap<>();
        String key = layout.volumeInfo(backup);
        if (storage.exists(key)) {
            JsonNode records;
            try (InputStream in = plain.apply(storage.get(key), key)) {
                records = GzipJson.readGzipJson(in);
            } catch (IOException e) {
                throw new CorruptBackupException(backup, "Backup '" + backup + "': " + key + " is not gzipped JSON (" + e.getMessage()
                        + "); its volume snapshots cannot be restored. Nothing was restored.", e);
            } catch (UncheckedIOException e) {
                throw e;
            }
            for (VolumeInfo.Usable u : VolumeInfo.usableSnapshots(records)) {
                String vsName = u.snapshotName().isEmpty() ? SnapshotApi.snapshotName(backup, u.namespace(), u.claim()) : u.snapshotName();
                byClaim.put(u.namespace() + "/" + u.claim(), new Snapshot(u.namespace(), u.claim(), u.pvName(), u.driver(), u.handle(),
                        u.contentName(), vsName, u.snapshotClass()));
            }
        }
        return new SnapshotRestore(client, retry, restoreName, restorePersistentVolumes && !byClaim.isEmpty(), byClaim);
    }

    /** Whether items of this group-resource are left to this class (VolumeSnapshots and their contents). */
    public static boolean handlesResource(String groupResource) {
        return SnapshotApi.SNAPSHOTS_GR.equals(groupResource) || SnapshotApi.CONTENTS_GR.equals(groupResource);
    }

    /** Why {@link #handlesResource} items are not restored as they are, for the restore's report. */
    public static String notRestoredReason() {
        return "VolumeSnapshots and VolumeSnapshotContents are not restored as backed up; claims restored from a snapshot get"
                + " a VolumeSnapshot of their own";
    }

    /** Whether the PV of this name (in the backup) is replaced by a volume provisioned from its snapshot. */
    public boolean pvFromSnapshot(String pvName) {
        return active && byPv.containsKey(pvName);
    }

    /** Whether this claim ({@code namespace/name} in the backup) is restored from its snapshot. */
    public boolean claimFromSnapshot(String backupNamespace, String claim) {
        return active && byClaim.containsKey(backupNamespace + "/" + claim);
    }

    /**
     * For a preview: the {@code spec.dataSource} this claim would get in {@code targetNamespace}, in
     * words (the VolumeSnapshot, the recorded snapshot handle and driver), or null when the claim is
     * not restored from a snapshot. Reads and creates nothing.
     */
    public String describeDataSource(String backupNamespace, String claim, String targetNamespace) {
        Snapshot s = active ? byClaim.get(backupNamespace + "/" + claim) : null;
        if (s == null) {
            return null;
        }
        return "spec.dataSource VolumeSnapshot " + targetNamespace + "/" + s.snapshotName() + " (" + SnapshotApi.GROUP
                + "), of snapshot handle " + s.handle() + " of driver " + s.driver();
    }

    /**
     * Prepares a claim about to be created: see the class comment. Does nothing for claims without a
     * snapshot, or when the claim already exists in the target (the restore then leaves it as it is).
     *
     * @param backupNamespace the claim's namespace in the backup
     * @param targetNamespace the namespace it is restored into (after mapping)
     * @param claim           the claim as it will be created; changed in place
     * @throws IllegalStateException     when a VolumeSnapshot of the name needed exists and is not this snapshot
     * @throws KubernetesClientException when the cluster refuses
     */
    public void prepareClaim(String backupNamespace, String targetNamespace, ObjectNode claim) {
        if (!active) {
            return;
        }
        String claimName = claim.path("metadata").path("name").asText();
        Snapshot s = byClaim.get(backupNamespace + "/" + claimName);
        if (s == null) {
            return;
        }
        if (retry.call("get PersistentVolumeClaim " + targetNamespace + "/" + claimName,
                () -> client.persistentVolumeClaims().inNamespace(targetNamespace).withName(claimName).get()) != null) {
            return;
        }
        String vsName = ensureSnapshot(s, targetNamespace);
        ObjectNode spec = claim.with("spec");
        spec.remove("volumeName");
        spec.remove("dataSourceRef");
        ObjectNode source = spec.putObject("dataSource");
        source.put("apiGroup", SnapshotApi.GROUP);
        source.put("kind", "VolumeSnapshot");
        source.put("name", vsName);
    }

    /** The name of a VolumeSnapshot of {@code s} in {@code ns}, created if needed. */
    private String ensureSnapshot(Snapshot s, String ns) {
        String name = s.snapshotName();
        GenericKubernetesResource existing = retry.call("get VolumeSnapshot " + ns + "/" + name,
                () -> SnapshotApi.snapshots(client).inNamespace(ns).withName(name).get());
        if (existing != null) {
            if (isOurs(existing, s)) {
                return name;
            }
            throw new IllegalStateException("VolumeSnapshot " + ns + "/" + name + " exists and is not the backup's snapshot of claim "
                    + s.claim() + " (handle " + s.handle() + "); delete or rename it and restore the claim again");
        }
        String contentName = SnapshotApi.labelValue(name + "-" + SnapshotApi.sha256Hex(restoreName + "/" + ns).substring(0, 8));
        GenericKubernetesResource content = new GenericKubernetesResource();
        content.setApiVersion(SnapshotApi.API_VERSION);
        content.setKind("VolumeSnapshotContent");
        content.setMetadata(meta(null, contentName));
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("deletionPolicy", "Retain");
        spec.put("driver", s.driver());
        spec.put("source", Map.of("snapshotHandle", s.handle()));
        spec.put("volumeSnapshotRef", Map.of("apiVersion", SnapshotApi.API_VERSION, "kind", "VolumeSnapshot", "name", name,
                "namespace", ns));
        content.setAdditionalProperty("spec", spec);
        retry.call("create VolumeSnapshotContent " + contentName, () -> SnapshotApi.contents(client).resource(content).create());
        GenericKubernetesResource vs = new GenericKubernetesResource();
        vs.setApiVersion(SnapshotApi.API_VERSION);
        vs.setKind("VolumeSnapshot");
        vs.setMetadata(meta(ns, name));
        vs.setAdditionalProperty("spec", Map.of("source", Map.of("volumeSnapshotContentName", contentName)));
        retry.call("create VolumeSnapshot " + ns + "/" + name, () -> SnapshotApi.snapshots(client).inNamespace(ns).resource(vs).create());
        return name;
    }

    /** Whether a live VolumeSnapshot is bound to the recorded content, or statically to the recorded handle. */
    private boolean isOurs(GenericKubernetesResource vs, Snapshot s) {
        String bound = SnapshotApi.text(vs.get("status", "boundVolumeSnapshotContentName"));
        if (bound == null) {
            bound = SnapshotApi.text(vs.get("spec", "source", "volumeSnapshotContentName"));
        }
        if (bound == null) {
            return false;
        }
        if (bound.equals(s.contentName())) {
            return true;
        }
        String contentName = bound;
        GenericKubernetesResource vsc = retry.call("get VolumeSnapshotContent " + contentName,
                () -> SnapshotApi.contents(client).withName(contentName).get());
        return vsc != null && (s.handle().equals(vsc.get("spec", "source", "snapshotHandle"))
                || s.handle().equals(vsc.get("status", "snapshotHandle")));
    }

    private ObjectMeta meta(String ns, String name) {
        ObjectMeta m = new ObjectMeta();
        m.setNamespace(ns);
        m.setName(name);
        m.setLabels(Map.of(VeleroKeys.RESTORE_NAME, SnapshotApi.labelValue(restoreName)));
        return m;
    }
}
