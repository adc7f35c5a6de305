package io.kbackup.testkit.cluster.internal;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The API server's checks of {@code metadata.name} on create, per resource: most names are
 * DNS-1123 subdomains, namespaces DNS-1123 labels, services DNS-1035 labels, RBAC objects path
 * segments, and a CRD must be named {@code <plural>.<group>}. Messages are the server's.
 */
final class NameValidation {

  private static final String SUBDOMAIN = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
  private static final String LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  private static final String LABEL_1035 = "[a-z]([-a-z0-9]*[a-z0-9])?";
  private static final Pattern SUBDOMAIN_P = Pattern.compile(SUBDOMAIN);
  private static final Pattern LABEL_P = Pattern.compile(LABEL);
  private static final Pattern LABEL_1035_P = Pattern.compile(LABEL_1035);

  private NameValidation() {}

  /** Why the name is refused, or null when it is valid for this resource. */
  static String problem(String group, String plural, String name,
      GenericKubernetesResource object) {
    if (plural == null) {
      return null;
    }
    if (group.equals("rbac.authorization.k8s.io")) {
      return pathSegment(name);
    }
    if (group.isEmpty() && plural.equals("namespaces")) {
      return label(name, LABEL_P, LABEL, "RFC 1123 label",
          "must consist of lower case alphanumeric characters or '-', and must start and end"
              + " with an alphanumeric character", "'my-name',  or '123-abc'");
    }
    if (group.isEmpty() && plural.equals("services")) {
      return label(name, LABEL_1035_P, LABEL_1035, "RFC 1035 label",
          "must consist of lower case alphanumeric characters or '-', start with an alphabetic"
              + " character, and end with an alphanumeric character", "'my-name',  or 'abc-123'");
    }
    if (group.equals(ClusterStore.CRD_GROUP) && plural.equals(ClusterStore.CRD_PLURAL)) {
      Object spec = object.getAdditionalProperties().get("spec");
      if (spec instanceof Map<?, ?> s && s.get("names") instanceof Map<?, ?> names) {
        String expected = names.get("plural") + "." + s.get("group");
        if (!expected.equals(name)) {
          return "must be spec.names.plural+\".\"+spec.group";
        }
      }
    }
    return subdomain(name);
  }

  private static String subdomain(String name) {
    if (name.length() > 253) {
      return "must be no more than 253 characters";
    }
    if (!SUBDOMAIN_P.matcher(name).matches()) {
      return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters,"
          + " '-' or '.', and must start and end with an alphanumeric character (e.g."
          + " 'example.com', regex used for validation is '" + SUBDOMAIN + "')";
    }
    return null;
  }

  private static String label(String name, Pattern pattern, String regex, String what,
      String rule, String examples) {
    if (name.length() > 63) {
      return "must be no more than 63 characters";
    }
    if (!pattern.matcher(name).matches()) {
      return "a lowercase " + what + " " + rule + " (e.g. " + examples
          + ", regex used for validation is '" + regex + "')";
    }
    return null;
  }

  private static String pathSegment(String name) {
    if (name.equals(".") || name.equals("..")) {
      return "may not be '" + name + "'";
    }
    if (name.contains("/")) {
      return "may not contain '/'";
    }
    if (name.contains("%")) {
      return "may not contain '%'";
    }
    return null;
  }
}
