/**
 * JUnit 5 support: {@link io.kbackup.junit5.ClusterSnapshot @ClusterSnapshot} resets a cluster to
 * its state before each test (or class) and {@link io.kbackup.junit5.RestoreBackup @RestoreBackup}
 * restores a golden backup before it. Its annotations carry JUnit 5 types, so JUnit's API is read
 * transitively; the test kit's clusters are found when the test kit is present.
 */
module io.kbackup.junit5 {
    requires transitive org.junit.jupiter.api;
    requires io.kbackup.api;
    requires io.kbackup.core;
    requires io.kbackup.testkit;
    requires kubernetes.client.api;
    requires kubernetes.model.core;
    requires org.junit.platform.commons;
    requires org.slf4j;

    exports io.kbackup.junit5;
}
