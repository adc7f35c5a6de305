package io.kbackup.testkit.cluster.internal;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The status a real API server gives a CRD at once when it is created: its names accepted, the
 * NamesAccepted and Established conditions, and its storage version in {@code storedVersions}.
 */
final class CrdStatus {

  private CrdStatus() {}

  /** The status of a newly created CRD. */
  static Map<String, Object> initial(GenericKubernetesResource crd) {
    Object spec = crd.getAdditionalProperties().get("spec");
    Map<?, ?> specMap = spec instanceof Map<?, ?> m ? m : Map.of();
    Object names = specMap.get("names");
    List<String> stored = new ArrayList<>();
    if (specMap.get("versions") instanceof List<?> versions) {
      for (Object v : versions) {
        if (v instanceof Map<?, ?> vm && Boolean.TRUE.equals(vm.get("storage"))) {
          stored.add(String.valueOf(vm.get("name")));
        }
      }
    }
    String now = ClusterStore.now();
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("acceptedNames", names instanceof Map<?, ?> ? names : Map.of());
    status.put("conditions", List.of(
        condition("NamesAccepted", "NoConflicts", "no conflicts found", now),
        condition("Established", "InitialNamesAccepted", "the initial names have been accepted",
            now)));
    status.put("storedVersions", stored);
    return status;
  }

  private static Map<String, Object> condition(String type, String reason, String message,
      String now) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("lastTransitionTime", now);
    c.put("message", message);
    c.put("reason", reason);
    c.put("status", "True");
    c.put("type", type);
    return c;
  }
}
