/**
 * Cluster state as a JUnit 5 fixture. Start with {@link io.kbackup.junit5.ClusterSnapshot}: on a test
 * class or method it takes a snapshot of the cluster before and puts the cluster back after (a reset:
 * what changed is restored, what is new is pruned), failing the test with
 * {@link io.kbackup.junit5.ClusterNotResetException} when something could not be put back.
 * {@link io.kbackup.junit5.RestoreBackup} restores a golden backup (a Velero-format folder or a
 * location) before the test; {@link io.kbackup.junit5.SnapshotCluster} says which cluster to use.
 */
package io.kbackup.junit5;
