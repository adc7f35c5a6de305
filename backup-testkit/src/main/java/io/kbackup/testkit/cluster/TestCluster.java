package io.kbackup.testkit.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A Kubernetes API server for tests: the in-process {@link EmbeddedCluster} or a
 * {@link RealCluster} (kube-apiserver, etcd and kube-controller-manager as child processes).
 * Suites written against this type run on both; a class that runs on a real server has
 * {@code Real} in its name.
 */
public interface TestCluster extends AutoCloseable {

    /** A new fabric8 client pointed at this cluster, default namespace {@code default}; the caller closes it. */
    KubernetesClient client();

    /** The API server's base URL. */
    String url();

    /**
     * Writes a kubeconfig for this cluster that {@code kubectl --kubeconfig FILE} and Velero can use.
     *
     * @return {@code file}
     */
    Path writeKubeconfig(Path file);

    /**
     * Creates objects as a client's creates would leave them, in stream order. The embedded
     * cluster stores them without HTTP; a real one creates them through its API (namespaces
     * before their contents, CRDs established before their custom resources).
     *
     * @return the number of objects created
     */
    long seed(Stream<? extends HasMetadata> objects);

    /** True for a real kube-apiserver, false for the embedded one. */
    boolean real();

    /** Stops the server and deletes its data. */
    @Override
    void close();
}
