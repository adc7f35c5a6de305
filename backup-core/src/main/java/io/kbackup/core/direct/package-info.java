/**
 * The DirectEngine: backs up by talking to the API server itself (discovery, paged lists, filters,
 * a Velero-format archive streamed to storage) and restores in Velero's order, with no Velero in the
 * cluster. Get one with {@code KBackup.direct(client)}; start with
 * {@link io.kbackup.core.direct.DirectEngine} and tune it with
 * {@link io.kbackup.core.direct.DirectOptions}.
 */
package io.kbackup.core.direct;
