package io.kbackup.core.internal.kube;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupList;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Discovery of every resource type the server serves at its preferred version ({@code /api/v1},
 * then {@code /apis} and {@code /apis/<group>/<preferred version>}), custom resources included.
 * Subresources ({@code pods/log}) are left out, and so is the second of two groups that serve the
 * same objects ({@link #COHABITING}), as Velero's backup does. Thread-safe.
 */
public final class Discovery {
    /**
     * Velero's cohabiting resources ({@code pkg/backup/backup.go}): the same objects served by two
     * groups. Velero backs up whichever of the two it reaches first and skips the other, so an Event
     * is archived once, under {@code events}, not again under {@code events.events.k8s.io}.
     */
    static final Map<String, Set<String>> COHABITING = Map.of(
            "deployments", Set.of("extensions", "apps"),
            "daemonsets", Set.of("extensions", "apps"),
            "replicasets", Set.of("extensions", "apps"),
            "networkpolicies", Set.of("extensions", "networking.k8s.io"),
            "events", Set.of("", "events.k8s.io"));

    private final KubernetesClient client;
    private final KubeRetry retry;

    public Discovery(KubernetesClient client, KubeRetry retry) {
        this.client = Objects.requireNonNull(client, "client");
        this.retry = Objects.requireNonNull(retry, "retry");
    }

    /**
     * The server-preferred resources, core group first, then groups in the server's order.
     *
     * @param groupProblem told about an API group that could not be read (an unavailable aggregated
     *                     API, say); that group is left out and discovery goes on
     * @throws KubernetesClientException when the core group or the group list cannot be read
     */
    public List<ApiResource> preferredResources(Consumer<String> groupProblem) {
        return withoutCohabitants(servedResources(groupProblem));
    }

    /** The resources in order, each cohabiting pair ({@link #COHABITING}) reduced to the first of its two. */
    static List<ApiResource> withoutCohabitants(List<ApiResource> resources) {
        Set<String> seen = new HashSet<>();
        List<ApiResource> out = new ArrayList<>(resources.size());
        for (ApiResource r : resources) {
            Set<String> groups = COHABITING.get(r.plural());
            if (groups != null && groups.contains(r.group()) && !seen.add(r.plural())) {
                continue;
            }
            out.add(r);
        }
        return out;
    }

    private List<ApiResource> servedResources(Consumer<String> groupProblem) {
        List<ApiResource> out = new ArrayList<>();
        APIResourceList core = retry.call("discover /api/v1", () -> client.getApiResources("v1"));
        if (core == null) {
            throw new KubernetesClientException("The API server answered no resource list for /api/v1.");
        }
        Set<String> seen = new HashSet<>();
        add(out, seen, "", "v1", core);
        APIGroupList groups = retry.call("discover /apis", client::getApiGroups);
        if (groups == null || groups.getGroups() == null) {
            return out;
        }
        for (APIGroup group : groups.getGroups()) {
            String gv = preferredGroupVersion(group);
            if (gv == null) {
                continue;
            }
            try {
                APIResourceList list = retry.call("discover /apis/" + gv, () -> client.getApiResources(gv));
                if (list == null) {
                    groupProblem.accept("API group version " + gv + " is listed but not served; its resources are not backed up.");
                    continue;
                }
                int slash = gv.indexOf('/');
                add(out, seen, gv.substring(0, slash), gv.substring(slash + 1), list);
            } catch (KubernetesClientException e) {
                groupProblem.accept("Could not discover API group version " + gv + " (" + KubeRetry.describe(e)
                        + "); its resources are not backed up.");
            }
        }
        return out;
    }

    private static String preferredGroupVersion(APIGroup group) {
        if (group.getPreferredVersion() != null && group.getPreferredVersion().getGroupVersion() != null) {
            return group.getPreferredVersion().getGroupVersion();
        }
        List<GroupVersionForDiscovery> versions = group.getVersions();
        if (versions != null && !versions.isEmpty() && versions.get(0).getGroupVersion() != null) {
            return versions.get(0).getGroupVersion();
        }
        return null;
    }

    private static void add(List<ApiResource> out, Set<String> seen, String group, String version, APIResourceList list) {
        if (list.getResources() == null) {
            return;
        }
        for (APIResource r : list.getResources()) {
            if (r.getName() == null || r.getName().contains("/") || r.getKind() == null) {
                continue;
            }
            ApiResource res = new ApiResource(group, version, r.getName(), r.getKind(), r.getSingularName(),
                    Boolean.TRUE.equals(r.getNamespaced()),
                    r.getVerbs() == null ? Set.of() : new LinkedHashSet<>(r.getVerbs()), r.getShortNames());
            if (seen.add(res.groupResource())) {
                out.add(res);
            }
        }
    }
}
