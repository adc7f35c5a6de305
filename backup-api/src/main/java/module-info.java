/**
 * The public types of kbackup: plans, locations, credentials, schedules, results, handles, the
 * exceptions ({@code io.kbackup}), and the storage provider SPI ({@code io.kbackup.spi},
 * {@code io.kbackup.spi.support}). Storage providers are found through {@link java.util.ServiceLoader}.
 */
module io.kbackup.api {
    requires com.cronutils;

    exports io.kbackup;
    exports io.kbackup.spi;
    exports io.kbackup.spi.support;

    uses io.kbackup.spi.StorageProviderFactory;
    uses io.kbackup.spi.KeyProvider;
}
