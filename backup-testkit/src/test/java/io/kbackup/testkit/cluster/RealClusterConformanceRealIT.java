package io.kbackup.testkit.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The conformance cases against a real kube-apiserver 1.35 (with etcd and
 * kube-controller-manager): the answers {@link ClusterConformanceCases} writes down are the real
 * server's. Skipped with a hint, or failed under {@code CI=true}, when the server binaries are
 * missing ({@link RealCluster#start()}).
 */
class RealClusterConformanceRealIT extends ClusterConformanceCases {

  private static RealCluster cluster;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    cluster = RealCluster.start();
    client = cluster.client();
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Override
  protected KubernetesClient client() {
    return client;
  }
}
