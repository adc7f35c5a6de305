package io.kbackup.core.internal.kube;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One resource type as discovery reports it, at its server-preferred version.
 *
 * @param group      API group; empty for the core group
 * @param version    the version (e.g. {@code v1})
 * @param plural     the resource name ({@code pods}, {@code deployments})
 * @param kind       the kind ({@code Pod})
 * @param singular   the singular name; may be empty
 * @param namespaced whether objects live in namespaces
 * @param verbs      the verbs the server supports
 * @param shortNames short names ({@code po}); may be empty
 */
public record ApiResource(String group, String version, String plural, String kind, String singular,
        boolean namespaced, Set<String> verbs, List<String> shortNames) {

    public ApiResource {
        group = group == null ? "" : group;
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(plural, "plural");
        Objects.requireNonNull(kind, "kind");
        singular = singular == null ? "" : singular;
        verbs = verbs == null ? Set.of() : Set.copyOf(verbs);
        shortNames = shortNames == null ? List.of() : List.copyOf(shortNames);
    }

    /** Velero's group-resource string: {@code pods}, {@code deployments.apps}. */
    public String groupResource() {
        return group.isEmpty() ? plural : plural + "." + group;
    }

    /** {@code v1} or {@code apps/v1}: the apiVersion of its objects. */
    public String groupVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** Whether the server supports all of list, get, create and delete (what a backup needs to be restorable). */
    public boolean backupable() {
        return verbs.containsAll(Set.of("list", "get", "create", "delete"));
    }

    /** The fabric8 context for the generic client. */
    public ResourceDefinitionContext context() {
        return new ResourceDefinitionContext.Builder()
                .withGroup(group)
                .withVersion(version)
                .withPlural(plural)
                .withKind(kind)
                .withNamespaced(namespaced)
                .build();
    }

    /**
     * Whether a user's resource name ({@code plural}, {@code plural.group}, kind, singular or short
     * name, any case; {@code *} matches all) means this resource.
     */
    public boolean matches(String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        if (n.equals("*") || n.equals(groupResource())) {
            return true;
        }
        int dot = n.indexOf('.');
        String head = dot < 0 ? n : n.substring(0, dot);
        String tail = dot < 0 ? null : n.substring(dot + 1);
        if (tail != null && !tail.equals(group)) {
            return false;
        }
        return head.equals(plural) || head.equals(singular) || head.equals(kind.toLowerCase(java.util.Locale.ROOT))
                || shortNames.contains(head);
    }

    @Override
    public String toString() {
        return groupResource() + "/" + version;
    }
}
