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
        return paged(resource, namespace, PagedLister::key, continueToken -> {
            ListOptions options = new ListOptionsBuilder()
                    .withLimit((long) pageSize)
                    .withContinue(continueToken)
                    .withLabelSelector(labelSelector)
                    .build();
            var op = client.genericKubernetesResources(resource.context());
            GenericKubernetesResourceList page = !resource.namespaced() ? op.list(options)
                    : namespace == null ? op.inAnyNamespace().list(options) : op.inNamespace(namespace).list(options);
            if (page == null) {
                return new Fetched<>(List.of(), null);
            }
            List<GenericKubernetesResource> items = page.getItems() == null ? List.of() : page.getItems();
            for (GenericKubernetesResource item : items) {
                if (item.getApiVersion() == null || item.getApiVersion().isEmpty()) {
                    item.setApiVersion(resource.groupVersion());
                }
                if (item.getKind() == null || item.getKind().isEmpty()) {
                    item.setKind(resource.kind());
                }
            }
            return new Fetched<>(items, page.getMetadata() == null ? null : page.getMetadata().getContinue());
        }, consumer::accept);
    }

    /** One page as fetched: its items and the continue token (null or empty on the last page). */
    private record Fetched<I>(List<I> items, String continueToken) {}

    /** Fetches the page after {@code continueToken} (null: the first); called under {@link KubeRetry}. */
    @FunctionalInterface
    private interface PageSource<I> {
        Fetched<I> fetch(String continueToken);
    }

    @FunctionalInterface
    private interface ItemsConsumer<I> {
        void accept(List<I> items) throws Exception;
    }

    /** The paging loop of {@link #list} and {@link #listRaw}: retries, the 410 restart and its skip, the count. */
    private <I> long paged(ApiResource resource, String namespace, java.util.function.Function<I, String> key,
            PageSource<I> source, ItemsConsumer<I> consumer) throws Exception {
        String continueToken = null;
        long total = 0;
        int pages = 0;
        int restarts = 0;
        String lastKey = null;
        String skipUpTo = null;
        while (true) {
            String what = "list " + resource.groupResource() + (namespace != null ? " in " + namespace : "") + " page " + (++pages);
            String token = continueToken;
            Fetched<I> page;
            try {
                page = retry.call(what, () -> source.fetch(token));
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
            List<I> items = page.items();
            if (skipUpTo != null) {
                String limit = skipUpTo;
                items = items.stream().filter(i -> key.apply(i).compareTo(limit) > 0).toList();
            }
            if (!items.isEmpty()) {
                total += items.size();
                lastKey = key.apply(items.get(items.size() - 1));
                consumer.accept(items);
            }
            continueToken = page.continueToken();
            if (continueToken == null || continueToken.isEmpty()) {
                return total;
            }
        }
    }

    /** Receives one page of items split from the server's bytes ({@link ListedItems}); throw to stop. */
    @FunctionalInterface
    public interface RawPageConsumer {
        void accept(List<ListedItems.Item> items) throws Exception;
    }

    /**
     * Lists every object of {@code resource} as {@link #list} does, but without deserialising the
     * items: each page's response bytes are split by {@link ListedItems} and each item keeps the
     * server's own JSON (with apiVersion and kind). Same paging, retries and 410 restart.
     *
     * @return the number of objects listed
     */
    public long listRaw(ApiResource resource, String namespace, String labelSelector, RawPageConsumer consumer) throws Exception {
        return paged(resource, namespace, i -> key(i.namespace(), i.name()), continueToken -> {
            byte[] body = KubeHttp.get(client, listUrl(resource, namespace, labelSelector, continueToken));
            ListedItems.Page page;
            try {
                page = ListedItems.split(body, resource, json -> client.getKubernetesSerialization()
                        .unmarshal(new java.io.ByteArrayInputStream(json), GenericKubernetesResource.class));
            } catch (java.io.IOException e) {
                throw new KubernetesClientException("the list response of " + resource.groupResource()
                        + " is not valid JSON: " + e.getMessage(), e);
            }
            return new Fetched<>(page.items(), page.continueToken());
        }, consumer::accept);
    }

    /** {@code <master>/api[s]/<group/version>[/namespaces/<ns>]/<plural>?limit=...&continue=...&labelSelector=...} */
    private String listUrl(ApiResource r, String namespace, String labelSelector, String continueToken) {
        StringBuilder sb = new StringBuilder(KubeHttp.collectionUrl(client, r.group(), r.version(), r.plural(),
                r.namespaced() ? namespace : null));
        sb.append("?limit=").append(pageSize);
        if (continueToken != null) {
            sb.append("&continue=").append(KubeHttp.encode(continueToken));
        }
        if (labelSelector != null && !labelSelector.isEmpty()) {
            sb.append("&labelSelector=").append(KubeHttp.encode(labelSelector));
        }
        return sb.toString();
    }

    private static String key(String namespace, String name) {
        return (namespace == null ? "" : namespace) + "/" + (name == null ? "" : name);
    }

    /** The API server's (etcd's) order of list items: {@code namespace/name}. */
    static String key(GenericKubernetesResource item) {
        return item.getMetadata() == null ? "/" : key(item.getMetadata().getNamespace(), item.getMetadata().getName());
    }
}
