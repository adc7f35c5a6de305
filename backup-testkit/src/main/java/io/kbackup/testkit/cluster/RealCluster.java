package io.kbackup.testkit.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kbackup.testkit.servers.ServerProcess;
import io.kbackup.testkit.servers.TestServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;

/**
 * A real Kubernetes control plane for tests: etcd, kube-apiserver and (by default)
 * kube-controller-manager as child processes on 127.0.0.1, built from the Go module proxy by
 * {@code .ci/servers/build.sh} (see {@link TestServers}).
 *
 * <p>What it is: etcd 3.6 ({@code --unsafe-no-fsync} unless {@link Builder#etcdFsync}, data in a temp folder), kube-apiserver 1.35
 * (serving certificate self-generated in {@code --cert-dir}, RBAC, the default admission plugins,
 * a service-account issuer with a fresh RSA key, an admin token in {@code system:masters} from a
 * token file) and kube-controller-manager (namespace deletion, garbage collection, PV binding,
 * service accounts and their token controller, Jobs, ReplicaSets...). No kubelet, no scheduler:
 * pods stay Pending, nothing mounts. Each cluster is independent (own ports and folders), so
 * several run at once, e.g. A and B for restores into another cluster. Start-up takes a few
 * seconds (reported by {@link #startupTime()}).
 *
 * <p>Why not fabric8's kube-api-test: it starts only etcd and kube-apiserver (no
 * controller-manager, so no namespace deletion, garbage collection or PV binding), downloads or
 * looks for binaries in its own layout ({@code ~/.jenvtest}), and offers no way to add flags;
 * this class is a few hundred lines on {@link ServerProcess}.
 *
 * <pre>{@code
 * try (RealCluster cluster = RealCluster.start();
 *      KubernetesClient client = cluster.client()) {
 *   client.configMaps().inNamespace("default").resource(configMap).create();
 * }
 * }</pre>
 *
 * <p>When a binary is missing the calling test is skipped with a line saying how to build it,
 * or fails under {@code CI=true} ({@link TestServers#require}).
 */
public final class RealCluster implements TestCluster {

