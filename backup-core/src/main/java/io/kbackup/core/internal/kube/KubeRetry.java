package io.kbackup.core.internal.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries Kubernetes API calls that failed for a transient reason: HTTP 429 and 5xx, timeouts and
 * broken connections. Exponential backoff from {@code baseDelay} (doubled each attempt, capped at
 * 30 s, with up to 50% jitter; the server's {@code retryAfterSeconds} is honoured when larger).
 * Sits above fabric8's own request retries. Thread-safe.
 */
public final class KubeRetry {
    private static final Logger LOG = LoggerFactory.getLogger(KubeRetry.class);
    private static final long MAX_DELAY_MS = 30_000;

    private final int maxRetries;
    private final Duration baseDelay;

    public KubeRetry(int maxRetries, Duration baseDelay) {
        this.maxRetries = maxRetries;
        this.baseDelay = baseDelay;
    }

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

    /** "HTTP 503: message" or the cause's text, for messages. */
    public static String describe(KubernetesClientException e) {
        String msg = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
        return (e.getCode() > 0 ? "HTTP " + e.getCode() + ": " : "") + msg;
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
