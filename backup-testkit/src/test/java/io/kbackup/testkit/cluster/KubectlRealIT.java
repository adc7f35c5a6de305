package io.kbackup.testkit.cluster;

import org.junit.jupiter.api.BeforeAll;

/** {@link KubectlAgainstEmbeddedClusterIT}'s kubectl cases against a real kube-apiserver. */
class KubectlRealIT extends KubectlAgainstEmbeddedClusterIT {

  @BeforeAll
  static void start() {
    start(RealCluster::start);
  }
}
