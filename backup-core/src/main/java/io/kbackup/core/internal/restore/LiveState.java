package io.kbackup.core.internal.restore;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kbackup.ClusterWideMode;
import io.kbackup.RestorePlan;
import io.kbackup.core.internal.kube.ApiResource;
import io.kbackup.core.internal.kube.Discovery;
import io.kbackup.core.internal.kube.KubeRetry;
import io.kbackup.core.internal.kube.ListedItems;
import io.kbackup.core.internal.kube.PagedLister;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * What a reset ({@link io.kbackup.PrunePolicy#PRUNE}) finds in the cluster before it acts: every
 * live object of the plan's selection, listed page by page (one list per resource type and target
 * namespace), kept as its identity only (uid, resourceVersion, and why a reset never touches it),
 * never as its JSON. Against the backup it tells which backed-up items are unchanged (same uid and
 * resourceVersion: no request needed) and which live objects the backup lacks (the prune).
 */
final class LiveState {

    /**
     * One live object.
     *
     * @param resource     its resource type as discovery serves it
     * @param namespace    its namespace, or null when cluster-scoped
     * @param name         its name
     * @param uid          its uid
     * @param version      its resourceVersion
     * @param neverTouched why a reset never touches it ({@link PruneRules#neverTouched}), or null
     */
    record Live(ApiResource resource, String namespace, String name, String uid, String version, String neverTouched) {
        /** {@code <group-resource> <ns>/<name>}, for messages. */
        String describe() {
            return resource.groupResource() + " " + (namespace == null ? name : namespace + "/" + name);
        }
    }

    private final Map<String, Live> live;
    private final Set<String> listedTypes;

    private LiveState(Map<String, Live> live, Set<String> listedTypes) {
        this.live = live;
        this.listedTypes = listedTypes;
    }

    /**
     * Lists the plan's selection in the cluster.
     *
     * @param problem told of what could not be listed (a group not served, a list refused); those objects are not pruned
     */
    static LiveState list(KubernetesClient client, KubeRetry retry, int pageSize, int concurrency, RestorePlan plan,
            Consumer<String> problem) {
        List<ApiResource> types = new Discovery(client, retry).preferredResources(
                p -> problem.accept(p.replace("are not backed up", "are not pruned")));
        PagedLister lister = new PagedLister(client, retry, pageSize);
        String selector = plan.labelSelector().isEmpty() ? null
                : plan.labelSelector().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
        Collection<String> namespaces = targetNamespaces(plan);
        Map<String, Live> live = new java.util.concurrent.ConcurrentHashMap<>();
        Set<String> listed = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(Math.max(1, concurrency),
                RestorePipeline.daemon("kbackup-reset-list-"));
        List<java.util.concurrent.Future<?>> lists = new ArrayList<>();
        for (ApiResource type : types) {
            if (!type.verbs().containsAll(Set.of("list", "delete")) || !PruneRules.listable(type.groupResource())
                    || !resourceSelected(plan, type) || (!type.namespaced() && plan.clusterWideMode() != ClusterWideMode.ALWAYS)) {
                continue;
            }
            List<String> where = new ArrayList<>();
            if (!type.namespaced() || namespaces == null) {
                where.add(null);
            } else {
                where.addAll(namespaces);
            }
            for (String ns : where) {
                lists.add(pool.submit(() -> listOne(lister, type, ns, namespaces, selector, plan, live, listed, problem)));
            }
        }
        try {
            for (java.util.concurrent.Future<?> f : lists) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing the cluster for a reset", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return new LiveState(live, listed);
    }

    /** Lists one type in one namespace (null: all, or cluster-scoped) into {@code live}. */
    private static void listOne(PagedLister lister, ApiResource type, String ns, Collection<String> namespaces, String selector,
            RestorePlan plan, Map<String, Live> live, Set<String> listed, Consumer<String> problem) {
        try {
            lister.listRaw(type, type.namespaced() ? ns : null, selector, page -> {
                for (ListedItems.Item item : page) {
                    if (item.namespace() != null && namespaces == null && !namespaceSelected(plan, item.namespace())) {
                        continue;
                    }
                    JsonNode obj = RestoreJson.MAPPER.readTree(item.json());
                    JsonNode meta = obj.path("metadata");
                    Live l = new Live(type, item.namespace(), item.name(), meta.path("uid").asText(""),
                            meta.path("resourceVersion").asText(""), PruneRules.neverTouched(type.groupResource(), obj));
                    live.put(key(type.groupResource(), item.namespace(), item.name()), l);
                }
            });
            listed.add(type.groupResource());
        } catch (KubernetesClientException e) {
            problem.accept("could not list " + type.groupResource() + (ns == null ? "" : " in " + ns) + " ("
                    + KubeRetry.describe(e) + "); its objects the backup lacks are not pruned");
        } catch (IOException e) {
            problem.accept("could not read the list of " + type.groupResource() + ": " + e.getMessage());
        } catch (Exception e) {
            throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
        }
    }

    /** The target namespaces to list, or null for all (then filtered by {@link #namespaceSelected}). */
    private static Collection<String> targetNamespaces(RestorePlan plan) {
        if (plan.includedNamespaces().isEmpty() || plan.includedNamespaces().contains("*")) {
            return null;
        }
        Set<String> out = new TreeSet<>();
        for (String ns : plan.includedNamespaces()) {
            if (!plan.excludedNamespaces().contains(ns)) {
                out.add(plan.targetNamespace(ns));
            }
        }
        return out;
    }

    /** Whether a live object's namespace (a target one) is in a plan that names no namespaces. */
    private static boolean namespaceSelected(RestorePlan plan, String targetNs) {
        if (plan.excludedNamespaces().contains("*")) {
            return false;
        }
        for (String excluded : plan.excludedNamespaces()) {
            if (plan.targetNamespace(excluded).equals(targetNs)) {
                return false;
            }
        }
        return true;
    }

    /** The plan's resource filters, as {@link RestoreSelection#resourceMatches} reads them, for a served type. */
    private static boolean resourceSelected(RestorePlan plan, ApiResource type) {
        for (String p : plan.excludedResources()) {
            if (matches(p, type)) {
                return false;
            }
        }
        return plan.includedResources().isEmpty() || plan.includedResources().stream().anyMatch(p -> matches(p, type));
    }

    private static boolean matches(String pattern, ApiResource type) {
        if (pattern.equals("*") || pattern.equals(type.groupResource())) {
            return true;
        }
        String kind = type.kind().toLowerCase(Locale.ROOT);
        return pattern.indexOf('.') < 0 && (pattern.equals(type.plural()) || pattern.equalsIgnoreCase(type.kind())
                || pattern.toLowerCase(Locale.ROOT).equals(kind + "s"));
    }

    static String key(String groupResource, String namespace, String name) {
        return groupResource + "|" + (namespace == null ? "" : namespace) + "|" + name;
    }

    /** The live object of that key, or null. */
    Live get(String groupResource, String namespace, String name) {
        return live.get(key(groupResource, namespace, name));
    }

    /** Whether the reset listed this resource type (so an object of it that is missing here is missing in the cluster). */
    boolean listed(String groupResource) {
        return listedTypes.contains(groupResource);
    }

    /**
     * Whether the live object is the backed-up item untouched: the same uid and resourceVersion
     * (the backup was taken from this cluster and nothing wrote the object since).
     */
    boolean unchanged(IndexedItem item, String targetNs, String targetName) {
        Live l = get(item.groupResource, targetNs, targetName);
        return l != null && !item.uid.isEmpty() && !item.resourceVersion.isEmpty() && l.uid().equals(item.uid)
                && l.version().equals(item.resourceVersion);
    }

    /**
     * The live objects the backup lacks, split: {@code prune} those a reset deletes, {@code kept}
     * those it never touches, each sorted by type, namespace and name.
     *
     * @param backupKeys {@link #key} of every item of the backup, in the target cluster (whether restored or not)
     */
    void notInBackup(Set<String> backupKeys, List<Live> prune, List<Live> kept) {
        Comparator<Live> order = Comparator.comparing((Live l) -> l.resource().groupResource())
                .thenComparing(l -> l.namespace() == null ? "" : l.namespace()).thenComparing(Live::name);
        live.entrySet().stream().filter(e -> !backupKeys.contains(e.getKey())).map(Map.Entry::getValue).sorted(order)
                .forEach(l -> (l.neverTouched() == null ? prune : kept).add(l));
    }

    /** The keys of a pipeline's backed-up items in the target cluster. */
    static Set<String> backupKeys(RestorePipeline pipeline) {
        Set<String> keys = new LinkedHashSet<>();
        for (IndexedItem i : pipeline.index.items()) {
            keys.add(key(i.groupResource, pipeline.targetNamespace(i), pipeline.targetName(i)));
        }
        return keys;
    }
}
