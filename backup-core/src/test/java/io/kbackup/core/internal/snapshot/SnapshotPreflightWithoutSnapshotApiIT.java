package io.kbackup.core.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPlan;
import io.kbackup.InvalidPlanException;
import io.kbackup.core.KBackup;
import io.kbackup.core.direct.DirectEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cluster without the external-snapshotter CRDs (fabric8's plain CRUD mock serves no discovery for them). */
@EnableKubernetesMockClient(crud = true)
class SnapshotPreflightWithoutSnapshotApiIT {
    static KubernetesClient client;

    @TempDir
    Path folder;

    @Test
    void includeAllDisksIsRefusedWhenTheSnapshotApiIsNotServed() throws Exception {
        client.persistentVolumeClaims().inNamespace("app").resource(
                (io.fabric8.kubernetes.api.model.PersistentVolumeClaim) SnapshotFixture.claim("app", "data", java.util.Map.of())).create();
        try (DirectEngine engine = KBackup.direct(client)) {
            BackupPlan plan = BackupPlan.builder().name("no-crds").location(BackupLocation.localFolder(folder).build())
                    .includeAllDisks(true).build();
            assertThatThrownBy(() -> engine.backup(plan)).isInstanceOf(InvalidPlanException.class)
                    .hasMessageContaining("snapshot.storage.k8s.io/v1")
                    .hasMessageContaining("volumesnapshotclasses, volumesnapshotcontents, volumesnapshots")
                    .hasMessageContaining("includeAllDisks(false)");
            try (var files = Files.list(folder)) {
                assertThat(files).isEmpty();
            }
        }
    }
}
