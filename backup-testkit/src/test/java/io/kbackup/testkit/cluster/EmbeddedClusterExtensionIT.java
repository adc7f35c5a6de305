package io.kbackup.testkit.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.stream.IntStream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

@ExtendWith(EmbeddedClusterExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmbeddedClusterExtensionIT {

  private static EmbeddedCluster firstSeen;

  @Test
  @Order(1)
  void injectsClusterAndAClientPointedAtIt(EmbeddedCluster cluster, KubernetesClient client) {
    firstSeen = cluster;
    assertThat(client.getMasterUrl().toString()).startsWith(cluster.url());
    client.configMaps().inNamespace("default").resource(new ConfigMapBuilder()
        .withNewMetadata().withName("from-first-test").endMetadata().build()).create();
  }

  @Test
  @Order(2)
  void sharesOneClusterAcrossTheClass(EmbeddedCluster cluster, KubernetesClient client) {
    assertThat(cluster).isSameAs(firstSeen);
    assertThat(client.configMaps().inNamespace("default").withName("from-first-test").get())
        .isNotNull();
  }

  @Nested
  class NestedTests {
    @Test
    void nestedClassSharesTheEnclosingCluster(EmbeddedCluster cluster) {
      assertThat(cluster).isSameAs(firstSeen);
    }
  }

  static class CustomStarter {
    @RegisterExtension
    static EmbeddedClusterExtension cluster =
        new EmbeddedClusterExtension(() -> EmbeddedCluster.builder().maxPageSize(3).start());

    @Test
    void usesTheGivenStarter(EmbeddedCluster cluster, KubernetesClient client) {
      cluster.seed(IntStream.range(0, 5).mapToObj(i -> new ConfigMapBuilder()
          .withNewMetadata().withName("c" + i).endMetadata().build()));
      assertThat(client.configMaps().inNamespace("default")
          .list(new ListOptionsBuilder().withLimit(10L).build()).getItems()).hasSize(3);
    }
  }
}
