package io.kbackup.testkit.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** The conformance cases against {@link EmbeddedCluster}: it answers as a real API server. */
@ExtendWith(EmbeddedClusterExtension.class)
class EmbeddedClusterConformanceIT extends ClusterConformanceCases {

  private static KubernetesClient client;

  @BeforeAll
  static void start(KubernetesClient shared) {
    client = shared;
  }

  @Override
  protected KubernetesClient client() {
    return client;
  }
}
