package io.kbackup.core.internal.snapshot;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code snapshot.storage.k8s.io/v1} API (the external-snapshotter's CRDs) as the generic
 * fabric8 client reaches it, and the names and labels shared by backup, restore and deletion.
 */
public final class SnapshotApi {
    public static final String GROUP = "snapshot.storage.k8s.io";
    public static final String API_VERSION = GROUP + "/v1";
    public static final String SNAPSHOTS = "volumesnapshots";
    public static final String CONTENTS = "volumesnapshotcontents";
    public static final String CLASSES = "volumesnapshotclasses";
    /** Group-resource strings of the archive folders. */
    public static final String SNAPSHOTS_GR = SNAPSHOTS + "." + GROUP;
    public static final String CONTENTS_GR = CONTENTS + "." + GROUP;

    public static final String DEFAULT_CLASS_ANNOTATION = "snapshot.storage.kubernetes.io/is-default-class";

    static final ResourceDefinitionContext SNAPSHOT_CTX = context(SNAPSHOTS, "VolumeSnapshot", true);
    static final ResourceDefinitionContext CONTENT_CTX = context(CONTENTS, "VolumeSnapshotContent", false);
    static final ResourceDefinitionContext CLASS_CTX = context(CLASSES, "VolumeSnapshotClass", false);

    private SnapshotApi() {}

    private static ResourceDefinitionContext context(String plural, String kind, boolean namespaced) {
        return new ResourceDefinitionContext.Builder().withGroup(GROUP).withVersion("v1").withPlural(plural).withKind(kind)
                .withNamespaced(namespaced).build();
    }

    static MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> snapshots(
            KubernetesClient client) {
        return client.genericKubernetesResources(SNAPSHOT_CTX);
    }

    static MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> contents(
            KubernetesClient client) {
        return client.genericKubernetesResources(CONTENT_CTX);
    }

    static MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> classes(
            KubernetesClient client) {
        return client.genericKubernetesResources(CLASS_CTX);
    }

    /**
     * Which of the three snapshot resources discovery does not serve at {@code snapshot.storage.k8s.io/v1}
     * (all three when the group or version is unknown). Empty when the snapshot CRDs are installed.
     */
    static Set<String> missingResources(KubernetesClient client) {
        Set<String> missing = new TreeSet<>(List.of(SNAPSHOTS, CONTENTS, CLASSES));
        APIResourceList list;
        try {
            list = client.getApiResources(API_VERSION);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return missing;
            }
            throw e;
        } catch (RuntimeException e) {
            // servers without discovery answer something that is not an APIResourceList
            return missing;
        }
        if (list != null && list.getResources() != null) {
            for (APIResource r : list.getResources()) {
                missing.remove(r.getName());
            }
        }
        return missing;
    }

    /** Velero's {@code label.GetValidName}: values over 63 characters become 57 characters and 6 hex of their SHA-256. */
    public static String labelValue(String value) {
        if (value.length() <= 63) {
            return value;
        }
        return value.substring(0, 57) + sha256Hex(value).substring(0, 6);
    }

    static String sha256Hex(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code velero-<pvc>-<8 hex>}: the hash of the backup, namespace and claim keeps names of
     * different backups apart; the claim part is cut so the name stays a valid label value (63).
     */
    static String snapshotName(String backup, String namespace, String pvc) {
        String hash = sha256Hex(backup + "/" + namespace + "/" + pvc).substring(0, 8);
        String base = pvc.length() > 45 ? pvc.substring(0, 45) : pvc;
        while (base.endsWith("-") || base.endsWith(".")) {
            base = base.substring(0, base.length() - 1);
        }
        return "velero-" + base + "-" + hash;
    }

    static String text(Object o) {
        return o instanceof String s && !s.isEmpty() ? s : null;
    }
}
