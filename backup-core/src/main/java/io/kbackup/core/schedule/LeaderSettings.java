package io.kbackup.core.schedule;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Where and how replicas of a {@link BackupScheduler} elect the one that runs schedules (a Kubernetes Lease). */
record LeaderSettings(KubernetesClient client, String namespace, String leaseName, String identity,
                      Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {

    LeaderSettings withTimings(Duration lease, Duration renew, Duration retry) {
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
