package io.kbackup.testkit.cluster.internal;

import java.util.List;
import java.util.Objects;

/**
 * One API resource type as discovery reports it: group/version, plural, kind, scope, verbs,
 * short names and its subresources.
 *
 * @param group API group, "" for the core group
 * @param version API version, e.g. "v1"
 * @param plural resource name, e.g. "deployments"
 * @param singular singular name, e.g. "deployment"
 * @param kind kind, e.g. "Deployment"
 * @param namespaced whether objects live in a namespace
 * @param shortNames short names, possibly empty
 * @param categories categories such as "all", possibly empty
 * @param subresources subresources served under {@code plural/<name>}
 */
public record ResourceType(
    String group,
    String version,
    String plural,
    String singular,
    String kind,
    boolean namespaced,
    List<String> shortNames,
    List<String> categories,
    List<Subresource> subresources) {

  /** The verbs every top-level resource serves here. */
  public static final List<String> STANDARD_VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  public ResourceType {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(plural, "plural");
    Objects.requireNonNull(kind, "kind");
    singular = singular == null ? kind.toLowerCase(java.util.Locale.ROOT) : singular;
    shortNames = List.copyOf(shortNames);
    categories = List.copyOf(categories);
    subresources = List.copyOf(subresources);
  }

  /** "v1" for the core group, "group/version" otherwise. */
  public String groupVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** The kind of a list of these objects, e.g. "DeploymentList". */
  public String listKind() {
    return kind + "List";
  }

  /**
   * A subresource, listed in discovery as {@code <plural>/<name>}.
   *
   * @param name subresource name, e.g. "status"
   * @param kind kind it takes or returns
   * @param group group of that kind if it differs from the parent's, else null
   * @param version version of that kind if it differs from the parent's, else null
   * @param verbs verbs it serves
   */
  public record Subresource(String name, String kind, String group, String version, List<String> verbs) {
    public Subresource {
      verbs = List.copyOf(verbs);
    }
  }
}
