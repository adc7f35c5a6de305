/**
 * An embedded Kubernetes API server for tests of backup and restore: {@link
 * io.kbackup.testkit.cluster.EmbeddedCluster} (in-process, with discovery, list paging,
 * server-set metadata, the API server's patch semantics, 404 for kinds it does not serve, custom
 * resources at every served version, and fast bulk seeding on top of fabric8's CRUD mock
 * server), {@link io.kbackup.testkit.cluster.EmbeddedClusterExtension} (JUnit 5, one cluster per
 * test class) and {@link io.kbackup.testkit.cluster.EmbeddedClusterServer} (a standalone server
 * process for kubectl or another JVM).
 */
package io.kbackup.testkit.cluster;
