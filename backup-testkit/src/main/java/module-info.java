/**
 * The kbackup test kit: test clusters and their JUnit 5 extensions ({@code io.kbackup.testkit.cluster}),
 * the in-memory and fault-injecting storage providers and the storage contract suites
 * ({@code io.kbackup.testkit.storage}), the engine round-trip contract ({@code io.kbackup.testkit.engine}),
 * real test servers ({@code io.kbackup.testkit.servers}) and Velero CRD schema checks
 * ({@code io.kbackup.testkit.velero}). Its signatures carry fabric8, JUnit 5 and AssertJ types on
 * purpose (it is a test library), so those are read transitively.
 */
module io.kbackup.testkit {
    requires transitive io.kbackup.api;
    requires transitive kubernetes.client.api;
    requires transitive org.junit.jupiter.api;
    requires transitive org.assertj.core;
    requires kubernetes.model.core;
    requires kubernetes.model.apiextensions;
    requires kubernetes.model.apps;
    requires kubernetes.model.storageclass;
    requires kubernetes.server.mock;
    requires mockwebserver;
    requires io.fabric8.kubernetes.client.jdkhttp;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.yaml;
    requires java.logging;
    requires java.net.http;
    requires transitive jdk.httpserver;
    requires org.slf4j;

    exports io.kbackup.testkit.cluster;
    exports io.kbackup.testkit.engine;
    exports io.kbackup.testkit.servers;
    exports io.kbackup.testkit.storage;
    exports io.kbackup.testkit.velero;

    provides io.kbackup.spi.StorageProviderFactory with io.kbackup.testkit.storage.InMemoryStorageFactory;
}
