/**
 * Velero's CRDs for tests: {@link io.kbackup.testkit.velero.CrdSchemaValidator} checks objects the SDK
 * writes (Backups, Restores, Schedules, BackupStorageLocations) against the OpenAPI schemas of the
 * Velero CRDs bundled with the test kit, as the API server would.
 */
package io.kbackup.testkit.velero;
