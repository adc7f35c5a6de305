package io.kbackup.junit5;

/** Where {@link ClusterSnapshot} and {@link RestoreBackup} get their cluster. */
public enum SnapshotCluster {
    /**
     * A field annotated {@link SnapshotClient}, or else the one field of type
     * {@code KubernetesClient} or {@code TestCluster} (static for a class snapshot); else the cluster
     * of the test kit's {@code EmbeddedClusterExtension} / {@code RealClusterExtension} on the class.
     */
    AUTO,
    /**
     * A new {@code EmbeddedCluster} per test class, closed after it; test methods, lifecycle methods
     * and constructors get it (and a shared {@code KubernetesClient}) as parameters.
     */
    EMBEDDED,
    /** A new {@code RealCluster} (kube-apiserver, etcd, kube-controller-manager) per test class, injected as {@link #EMBEDDED}. */
    REAL,
    /** The cluster of the kubeconfig ({@code KUBECONFIG} or {@code ~/.kube/config}), at {@link ClusterSnapshot#context()}. */
    KUBECONFIG
}
