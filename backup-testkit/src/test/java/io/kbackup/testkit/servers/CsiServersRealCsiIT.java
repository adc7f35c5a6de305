package io.kbackup.testkit.servers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.testkit.cluster.RealCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The CSI test machinery on its own, without kbackup: a claim provisioned by the real
 * csi-provisioner, bytes written into its volume folder, a VolumeSnapshot cut by the real
 * snapshot-controller and csi-snapshotter, and a claim provisioned from that snapshot holding the
 * same bytes.
 */
class CsiServersRealCsiIT {

    @Test
    void aClaimRestoredFromASnapshotHoldsTheSnapshottedBytes() throws Exception {
        byte[] bytes = new byte[256 * 1024];
        new Random(7).nextBytes(bytes);
        try (RealCluster cluster = RealCluster.start();
             CsiHostPathDriver driver = CsiHostPathDriver.start();
             CsiServers csi = CsiServers.start(cluster, driver);
             KubernetesClient client = cluster.client()) {
            csi.createClaim("default", "data", "1Gi", Map.of(), Map.of());
            Path folder = csi.volumeFolder("default", "data");
            Files.createDirectories(folder.resolve("sub"));
            Files.write(folder.resolve("sub/blob.bin"), bytes);

            GenericKubernetesResource vs = new GenericKubernetesResource();
            vs.setApiVersion("snapshot.storage.k8s.io/v1");
            vs.setKind("VolumeSnapshot");
            vs.setMetadata(new ObjectMetaBuilder().withName("snap").withNamespace("default").build());
            vs.setAdditionalProperty("spec", Map.of("volumeSnapshotClassName", CsiServers.RETAIN_CLASS,
                    "source", Map.of("persistentVolumeClaimName", "data")));
            client.genericKubernetesResources(CsiServers.VOLUME_SNAPSHOTS).inNamespace("default").resource(vs).create();
            GenericKubernetesResource[] ready = new GenericKubernetesResource[1];
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                ready[0] = client.genericKubernetesResources(CsiServers.VOLUME_SNAPSHOTS).inNamespace("default").withName("snap").get();
                if (Boolean.TRUE.equals(ready[0].get("status", "readyToUse"))) {
                    break;
                }
                Thread.sleep(200);
            }
            assertThat((Object) ready[0].get("status", "readyToUse")).as(csi.tails(30)).isEqualTo(true);
            String content = (String) ready[0].get("status", "boundVolumeSnapshotContentName");
            String handle = (String) client.genericKubernetesResources(CsiServers.VOLUME_SNAPSHOT_CONTENTS).withName(content).get()
                    .get("status", "snapshotHandle");
            assertThat(driver.snapshotFile(handle)).isRegularFile();

            client.persistentVolumeClaims().inNamespace("default").resource(new PersistentVolumeClaimBuilder()
                    .withNewMetadata().withName("copy").withNamespace("default").endMetadata()
                    .withNewSpec().withStorageClassName(CsiServers.STORAGE_CLASS).withAccessModes("ReadWriteOnce")
                    .withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources()
                    .withNewDataSource().withApiGroup("snapshot.storage.k8s.io").withKind("VolumeSnapshot").withName("snap")
                    .endDataSource().endSpec().build()).create();
            csi.awaitBound("default", "copy", Duration.ofSeconds(60));
            Path copy = csi.volumeFolder("default", "copy");
            assertThat(copy).isNotEqualTo(folder);
            assertThat(Files.readAllBytes(copy.resolve("sub/blob.bin"))).isEqualTo(bytes);
        }
    }
}
