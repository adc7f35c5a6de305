package io.kbackup.testkit.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Objects;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * What {@link EmbeddedClusterExtension} and {@link RealClusterExtension} share: one cluster per
 * test class (nested classes share their enclosing class's), started before all tests, injected
 * with a shared client into constructor, lifecycle and test method parameters, and closed with the
 * class.
 *
 * @param <C> the cluster type
 */
abstract class ClusterExtensionSupport<C extends TestCluster> implements BeforeAllCallback, ParameterResolver {

  private static final String KEY = "cluster";

  private final Class<C> clusterType;
  private final Supplier<C> starter;
  private final ExtensionContext.Namespace namespace;

  ClusterExtensionSupport(Class<C> clusterType, Supplier<C> starter) {
    this.clusterType = clusterType;
    this.starter = Objects.requireNonNull(starter, "starter");
    this.namespace = ExtensionContext.Namespace.create(getClass());
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    resources(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameterContext,
      ExtensionContext extensionContext) {
    Class<?> type = parameterContext.getParameter().getType();
    return type == clusterType || type == TestCluster.class || type == KubernetesClient.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext,
      ExtensionContext extensionContext) {
    Resources r = resources(extensionContext);
    Class<?> type = parameterContext.getParameter().getType();
    if (type == clusterType || type == TestCluster.class) {
      return r.cluster;
    }
    if (type == KubernetesClient.class) {
      return r.client;
    }
    throw new ParameterResolutionException(getClass().getSimpleName() + " injects "
        + clusterType.getSimpleName() + ", TestCluster and KubernetesClient parameters only, not "
        + type.getName());
  }

  /**
   * The shared client of the cluster the extension {@code extension} started for the test class of
   * {@code context} (or an enclosing class), if it has started one; for other extensions.
   */
  static java.util.Optional<KubernetesClient> sharedClient(Class<?> extension, ExtensionContext context) {
    Resources r = context.getStore(ExtensionContext.Namespace.create(extension)).get(KEY, Resources.class);
    return java.util.Optional.ofNullable(r).map(res -> res.client);
  }

  private Resources resources(ExtensionContext context) {
    ExtensionContext classContext = context;
    while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
      classContext = classContext.getParent().get();
    }
    ExtensionContext.Store store = classContext.getStore(namespace);
    Resources existing = store.get(KEY, Resources.class); // also finds an enclosing class's
    if (existing != null) {
      return existing;
    }
    return store.getOrComputeIfAbsent(KEY, k -> new Resources(starter.get()), Resources.class);
  }

  /** The cluster and its shared client, closed by JUnit with the class's store. */
  @SuppressWarnings("deprecation") // CloseableResource for JUnit versions before 5.13
  private static final class Resources
      implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    final TestCluster cluster;
    final KubernetesClient client;

    Resources(TestCluster cluster) {
      this.cluster = cluster;
      this.client = cluster.client();
    }

    @Override
    public void close() {
      try {
        client.close();
      } finally {
        cluster.close();
      }
    }
  }
}
