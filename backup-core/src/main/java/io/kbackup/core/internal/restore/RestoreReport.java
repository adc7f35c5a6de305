package io.kbackup.core.internal.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kbackup.core.internal.NonClosingOutputStream;
import io.kbackup.core.internal.layout.BucketLayout;
import io.kbackup.core.internal.layout.OperationResults;
import io.kbackup.core.internal.layout.RestoreResourceList;
import io.kbackup.spi.BlobWriter;
import io.kbackup.spi.StorageProvider;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A restore's log, errors and warnings, and the files Velero keeps for it under
 * {@code restores/<name>/}: {@code restore-<name>-logs.gz} (logrus-style text lines),
 * {@code restore-<name>-results.gz} ({@link OperationResults}) and
 * {@code restore-<name>-resource-list.json.gz} ({@link RestoreResourceList}).
 * The log is written to a temporary file as the restore goes (memory stays flat). Thread-safe.
 */
final class RestoreReport implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RestoreReport.class);

    private final String restoreName;
    private final Clock clock;
    private final Path logFile;
    private final BufferedWriter log;
    private final OperationResults results = new OperationResults();
    /** Told of each error (namespace, message): the handle's listeners. */
    volatile BiConsumer<String, String> onError = (namespace, message) -> { };

    RestoreReport(String restoreName, Clock clock) {
        this.restoreName = restoreName;
        this.clock = clock;
        try {
            this.logFile = Files.createTempFile("kbackup-restore-" + restoreName + "-", ".log");
            this.log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the restore log file: " + e.getMessage(), e);
        }
    }

    void info(String message) {
        line("info", message);
        LOG.info("restore {}: {}", restoreName, message);
    }

    /** A line for the restore's log file only (per-item detail; slf4j at debug). */
    void detail(String message) {
        line("info", message);
        LOG.debug("restore {}: {}", restoreName, message);
    }

    /** A warning about an item in {@code namespace} (null: cluster-scoped; "": the restore as a whole). */
    synchronized void warning(String namespace, String message) {
        problem("warning", namespace, message, results::veleroWarning, results::warning);
        LOG.warn("restore {}: {}", restoreName, message);
    }

    /** An error about an item in {@code namespace} (null: cluster-scoped; "": the restore as a whole). */
    synchronized void error(String namespace, String message) {
        problem("error", namespace, message, results::veleroError, results::error);
        LOG.warn("restore {} error: {}", restoreName, message);
        onError.accept(namespace, message);
    }

    /** Adds a warning or error to the results, as one about the restore when {@code namespace} is "", and logs it. */
    private void problem(String level, String namespace, String message, Consumer<String> aboutRestore,
            BiConsumer<String, String> aboutItem) {
        if ("".equals(namespace)) {
            aboutRestore.accept(message);
        } else {
            aboutItem.accept(namespace, message);
        }
        line(level, message);
    }

    long errorCount() {
        return results.errorCount();
    }

    long warningCount() {
        return results.warningCount();
    }

    List<String> firstErrors() {
        return results.firstErrors();
    }

    List<String> firstWarnings() {
        return results.firstWarnings();
    }

    private synchronized void line(String level, String message) {
        try {
            log.write("time=\"" + clock.instant() + "\" level=" + level + " msg=" + quote(message) + " restore=" + restoreName + "\n");
        } catch (IOException e) {
            LOG.warn("restore {}: cannot write its log file: {}", restoreName, e.getMessage());
        }
    }

    /**
     * Writes the log, the results and (when given) the resource list to storage. Failures to write
     * are logged and returned, not thrown: the restore's outcome in the cluster stands.
     */
    synchronized List<String> store(StorageProvider storage, BucketLayout layout, Collection<IndexedItem> items,
            java.util.function.Function<IndexedItem, String> targetKey) {
        List<String> problems = new ArrayList<>();
        try {
            log.flush();
            try (InputStream in = Files.newInputStream(logFile)) {
                putGzip(storage, layout.restoreLogs(restoreName), in::transferTo);
            }
        } catch (IOException | RuntimeException e) {
            problems.add("could not store the restore log: " + e.getMessage());
        }
        try {
            putJson(storage, layout.restoreResults(restoreName), results.toJson());
        } catch (IOException | RuntimeException e) {
            problems.add("could not store the restore results: " + e.getMessage());
        }
        if (items != null) {
            try {
                RestoreResourceList list = new RestoreResourceList();
                for (IndexedItem item : items) {
                    IndexedItem.Outcome o = item.outcome;
                    if (o != null) {
                        list.add(item.apiVersion, item.kind, targetKey.apply(item), o.listed);
                    }
                }
                putJson(storage, layout.restoreResourceList(restoreName), list.toJson());
            } catch (IOException | RuntimeException e) {
                problems.add("could not store the restore resource list: " + e.getMessage());
            }
        }
        problems.forEach(p -> LOG.warn("restore {}: {}", restoreName, p));
        return problems;
    }

    private interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    private static void putJson(StorageProvider storage, String key, ObjectNode json) throws IOException {
        byte[] bytes = (RestoreJson.MAPPER.writeValueAsString(json) + "\n").getBytes(StandardCharsets.UTF_8);
        putGzip(storage, key, out -> out.write(bytes));
    }

    private static void putGzip(StorageProvider storage, String key, Body body) throws IOException {
        try (BlobWriter w = storage.openWriter(key)) {
            GZIPOutputStream gz = new GZIPOutputStream(new NonClosingOutputStream(w), 64 * 1024);
            body.writeTo(gz);
            gz.finish();
            gz.flush();
            w.commit();
        }
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    @Override
    public synchronized void close() {
        try {
            log.close();
        } catch (IOException ignored) {
            // best effort
        }
        try {
            Files.deleteIfExists(logFile);
        } catch (IOException ignored) {
            // best effort
        }
    }
}
