package io.kbackup.examples.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.kbackup.testkit.cluster.EmbeddedCluster;
import io.kbackup.testkit.cluster.RealCluster;
import io.kbackup.testkit.cluster.TestCluster;
import io.kbackup.testkit.servers.TestServers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The API server of a benchmark: an {@link EmbeddedCluster}, either in this JVM or in a child JVM started with
 * {@link ClusterServer} (so that the server's store does not count against this JVM's heap), or a
 * {@link RealCluster} (etcd and kube-apiserver as child processes, no controller-manager).
 */
public final class BenchCluster implements AutoCloseable {

    private final TestCluster inProcess;
    private final Process child;
    private final String url;
    private final long seeded;
    private LatencyProxy proxy;
    /** {@code --profile}: real clusters start with kube-apiserver's /debug/pprof on. */
    private static volatile boolean profiling;

    private BenchCluster(TestCluster inProcess, Process child, String url, long seeded) {
        this.inProcess = inProcess;
        this.child = child;
        this.url = url;
        this.seeded = seeded;
    }

    /** An empty cluster in this JVM. */
    public static BenchCluster inProcess() {
        EmbeddedCluster c = EmbeddedCluster.start();
        return new BenchCluster(c, null, c.url(), 0);
    }

    /** A cluster in this JVM seeded (bulk, without HTTP) with the given content. */
    public static BenchCluster inProcess(Workload.Kind kind, int objects, int namespaces) {
        EmbeddedCluster c = EmbeddedCluster.start();
        long n = c.seed(Workload.of(kind, objects, namespaces));
        return new BenchCluster(c, null, c.url(), n);
    }

    /** Real clusters started from now on serve kube-apiserver's /debug/pprof (see {@link Profiler}). */
    static void enableProfiling() {
        profiling = true;
    }

    /** Whether this is a {@link RealCluster}. */
    boolean isReal() {
        return inProcess != null && inProcess.real();
    }

    /** Whether the real API server's binaries are there (the default cluster of the benchmarks then). */
    public static boolean realAvailable() {
        return TestServers.available("kube-apiserver", "etcd");
    }

    /** An empty real cluster: etcd (quota 8 GiB) and kube-apiserver, no controller-manager. */
    public static BenchCluster real() {
        return real(false);
    }

    /**
     * An empty real cluster as {@link #real()}; {@code fsync}: etcd syncs every write to disk as a production etcd
     * does (the test kit's default is {@code --unsafe-no-fsync}).
     */
    public static BenchCluster real(boolean fsync) {
        RealCluster c = RealCluster.builder().controllerManager(false).etcdQuotaBytes(8L << 30).etcdFsync(fsync)
                .apiServerArgs(profiling ? Profiler.apiServerArgs() : new String[0]).start();
        return new BenchCluster(c, null, c.url(), 0);
    }

    /**
     * A real cluster filled with the given content through its API: the Namespaces first, then the items, created by
     * 8 threads (RealCluster's own seed creates one object at a time).
     */
    public static BenchCluster real(Workload.Kind kind, int objects, int namespaces) {
        return real(Workload.of(kind, objects, namespaces));
    }

    /**
     * A real cluster filled with the mixed content in bulk: the Namespaces through the API, the items written straight
     * into etcd ({@link EtcdSeeder}), which takes minutes for a million objects where the API takes hours on this
     * machine.
     */
    public static BenchCluster realViaEtcd(int objects, int namespaces, int minData, int maxData) {
        BenchCluster b = real(Workload.mixed(0, namespaces));
        try {
            long n = EtcdSeeder.seed(b.realCluster().etcdUrl(),
                    Workload.mixed(objects, namespaces, minData, maxData).skip(namespaces));
            try (KubernetesClient c = b.client()) {
                EtcdSeeder.awaitServed(b.realCluster().etcdUrl(), c);
            }
            return new BenchCluster(b.inProcess, null, b.url, b.seeded + n);
        } catch (RuntimeException | Error e) {
            b.close();
            throw e;
        }
    }

    /** A real cluster filled through its API with {@code content} (its Namespaces first), by 8 threads. */
    public static BenchCluster real(java.util.stream.Stream<HasMetadata> content) {
        BenchCluster b = real();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicLong created = new AtomicLong();
        try (KubernetesClient c = b.client()) {
            List<Future<?>> pending = new ArrayList<>();
            boolean[] namespacesDone = {false};
            content.forEach(o -> {
                if (!"Namespace".equals(o.getKind()) && !namespacesDone[0]) {
                    awaitAll(pending); // namespaces before their contents
                    namespacesDone[0] = true;
                }
                pending.add(pool.submit(() -> {
                    c.resource(forCreate(o)).create();
                    created.incrementAndGet();
                }));
                if (pending.size() >= 2000) {
                    awaitAll(pending);
                }
            });
            awaitAll(pending);
        } catch (RuntimeException | Error e) {
            b.close(); // never leave etcd and kube-apiserver running behind a failed seeding
            throw e;
        } finally {
            pool.shutdownNow();
        }
        return new BenchCluster(b.inProcess, null, b.url, created.get());
    }

