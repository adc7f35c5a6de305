package io.kbackup.core.internal.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

/** Which refusals a restore waits out: only admission not yet seeing a PriorityClass the restore created. */
class AdmissionLagTest {
    private static final KubernetesClientException NO_HIGH = status(403, "pods \"web-1\" is forbidden: no PriorityClass with name high was found");

    private static KubernetesClientException status(int code, String message) {
        return new KubernetesClientException(new StatusBuilder().withCode(code).withReason("Forbidden").withMessage(message).build());
    }

    private static AdmissionLag created(String priorityClass) {
        AdmissionLag lag = new AdmissionLag();
        lag.created(new IndexedItem(RestoreSelection.PRIORITY_CLASSES, null, priorityClass, "scheduling.k8s.io/v1", "PriorityClass", 0, 0),
                priorityClass);
        return lag;
    }

    @Test
    void aPriorityClassTheRestoreCreatedIsWaitedForWithGrowingPauses() {
        AdmissionLag lag = created("high");
        assertThat(lag.waitBeforeRetry(NO_HIGH, 0)).isPositive();
        assertThat(lag.waitBeforeRetry(NO_HIGH, 1)).isGreaterThan(lag.waitBeforeRetry(NO_HIGH, 0));
    }

    @Test
    void theWaitsEndAfterAFewSeconds() {
        AdmissionLag lag = created("high");
        long total = 0;
        int attempt = 0;
        for (long wait; (wait = lag.waitBeforeRetry(NO_HIGH, attempt)) >= 0; attempt++) {
            total += wait;
        }
        assertThat(attempt).isBetween(3, 10);
        assertThat(total).isBetween(1_000L, 5_000L);
    }

    @Test
    void aPriorityClassTheRestoreDidNotCreateFailsAtOnce() {
        assertThat(created("low").waitBeforeRetry(NO_HIGH, 0)).isEqualTo(-1);
        assertThat(new AdmissionLag().waitBeforeRetry(NO_HIGH, 0)).isEqualTo(-1);
    }

    @Test
    void otherItemsAndOtherRefusalsAreNotWaitedFor() {
        AdmissionLag lag = new AdmissionLag();
        lag.created(new IndexedItem("configmaps", "shop", "high", "v1", "ConfigMap", 0, 0), "high");
        assertThat(lag.waitBeforeRetry(NO_HIGH, 0)).as("a ConfigMap named high is not a PriorityClass").isEqualTo(-1);
        AdmissionLag high = created("high");
        assertThat(high.waitBeforeRetry(status(403, "pods \"web-1\" is forbidden: User \"x\" cannot create resource \"pods\""), 0))
                .isEqualTo(-1);
        assertThat(high.waitBeforeRetry(status(422, "no PriorityClass with name high was found"), 0)).isEqualTo(-1);
    }
}
