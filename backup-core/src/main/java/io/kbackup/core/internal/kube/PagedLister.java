package io.kbackup.core.internal.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Objects;

/**
 * Lists one resource type page by page ({@code limit} / {@code continue}), each page retried on
 * transient errors, so that at most one page is in memory per lister. Items get
 * {@code apiVersion} and {@code kind} from the resource when the server's list left them out.
 * Thread-safe.
 */
public final class PagedLister {
    private final KubernetesClient client;
    private final KubeRetry retry;
    private final int pageSize;

    /** Receives one page; throw to stop. */
    @FunctionalInterface
    public interface PageConsumer {
        void accept(List<GenericKubernetesResource> items) throws Exception;
    }

    public PagedLister(KubernetesClient client, KubeRetry retry, int pageSize) {
        this.client = Objects.requireNonNull(client, "client");
        this.retry = Objects.requireNonNull(retry, "retry");
        this.pageSize = pageSize;
    }

    /**
     * Lists every object of {@code resource}.
     *
     * @param namespace     one namespace, or null for all (ignored for cluster-scoped resources)
     * @param labelSelector a selector string ({@code a=b,c=d}), or null
     * @return the number of objects listed
     * @throws Exception what the consumer threw, or the last {@link io.fabric8.kubernetes.client.KubernetesClientException}
     */
    public long list(ApiResource resource, String namespace, String labelSelector, PageConsumer consumer) throws Exception {
        String continueToken = null;
        long total = 0;
        int pages = 0;
        do {
            ListOptions options = new ListOptionsBuilder()
                    .withLimit((long) pageSize)
                    .withContinue(continueToken)
                    .withLabelSelector(labelSelector)
                    .build();
            String what = "list " + resource.groupResource() + (namespace != null ? " in " + namespace : "") + " page " + (++pages);
            GenericKubernetesResourceList page = retry.call(what, () -> {
                var op = client.genericKubernetesResources(resource.context());
                if (!resource.namespaced()) {
                    return op.list(options);
                }
                return namespace == null ? op.inAnyNamespace().list(options) : op.inNamespace(namespace).list(options);
            });
            if (page == null) {
                return total;
            }
            List<GenericKubernetesResource> items = page.getItems();
            if (items != null && !items.isEmpty()) {
                for (GenericKubernetesResource item : items) {
                    if (item.getApiVersion() == null || item.getApiVersion().isEmpty()) {
                        item.setApiVersion(resource.groupVersion());
                    }
                    if (item.getKind() == null || item.getKind().isEmpty()) {
                        item.setKind(resource.kind());
                    }
                }
                total += items.size();
                consumer.accept(items);
            }
            continueToken = page.getMetadata() == null ? null : page.getMetadata().getContinue();
            if (continueToken != null && continueToken.isEmpty()) {
                continueToken = null;
            }
        } while (continueToken != null);
        return total;
    }
}
