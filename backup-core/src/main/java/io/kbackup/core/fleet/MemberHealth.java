package io.kbackup.core.fleet;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Whether a group member may start: checked just before the member's backup starts, within the
 * group's health timeout. An unhealthy or unreachable member is {@link MemberPhase#SKIPPED skipped}
 * with the {@link SkipReason} of the result; the other members go on.
 */
@FunctionalInterface
public interface MemberHealth {

    /** Every member is healthy (no check). Used for members whose client exposes no cluster. */
    MemberHealth ALWAYS = timeout -> Status.healthy();

    /**
     * Checks the member within {@code timeout}. Must not throw: report trouble as
     * {@link Status#unhealthy} or {@link Status#unreachable}.
     */
    Status check(Duration timeout);

    /**
     * The API server's readiness: {@code GET /readyz} with the client's own credentials; 200 is
     * ready, another status is {@link SkipReason#UNHEALTHY}, no answer within the timeout is
     * {@link SkipReason#UNREACHABLE}. The response body (which lists failed checks) goes into the
     * message; credentials never do.
     */
    static MemberHealth readyz(KubernetesClient client) {
        Objects.requireNonNull(client, "client");
        return timeout -> {
            String url;
            try {
                url = client.getMasterUrl().toString().replaceAll("/+$", "") + "/readyz";
            } catch (RuntimeException e) {
                return Status.unreachable("no API server address: " + e.getMessage());
            }
            CompletableFuture<HttpResponse<String>> call = null;
            try {
                HttpClient http = client.getHttpClient();
                HttpRequest request = http.newHttpRequestBuilder().uri(url)
                        .timeout(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS).build();
                call = http.sendAsync(request, String.class);
                HttpResponse<String> response = call.get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
                if (response.code() == 200) {
                    return Status.healthy();
                }
                String body = response.body() == null ? "" : response.body().strip();
                return Status.unhealthy(url + " answered " + response.code()
                        + (body.isEmpty() ? "" : ": " + (body.length() > 500 ? body.substring(0, 500) + "..." : body)));
            } catch (TimeoutException e) {
                return Status.unreachable(url + " did not answer within " + timeout.toMillis() + " ms");
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                return Status.unreachable(url + " could not be reached: " + cause.getClass().getSimpleName()
                        + (cause.getMessage() != null ? " " + cause.getMessage() : ""));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Status.unreachable(url + ": the check was interrupted");
            } catch (RuntimeException e) {
                return Status.unreachable(url + " could not be reached: " + e);
            } finally {
                if (call != null) {
                    call.cancel(true);
                }
            }
        };
    }

    /**
     * The result of a health check.
     *
     * @param ready   whether the member may start
     * @param reason  why not; null when ready
     * @param message what was seen; null when ready
     */
    record Status(boolean ready, SkipReason reason, String message) {
        private static final Status READY = new Status(true, null, null);

        /** Ready to start. */
        public static Status healthy() {
            return READY;
        }

        /** The API server answered, but not ready. */
        public static Status unhealthy(String message) {
            return new Status(false, SkipReason.UNHEALTHY, message);
        }

        /** The API server did not answer. */
        public static Status unreachable(String message) {
            return new Status(false, SkipReason.UNREACHABLE, message);
        }
    }
}
