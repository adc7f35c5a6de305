package io.kbackup.core.internal.restore;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Retries an API call on transient errors (HTTP 429 and 5xx, timeouts and connection failures):
 * up to {@code maxRetries} more attempts, waiting {@code base * 2^n} with jitter between them.
 * Minimal and private to the restore so it can be swapped for the shared helper in
 * {@code internal/kube} once that exists.
 */
final class ApiRetry {
    private final int maxRetries;
    private final Duration base;

    ApiRetry(int maxRetries, Duration base) {
        this.maxRetries = maxRetries;
        this.base = base;
    }

    <T> T call(Supplier<T> call) {
        int attempt = 0;
        while (true) {
            try {
                return call.get();
            } catch (KubernetesClientException e) {
                if (attempt >= maxRetries || !isTransient(e)) {
                    throw e;
                }
                sleep(attempt++);
            }
        }
    }

    static boolean isTransient(KubernetesClientException e) {
        int code = e.getCode();
        if (code == 429 || code == 500 || code == 502 || code == 503 || code == 504) {
            return true;
        }
        if (code > 0) {
            return false;
        }
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof IOException || t instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
        }
        return false;
    }

    private void sleep(int attempt) {
        long delay = base.toMillis() << Math.min(attempt, 16);
        delay += ThreadLocalRandom.current().nextLong(Math.max(1, delay / 2));
        try {
            Thread.sleep(Math.min(delay, 30_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubernetesClientException("interrupted while waiting to retry", e);
        }
    }
}
