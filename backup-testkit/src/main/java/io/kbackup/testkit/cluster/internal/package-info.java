/**
 * Internals of the embedded cluster: request routing, discovery documents, list paging, the
 * indexed store, name validation, and the three patch formats as the API server applies them
 * (strategic merge patch with the Kubernetes API's patch strategies in {@code PatchSchema},
 * JSON merge patch, JSON patch). Not API: may change without notice.
 */
package io.kbackup.testkit.cluster.internal;
