package io.kbackup.core.fleet;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.testkit.cluster.EmbeddedCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Two embedded clusters, {@code eu} and {@code us}, with a client each, started before a test
 * class (before its own {@code @BeforeAll}, which seeds them) and closed after it: the members of
 * the group tests.
 */
public abstract class TwoEmbeddedClusters {
    protected static EmbeddedCluster eu;
    protected static EmbeddedCluster us;
    protected static KubernetesClient euClient;
    protected static KubernetesClient usClient;

    @BeforeAll
    protected static void startClusters() {
        eu = EmbeddedCluster.start();
        us = EmbeddedCluster.start();
        euClient = eu.client();
        usClient = us.client();
    }

    @AfterAll
    protected static void stopClusters() {
        euClient.close();
        usClient.close();
        eu.close();
        us.close();
    }
}