    private static HasMetadata forCreate(HasMetadata o) {
        if (o instanceof io.fabric8.kubernetes.api.model.apps.Deployment d) {
            d.setStatus(null); // the API server ignores a status on create
        }
        if (o instanceof io.fabric8.kubernetes.api.model.Service svc && svc.getSpec() != null) {
            svc.getSpec().setClusterIP(null); // the generated addresses repeat beyond 10k objects: let the server allocate
            svc.getSpec().setClusterIPs(null);
        }
        return o;
    }

    /** Waits for every future and clears the list; a failure of one ends the seeding. */
    static void awaitAll(List<Future<?>> futures) {
        try {
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("seeding the real cluster failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while seeding", e);
        }
        futures.clear();
    }

    /**
     * A cluster in a child JVM ({@code java -Xmx<heap> -cp <this classpath> ClusterServer ...}) seeded with the given
     * content; waits until it is ready.
     */
    public static BenchCluster separate(Workload.Kind kind, int objects, int namespaces, String heap) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-XX:+UseParallelGC",
                "-cp", System.getProperty("java.class.path"),
                ClusterServer.class.getName(),
                "--kind", kind.name(), "--objects", Integer.toString(objects), "--namespaces", Integer.toString(namespaces)));
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("READY ")) {
                    String[] parts = line.split(" ");
                    return new BenchCluster(null, p, parts[1], Long.parseLong(parts[2]));
                }
            }
            p.destroy();
            throw new IllegalStateException("the cluster server process ended before it was ready (exit " + p.waitFor() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the cluster server process", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the cluster server", e);
        }
    }

    /**
     * Puts a {@link LatencyProxy} in front of the server: clients made afterwards by {@link #client()} see
     * {@code 2 x oneWayDelayMs} more per round trip. 0 leaves the cluster as it is.
     */
    public BenchCluster withLatency(double oneWayDelayMs) throws IOException {
        if (oneWayDelayMs > 0) {
            java.net.URI u = java.net.URI.create(url);
            proxy = new LatencyProxy(u.getHost(), u.getPort(), oneWayDelayMs);
        }
        return this;
    }

    /** Where the server runs, for reports. */
    public String where() {
        if (inProcess != null && inProcess.real()) {
            return "RealCluster (etcd + kube-apiserver " + url + ")";
        }
        return child == null ? "EmbeddedCluster in this JVM" : "EmbeddedCluster in a separate JVM (pid " + child.pid() + ")";
    }

    /** The {@link RealCluster} behind this one, or an exception for an embedded cluster. */
    public RealCluster realCluster() {
        if (inProcess instanceof RealCluster r) {
            return r;
        }
        throw new IllegalStateException("not a RealCluster: " + where());
    }

    /** Objects seeded at start (excluding the cluster's default namespaces). */
    public long seeded() {
        return seeded;
    }

    public String url() {
        return url;
    }

    /** A new client of this cluster (JDK HTTP client, nothing read from ~/.kube); the caller closes it. */
    public KubernetesClient client() {
        if (inProcess != null && inProcess.real()) {
            if (proxy != null) {
                throw new IllegalStateException("no latency proxy in front of a real cluster (TLS)");
            }
            return inProcess.client();
        }
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(proxy != null ? proxy.url() : url)
                .withNamespace("default")
                .withRequestTimeout(120_000).build();
        return new KubernetesClientBuilder().withHttpClientFactory(new JdkHttpClientFactory()).withConfig(config).build();
    }

    /** Writes a kubeconfig for kubectl. */
    public Path writeKubeconfig(Path file) throws IOException {
        if (inProcess != null && inProcess.real()) {
            return inProcess.writeKubeconfig(file);
        }
        String yaml = "apiVersion: v1\nkind: Config\nclusters:\n- name: bench\n  cluster:\n    server: " + url + "\n"
                + "users:\n- name: bench\n  user: {}\ncontexts:\n- name: bench\n  context:\n    cluster: bench\n"
                + "    user: bench\n    namespace: default\ncurrent-context: bench\n";
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        return file;
    }

    @Override
    public void close() {
        TestServers.closeAll(proxy, inProcess);
        if (child != null) {
            try {
                child.getOutputStream().close(); // the server exits at end of input
                if (!child.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    child.destroy();
                }
            } catch (IOException e) {
                child.destroy();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                child.destroy();
            }
        }
    }
}
