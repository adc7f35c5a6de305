/**
 * Groups of clusters: {@link io.kbackup.core.fleet.ClusterGroup} runs one plan on every member
 * cluster, each member's backups under its own folder of one shared location, and restores or lists
 * them per member.
 */
package io.kbackup.core.fleet;
