package io.kbackup.testkit.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * How {@link RealCluster#seed} creates fixture objects through the API: server-owned metadata
 * dropped, a given status written through the status subresource, terminating objects deleted
 * after creation, and waits for default ServiceAccounts and established CRDs.
 */
final class RealClusterSeeding {

    private final KubernetesClient c;
    private final boolean controllerManager;
    private final Path root;

    RealClusterSeeding(KubernetesClient c, boolean controllerManager, Path root) {
        this.c = c;
        this.controllerManager = controllerManager;
        this.root = root;
    }

    /** Creates the objects in stream order; see {@link RealCluster#seed}. */
    long seed(Stream<? extends HasMetadata> objects) {
        long[] count = new long[1];
        Set<String> namespacesReady = new HashSet<>(List.of("default"));
        objects.forEach(o -> {
            boolean terminating = o.getMetadata().getDeletionTimestamp() != null;
            HasMetadata copy = forCreate(o);
            String ns = copy.getMetadata().getNamespace();
            if (ns != null && !ns.isEmpty() && namespacesReady.add(ns)) {
                awaitDefaultServiceAccount(c, ns);
            }
            HasMetadata created = c.resource(copy).create();
            Object status = statusOf(o);
            if (status != null && !"CustomResourceDefinition".equals(copy.getKind())) {
                created = updateStatus(c, created, status);
            }
            if (created instanceof CustomResourceDefinition || "CustomResourceDefinition".equals(copy.getKind())) {
                awaitEstablished(c, copy.getMetadata().getName());
            }
            if ("Namespace".equals(copy.getKind())) {
                namespacesReady.add(copy.getMetadata().getName());
                awaitDefaultServiceAccount(c, copy.getMetadata().getName());
            }
            if (terminating) {
                // the server sets deletionTimestamp itself: delete, and the finalizers hold it
                c.resource(created).delete();
            }
            count[0]++;
        });
        return count[0];
    }

    private static Object statusOf(HasMetadata o) {
        Object status = Serialization.jsonMapper().convertValue(o, java.util.Map.class).get("status");
        return status instanceof java.util.Map<?, ?> m && m.isEmpty() ? null : status;
    }

    /** Sets the status a fixture gives, by a merge patch of the status subresource where the type has one. */
    private static HasMetadata updateStatus(KubernetesClient c, HasMetadata created, Object status) {
        String patch = Serialization.asJson(java.util.Map.of("status", status));
        try {
            return c.resource(created).subresource("status").patch(
                    new io.fabric8.kubernetes.client.dsl.base.PatchContext.Builder()
                            .withPatchType(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE).build(), patch);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return created; // the type has no status subresource: the create kept the status
            }
            throw e;
        }
    }

    private static HasMetadata forCreate(HasMetadata o) {
        GenericKubernetesResource g = Serialization.jsonMapper().convertValue(o, GenericKubernetesResource.class);
        ObjectMeta meta = g.getMetadata();
        meta.setDeletionTimestamp(null);
        meta.setDeletionGracePeriodSeconds(null);
        meta.setResourceVersion(null);
        meta.setUid(null);
        meta.setCreationTimestamp(null);
        meta.setGeneration(null);
        meta.setManagedFields(null);
        if (o instanceof GenericKubernetesResource) {
            return g;
        }
        return Serialization.jsonMapper().convertValue(g, o.getClass());
    }

    private void awaitDefaultServiceAccount(KubernetesClient c, String namespace) {
        if (!controllerManager) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                if (c.namespaces().withName(namespace).get() == null) {
                    return; // created later in the stream; waited for then
                }
                if (c.serviceAccounts().inNamespace(namespace).withName("default").get() != null) {
                    return;
                }
            } catch (KubernetesClientException retry) {
                // the API server is busy; ask again
            }
            sleep(50);
        }
        throw new IllegalStateException("no default ServiceAccount in namespace " + namespace
                + " after 30 s: is kube-controller-manager running? See " + root);
    }

    /** Waits until the CRD of that name is Established (its resources are served). */
    static void awaitEstablished(KubernetesClient c, String crdName) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            CustomResourceDefinition crd = c.apiextensions().v1().customResourceDefinitions().withName(crdName).get();
            if (crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
                    && crd.getStatus().getConditions().stream()
                    .anyMatch(k -> "Established".equals(k.getType()) && "True".equals(k.getStatus()))) {
                return;
            }
            sleep(50);
        }
        throw new IllegalStateException("CRD " + crdName + " not established within 30 s");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

}
