package io.kbackup.core.internal.velero;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One shared informer (list + watch, re-listing after a dropped watch) on one Velero kind in
 * Velero's namespace, started on first use, that hands each object's changes to the listeners
 * registered for its name. No polling: every state comes from the API server's watch.
 * Thread-safe.
 */
public final class ResourceWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ResourceWatcher.class);

    /** Receives one object's states, on the informer's thread; must not block. */
    public interface Listener {
        /** The object was added or changed (also called once on registration when it exists). */
        void changed(GenericKubernetesResource resource);

        /** The object was deleted. */
        default void deleted(GenericKubernetesResource last) {}
    }

    /** Stops a listener. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    private final KubernetesClient client;
    private final VeleroKind kind;
    private final String namespace;
    private final ConcurrentMap<String, List<Listener>> listeners = new ConcurrentHashMap<>();
    private SharedIndexInformer<GenericKubernetesResource> informer;
    private boolean closed;

    public ResourceWatcher(KubernetesClient client, VeleroKind kind, String namespace) {
        this.client = client;
        this.kind = kind;
        this.namespace = namespace;
    }

    /** Registers {@code listener} for the object {@code name}, and gives it the object's current state if there is one. */
    public Registration watch(String name, Listener listener) {
        SharedIndexInformer<GenericKubernetesResource> inf = informer();
        listeners.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>()).add(listener);
        GenericKubernetesResource current = inf.getStore().getByKey(namespace + "/" + name);
        if (current != null) {
            listener.changed(current);
        }
        return () -> listeners.computeIfPresent(name, (n, list) -> {
            list.remove(listener);
            return list.isEmpty() ? null : list;
        });
    }

    /**
     * Completes with the object {@code name} once a state of it matches {@code condition} (or with
     * {@code null} once it is deleted, when {@code nullOnDelete}). The caller applies a timeout.
     */
    public CompletableFuture<GenericKubernetesResource> until(String name, Predicate<GenericKubernetesResource> condition,
            boolean nullOnDelete) {
        CompletableFuture<GenericKubernetesResource> result = new CompletableFuture<>();
        Registration reg = watch(name, new Listener() {
            @Override
            public void changed(GenericKubernetesResource resource) {
                if (condition.test(resource)) {
                    result.complete(resource);
                }
            }

            @Override
            public void deleted(GenericKubernetesResource last) {
                if (nullOnDelete) {
                    result.complete(null);
                }
            }
        });
        result.whenComplete((r, e) -> reg.close());
        return result;
    }

    /** The object's last known state, from the informer's cache. */
    public Optional<GenericKubernetesResource> cached(String name) {
        return Optional.ofNullable(informer().getStore().getByKey(namespace + "/" + name));
    }

    private synchronized SharedIndexInformer<GenericKubernetesResource> informer() {
        if (closed) {
            throw new IllegalStateException("the VeleroEngine is closed");
        }
        if (informer == null) {
            informer = client.genericKubernetesResources(kind.context()).inNamespace(namespace).inform(new Handler(), 0);
            LOG.debug("Watching {} in namespace {}", kind.plural(), namespace);
        }
        return informer;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (informer != null) {
            informer.close();
            informer = null;
        }
    }

    private final class Handler implements ResourceEventHandler<GenericKubernetesResource> {
        @Override
        public void onAdd(GenericKubernetesResource obj) {
            dispatch(obj, false);
        }

        @Override
        public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
            dispatch(newObj, false);
        }

        @Override
        public void onDelete(GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {
            dispatch(obj, true);
        }

        private void dispatch(GenericKubernetesResource obj, boolean deleted) {
            List<Listener> targets = listeners.get(obj.getMetadata().getName());
            if (targets == null) {
                return;
            }
            for (Listener l : targets) {
                try {
                    if (deleted) {
                        l.deleted(obj);
                    } else {
                        l.changed(obj);
                    }
                } catch (RuntimeException e) {
                    LOG.warn("A listener of {} {} failed: {}", kind.kind(), obj.getMetadata().getName(), e.toString());
                }
            }
        }
    }
}
