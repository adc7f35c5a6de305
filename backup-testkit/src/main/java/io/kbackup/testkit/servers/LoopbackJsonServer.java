package io.kbackup.testkit.servers;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

/**
 * The base of a small in-process fake of a JSON HTTP API (a cloud key service without an
 * emulator, for instance) on 127.0.0.1 and a free port: the JDK's HTTP server, request bodies read
 * (gzip too, as Google's clients send them) and JSON answers written. A request whose handling
 * throws is answered 500 with the exception, never left without an answer. Close it to stop it.
 */
public abstract class LoopbackJsonServer implements AutoCloseable {
    private final HttpServer server;

    /** Starts serving the requests under {@code pathPrefix} with {@link #handle}. */
    protected LoopbackJsonServer(String pathPrefix) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext(pathPrefix, exchange -> {
            try (exchange) {
                handle(exchange, path(exchange), body(exchange));
            } catch (IOException | RuntimeException e) {
                send(exchange, 500, "{\"error\":{\"code\":500,\"message\":\"" + e.toString().replace("\"", "'") + "\"}}");
            }
        });
        server.start();
    }

    /** Answers one request: {@code path} is the URI's path, {@code body} the request body (un-gzipped). */
    protected abstract void handle(HttpExchange exchange, String path, byte[] body) throws IOException;

    /** {@code http://127.0.0.1:PORT}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static String path(HttpExchange exchange) {
        return exchange.getRequestURI().getPath();
    }

    private static byte[] body(HttpExchange exchange) throws IOException {
        InputStream in = "gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody();
        return in.readAllBytes();
    }

    /** Answers {@code code} with the JSON document {@code json}. */
    protected static void send(HttpExchange exchange, int code, String json) throws IOException {
        byte[] out = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(code, out.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(out);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
