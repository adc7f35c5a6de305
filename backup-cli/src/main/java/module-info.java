/**
 * The {@code kbackup} command line (an application: it exports nothing). Its commands are picocli
 * classes, opened to picocli for its reflection; storage providers are found through the API's
 * service loading, so the storage modules need only be on the path.
 */
module io.kbackup.cli {
    requires io.kbackup.api;
    requires io.kbackup.core;
    requires kubernetes.client.api;
    requires info.picocli;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;
    requires java.logging;

    opens io.kbackup.cli to info.picocli;
}
