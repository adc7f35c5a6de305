package io.kbackup.core.internal.restore;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kbackup.InvalidPlanException;
import io.kbackup.RestorePlan;
import io.kbackup.core.internal.kube.KubeRetry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The configuration of Velero's ConfigMap-driven restore item actions for one restore:
 * change-storage-class, change-image-name and the PVC action's node mapping. Read once, when the
 * restore starts, from the plan ({@link RestorePlan#storageClassMapping()} and its siblings) and from
 * the ConfigMaps Velero reads ({@code common.GetPluginConfig}): labelled
 * {@code velero.io/plugin-config} and {@code <action>=RestoreItemAction} in the plan's
 * {@link RestorePlan#pluginConfigNamespace()} of the target cluster; more than one for an action is
 * refused, as Velero refuses it. A plan entry wins over the ConfigMap's for the same key. Whether a
 * storage class or node exists is asked of the target cluster once per name. Thread-safe.
 */
final class RestoreActionConfig {
    static final String PLUGIN_CONFIG_LABEL = "velero.io/plugin-config";
    static final String RESTORE_ITEM_ACTION = "RestoreItemAction";
    static final String CHANGE_STORAGE_CLASS = "velero.io/change-storage-class";
    static final String CHANGE_IMAGE_NAME = "velero.io/change-image-name";
    static final String CHANGE_PVC_NODE_SELECTOR = "velero.io/change-pvc-node-selector";

    /** An image rule: every occurrence of {@code oldPart} becomes {@code newPart}. */
    record ImageRule(String oldPart, String newPart) {}

    /** No mappings, and a cluster without nodes (tests of the transforms). */
    static final RestoreActionConfig NONE = new RestoreActionConfig(Map.of(), List.of(), Map.of(), n -> true, n -> false);

    private final Map<String, String> storageClasses;
    private final List<ImageRule> imageRules;
    private final Map<String, String> nodes;
    private final Predicate<String> storageClassExists;
    private final Predicate<String> nodeExists;

    RestoreActionConfig(Map<String, String> storageClasses, List<ImageRule> imageRules, Map<String, String> nodes,
            Predicate<String> storageClassExists, Predicate<String> nodeExists) {
        this.storageClasses = Map.copyOf(storageClasses);
        this.imageRules = List.copyOf(imageRules);
        this.nodes = Map.copyOf(nodes);
        this.storageClassExists = storageClassExists;
        this.nodeExists = nodeExists;
    }

    /**
     * The plan's mappings over the target cluster's ConfigMaps.
     *
     * @throws InvalidPlanException when more than one ConfigMap configures an action, or the
     *                              ConfigMaps cannot be read
     */
    static RestoreActionConfig load(KubernetesClient client, KubeRetry retry, RestorePlan plan) {
        String ns = plan.pluginConfigNamespace().orElse(null);
        Map<String, String> storageClasses = new LinkedHashMap<>(configData(client, retry, ns, CHANGE_STORAGE_CLASS));
        storageClasses.putAll(plan.storageClassMapping());
        List<ImageRule> imageRules = new ArrayList<>();
        plan.imageNameMapping().forEach((from, to) -> imageRules.add(new ImageRule(from, to)));
        // Velero's rows "<old part>,<new part>" (keys are names only); in key order, as the API server lists them
        new TreeMap<>(configData(client, retry, ns, CHANGE_IMAGE_NAME)).values().forEach(row -> {
            int comma = row.indexOf(',');
            if (comma >= 0 && row.length() > comma + 1) {
                imageRules.add(new ImageRule(row.substring(0, comma).trim(), row.substring(comma + 1).trim()));
            }
        });
        Map<String, String> nodes = new LinkedHashMap<>(configData(client, retry, ns, CHANGE_PVC_NODE_SELECTOR));
        nodes.putAll(plan.nodeMapping());
        Map<String, Boolean> classes = new ConcurrentHashMap<>();
        Map<String, Boolean> knownNodes = new ConcurrentHashMap<>();
        return new RestoreActionConfig(storageClasses, imageRules, nodes,
                name -> classes.computeIfAbsent(name, n -> retry.call("get StorageClass " + n,
                        () -> client.genericKubernetesResources("storage.k8s.io/v1", "StorageClass").withName(n).get()) != null),
                name -> knownNodes.computeIfAbsent(name, n -> retry.call("get Node " + n, () -> client.nodes().withName(n).get()) != null));
    }

    private static Map<String, String> configData(KubernetesClient client, KubeRetry retry, String namespace, String action) {
        if (namespace == null) {
            return Map.of();
        }
        List<ConfigMap> found;
        try {
            found = retry.call("list ConfigMaps of " + action, () -> client.configMaps().inNamespace(namespace)
                    .withLabel(PLUGIN_CONFIG_LABEL).withLabel(action, RESTORE_ITEM_ACTION).list().getItems());
        } catch (KubernetesClientException e) {
            throw new InvalidPlanException("Could not read Velero's plugin ConfigMaps (labelled " + PLUGIN_CONFIG_LABEL + " and " + action
                    + "=" + RESTORE_ITEM_ACTION + ") in namespace '" + namespace + "' of the target cluster: " + KubeRetry.describe(e)
                    + ". Allow listing ConfigMaps there, or set RestorePlan.pluginConfigNamespace(null) to read none.");
        }
        if (found.size() > 1) {
            throw new InvalidPlanException("More than one ConfigMap in namespace '" + namespace + "' configures " + action + " ("
                    + found.stream().map(c -> c.getMetadata().getName()).sorted().toList() + "); Velero refuses that too: keep one.");
        }
        return found.isEmpty() || found.get(0).getData() == null ? Map.of() : found.get(0).getData();
    }

    /** Whether any action has something to do. */
    boolean isEmpty() {
        return storageClasses.isEmpty() && imageRules.isEmpty() && nodes.isEmpty();
    }

    /**
     * The storage class {@code current} becomes, or null when it stays.
     *
     * @throws IllegalStateException when the new class does not exist in the target cluster (Velero fails the item)
     */
    String storageClass(String current) {
        String target = current == null || current.isEmpty() ? null : storageClasses.get(current);
        if (target == null) {
            return null;
        }
        if (!storageClassExists.test(target)) {
            throw new IllegalStateException("storage class '" + current + "' maps to '" + target + "' (change-storage-class), which the"
                    + " target cluster does not have; create StorageClass " + target + " or change the mapping");
        }
        return target;
    }

    /** The image {@code image} becomes by the first rule whose old part it contains, or null when none does. */
    String image(String image) {
        if (image == null || image.isEmpty()) {
            return null;
        }
        for (ImageRule r : imageRules) {
            if (!r.oldPart().isEmpty() && image.contains(r.oldPart())) {
                return image.replace(r.oldPart(), r.newPart());
            }
        }
        return null;
    }

    /**
     * The selected node a claim gets in place of {@code node}: the mapped one, else the node itself
     * when the target cluster has it, else null (the annotation goes).
     */
    String selectedNode(String node) {
        String mapped = nodes.get(node);
        if (mapped != null) {
            return mapped;
        }
        return nodeExists.test(node) ? node : null;
    }
}
