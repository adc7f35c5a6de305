package io.kbackup.examples.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Seeds a {@link io.kbackup.testkit.cluster.RealCluster}'s etcd directly, bypassing the API server: each object's JSON
 * is written under the key the API server reads it from ({@code /registry/<resource>/<namespace>/<name>}), several
 * per etcd transaction, through etcd's HTTP gateway ({@code /v3/kv/txn}). The API server decodes JSON from its storage
 * as well as its own protobuf, and its watch cache picks the objects up as events; the server sets
 * {@code resourceVersion} from etcd's revision. What the API would have added on create (defaults, a Service's
 * allocated address) is not there: Services are written headless ({@code clusterIP: None}) so that no address
 * allocator has to repair anything. Used to fill a cluster with a million objects in minutes rather than hours;
 * only for ConfigMaps, Secrets, Deployments and Services (the benchmark's items; Namespaces go through the API).
 */
final class EtcdSeeder {

    private static final int OPS_PER_TXN = 8; // small transactions: etcd keeps its recent raft entries in memory
    private static final int THREADS = 4;

    private EtcdSeeder() {}

    /**
     * Writes every object of {@code items} into etcd at {@code etcdUrl}.
     *
     * @return the number of objects written
     */
    static long seed(String etcdUrl, Stream<HasMetadata> items) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI txn = URI.create(etcdUrl + "/v3/kv/txn");
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        AtomicLong written = new AtomicLong();
        List<Future<?>> pending = new ArrayList<>();
        try {
            Iterator<HasMetadata> it = items.iterator();
            while (it.hasNext()) {
                List<HasMetadata> batch = new ArrayList<>(OPS_PER_TXN);
                while (it.hasNext() && batch.size() < OPS_PER_TXN) {
                    batch.add(it.next());
                }
                pending.add(pool.submit(() -> {
                    put(http, txn, batch);
                    written.addAndGet(batch.size());
                    return null;
                }));
                if (pending.size() >= 4 * THREADS) {
                    BenchCluster.awaitAll(pending);
                }
            }
            BenchCluster.awaitAll(pending);
        } finally {
            pool.shutdownNow();
        }
        return written.get();
    }

    /**
     * Waits until the API server's watch caches of the seeded resources have caught up with etcd's current revision
     * (a list at that revision with {@code resourceVersionMatch=NotOlderThan} answers rather than 504): a paged list
     * whose continue token names a revision the cache has not reached yet fails with "Too large resource version".
     */
    static void awaitServed(String etcdUrl, KubernetesClient client) {
        long revision = revision(etcdUrl);
        long t0 = System.nanoTime();
        for (String plural : List.of("configmaps", "secrets", "services")) {
            awaitServed(client, "/api/v1/" + plural, revision);
        }
        awaitServed(client, "/apis/apps/v1/deployments", revision);
        System.out.println("  the API server's watch caches reached etcd revision " + revision + " after "
                + Report.seconds(System.nanoTime() - t0));
    }

    private static void awaitServed(KubernetesClient client, String path, long revision) {
        String url = client.getMasterUrl().toString().replaceAll("/$", "") + path + "?limit=1&resourceVersion=" + revision
                + "&resourceVersionMatch=NotOlderThan";
        var http = client.getHttpClient();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.HOURS.toNanos(1);
        while (true) {
            try {
                var r = http.sendAsync(http.newHttpRequestBuilder().uri(url).build(), String.class).get();
                if (r.isSuccessful()) {
                    return;
                }
                if (r.code() != 504 && r.code() != 429 && r.code() < 500) {
                    throw new IllegalStateException("GET " + path + ": HTTP " + r.code() + " " + r.body());
                }
            } catch (java.util.concurrent.ExecutionException e) {
                // the server is busy catching up: try again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the API server", e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the API server's watch cache of " + path + " did not reach revision " + revision);
            }
        }
    }

    private static long revision(String etcdUrl) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String key = Base64.getEncoder().encodeToString("/registry/namespaces/default".getBytes(StandardCharsets.UTF_8));
        try {
            String body = http.send(HttpRequest.newBuilder(URI.create(etcdUrl + "/v3/kv/range"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"" + key + "\",\"count_only\":true}")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"revision\":\"(\\d+)\"").matcher(body);
            if (!m.find()) {
                throw new IllegalStateException("no revision in etcd's answer: " + body);
            }
            return Long.parseLong(m.group(1));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read etcd's revision", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void put(HttpClient http, URI txn, List<HasMetadata> batch) throws IOException, InterruptedException {
        Base64.Encoder b64 = Base64.getEncoder();
        StringBuilder body = new StringBuilder("{\"success\":[");
        for (int i = 0; i < batch.size(); i++) {
            HasMetadata o = batch.get(i);
            if (o instanceof Service svc && svc.getSpec() != null) {
                svc.getSpec().setClusterIP("None");
                svc.getSpec().setClusterIPs(List.of("None"));
            }
            String key = "/registry/" + storagePath(o.getKind()) + "/" + o.getMetadata().getNamespace() + "/"
                    + o.getMetadata().getName();
            byte[] value = Serialization.asJson(o).getBytes(StandardCharsets.UTF_8);
            body.append(i == 0 ? "" : ",").append("{\"requestPut\":{\"key\":\"")
                    .append(b64.encodeToString(key.getBytes(StandardCharsets.UTF_8))).append("\",\"value\":\"")
                    .append(b64.encodeToString(value)).append("\"}}");
        }
        body.append("]}");
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(txn).POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200 || !r.body().contains("\"succeeded\":true")) {
            throw new IllegalStateException("etcd refused a transaction: HTTP " + r.statusCode() + " " + r.body());
        }
    }

    private static String storagePath(String kind) {
        return switch (kind) {
            case "ConfigMap" -> "configmaps";
            case "Secret" -> "secrets";
            case "Deployment" -> "deployments";
            case "Service" -> "services/specs";
            default -> throw new IllegalArgumentException("no etcd path for kind " + kind);
        };
    }
}
