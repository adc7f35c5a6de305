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
 * JUnit 5 extension that starts one {@link RealCluster} (etcd, kube-apiserver,
 * kube-controller-manager) per test class and injects it, and a
 * {@link KubernetesClient} pointed at it, into constructor, lifecycle and test method parameters.
 * The client is shared by the class (do not close it); both are closed after the class. Nested
 * test classes share their enclosing class's cluster.
 *
 * <pre>{@code
 * @ExtendWith(RealClusterExtension.class)
 * class RestoreRealIT {
 *   @Test
 *   void restores(RealCluster cluster, KubernetesClient client) { ... }
 * }
 *
 * class WithoutControllersRealIT {
 *   @RegisterExtension
 *   static RealClusterExtension cluster =
 *       new RealClusterExtension(() -> RealCluster.builder().controllerManager(false).start());
 * }
 * }</pre>
 */
public final class RealClusterExtension implements BeforeAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(RealClusterExtension.class);
  private static final String KEY = "cluster";

  private final Supplier<RealCluster> starter;

  /** An extension starting clusters with {@link RealCluster#start()}. */
  public RealClusterExtension() {
    this(RealCluster::start);
  }

  /**
   * An extension starting clusters with the given function, e.g. to set builder options.
   *
   * @param starter starts and returns a new cluster, not null
   */
  public RealClusterExtension(Supplier<RealCluster> starter) {
    this.starter = Objects.requireNonNull(starter, "starter");
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    resources(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameterContext,
      ExtensionContext extensionContext) {
    Class<?> type = parameterContext.getParameter().getType();
    return type == RealCluster.class || type == TestCluster.class || type == KubernetesClient.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext,
      ExtensionContext extensionContext) {
    Resources r = resources(extensionContext);
    Class<?> type = parameterContext.getParameter().getType();
    if (type == RealCluster.class || type == TestCluster.class) {
      return r.cluster;
    }
    if (type == KubernetesClient.class) {
      return r.client;
    }
    throw new ParameterResolutionException("RealClusterExtension injects RealCluster, TestCluster"
        + " and KubernetesClient parameters only, not " + type.getName());
  }

  private Resources resources(ExtensionContext context) {
    ExtensionContext classContext = context;
    while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
      classContext = classContext.getParent().get();
    }
    ExtensionContext.Store store = classContext.getStore(NAMESPACE);
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
    final RealCluster cluster;
    final KubernetesClient client;

    Resources(RealCluster cluster) {
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
