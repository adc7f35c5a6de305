package io.kbackup.testkit.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The few AWS-style calls the server classes make themselves (create a bucket, ask MinIO's STS for
 * restricted credentials), signed with Signature Version 4 over {@code java.net.http}, so the test
 * kit needs no AWS SDK. Only for 127.0.0.1 test servers: no retries, no streaming.
 */
final class S3Calls {

    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private S3Calls() {
    }

    /** A signed request's answer. */
    record Answer(int status, String body) {
        boolean ok() {
            return status / 100 == 2;
        }
    }

    /**
     * Sends one request signed for {@code service} ({@code s3} or {@code sts}).
     *
     * @param path the URI path, already encoded (e.g. {@code /bucket})
     * @param headers extra headers to send and sign (lower-case names)
     */
    static Answer send(String endpoint, String region, String service, String accessKey, String secretKey,
            String method, String path, Map<String, String> headers, byte[] body) {
        URI uri = URI.create(endpoint + path);
        String host = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        String amzDate = AMZ_DATE.format(now);
        String day = amzDate.substring(0, 8);
        String payloadHash = hex(sha256(body));

        TreeMap<String, String> signed = new TreeMap<>(headers);
        signed.put("host", host);
        signed.put("x-amz-date", amzDate);
        signed.put("x-amz-content-sha256", payloadHash);
        StringBuilder canonicalHeaders = new StringBuilder();
        for (Map.Entry<String, String> h : signed.entrySet()) {
            canonicalHeaders.append(h.getKey()).append(':').append(h.getValue().strip()).append('\n');
        }
        String signedHeaders = String.join(";", signed.keySet());
        String canonicalRequest = method + "\n" + uri.getRawPath() + "\n" + (uri.getRawQuery() == null ? "" : uri.getRawQuery())
                + "\n" + canonicalHeaders + "\n" + signedHeaders + "\n" + payloadHash;
        String scope = day + "/" + region + "/" + service + "/aws4_request";
        String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
                + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), day);
        key = hmac(key, region);
        key = hmac(key, service);
        key = hmac(key, "aws4_request");
        String signature = hex(hmac(key, stringToSign));

        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + accessKey + "/" + scope
                        + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature);
        for (Map.Entry<String, String> h : signed.entrySet()) {
            if (!h.getKey().equals("host")) {
                request.header(h.getKey(), h.getValue());
            }
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + uri + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + method + " " + uri, e);
        }
    }

    /** Creates a bucket (path style); an existing bucket of ours is fine. */
    static void createBucket(String endpoint, String region, String accessKey, String secretKey, String bucket,
            boolean objectLock) {
        Map<String, String> headers = objectLock ? Map.of("x-amz-bucket-object-lock-enabled", "true") : Map.of();
        byte[] body = region.equals("us-east-1") ? new byte[0]
                : ("<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>"
                        + region + "</LocationConstraint></CreateBucketConfiguration>").getBytes(StandardCharsets.UTF_8);
        Answer a = send(endpoint, region, "s3", accessKey, secretKey, "PUT", "/" + bucket, headers, body);
        if (!a.ok() && !a.body().contains("BucketAlreadyOwnedByYou")) {
            throw new IllegalStateException("cannot create bucket " + bucket + " at " + endpoint + ": HTTP " + a.status()
                    + " " + a.body());
        }
    }

    /** The text of every {@code <tag>} element of an XML answer, in order. */
    static List<String> elements(String xml, String tag) {
        Matcher m = Pattern.compile("<" + tag + ">([^<]*)</" + tag + ">").matcher(xml);
        List<String> all = new ArrayList<>();
        while (m.find()) {
            all.add(unescape(m.group(1)));
        }
        return all;
    }

    /** One path segment or query value encoded as Signature Version 4 wants it ({@code /} too). */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A")
                .replace("%7E", "~");
    }

    /** The text of the first {@code <tag>} element of an XML answer, or {@code null}. */
    static String element(String xml, String tag) {
        Matcher m = Pattern.compile("<" + tag + ">([^<]*)</" + tag + ">").matcher(xml);
        return m.find() ? unescape(m.group(1)) : null;
    }

    private static String unescape(String text) {
        return text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'");
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
