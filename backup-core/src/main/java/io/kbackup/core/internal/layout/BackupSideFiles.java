package io.kbackup.core.internal.layout;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The files Velero keeps next to a backup's tarball under {@code backups/<name>/}, with the
 * content a backup without pod-volume backups or async item operations has: the gzipped log,
 * results, resource list, {@code null} volume snapshots and pod volume backups, an empty
 * item-operations list (Velero writes one when there are none) and the volumeinfo records.
 */
public final class BackupSideFiles {
    private BackupSideFiles() {}

    /**
     * The side files in the order to write them: key -> content.
     *
     * @param log        the backup's log text
     * @param volumeInfo the {@link VolumeInfo} records (empty when no volume was snapshotted)
     */
    public static Map<String, byte[]> of(BucketLayout layout, String backup, byte[] log, OperationResults results,
            ResourceList resources, ArrayNode volumeInfo) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(layout.logs(backup), GzipJson.gzip(log));
        files.put(layout.results(backup), GzipJson.gzipJson(results.toJson()));
        files.put(layout.resourceList(backup), resources.gzipJson());
        files.put(layout.volumeSnapshots(backup), GzipJson.gzipJson(NullNode.getInstance()));
        files.put(layout.podVolumeBackups(backup), GzipJson.gzipJson(NullNode.getInstance()));
        files.put(layout.itemOperations(backup), GzipJson.gzipJson(GzipJson.MAPPER.createArrayNode()));
        files.put(layout.volumeInfo(backup), GzipJson.gzipJson(volumeInfo));
        return files;
    }
}
