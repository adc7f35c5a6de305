package io.kbackup.core.internal.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kbackup.ClusterForbiddenException;
import io.kbackup.ClusterRefusedException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries Kubernetes API calls that failed for a transient reason: HTTP 429 and 5xx, timeouts and
 * broken connections. Exponential backoff from {@code baseDelay} (doubled each attempt, capped at
 * 30 s, with up to 50% jitter; the server's {@code retryAfterSeconds} is honoured when larger).
 * Sits above fabric8's own request retries. Thread-safe.
 *
 * @param maxRetries retries after the first attempt
 * @param baseDelay  the first retry's delay, doubled each attempt
 */
public record KubeRetry(int maxRetries, Duration baseDelay) {
    private static final Logger LOG = LoggerFactory.getLogger(KubeRetry.class);
    private static final long MAX_DELAY_MS = 30_000;

    /**
     * Runs {@code call}, retrying transient failures.
     *
     * @param what what the call does, for logs ("list pods")
     * @throws KubernetesClientException the last failure, when not transient or retries are used up
     * @throws CancellationException     when the thread is interrupted while waiting (the interrupt
     *                                   flag is set again)
     */
    public <T> T call(String what, Supplier<T> call) {
        int attempt = 0;
        while (true) {
            if (Thread.currentThread().isInterrupted()) {
                throw new CancellationException("interrupted before " + what);
            }
            try {
                return call.get();
            } catch (KubernetesClientException e) {
                if (isInterrupt(e)) {
                    Thread.currentThread().interrupt();
                    throw (CancellationException) new CancellationException("interrupted during " + what).initCause(e);
                }
                if (!isTransient(e) || attempt >= maxRetries) {
                    throw e;
                }
                long delay = delayMillis(attempt, e);
                attempt++;
                LOG.debug("{} failed ({}); retry {}/{} in {} ms", what, describe(e), attempt, maxRetries, delay);
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new CancellationException("interrupted while retrying " + what);
                }
            }
        }
    }

    /** 429, 5xx, or an I/O failure (timeout, refused or reset connection) underneath. */
    public static boolean isTransient(KubernetesClientException e) {
        int code = e.getCode();
        if (code == 429 || (code >= 500 && code <= 599)) {
            return true;
        }
        if (code > 0) {
            return false;
        }
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof IOException || t instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }

    /**
     * "HTTP 503: message" or the cause's text, for messages. A 403 of the authorizer names the
     * denied verb and resource first ({@link #refused}).
     */
    public static String describe(KubernetesClientException e) {
        if (isPermissionDenied(e)) {
            return forbidden(null, e).getMessage();
        }
        return (e.getCode() > 0 ? "HTTP " + e.getCode() + ": " : "") + serverMessage(e);
    }

    /**
     * The typed exception for a refused request: {@link ClusterForbiddenException} with the verb,
     * resource and namespace when the authorizer denied it (RBAC), else {@link ClusterRefusedException}
     * (admission plugins also answer 403, e.g. for a missing PriorityClass; those are not permissions).
     *
     * @param what what was being done, e.g. "Could not delete the volume snapshots of backup 'b'"
     */
    public static ClusterRefusedException refused(String what, KubernetesClientException e) {
        if (isPermissionDenied(e)) {
            return forbidden(what, e);
        }
        return new ClusterRefusedException(what + ": " + describe(e), e.getCode(), e);
    }

    /** The API server's own 403 text: {@code User "u" cannot VERB resource "R" in API group "G" [in the namespace "N"]}. */
    private static final Pattern FORBIDDEN = Pattern.compile(
            "cannot (\\S+) resource \"([^\"]+)\" in API group \"([^\"]*)\"(?: in the namespace \"([^\"]+)\")?");

    /** A 403 whose message is the authorizer's ("... cannot VERB resource ..."), not an admission plugin's. */
    private static boolean isPermissionDenied(KubernetesClientException e) {
        String msg = serverMessage(e);
        return e.getCode() == 403 && msg != null && FORBIDDEN.matcher(msg).find();
    }

    private static ClusterForbiddenException forbidden(String what, KubernetesClientException e) {
        String msg = serverMessage(e);
        Matcher m = FORBIDDEN.matcher(msg);
        if (!m.find()) {
            throw new IllegalArgumentException("not an authorizer's 403: " + msg);
        }
        String verb = m.group(1);
        String group = m.group(3);
        String resource = group.isEmpty() ? m.group(2) : m.group(2) + "." + group;
        String namespace = m.group(4);
        String denied = "forbidden to " + verb + " " + resource + (namespace == null ? "" : " in namespace " + namespace);
        return new ClusterForbiddenException((what == null ? "" : what + ": ") + "HTTP 403: " + denied
                + ". Grant the service account this verb on this resource (kbackup's ClusterRoles: META-INF/kbackup/rbac/ in"
                + " backup-core, and the README's RBAC section). The API server said: " + msg, verb, resource, namespace, e);
    }

    private static String serverMessage(KubernetesClientException e) {
        return e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
    }

    private static boolean isInterrupt(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException || (t instanceof InterruptedIOException && !(t instanceof java.net.SocketTimeoutException))) {
                return true;
            }
        }
        return Thread.currentThread().isInterrupted();
    }

    private long delayMillis(int attempt, KubernetesClientException e) {
        long base = Math.max(1, baseDelay.toMillis());
        long d = Math.min(MAX_DELAY_MS, base << Math.min(attempt, 20));
        d += ThreadLocalRandom.current().nextLong(d / 2 + 1);
        if (e.getStatus() != null && e.getStatus().getDetails() != null && e.getStatus().getDetails().getRetryAfterSeconds() != null) {
            d = Math.max(d, Math.min(MAX_DELAY_MS, e.getStatus().getDetails().getRetryAfterSeconds() * 1000L));
        }
        return d;
    }
}
