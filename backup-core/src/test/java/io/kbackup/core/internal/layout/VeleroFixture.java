package io.kbackup.core.internal.layout;

import io.kbackup.spi.StorageProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A backup as Velero itself writes it (FORMAT.md sections 1 and 2), built independently of our
 * writer: a pretty-printed velero-backup.json with fields we do not use (uid, managedFields,
 * annotations, hooks, snapshot counters...), a tarball made by GNU tar, and the gzipped side files.
 */
public final class VeleroFixture {
    private VeleroFixture() {}

    /** The velero-backup.json text of a Velero-made scheduled backup. */
    public static String backupJson(String name, String phase, Instant start) {
        Instant end = start.plusSeconds(192);
        Instant expires = start.plusSeconds(7 * 24 * 3600);
        return """
                {
                  "kind": "Backup",
                  "apiVersion": "velero.io/v1",
                  "metadata": {
                    "name": "%1$s",
                    "namespace": "velero",
                    "uid": "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
                    "resourceVersion": "123456",
                    "generation": 7,
                    "creationTimestamp": "%2$s",
                    "labels": {
                      "velero.io/schedule-name": "velero-nightly",
                      "velero.io/storage-location": "default"
                    },
                    "annotations": {
                      "velero.io/resource-timeout": "10m0s",
                      "velero.io/source-cluster-k8s-gitversion": "v1.31.2",
                      "velero.io/source-cluster-k8s-major-version": "1",
                      "velero.io/source-cluster-k8s-minor-version": "31"
                    },
                    "managedFields": [
                      {
                        "manager": "velero-server",
                        "operation": "Update",
                        "apiVersion": "velero.io/v1",
                        "time": "%3$s",
                        "fieldsType": "FieldsV1",
                        "fieldsV1": {"f:status": {".": {}, "f:phase": {}}}
                      }
                    ]
                  },
                  "spec": {
                    "metadata": {},
                    "includedNamespaces": ["*"],
                    "excludedNamespaces": ["kube-system"],
                    "ttl": "168h0m0s",
                    "hooks": {},
                    "storageLocation": "default",
                    "volumeSnapshotLocations": ["default"],
                    "defaultVolumesToFsBackup": false,
                    "csiSnapshotTimeout": "10m0s",
                    "itemOperationTimeout": "4h0m0s",
                    "snapshotMoveData": false,
                    "uploaderConfig": {"parallelFilesUpload": 10}
                  },
                  "status": {
                    "version": 1,
                    "formatVersion": "1.1.0",
                    "expiration": "%4$s",
                    "phase": "%5$s",
                    "startTimestamp": "%2$s",
                    "completionTimestamp": "%3$s",
                    "errors": 2,
                    "warnings": 5,
                    "progress": {"totalItems": 812, "itemsBackedUp": 810},
                    "volumeSnapshotsAttempted": 2,
                    "volumeSnapshotsCompleted": 2,
                    "csiVolumeSnapshotsAttempted": 1,
                    "csiVolumeSnapshotsCompleted": 1,
                    "backupItemOperationsAttempted": 1,
                    "backupItemOperationsCompleted": 1,
                    "hookStatus": {}
                  }
                }
                """.formatted(name, start, end, expires, phase);
    }

    /**
     * Writes a whole Velero-layout backup into {@code storage} under {@code layout}; the tarball is
     * made by GNU tar in {@code workDir}.
     */
    public static void write(StorageProvider storage, BucketLayout layout, String name, String phase, Instant start,
            Path workDir) throws Exception {
        Path dir = Files.createDirectories(workDir.resolve("fixture-" + name));
        Path item = dir.resolve("resources/configmaps/namespaces/shop/settings.json");
        Files.createDirectories(item.getParent());
        String cm = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"settings\",\"namespace\":\"shop\"},\"data\":{\"a\":\"b\"}}";
        Files.writeString(item, cm);
        Path pref = dir.resolve("resources/configmaps/v1-preferredversion/namespaces/shop/settings.json");
        Files.createDirectories(pref.getParent());
        Files.writeString(pref, cm);
        Files.createDirectories(dir.resolve("metadata"));
        Files.writeString(dir.resolve("metadata/version"), "1.1.0\n");
        Path tar = workDir.resolve(name + ".tar.gz");
        TarArchiveWriterTest.run(dir, "tar", "--format=pax", "-czf", tar.toString(), "metadata/version",
                "resources/configmaps/namespaces/shop/settings.json",
                "resources/configmaps/v1-preferredversion/namespaces/shop/settings.json");

        storage.put(layout.tarball(name), Files.readAllBytes(tar));
        storage.put(layout.logs(name), GzipJson.gzip(("time=\"" + start + "\" level=info msg=\"Setting up backup log\" backup=velero/"
                + name + " logSource=\"pkg/controller/backup_controller.go:668\"\n").getBytes(StandardCharsets.UTF_8)));
        storage.put(layout.results(name), GzipJson.gzip(
                "{\"errors\":{\"namespaces\":{\"shop\":[\"error a\",\"error b\"]}},\"warnings\":{\"velero\":[\"w\"]}}\n"
                        .getBytes(StandardCharsets.UTF_8)));
        storage.put(layout.resourceList(name), GzipJson.gzip("{\"v1/ConfigMap\":[\"shop/settings\"]}\n".getBytes(StandardCharsets.UTF_8)));
        for (String key : List.of(layout.volumeSnapshots(name), layout.podVolumeBackups(name), layout.itemOperations(name))) {
            storage.put(key, GzipJson.gzip("null\n".getBytes(StandardCharsets.UTF_8)));
        }
        storage.put(layout.volumeInfo(name), GzipJson.gzip("[]\n".getBytes(StandardCharsets.UTF_8)));
        storage.put(layout.csiVolumeSnapshots(name), GzipJson.gzip("null\n".getBytes(StandardCharsets.UTF_8)));
        storage.put(layout.backupJson(name), backupJson(name, phase, start).getBytes(StandardCharsets.UTF_8));
    }
}
