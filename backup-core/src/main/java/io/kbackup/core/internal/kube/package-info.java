/**
 * Talking to the API server: discovery of server-preferred resources, paged lists, and retries of
 * transient errors ({@link io.kbackup.core.internal.kube.KubeRetry}), shared by backup and restore.
 */
package io.kbackup.core.internal.kube;
