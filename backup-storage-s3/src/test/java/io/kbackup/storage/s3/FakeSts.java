package io.kbackup.storage.s3;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback HTTP server that answers STS AssumeRole and AssumeRoleWithWebIdentity calls the way
 * STS does, and records each call's form parameters and Authorization header. Not AWS: lets tests
 * see what the SDK's STS credentials providers send.
 */
final class FakeSts implements AutoCloseable {

    /** One call received. */
    record Call(Map<String, String> params, String authorization) {}

    static final String TEMP_ACCESS_KEY = "ASIATEMPORARYKEY0001";
    static final String TEMP_SECRET = "temporary/secret/never-printed";

    private final HttpServer server;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String errorCode = "AccessDenied";
    private volatile String errorMessage = "User: arn:aws:iam::123456789012:user/backup is not authorized to perform: sts:AssumeRole";
    private volatile long lifetimeSeconds = 3600;

    FakeSts() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Map<String, String> params = new LinkedHashMap<>();
            for (String pair : body.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            calls.add(new Call(params, exchange.getRequestHeaders().getFirst("Authorization")));
            String action = params.getOrDefault("Action", "");
            String xml = status == 200 ? success(action) : error();
            byte[] out = xml.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/xml");
            exchange.sendResponseHeaders(status, out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Call> calls() {
        return calls;
    }

    /** Answers every call with this error from now on. */
    void fail(int status, String code, String message) {
        this.status = status;
        this.errorCode = code;
        this.errorMessage = message;
    }

    /** Lifetime of the temporary credentials handed out from now on. */
    void lifetimeSeconds(long seconds) {
        this.lifetimeSeconds = seconds;
    }

    private String success(String action) {
        String expiration = Instant.now().plusSeconds(lifetimeSeconds).toString();
        return "<" + action + "Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                + "<" + action + "Result>"
                + "<Credentials><AccessKeyId>" + TEMP_ACCESS_KEY + "</AccessKeyId>"
                + "<SecretAccessKey>" + TEMP_SECRET + "</SecretAccessKey>"
                + "<SessionToken>session-token-" + calls.size() + "</SessionToken>"
                + "<Expiration>" + expiration + "</Expiration></Credentials>"
                + "<AssumedRoleUser><AssumedRoleId>AROAEXAMPLE:kbackup</AssumedRoleId>"
                + "<Arn>arn:aws:sts::123456789012:assumed-role/kbackup/kbackup</Arn></AssumedRoleUser>"
                + "</" + action + "Result>"
                + "<ResponseMetadata><RequestId>fake-sts-" + calls.size() + "</RequestId></ResponseMetadata>"
                + "</" + action + "Response>";
    }

    private String error() {
        return "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>"
                + "<Code>" + errorCode + "</Code><Message>" + errorMessage + "</Message></Error>"
                + "<RequestId>fake-sts-error</RequestId></ErrorResponse>";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
