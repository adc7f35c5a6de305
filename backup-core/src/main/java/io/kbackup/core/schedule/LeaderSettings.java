package io.kbackup.core.schedule;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.kbackup.InvalidPlanException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** Where and how replicas of a {@link BackupScheduler} elect the one that runs schedules (a Kubernetes Lease). */
record LeaderSettings(KubernetesClient client, String namespace, String leaseName, String identity,
                      Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {

    /**
     * The Lease {@code namespace/leaseName}, held by {@code identity}; timings still to come.
     *
     * @throws InvalidPlanException naming a missing setting
     */
    static LeaderSettings of(KubernetesClient client, String namespace, String leaseName, String identity) {
        Objects.requireNonNull(client, "client");
        for (String[] f : new String[][] {{"namespace", namespace}, {"leaseName", leaseName}, {"identity", identity}}) {
            if (f[1] == null || f[1].isBlank()) {
                throw new InvalidPlanException("Leader election: " + f[0] + " is required.");
            }
        }
        return new LeaderSettings(client, namespace, leaseName, identity, null, null, null);
    }

    /**
     * These settings with the given timings.
     *
     * @throws InvalidPlanException unless leaseDuration > renewDeadline > retryPeriod
     */
    LeaderSettings withTimings(Duration lease, Duration renew, Duration retry) {
        if (!(lease.compareTo(renew) > 0 && renew.compareTo(retry) > 0)) {
            throw new InvalidPlanException("Leader election timings must satisfy leaseDuration > renewDeadline > retryPeriod.");
        }
        return new LeaderSettings(client, namespace, leaseName, identity, lease, renew, retry);
    }

    /** Starts fabric8's leader elector on the Lease; cancel the returned future to release it. */
    CompletableFuture<?> start(Runnable onStartLeading, Runnable onStopLeading) {
        var config = new LeaderElectionConfigBuilder()
                .withName("kbackup-scheduler")
                .withLock(new LeaseLock(namespace, leaseName, identity))
                .withLeaseDuration(leaseDuration)
                .withRenewDeadline(renewDeadline)
                .withRetryPeriod(retryPeriod)
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(onStartLeading, onStopLeading, id -> {}))
                .build();
        return client.leaderElector().withConfig(config).build().start();
    }
}
