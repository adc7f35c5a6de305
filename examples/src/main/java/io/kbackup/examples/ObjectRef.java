package io.kbackup.examples;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Objects;

/**
 * Identifies one Kubernetes object: apiVersion, kind, namespace (null for cluster-scoped objects) and name.
 *
 * @param apiVersion group/version, e.g. {@code apps/v1} or {@code v1}; never null
 * @param kind       the kind, e.g. {@code Deployment}; never null
 * @param namespace  the namespace, or null for a cluster-scoped object
 * @param name       the object's name; never null
 */
public record ObjectRef(String apiVersion, String kind, String namespace, String name) {

    public ObjectRef {
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
    }

    /** The reference of an object as the API server returned it. */
    public static ObjectRef of(HasMetadata object) {
        return new ObjectRef(object.getApiVersion(), object.getKind(), object.getMetadata().getNamespace(),
                object.getMetadata().getName());
    }

    /** True for a cluster-scoped object. */
    public boolean clusterScoped() {
        return namespace == null;
    }

    /** The same object in another namespace (cluster-scoped references are returned unchanged). */
    public ObjectRef inNamespace(String otherNamespace) {
        return clusterScoped() ? this : new ObjectRef(apiVersion, kind, otherNamespace, name);
    }

    @Override
    public String toString() {
        return kind + " " + (namespace == null ? "" : namespace + "/") + name;
    }
}
