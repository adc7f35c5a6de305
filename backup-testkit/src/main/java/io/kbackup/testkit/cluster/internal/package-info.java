/**
 * Internals of the embedded cluster: request routing, discovery documents, list paging, the
 * indexed store and strategic merge patch. Not API: may change without notice.
 */
package io.kbackup.testkit.cluster.internal;
