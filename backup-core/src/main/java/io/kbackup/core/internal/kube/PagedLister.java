package io.kbackup.core.internal.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists one resource type page by page ({@code limit} / {@code continue}), each page retried on
 * transient errors, so that at most one page is in memory per lister. Items get
 * {@code apiVersion} and {@code kind} from the resource when the server's list left them out.
 *
 * <p>When a continue token has expired (HTTP 410, after etcd compaction) the list starts again
 * from the beginning and skips what was already delivered: the API server returns items in key
 * order ({@code namespace/name}), so everything up to the last delivered key is skipped. Nothing is
 * delivered twice. Thread-safe.
 */
public final class PagedLister {
    private static final Logger LOG = LoggerFactory.getLogger(PagedLister.class);
    private static final int MAX_RESTARTS = 5;
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
        int restarts = 0;
        String lastKey = null;
        String skipUpTo = null;
        while (true) {
            ListOptions options = new ListOptionsBuilder()
                    .withLimit((long) pageSize)
                    .withContinue(continueToken)
                    .withLabelSelector(labelSelector)
                    .build();
            String what = "list " + resource.groupResource() + (namespace != null ? " in " + namespace : "") + " page " + (++pages);
            GenericKubernetesResourceList page;
            try {
                page = retry.call(what, () -> {
                    var op = client.genericKubernetesResources(resource.context());
                    if (!resource.namespaced()) {
                        return op.list(options);
                    }
                    return namespace == null ? op.inAnyNamespace().list(options) : op.inNamespace(namespace).list(options);
                });
            } catch (KubernetesClientException e) {
                if (e.getCode() != 410 || continueToken == null || restarts >= MAX_RESTARTS) {
                    throw e;
                }
                LOG.info("{}: continue token expired (HTTP 410); listing again from the start after {}", what, lastKey);
                restarts++;
                continueToken = null;
                skipUpTo = lastKey;
                continue;
            }
            if (page == null) {
                return total;
            }
            List<GenericKubernetesResource> items = page.getItems();
            if (items != null && skipUpTo != null) {
                String limit = skipUpTo;
                items = items.stream().filter(i -> key(i).compareTo(limit) > 0).toList();
            }
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
                lastKey = key(items.get(items.size() - 1));
                consumer.accept(items);
            }
            continueToken = page.getMetadata() == null ? null : page.getMetadata().getContinue();
            if (continueToken != null && continueToken.isEmpty()) {
                continueToken = null;
            }
            if (continueToken == null) {
                break;
            }
        }
        return total;
    }

    /** The API server's (etcd's) order of list items: {@code namespace/name}. */
    static String key(GenericKubernetesResource item) {
        String ns = item.getMetadata() == null || item.getMetadata().getNamespace() == null ? "" : item.getMetadata().getNamespace();
        String name = item.getMetadata() == null || item.getMetadata().getName() == null ? "" : item.getMetadata().getName();
        return ns + "/" + name;
    }
}
