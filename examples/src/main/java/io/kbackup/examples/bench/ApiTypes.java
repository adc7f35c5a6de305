package io.kbackup.examples.bench;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Discovery and plain paged lists: what a backup cannot do with less. */
public final class ApiTypes {

    /**
     * One listable resource type of the server.
     *
     * @param group      API group, "" for core
     * @param version    the group's preferred version
     * @param plural     resource name, e.g. {@code deployments}
     * @param kind       kind, e.g. {@code Deployment}
     * @param namespaced whether objects live in namespaces
     */
    public record Type(String group, String version, String plural, String kind, boolean namespaced) {
        /** The name kubectl takes: {@code plural} for core types, else {@code plural.group}. */
        public String kubectlName() {
            return group.isEmpty() ? plural : plural + "." + group;
        }

        public ResourceDefinitionContext context() {
            return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withPlural(plural)
                    .withKind(kind).withNamespaced(namespaced).build();
        }
    }

    private ApiTypes() {}

    /** Every server-preferred resource type that supports {@code list}, subresources excluded. */
    public static List<Type> discover(KubernetesClient client) {
        List<Type> types = new ArrayList<>();
        addTypes(types, "", "v1", client.getApiResources("v1"));
        for (APIGroup g : client.getApiGroups().getGroups()) {
            String gv = g.getPreferredVersion() != null ? g.getPreferredVersion().getGroupVersion()
                    : g.getVersions().get(0).getGroupVersion();
            addTypes(types, g.getName(), gv.substring(gv.indexOf('/') + 1), client.getApiResources(gv));
        }
        return types;
    }

    private static void addTypes(List<Type> out, String group, String version, APIResourceList list) {
        if (list == null) {
            return;
        }
        for (APIResource r : list.getResources()) {
            if (r.getName().contains("/") || r.getVerbs() == null || !r.getVerbs().contains("list")) {
                continue;
            }
            out.add(new Type(group, version, r.getName(), r.getKind(), Boolean.TRUE.equals(r.getNamespaced())));
        }
    }

    /**
     * Lists every object of {@code types} in all namespaces, {@code pageSize} at a time, one type after the other,
     * handing each object to {@code sink}.
     *
     * @return the number of objects listed
     */
    public static long listAll(KubernetesClient client, List<Type> types, int pageSize,
                               Consumer<GenericKubernetesResource> sink) {
        long count = 0;
        for (Type t : types) {
            var op = client.genericKubernetesResources(t.context());
            String token = null;
            do {
                var options = new ListOptionsBuilder().withLimit((long) pageSize).withContinue(token).build();
                GenericKubernetesResourceList page = t.namespaced() ? op.inAnyNamespace().list(options) : op.list(options);
                for (GenericKubernetesResource item : page.getItems()) {
                    sink.accept(item);
                    count++;
                }
                token = page.getMetadata() == null ? null : page.getMetadata().getContinue();
            } while (token != null && !token.isEmpty());
        }
        return count;
    }
}
