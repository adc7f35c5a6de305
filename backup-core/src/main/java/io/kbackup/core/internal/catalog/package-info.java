/**
 * Listing, describing and deleting backups in a location by reading Velero's bucket layout; works
 * on backups written by either engine or by Velero itself.
 */
package io.kbackup.core.internal.catalog;
