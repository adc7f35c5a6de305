package io.kbackup.testkit.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import io.kbackup.testkit.servers.TestServers;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RealCluster itself: version stamp, controllers at work, independent clusters, kubectl. */
class RealClusterRealIT {

    @Test
    void twoIndependentClustersWithControllers(@TempDir Path tmp) throws Exception {
        try (RealCluster a = RealCluster.start(); RealCluster b = RealCluster.start();
             KubernetesClient ca = a.client(); KubernetesClient cb = b.client()) {
            System.out.printf("RealCluster start-up: %d ms and %d ms%n",
                    a.startupTime().toMillis(), b.startupTime().toMillis());
            VersionInfo version = ca.getKubernetesVersion();
            assertThat(version.getGitVersion()).isEqualTo("v1.35.4");
            assertThat(version.getMajor()).isEqualTo("1");
            assertThat(version.getMinor()).isEqualTo("35");

            a.seed(Stream.of(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build(),
                    new ConfigMapBuilder().withNewMetadata().withName("settings").withNamespace("shop").endMetadata()
                            .withData(Map.of("k", "v")).build()));
            assertThat(ca.configMaps().inNamespace("shop").withName("settings").get().getData()).containsEntry("k", "v");
            assertThat(cb.namespaces().withName("shop").get()).as("clusters are independent").isNull();

            // garbage collection: a dependent of a deleted owner goes away
            ConfigMap owner = ca.configMaps().inNamespace("shop").withName("settings").get();
            ca.resource(new ConfigMapBuilder().withNewMetadata().withName("dependent").withNamespace("shop")
                    .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("ConfigMap")
                            .withName("settings").withUid(owner.getMetadata().getUid()).build())
                    .endMetadata().build()).create();
            ca.resource(owner).delete();
            ca.configMaps().inNamespace("shop").withName("dependent").waitUntilCondition(c -> c == null, 60, TimeUnit.SECONDS);

            // namespace deletion finishes (the namespace controller empties it)
            ca.namespaces().withName("shop").delete();
            ca.namespaces().withName("shop").waitUntilCondition(n -> n == null, 60, TimeUnit.SECONDS);

            // kubectl works with the written kubeconfig
            if (TestServers.available("kubectl")) {
                Path kubeconfig = a.writeKubeconfig(tmp.resolve("config"));
                Process p = new ProcessBuilder(TestServers.require("kubectl").toString(), "--kubeconfig",
                        kubeconfig.toString(), "--cache-dir", tmp.resolve("cache").toString(),
                        "get", "namespace", "default", "-o", "name")
                        .redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes());
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(out.trim()).isEqualTo("namespace/default");
            }
        }
    }

    @Test
    void closeStopsEverythingAndDeletesItsData() {
        RealCluster c = RealCluster.builder().controllerManager(false).start();
        List<ProcessHandle> before = ProcessHandle.current().children().toList();
        assertThat(before).hasSizeGreaterThanOrEqualTo(2);
        c.close();
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive).filter(before::contains).toList())
                .isEmpty();
    }
}
