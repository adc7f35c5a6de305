package io.kbackup.core.internal.kube;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Requests through the fabric8 client's own HTTP client (its authentication, TLS, interceptors and
 * request timeout) for the paths where fabric8's typed operations would cost a JSON round trip per
 * object: a list page kept as the server's bytes, a create whose body is already JSON and whose
 * answer is not needed. A non-2xx answer becomes a {@link KubernetesClientException} carrying the
 * server's {@link Status} (code, reason, causes), as fabric8's own operations throw it.
 */
public final class KubeHttp {

    private KubeHttp() {}

    /**
     * {@code <master>/api[s]/<group/version>[/namespaces/<ns>]/<plural>}: the collection of a
     * resource, in a namespace or (null) across all of them / cluster-scoped.
     */
    public static String collectionUrl(KubernetesClient client, String group, String version, String plural, String namespace) {
        String master = client.getMasterUrl().toString();
        StringBuilder sb = new StringBuilder(master.endsWith("/") ? master : master + "/");
        sb.append(group.isEmpty() ? "api/" + version : "apis/" + group + "/" + version);
        if (namespace != null) {
            sb.append("/namespaces/").append(encode(namespace));
        }
        return sb.append('/').append(plural).toString();
    }

    /** URL-encodes a query value or path segment. */
    public static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** GET {@code url} (JSON); the answer's bytes. */
    public static byte[] get(KubernetesClient client, String url) {
        return send(client, builder(client, url).build());
    }

    /** POST {@code json} to {@code url} (a create); the answer's bytes. */
    public static byte[] postJson(KubernetesClient client, String url, byte[] json) {
        return send(client, builder(client, url).post("application/json", json).build());
    }

    private static HttpRequest.Builder builder(KubernetesClient client, String url) {
        return client.getHttpClient().newHttpRequestBuilder().uri(url).header("Accept", "application/json")
                .timeout(Math.max(1, client.getConfiguration().getRequestTimeout()), TimeUnit.MILLISECONDS);
    }

    private static byte[] send(KubernetesClient client, HttpRequest request) {
        HttpClient http = client.getHttpClient();
        HttpResponse<byte[]> response;
        try {
            response = http.sendAsync(request, byte[].class).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw KubernetesClientException.launderThrowable(e);
        } catch (ExecutionException e) {
            throw KubernetesClientException.launderThrowable(e.getCause());
        }
        byte[] body = response.body();
        if (response.isSuccessful()) {
            return body == null ? new byte[] {'{', '}'} : body;
        }
        String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
        Status status = null;
        try {
            status = client.getKubernetesSerialization().unmarshal(text, Status.class);
        } catch (RuntimeException notAStatus) {
            // the body is not a Status: the code says enough
        }
        if (status == null || status.getCode() == null) {
            status = new StatusBuilder().withCode(response.code()).withMessage(text.isEmpty() ? "HTTP " + response.code() : text).build();
        }
        throw new KubernetesClientException(status);
    }
}
