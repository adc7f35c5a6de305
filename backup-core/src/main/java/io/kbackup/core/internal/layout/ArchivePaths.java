package io.kbackup.core.internal.layout;

/**
 * Entry names inside a Velero backup tarball (format version {@value #FORMAT_VERSION}), as
 * Velero's {@code pkg/archive} writes and parses them.
 */
public final class ArchivePaths {
    /** The backup format version Velero writes and this project writes. */
    public static final String FORMAT_VERSION = "1.1.0";
    /** The first entry of every tarball; its content is {@code FORMAT_VERSION + "\n"}. */
    public static final String VERSION_ENTRY = "metadata/version";
    /** The resources folder. */
    public static final String RESOURCES = "resources";
    /** Scope folder of cluster-scoped items. */
    public static final String CLUSTER = "cluster";
    /** Scope folder of namespaced items. */
    public static final String NAMESPACES = "namespaces";
    /** Suffix of the preferred-version folder: {@code <version>-preferredversion}. */
    public static final String PREFERRED_SUFFIX = "-preferredversion";

    private ArchivePaths() {}

    /**
     * The classic path Velero's restore reads: {@code resources/<gr>/namespaces/<ns>/<name>.json}
     * or {@code resources/<gr>/cluster/<name>.json} when {@code namespace} is null or empty.
     */
    public static String item(String groupResource, String namespace, String name) {
        return RESOURCES + "/" + groupResource + "/" + scope(namespace) + name + ".json";
    }

    /** The same item under {@code resources/<gr>/<version>-preferredversion/...}. */
    public static String preferredVersionItem(String groupResource, String version, String namespace, String name) {
        return RESOURCES + "/" + groupResource + "/" + version + PREFERRED_SUFFIX + "/" + scope(namespace) + name + ".json";
    }

    private static String scope(String namespace) {
        return namespace == null || namespace.isEmpty() ? CLUSTER + "/" : NAMESPACES + "/" + namespace + "/";
    }
}
