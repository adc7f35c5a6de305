package io.kbackup.core.internal.backup;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.kbackup.testkit.cluster.RealCluster;
import io.kbackup.testkit.cluster.TestCluster;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;

/**
 * A forwarding HTTP proxy in front of a test API server on 127.0.0.1 that records every request
 * and can answer chosen ones with an error status (a number of times) or delay them.
 */
final class ApiProxy implements AutoCloseable {
    private static final Set<String> HOP_HEADERS = Set.of("connection", "content-length", "host", "upgrade",
            "transfer-encoding", "keep-alive", "http2-settings", "expect");

    private record Fault(Predicate<String> requests, int status, AtomicInteger remaining, long delayMillis) {}

    private final String target;
    private final HttpServer server;
    private final HttpClient http;
    private final String bearer;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<Fault> faults = new CopyOnWriteArrayList<>();

    ApiProxy(String target) throws IOException {
        this(target, null, null);
    }

    /** A proxy in front of a test cluster, real (https, the admin token added to each request) or embedded. */
    ApiProxy(TestCluster cluster) throws IOException {
        this(cluster.url(), cluster instanceof RealCluster r ? r.adminToken() : null,
                cluster instanceof RealCluster r ? r.sslContext() : null);
    }

    private ApiProxy(String target, String bearer, SSLContext ssl) throws IOException {
        this.target = target;
        this.bearer = bearer;
        HttpClient.Builder hb = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1);
        if (ssl != null) {
            hb.sslContext(ssl);
        }
        this.http = hb.build();
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "api-proxy");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A client through this proxy with fabric8's own request retries off, so ours are what is tested. */
    KubernetesClient client() {
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(url()).withNamespace("default")
                .withRequestRetryBackoffLimit(0).build();
        return new KubernetesClientBuilder().withHttpClientFactory(new JdkHttpClientFactory()).withConfig(config).build();
    }

    /** Answers the next {@code times} requests whose "METHOD path?query" matches with {@code status}. */
    ApiProxy fail(Predicate<String> request, int status, int times) {
        faults.add(new Fault(request, status, new AtomicInteger(times), 0));
        return this;
    }

    /** Delays every matching request. */
    ApiProxy delay(Predicate<String> request, long millis) {
        return delay(request, millis, Integer.MAX_VALUE);
    }

    /** Delays the next {@code times} matching requests. */
    ApiProxy delay(Predicate<String> request, long millis, int times) {
        faults.add(new Fault(request, 0, new AtomicInteger(times), millis));
        return this;
    }

    /** Every request seen, as "METHOD path?query". */
    List<String> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            URI uri = ex.getRequestURI();
            String line = ex.getRequestMethod() + " " + uri.getRawPath() + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "");
            requests.add(line);
            for (Fault f : faults) {
                if (f.requests().test(line) && f.remaining().getAndDecrement() > 0) {
                    if (f.delayMillis() > 0) {
                        Thread.sleep(f.delayMillis());
                    }
                    if (f.status() > 0) {
                        byte[] body = ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"injected "
                                + f.status() + "\",\"code\":" + f.status() + "}").getBytes(StandardCharsets.UTF_8);
                        ex.getResponseHeaders().add("Content-Type", "application/json");
                        ex.sendResponseHeaders(f.status(), body.length);
                        ex.getResponseBody().write(body);
                        return;
                    }
                }
            }
            byte[] in;
            try (InputStream is = ex.getRequestBody()) {
                in = is.readAllBytes();
            }
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target + line.substring(line.indexOf(' ') + 1)))
                    .method(ex.getRequestMethod(), in.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(in));
            ex.getRequestHeaders().forEach((k, vs) -> {
                if (!HOP_HEADERS.contains(k.toLowerCase())) {
                    vs.forEach(v -> b.header(k, v));
                }
            });
            if (bearer != null) {
                b.setHeader("Authorization", "Bearer " + bearer);
            }
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            r.headers().map().forEach((k, vs) -> {
                if (!HOP_HEADERS.contains(k.toLowerCase()) && !k.startsWith(":")) {
                    vs.forEach(v -> ex.getResponseHeaders().add(k, v));
                }
            });
            byte[] body = r.body();
            ex.sendResponseHeaders(r.statusCode(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(body);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
