/**
 * Optional Micrometer metrics of kbackup's backups and restores ({@link io.kbackup.micrometer.KBackupMetrics}),
 * hooked in through {@link io.kbackup.ClientListener}.
 */
module io.kbackup.micrometer {
    requires transitive io.kbackup.api;
    requires transitive micrometer.core;

    exports io.kbackup.micrometer;
}
