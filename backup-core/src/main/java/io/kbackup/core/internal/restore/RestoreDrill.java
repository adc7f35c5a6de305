package io.kbackup.core.internal.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kbackup.RestorePlan;
import io.kbackup.VerifyReport;
import io.kbackup.core.internal.EngineContext;
import io.kbackup.core.internal.kube.KubeRetry;
import java.util.Iterator;
import java.util.Map;

/**
 * The second half of a restore drill: after the backup was restored into a throwaway cluster, each
 * item the restore applied is read back and compared with what the restore wanted to apply (the
 * backed-up item with the restore's changes). Every field the backup holds must come back with its
 * value; fields the target cluster adds (defaults, allocated IPs, its own metadata) are allowed.
 */
public final class RestoreDrill {
    private static final int MAX_LISTED = 10;

    private RestoreDrill() {}

    /**
     * Compares the cluster of {@code context} with the backup of {@code plan}, adding the outcome to {@code report}.
     *
     * @param restoreName the restore that put the items there
     */
    public static VerifyReport.Builder compare(EngineContext context, RestorePlan plan, String restoreName, VerifyReport.Builder report) {
        long equal = 0;
        int listed = 0;
        long differing = 0;
        try (RestoreSource source = RestoreSource.open(context.providers(), plan, context.trust());
                RestorePipeline pipeline = RestorePipeline.build(context, source, plan, restoreName, n -> { }, index -> { })) {
            ClusterApplier cluster = new ClusterApplier(context.client(), context.retry());
            for (IndexedItem item : pipeline.selected()) {
                if (item.synthetic || item.decision.verdict() != RestoreDecision.Verdict.APPLY) {
                    continue;
                }
                String difference;
                ObjectNode live = null;
                try {
                    live = cluster.get(item, pipeline.targetNamespace(item), pipeline.targetName(item));
                    ObjectNode desired = pipeline.desired(item);
                    difference = live == null ? "is not in the cluster after the restore"
                            : missing(desired, ExistingObject.comparable(ExistingObject.reset(live), desired), "");
                } catch (KubernetesClientException e) {
                    difference = "could not be read back: " + KubeRetry.describe(e);
                }
                if (difference == null) {
                    equal++;
                } else {
                    differing++;
                    if (listed++ < MAX_LISTED) {
                        report.problem("drill: " + pipeline.where(item) + " " + (live == null ? difference
                                : "did not come back as backed up, first at " + difference));
                    }
                }
            }
        }
        if (differing > MAX_LISTED) {
            report.problem("drill: " + (differing - MAX_LISTED) + " more item(s) differ");
        }
        return report.drilled(equal);
    }

    /** The first path where {@code have} lacks or changes what {@code want} holds, or null. */
    static String missing(JsonNode want, JsonNode have, String path) {
        if (absent(want)) {
            return null;
        }
        if (want.isObject()) {
            if (have == null || !have.isObject()) {
                return where(path);
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = want.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> f = it.next();
                String d = missing(f.getValue(), have.get(f.getKey()), path.isEmpty() ? f.getKey() : path + "." + f.getKey());
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (want.isArray()) {
            if (have == null || !have.isArray() || have.size() != want.size()) {
                return where(path);
            }
            for (int i = 0; i < want.size(); i++) {
                String d = missing(want.get(i), have.get(i), path + "[" + i + "]");
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (want.isNumber() && have != null && have.isNumber()) {
            return want.decimalValue().compareTo(have.decimalValue()) == 0 ? null : where(path);
        }
        return want.equals(have) ? null : where(path);
    }

    private static boolean absent(JsonNode n) {
        return n == null || n.isMissingNode() || n.isNull() || (n.isContainerNode() && n.isEmpty());
    }

    private static String where(String path) {
        return path.isEmpty() ? "the whole object" : path;
    }
}
