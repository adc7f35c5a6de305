package io.kbackup.core.internal.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class KubeRetryTest {
    private static KubernetesClientException http(int code) {
        return new KubernetesClientException(new StatusBuilder().withCode(code).withMessage("m" + code).build());
    }

    @Test
    void transientMeansThrottledServerErrorOrBrokenConnection() {
        assertThat(KubeRetry.isTransient(http(429))).isTrue();
        assertThat(KubeRetry.isTransient(http(500))).isTrue();
        assertThat(KubeRetry.isTransient(http(503))).isTrue();
        assertThat(KubeRetry.isTransient(new KubernetesClientException("timeout", new SocketTimeoutException("read timed out")))).isTrue();
        assertThat(KubeRetry.isTransient(http(403))).isFalse();
        assertThat(KubeRetry.isTransient(http(404))).isFalse();
        assertThat(KubeRetry.isTransient(http(410))).isFalse();
        assertThat(KubeRetry.isTransient(new KubernetesClientException("bad"))).isFalse();
    }

    @Test
    void retriesUpToMaxRetriesThenGivesTheLastError() {
        AtomicInteger calls = new AtomicInteger();
        KubeRetry retry = new KubeRetry(3, Duration.ofMillis(1));
        assertThatThrownBy(() -> retry.call("list x", () -> {
            calls.incrementAndGet();
            throw http(503);
        })).isInstanceOf(KubernetesClientException.class);
        assertThat(calls).hasValue(4);

        calls.set(0);
        assertThat(retry.<String>call("list x", () -> {
            if (calls.incrementAndGet() < 3) {
                throw http(429);
            }
            return "ok";
        })).isEqualTo("ok");
        assertThat(calls).hasValue(3);
    }

    @Test
    void doesNotRetryPermanentErrors() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> new KubeRetry(5, Duration.ofMillis(1)).call("get", () -> {
            calls.incrementAndGet();
            throw http(403);
        })).isInstanceOf(KubernetesClientException.class);
        assertThat(calls).hasValue(1);
    }

    @Test
    void anInterruptStopsRetrying() {
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> new KubeRetry(5, Duration.ofSeconds(10)).call("get", () -> {
                throw http(500);
            })).isInstanceOf(CancellationException.class);
        } finally {
            Thread.interrupted();
        }
    }
}