    /** The bearer token of the admin user ({@code system:masters}); test-only, never a secret. */
    private final String token;
    private final List<ServerProcess> processes = new ArrayList<>();
    private final Path root;
    private final Path adminKubeconfig;
    private final int apiPort;
    private final String url;
    private final String etcdUrl;
    private final Duration startupTime;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RealCluster(Builder b) {
        long t0 = System.nanoTime();
        Path etcdBin = TestServers.require("etcd");
        Path apiBin = TestServers.require("kube-apiserver");
        Path kcmBin = b.controllerManager ? TestServers.require("kube-controller-manager") : null;
        this.token = UUID.randomUUID().toString();
        try {
            this.root = Files.createTempDirectory("kbackup-real-cluster");
            Path pki = Files.createDirectories(root.resolve("pki"));
            KeyPair sa = LocalTls.rsaKeyPair();
            Path saPub = pki.resolve("sa.pub");
            Path saKey = pki.resolve("sa.key");
            Files.writeString(saPub, LocalTls.pem("PUBLIC KEY", sa.getPublic().getEncoded()));
            Files.writeString(saKey, LocalTls.pem("PRIVATE KEY", sa.getPrivate().getEncoded()));
            Path tokens = pki.resolve("tokens.csv");
            Files.writeString(tokens, token + ",admin,admin,\"system:masters\"\n");

            int etcdClient = TestServers.freePort();
            int etcdPeer = TestServers.freePort();
            this.etcdUrl = "http://127.0.0.1:" + etcdClient;
            List<String> etcdArgs = new ArrayList<>(List.of("--name", "default", "--data-dir", "{work}/data",
                    "--listen-client-urls", "http://127.0.0.1:" + etcdClient,
                    "--advertise-client-urls", "http://127.0.0.1:" + etcdClient,
                    "--listen-peer-urls", "http://127.0.0.1:" + etcdPeer,
                    "--initial-advertise-peer-urls", "http://127.0.0.1:" + etcdPeer,
                    "--initial-cluster", "default=http://127.0.0.1:" + etcdPeer,
                    "--log-level", "warn",
                    "--quota-backend-bytes", String.valueOf(b.etcdQuotaBytes)));
            if (!b.etcdFsync) {
                etcdArgs.add("--unsafe-no-fsync");
            }
            ServerProcess etcd = startProcess("etcd", etcdBin, "etcd", etcdArgs);
            etcd.awaitHttpOk("http://127.0.0.1:" + etcdClient + "/health", Duration.ofSeconds(30));

            this.apiPort = TestServers.freePort();
            this.url = "https://127.0.0.1:" + apiPort;
            List<String> apiArgs = new ArrayList<>(List.of(
                    "--etcd-servers", "http://127.0.0.1:" + etcdClient,
                    "--cert-dir", root.resolve("apiserver-certs").toString(),
                    "--secure-port", String.valueOf(apiPort),
                    "--bind-address", "127.0.0.1",
                    "--advertise-address", "127.0.0.1",
                    "--authorization-mode", "RBAC",
                    "--token-auth-file", tokens.toString(),
                    "--service-account-issuer", "https://kubernetes.default.svc.cluster.local",
                    "--service-account-key-file", saPub.toString(),
                    "--service-account-signing-key-file", saKey.toString(),
                    "--service-cluster-ip-range", "10.96.0.0/12", // kubeadm's and kind's default
                    "--allow-privileged=true",
                    "--profiling=false",
                    "--delete-collection-workers", "4",
                    "--max-requests-inflight", "800",
                    "--max-mutating-requests-inflight", "400"));
            if (kcmBin == null) {
                // without the controller-manager nothing creates the default service accounts
                apiArgs.addAll(List.of("--disable-admission-plugins", "ServiceAccount"));
            }
            apiArgs.addAll(b.extraApiServerArgs);
            ServerProcess api = startProcess("kube-apiserver", apiBin, "apiserver", apiArgs);
            HttpClient insecure = LocalTls.insecureHttpClient();
            api.awaitCondition("answer /readyz", Duration.ofSeconds(90),
                    () -> LocalTls.httpOk(insecure, url + "/readyz", token));

            this.adminKubeconfig = writeKubeconfig(root.resolve("admin.kubeconfig"));
            if (kcmBin != null) {
                Path caFile = root.resolve("apiserver-certs").resolve("apiserver.crt");
                ServerProcess kcm = startProcess("kube-controller-manager", kcmBin, "controller-manager", List.of(
                                "--kubeconfig", adminKubeconfig.toString(),
                                "--authentication-kubeconfig", adminKubeconfig.toString(),
                                "--authorization-kubeconfig", adminKubeconfig.toString(),
                                "--leader-elect=false",
                                "--bind-address", "127.0.0.1",
                                "--secure-port", String.valueOf(TestServers.freePort()),
                                "--service-account-private-key-file", saKey.toString(),
                                "--root-ca-file", caFile.toString(),
                                "--use-service-account-credentials=false",
                                "--controllers", "*",
                                "--concurrent-gc-syncs", "20",
                                "--pvclaimbinder-sync-period", "1s",
                                "--concurrent-namespace-syncs", "10"));
                // ready once it has created the default namespace's service account
                try (KubernetesClient c = client()) {
                    kcm.awaitCondition("create the default ServiceAccount", Duration.ofSeconds(60), () -> {
                        try {
                            return c.serviceAccounts().inNamespace("default").withName("default").get() != null;
                        } catch (KubernetesClientException e) {
                            return false;
                        }
                    });
                }
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("cannot prepare a real cluster", e);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
        this.startupTime = Duration.ofNanos(System.nanoTime() - t0);
    }

    /** Starts a cluster with kube-controller-manager, the defaults of {@link #builder()}. */
    public static RealCluster start() {
        return builder().start();
    }

    /** A builder to leave out the controller-manager or add API server flags. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A new fabric8 client (JDK HTTP client) authenticated as the cluster admin, default
     * namespace {@code default}; it trusts the self-generated serving certificate and reads
     * nothing from {@code ~/.kube}. The caller closes it.
     */
    @Override
    public KubernetesClient client() {
        return Kubeconfig.client(url, token, true);
    }

    @Override
    public String url() {
        return url;
    }

    /** etcd's client URL ({@code http://127.0.0.1:<port>}, no TLS, no auth), e.g. to seed it in bulk. */
    public String etcdUrl() {
        return etcdUrl;
    }

    /** The API server's port on 127.0.0.1. */
    public int port() {
        return apiPort;
    }

    /**
     * The admin's bearer token (a random test-only value, group {@code system:masters}), for
     * clients other than fabric8's, e.g. a {@code java.net.http.HttpClient} with {@link #sslContext()}.
     */
    public String adminToken() {
        return token;
    }

    /** An SSL context that accepts this cluster's self-generated serving certificate (it trusts any). */
    public SSLContext sslContext() {
        return LocalTls.trustAll();
    }

    /** How long {@link #start()} took until the cluster was ready. */
    public Duration startupTime() {
        return startupTime;
    }

    /** The admin kubeconfig this cluster wrote for its controller-manager. */
    public Path kubeconfig() {
        return adminKubeconfig;
    }

    @Override
    public boolean real() {
        return true;
    }

    /**
     * Writes an admin kubeconfig (context {@code kbackup-real}, namespace {@code default},
     * {@code insecure-skip-tls-verify} for the self-generated serving certificate).
     */
    @Override
    public Path writeKubeconfig(Path file) {
        return Kubeconfig.write(file, "kbackup-real", url, token, true);
    }

    /**
     * Creates the objects through the API, in stream order, as {@code kubectl create} would:
     * {@code resourceVersion}, {@code uid} and {@code creationTimestamp} are the server's (so
     * owner references to fixture uids dangle, and the garbage collector acts on them); a given
     * status is then written through the status subresource (as a controller or kubelet would;
     * controllers may change it afterwards). An object given with a
     * {@code deletionTimestamp} (and finalizers) is created and then deleted, so that it is left
     * terminating as in a cluster. A namespace waits for its default
     * ServiceAccount (pods need it); a CRD waits until it is established.
     *
     * @return the number of objects created
     * @throws KubernetesClientException as the server refuses an object (objects before it stay)
     */
    @Override
    public long seed(Stream<? extends HasMetadata> objects) {
        Objects.requireNonNull(objects, "objects");
        try (KubernetesClient c = client()) {
            return new RealClusterSeeding(c, controllerManagerRuns(), root).seed(objects);
        }
    }

    /** Starts {@code binary} as {@code name} in the work folder {@code dir} under the cluster's root (kept for its logs), and owns it. */
    private ServerProcess startProcess(String name, Path binary, String dir, List<String> args) throws IOException {
        ServerProcess process = ServerProcess.builder(name, binary)
                .work(Files.createDirectories(root.resolve(dir)))
                .keepWork(true)
                .args(args)
                .start();
        processes.add(process);
        return process;
    }

    private boolean controllerManagerRuns() {
        return processes.stream().anyMatch(p -> p.name().equals("kube-controller-manager"));
    }

    /** Waits until the CRD of that name is Established (its resources are served). */
    public void awaitEstablished(KubernetesClient c, String crdName) {
        RealClusterSeeding.awaitEstablished(c, crdName);
    }

    /** Stops the controller-manager, the API server and etcd, and deletes their data. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).close();
        }
        if (root != null) {
            ServerProcess.deleteTree(root);
        }
    }

    @Override
    public String toString() {
        return "RealCluster[" + url + "]";
    }

    /**
     * Options for {@link RealCluster}. Defaults: with kube-controller-manager, an 8 GiB etcd
     * quota, no extra API server flags.
     */
    public static final class Builder {
        private boolean controllerManager = true;
        private long etcdQuotaBytes = 8L << 30;
        private boolean etcdFsync;
        private final List<String> extraApiServerArgs = new ArrayList<>();

        private Builder() {
        }

        /** Whether to run kube-controller-manager (default true). */
        public Builder controllerManager(boolean run) {
            this.controllerManager = run;
            return this;
        }

        /** etcd's backend quota ({@code --quota-backend-bytes}, default 8 GiB). */
        public Builder etcdQuotaBytes(long bytes) {
            this.etcdQuotaBytes = bytes;
            return this;
        }

        /**
         * Whether etcd syncs each write to disk, as a production etcd does (default false: the test cluster runs
         * with {@code --unsafe-no-fsync}).
         */
        public Builder etcdFsync(boolean fsync) {
            this.etcdFsync = fsync;
            return this;
        }

        /** Adds kube-apiserver flags, e.g. {@code --etcd-compaction-interval=10s}. */
        public Builder apiServerArgs(String... args) {
            extraApiServerArgs.addAll(List.of(args));
            return this;
        }

        /** Starts the cluster and waits until it is ready; see {@link RealCluster}. */
        public RealCluster start() {
            return new RealCluster(this);
        }
    }
}
