/**
 * Kubernetes API servers for tests of backup and restore, behind one interface,
 * {@link io.kbackup.testkit.cluster.TestCluster}:
 * {@link io.kbackup.testkit.cluster.RealCluster} (etcd, kube-apiserver and kube-controller-manager
 * as child processes, built from the Go module proxy; what every claim is proven against) with
 * {@link io.kbackup.testkit.cluster.RealClusterExtension}, and
 * {@link io.kbackup.testkit.cluster.EmbeddedCluster} (in-process, with discovery, list paging,
 * server-set metadata, the API server's patch semantics, 404 for kinds it does not serve, custom
 * resources at every served version, and fast bulk seeding on top of fabric8's CRUD mock server;
 * for the demo and fast tests; {@code ClusterConformanceCases} holds it to a real server) with
 * {@link io.kbackup.testkit.cluster.EmbeddedClusterExtension} and
 * {@link io.kbackup.testkit.cluster.EmbeddedClusterServer} (a standalone server process for
 * kubectl or another JVM).
 */
package io.kbackup.testkit.cluster;
