package io.kbackup.core.internal.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Set;

/**
 * Velero's service restore action: which cluster IPs and node ports of a Service are dropped so
 * that the target cluster allocates them anew, and which node ports the user set explicitly and
 * are kept. Part of {@link ItemTransforms}; works in place on the Service's JSON.
 */
final class ServicePorts {
    private ServicePorts() {}

    /** Annotation of {@code kubectl apply}: the object as the user last applied it. */
    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    /**
     * Service (Velero's service action): cluster IPs go unless headless. Unless preserveNodePorts,
     * node ports go too, except those the user set explicitly, which Velero keeps: named in
     * {@code kubectl.kubernetes.io/last-applied-configuration} (a named port by its name, an unnamed
     * one by its value), or, without that annotation, owned in {@code managedFields}
     * ({@code f:spec.f:ports.k:{"port":..,"protocol":..}.f:nodePort}, as server-side apply and
     * creates that set it record). The health check node port of a LoadBalancer Service with
     * {@code externalTrafficPolicy: Local} likewise. An ExternalName Service keeps its ports as they are.
     */
    static void reset(ObjectNode obj, ObjectNode metadata, JsonNode managedFields, boolean preserveNodePorts) {
        ObjectNode spec = RestoreJson.objectOrNull(obj, "spec");
        if (spec == null) {
            return;
        }
        if (!"None".equals(RestoreJson.text(spec, "clusterIP"))) {
            spec.remove("clusterIP");
            spec.remove("clusterIPs");
        }
        if (preserveNodePorts) {
            return;
        }
        JsonNode applied = lastApplied(metadata);
        String type = RestoreJson.text(spec, "type");
        if ("LoadBalancer".equals(type) && "Local".equals(RestoreJson.text(spec, "externalTrafficPolicy"))
                && !(applied != null ? applied.path("spec").path("healthCheckNodePort").asInt(0) != 0
                        : ownsField(managedFields, "f:healthCheckNodePort"))) {
            spec.remove("healthCheckNodePort");
        }
        if ("ExternalName".equals(type)) {
            return;
        }
        Set<String> explicitNames = new HashSet<>();
        Set<Integer> explicitUnnamed = new HashSet<>();
        Set<String> ownedKeys = new HashSet<>();
        if (applied != null) {
            for (JsonNode p : applied.path("spec").path("ports")) {
                JsonNode np = p.get("nodePort");
                int value = np == null ? 0 : np.isTextual() ? parsePort(np.asText()) : np.asInt(0);
                if (value > 0) {
                    if (p.has("name")) {
                        explicitNames.add(p.path("name").asText());
                    } else {
                        explicitUnnamed.add(value);
                    }
                }
            }
        } else {
            for (JsonNode entry : managedFields) {
                entry.path("fieldsV1").path("f:spec").path("f:ports").fields().forEachRemaining(e -> {
                    if (e.getValue().has("f:nodePort")) {
                        ownedKeys.add(e.getKey());
                    }
                });
            }
        }
        for (JsonNode port : spec.path("ports")) {
            if (!(port instanceof ObjectNode p)) {
                continue;
            }
            String name = p.path("name").asText("");
            boolean explicit;
            if (applied != null) {
                explicit = name.isEmpty() ? explicitUnnamed.contains(p.path("nodePort").asInt(0)) : explicitNames.contains(name);
            } else {
                explicit = ownedKeys.contains("k:{\"port\":" + p.path("port").asInt() + ",\"protocol\":\""
                        + p.path("protocol").asText("TCP") + "\"}");
            }
            if (!explicit) {
                p.remove("nodePort");
            }
        }
    }

    private static JsonNode lastApplied(ObjectNode metadata) {
        String text = RestoreJson.text(RestoreJson.objectOrNull(metadata, "annotations"), LAST_APPLIED);
        if (text == null) {
            return null;
        }
        try {
            return RestoreJson.MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            return RestoreJson.MAPPER.createObjectNode(); // unreadable: nothing in it is explicit
        }
    }

    private static int parsePort(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static boolean ownsField(JsonNode managedFields, String specField) {
        for (JsonNode entry : managedFields) {
            if (entry.path("fieldsV1").path("f:spec").has(specField)) {
                return true;
            }
        }
        return false;
    }
}
