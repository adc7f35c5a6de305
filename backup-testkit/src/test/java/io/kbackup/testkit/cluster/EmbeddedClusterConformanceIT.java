package io.kbackup.testkit.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The conformance cases against {@link EmbeddedCluster}: it answers as a real API server. */
class EmbeddedClusterConformanceIT extends ClusterConformanceCases {

  private static EmbeddedCluster cluster;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    cluster = EmbeddedCluster.start();
    client = cluster.client();
  }

  @AfterAll
  static void stop() {
    client.close();
    cluster.close();
  }

  @Override
  protected KubernetesClient client() {
    return client;
  }
}
