package io.kbackup.testkit.cluster;

import java.util.function.Supplier;

/**
 * JUnit 5 extension that starts one {@link EmbeddedCluster} per test class and injects it (also as
 * {@link TestCluster}), and a
 * {@link io.fabric8.kubernetes.client.KubernetesClient} pointed at it, into constructor, lifecycle and test method parameters.
 * The client is shared by the class (do not close it); both are closed after the class. Nested
 * test classes share their enclosing class's cluster.
 *
 * <pre>{@code
 * @ExtendWith(EmbeddedClusterExtension.class)
 * class RestoreTest {
 *   @Test
 *   void restores(EmbeddedCluster cluster, KubernetesClient client) { ... }
 * }
 *
 * class PagedTest {
 *   @RegisterExtension
 *   static EmbeddedClusterExtension cluster =
 *       new EmbeddedClusterExtension(() -> EmbeddedCluster.builder().maxPageSize(50).start());
 * }
 * }</pre>
 */
public final class EmbeddedClusterExtension extends ClusterExtensionSupport<EmbeddedCluster> {

  /** An extension starting clusters with {@link EmbeddedCluster#start()}. */
  public EmbeddedClusterExtension() {
    this(EmbeddedCluster::start);
  }

  /**
   * An extension starting clusters with the given function, e.g. to set builder options.
   *
   * @param starter starts and returns a new cluster, not null
   */
  public EmbeddedClusterExtension(Supplier<EmbeddedCluster> starter) {
    super(EmbeddedCluster.class, starter);
  }

  /**
   * The shared client of the cluster this extension started for the test class of {@code context}
   * (or an enclosing class), for other extensions such as kbackup's {@code @ClusterSnapshot}; empty
   * when it has started none (it starts one before all tests of a class it is registered on).
   */
  public static java.util.Optional<io.fabric8.kubernetes.client.KubernetesClient> sharedClient(
      org.junit.jupiter.api.extension.ExtensionContext context) {
    return ClusterExtensionSupport.sharedClient(EmbeddedClusterExtension.class, context);
  }
}
