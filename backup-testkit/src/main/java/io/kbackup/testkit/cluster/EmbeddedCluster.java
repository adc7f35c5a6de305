package io.kbackup.testkit.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.kbackup.testkit.cluster.internal.ApiDiscovery;
import io.kbackup.testkit.cluster.internal.BuiltInResources;
import io.kbackup.testkit.cluster.internal.ClusterDispatcher;
import io.kbackup.testkit.cluster.internal.ClusterStore;
import io.kbackup.testkit.cluster.internal.ListPager;
import io.kbackup.testkit.cluster.internal.ResourceType;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * An in-process Kubernetes API server for tests: fabric8's CRUD mock server made realistic
 * enough for a backup tool and for {@code kubectl}.
 *
 * <p>On top of the fabric8 CRUD store it serves:
 * <ul>
 *   <li>discovery ({@code /version}, {@code /api}, {@code /api/v1}, {@code /apis},
 *       {@code /apis/<group>}, {@code /apis/<group>/<version>}) for the usual built-in groups
 *       (core, apps, batch, rbac, storage, networking, policy, apiextensions, snapshot.storage,
 *       coordination, scheduling, events, autoscaling/v2, discovery) with subresources such as
 *       {@code pods/log} listed as names containing "/", plus every CRD stored at the moment of
 *       the request (its preferred version is the storage version, else the first served);</li>
 *   <li>list paging: {@code limit} and {@code continue} are honoured, with
 *       {@code metadata.continue} and {@code metadata.remainingItemCount}; items come sorted by
 *       namespace and name; a page costs O(page), not O(n), because the first page keeps a
 *       snapshot of the filtered list; tokens expire after {@link Builder#continueTokenTtl}
 *       (410 Gone, reason Expired);</li>
 *   <li>creates as the API server does them: a random uid, resourceVersion (increasing across all
 *       writes), creationTimestamp and generation are set, {@code generateName} is honoured,
 *       the path's namespace is applied (a different one in the body is 400), an existing name
 *       is 409 AlreadyExists, {@code dryRun} stores nothing;</li>
 *   <li>patches as the API server applies them (see {@code ClusterConformanceCases} in the test
 *       kit's tests, whose answers are a real kube-apiserver 1.35's): JSON merge patch per
 *       RFC 7386 ({@code null} deletes a key, lists are replaced); JSON patch per RFC 6902
 *       (all-or-nothing, 422 when an operation cannot apply); strategic merge patch (fabric8's
 *       default {@code patch(String)}, {@code kubectl apply}) as apimachinery's
 *       {@code strategicpatch} merges it, following the patch strategies and merge keys of the
 *       Kubernetes 1.35 OpenAPI spec ({@code containers}, {@code env} and {@code volumes} by
 *       name, Service {@code ports} by port, {@code tolerations} replaced, finalizers as a set,
 *       directives {@code $patch}, {@code $retainKeys}, {@code $setElementOrder},
 *       {@code $deleteFromPrimitiveList}); strategic merge patch of a kind without a built-in
 *       schema (custom resources, the snapshot kinds, {@link Builder#addResource} types) is 415
 *       as on a real server. A patch carrying a stale {@code resourceVersion} is 409;</li>
 *   <li>server-side apply: merged like a strategic merge patch (built-in kinds) or a merge
 *       patch (others); it creates a missing object. No field managers are tracked, so fields
 *       an earlier apply set and a later one omits are kept, unlike a real server;</li>
 *   <li>only the types it serves: a request for a kind that is neither built in nor defined by
 *       a stored CRD, or for a version the CRD does not serve, is 404 (create, get, list, watch,
 *       patch, delete);</li>
 *   <li>custom resources at every served version of their CRD: an object is stored once, at the
 *       CRD's storage version, and read, listed, patched or deleted at any served version with
 *       {@code apiVersion} set to the requested one (conversion None; webhook conversion is not
 *       modelled, and changing the storage version of a CRD that has objects is not either).
 *       Watch events at a version other than the storage version carry the storage
 *       version's {@code apiVersion}. A created CRD gets the status a real server gives it at
 *       once (NamesAccepted, Established, storedVersions);</li>
 *   <li>name validation on create (422 Invalid): DNS-1123 subdomains, namespaces DNS-1123
 *       labels, services DNS-1035 labels, RBAC objects path segments, CRDs
 *       {@code <plural>.<group>}; a body whose {@code apiVersion} differs from the path's is
 *       400;</li>
 *   <li>O(1) get/create/update/patch by name (fabric8 scans its whole store for these) and a bulk
 *       {@link #seed(Stream)} path that fills the store without HTTP.</li>
 * </ul>
 * Watches (over WebSocket, as the fabric8 client does them), updates (PUT), deletes and
 * label/field selectors are fabric8's. fabric8's watches start at the present, so a watch from a
 * {@code resourceVersion} after which objects of its kind and namespace changed is answered 410
 * Gone (reason Expired), and an informer lists again instead of missing those changes (a real
 * server would replay them). Not modelled: admission, defaulting (a real server fills
 * in e.g. {@code imagePullPolicy}, a Service's {@code clusterIP}), validation against schemas
 * other than names (unknown fields are kept, not dropped; immutable fields can change), namespace
 * existence checks, cascading deletion, controllers (nothing turns a Deployment into Pods),
 * protobuf (so imperative {@code kubectl create ns} hangs; use {@code kubectl apply}).
 *
 * <p>A new cluster holds the namespaces {@code default}, {@code kube-system},
 * {@code kube-public} and {@code kube-node-lease}, as a real one does (see
 * {@link Builder#defaultNamespaces(boolean)}).
 *
 * <pre>{@code
 * try (EmbeddedCluster cluster = EmbeddedCluster.start();
 *      KubernetesClient client = cluster.client()) {
 *   client.configMaps().inNamespace("default").resource(configMap).create();
 * }
 * }</pre>
 *
 * <p>Thread safety: all methods may be called from any thread; requests are served
 * concurrently, {@link #seed(Stream)} runs while no request is served.
 */
public final class EmbeddedCluster implements TestCluster {

  /** Held so the level set on it is not lost to garbage collection. */
  private static final Logger MOCK_SERVER_LOG =
      Logger.getLogger("io.fabric8.mockwebserver.MockWebServer");

  static {
    MOCK_SERVER_LOG.setLevel(Level.WARNING); // it logs every request at INFO
  }

  private final KubernetesMockServer server;
  private final ClusterStore store;
  private final ClusterDispatcher dispatcher;
  private final ApiDiscovery discovery;
  private final String url;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedCluster(Builder b) {
    this.store = new ClusterStore();
    MockWebServer web = new MockWebServer();
    List<ResourceType> types = new ArrayList<>(BuiltInResources.all());
    types.addAll(b.extraTypes);
    InetAddress loopback;
    try {
      loopback = InetAddress.getByName("127.0.0.1");
    } catch (UnknownHostException e) {
      throw new IllegalStateException("127.0.0.1 cannot be resolved", e);
    }
    // the port is known only after start; discovery reads it lazily
    String[] address = new String[1];
    this.discovery = new ApiDiscovery(types, store::crds, () -> address[0]);
    this.dispatcher = new ClusterDispatcher(store, discovery,
        new ListPager(b.maxPageSize, b.continueTokenTtl, b.maxOpenLists));
    this.server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), web,
        new HashMap<>(), dispatcher, false);
    dispatcher.afterRequest(() -> drainJournal(server));
    server.start(loopback, b.port);
    address[0] = "127.0.0.1:" + server.getPort();
    this.url = "http://" + address[0];
    if (b.defaultNamespaces) {
      seed(EmbeddedClusterSeeding.defaultNamespaces().stream());
    }
  }

  /**
   * Starts a cluster on 127.0.0.1 and a free port with the defaults of {@link #builder()}.
   *
   * @return the running cluster; close it when done
   */
  public static EmbeddedCluster start() {
    return builder().start();
  }

  /** A builder for a cluster with a fixed port, page-size cap or extra resource types. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A new fabric8 client (JDK HTTP client) pointed at this cluster, default namespace
   * {@code default}. It reads nothing from {@code ~/.kube} or the environment. The caller
   * closes it.
   *
   * <p>Its request timeout is 60 s, not fabric8's 10 s: on a loaded machine a request can take
   * longer, and fabric8 retries a timed-out request, so a create the server had already done
   * came back as a spurious 409 AlreadyExists.
   */
  public KubernetesClient client() {
    return Kubeconfig.client(url, null, false);
  }

  /** The base URL, e.g. {@code http://127.0.0.1:41234}. */
  public String url() {
    return url;
  }

  /** The TCP port the server listens on (127.0.0.1). */
  public int port() {
    return server.getPort();
  }

  /** Number of objects stored (all kinds, all namespaces). */
  public int objectCount() {
    return store.size();
  }

  /**
   * Writes a kubeconfig for this cluster (context {@code kbackup-embedded}, namespace
   * {@code default}, no credentials) that {@code kubectl --kubeconfig FILE} can use. Creates the
   * parent directories; overwrites the file.
   *
   * @param file where to write, not null
   * @return {@code file}
   * @throws UncheckedIOException if the file cannot be written
   */
  public Path writeKubeconfig(Path file) {
    return Kubeconfig.write(file, "kbackup-embedded", url, null, false);
  }


  /**
   * Stores objects directly, much faster than creating them through a client (no HTTP, no JSON
   * round trip per request): each object ends up as a create would leave it. The server sets
   * {@code resourceVersion} (increasing); {@code uid} and {@code creationTimestamp} are set when
   * missing but kept when given, so fixtures can link {@code ownerReferences}; {@code generation}
   * defaults to 1. Objects are copied; the caller's are not changed. Namespaced objects without
   * namespace go to {@code default}. A CRD seeded earlier in the stream makes its custom
   * resources seedable later in the same stream. Watchers are notified as for creates.
   *
   * <p>The stream is consumed lazily (it need not fit in memory); requests wait meanwhile.
   *
   * @param objects objects with apiVersion, kind and metadata.name, not null
   * @return number of objects stored
   * @throws IllegalArgumentException if an object lacks apiVersion, kind or name, if no served
   *     resource type has its apiVersion and kind, if a cluster-scoped object has a namespace, or
   *     if an object of that name already exists (objects before it stay stored)
   */
  public long seed(Stream<? extends HasMetadata> objects) {
    Objects.requireNonNull(objects, "objects");
    long[] count = new long[1];
    dispatcher.exclusively(() -> count[0] = new EmbeddedClusterSeeding(store, discovery).seed(objects));
    return count[0];
  }

  /**
   * {@link #seed(Stream)} for objects given as JSON (or YAML) documents, one object each, e.g.
   * read line by line from a fixture file.
   *
   * @param documents one object per string, not null
   * @return number of objects stored
   * @throws IllegalArgumentException if a document is not an object, or as for
   *     {@link #seed(Stream)}
   */
  public long seedJson(Stream<String> documents) {
    Objects.requireNonNull(documents, "documents");
    return seed(documents.map(d -> {
      try {
        return Serialization.unmarshal(d, GenericKubernetesResource.class);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("cannot seed a document that is not a Kubernetes"
            + " object: " + e.getMessage(), e);
      }
    }));
  }

  private static void drainJournal(KubernetesMockServer server) {
    try {
      RecordedRequest r;
      do {
        r = server.takeRequest(0, TimeUnit.NANOSECONDS);
      } while (r != null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Always false: this is the in-process stand-in. */
  @Override
  public boolean real() {
    return false;
  }

  /** Stops the server; clients pointed at it fail from then on. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      server.destroy();
    }
  }

  /**
   * Options for {@link EmbeddedCluster}. Defaults: a free port, no page-size cap, continue
   * tokens valid for 5 minutes, at most 256 paged lists open at once, the four default
   * namespaces, the built-in resource types only.
   */
  public static final class Builder {
    private int port;
    private int maxPageSize = Integer.MAX_VALUE;
    private Duration continueTokenTtl = Duration.ofMinutes(5);
    private int maxOpenLists = 256;
    private boolean defaultNamespaces = true;
    private final List<ResourceType> extraTypes = new ArrayList<>();

    private Builder() {}

    /**
     * The port on 127.0.0.1 to listen on; 0 (the default) picks a free one.
     *
     * @throws IllegalArgumentException if not in 0..65535
     */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be in 0..65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * The most items one page holds whatever {@code limit} a client asks (a real server may
     * also return fewer items than the limit). Lists without limit are never paged.
     *
     * @throws IllegalArgumentException if less than 1
     */
    public Builder maxPageSize(int maxPageSize) {
      this.maxPageSize = atLeastOne("maxPageSize", maxPageSize);
      return this;
    }

    /**
     * How long a continue token stays valid; after it the server answers 410 Gone (reason
     * Expired) as a real one does after compaction. Default 5 minutes.
     *
     * @throws IllegalArgumentException if null, zero or negative
     */
    public Builder continueTokenTtl(Duration ttl) {
      if (ttl == null || ttl.isZero() || ttl.isNegative()) {
        throw new IllegalArgumentException("continueTokenTtl must be positive, was " + ttl);
      }
      this.continueTokenTtl = ttl;
      return this;
    }

    /**
     * The most paged lists held open at once; the oldest is dropped (its token then gets 410)
     * beyond it. Default 256.
     *
     * @throws IllegalArgumentException if less than 1
     */
    public Builder maxOpenLists(int maxOpenLists) {
      this.maxOpenLists = atLeastOne("maxOpenLists", maxOpenLists);
      return this;
    }

    private static int atLeastOne(String option, int value) {
      if (value < 1) {
        throw new IllegalArgumentException(option + " must be at least 1, was " + value);
      }
      return value;
    }

    /**
     * Whether the cluster starts with the namespaces default, kube-system, kube-public and
     * kube-node-lease (default true).
     */
    public Builder defaultNamespaces(boolean defaultNamespaces) {
      this.defaultNamespaces = defaultNamespaces;
      return this;
    }

    /**
     * Serves one more resource type in discovery (a new group appears with it), e.g.
     * {@code addResource("velero.io/v1", "Backup", "backups", true)}. For types that should
     * appear and disappear at run time, create a CRD instead.
     *
     * @param apiVersion "group/version", or "v1" for the core group
     * @param kind kind, e.g. "Backup"
     * @param plural plural resource name, e.g. "backups"
     * @param namespaced whether objects live in namespaces
     * @throws IllegalArgumentException if an argument is null or empty
     */
    public Builder addResource(String apiVersion, String kind, String plural, boolean namespaced) {
      for (String[] arg : new String[][] {{"apiVersion", apiVersion}, {"kind", kind},
          {"plural", plural}}) {
        if (arg[1] == null || arg[1].isEmpty()) {
          throw new IllegalArgumentException(arg[0] + " must not be empty");
        }
      }
      int slash = apiVersion.indexOf('/');
      String group = slash < 0 ? "" : apiVersion.substring(0, slash);
      String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
      extraTypes.add(new ResourceType(group, version, plural, null, kind, namespaced, List.of(),
          List.of(), List.of(new ResourceType.Subresource("status", kind, null, null,
              List.of("get", "patch", "update")))));
      return this;
    }

    /**
     * Starts the cluster.
     *
     * @throws IllegalStateException if the server cannot listen (e.g. the port is taken)
     */
    public EmbeddedCluster start() {
      return new EmbeddedCluster(this);
    }
  }
}
