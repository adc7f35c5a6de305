package io.kbackup.testkit.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * One {@link EmbeddedCluster} and client per test class, started before its tests and closed
 * after them; a subclass may add its own {@code @BeforeAll} (it runs after this one) to seed.
 */
abstract class EmbeddedClusterITSupport {

  static EmbeddedCluster cluster;
  static KubernetesClient client;

  @BeforeAll
  static void startCluster() {
    cluster = EmbeddedCluster.start();
    client = cluster.client();
  }

  @AfterAll
  static void stopCluster() {
    client.close();
    cluster.close();
  }
}
