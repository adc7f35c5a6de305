package io.kbackup.storage.gcs;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * A loopback HTTP server answering every Cloud Storage JSON API request with one fixed status and
 * Google's error body, and OAuth token requests with {@code invalid_grant}: lets the real client
 * library meet each kind of refusal without a cloud account.
 */
final class GoogleApiStub implements AutoCloseable {

    private final HttpServer server;
    private volatile int status = 200;
    private volatile String body = "{\"kind\":\"storage#objects\"}";

    GoogleApiStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            boolean token = exchange.getRequestURI().getPath().startsWith("/token");
            int code = token ? 400 : status;
            byte[] out = (token
                    ? "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid JWT Signature.\"}"
                    : body).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
            exchange.sendResponseHeaders(code, out.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            }
        });
        server.start();
    }

    /** Every storage request from now on fails with {@code code} and {@code message} (Google's error shape). */
    void fail(int code, String reason, String message) {
        this.status = code;
        this.body = "{\"error\":{\"code\":" + code + ",\"message\":\"" + message + "\",\"errors\":[{\"message\":\""
                + message + "\",\"domain\":\"global\",\"reason\":\"" + reason + "\"}]}}";
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A service-account key whose token endpoint is this stub (which refuses it). */
    String serviceAccountJson() throws NoSuchAlgorithmException {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        String pem = "-----BEGIN PRIVATE KEY-----\\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(gen.generateKeyPair().getPrivate().getEncoded()).replace("\n", "\\n")
                + "\\n-----END PRIVATE KEY-----\\n";
        return "{\"type\":\"service_account\",\"project_id\":\"kbackup-test\",\"private_key_id\":\"0123456789abcdef\","
                + "\"private_key\":\"" + pem + "\",\"client_email\":\"backup@kbackup-test.iam.gserviceaccount.com\","
                + "\"client_id\":\"1234567890\",\"token_uri\":\"" + endpoint() + "/token\"}";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
