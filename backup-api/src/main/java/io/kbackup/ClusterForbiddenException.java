package io.kbackup;

/**
 * The Kubernetes API server denied a request for lack of a permission (HTTP 403): the service
 * account kbackup runs as may not perform {@link #verb()} on {@link #resource()}. Grant it with the
 * ClusterRoles kbackup ships (see the README's RBAC section). Not retryable.
 */
public class ClusterForbiddenException extends ClusterRefusedException {
    private static final long serialVersionUID = 1L;
    private final String verb;
    private final String resource;
    private final String namespace;

    /**
     * @param message   what was denied and what to do
     * @param verb      the denied verb ({@code list}, {@code create}, ...), or null when the server did not say
     * @param resource  the resource, {@code plural} or {@code plural.group} ({@code secrets}, {@code deployments.apps}), or null
     * @param namespace the namespace of the request, or null for a cluster-scoped or cluster-wide request
     * @param cause     the client's exception
     */
    public ClusterForbiddenException(String message, String verb, String resource, String namespace, Throwable cause) {
        super(message, 403, cause);
        this.verb = verb;
        this.resource = resource;
        this.namespace = namespace;
    }

    /** The denied verb ({@code get}, {@code list}, {@code create}, {@code patch}, ...), or null if unknown. */
    public String verb() {
        return verb;
    }

    /** The resource, {@code plural} for the core group, else {@code plural.group}; or null if unknown. */
    public String resource() {
        return resource;
    }

    /** The namespace of the denied request, or null when it was cluster-wide or cluster-scoped. */
    public String namespace() {
        return namespace;
    }
}
