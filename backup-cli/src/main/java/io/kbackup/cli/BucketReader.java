package io.kbackup.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kbackup.BackupLocation;
import io.kbackup.NotFoundException;
import io.kbackup.StorageException;
import io.kbackup.spi.BlobInfo;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviders;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Reads what {@code BackupClient} does not (yet) offer straight from the location, through the
 * public storage SPI and Velero's bucket layout: a backup's log, and the restores kept under
 * {@code restores/<name>/} (their results, resource list and log). Works on restores that either
 * engine or Velero itself wrote. Logs are streamed, never loaded whole.
 */
final class BucketReader implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Kubernetes object names: what a backup or restore name can be (also keeps keys inside their folder). */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    /** The outcome suffix of a restore resource-list entry, {@code ns/name(created)}. */
    private static final Pattern OUTCOME = Pattern.compile("\\(([a-zA-Z]+)\\)$");
    /** The first line of a kbackup restore log names the backup. */
    private static final Pattern BACKUP_OF_RESTORE = Pattern.compile("Starting restore \\S+ of backup ([-a-z0-9.]+)");

    private final StorageProvider storage;
    private final String root;

    BucketReader(BackupLocation location) {
        this.storage = StorageProviders.discover().open(location);
        this.root = location.keyPrefix();
    }

    /** Streams a backup's log ({@code backups/<name>/<name>-logs.gz}) line by line. */
    void backupLog(String backup, Consumer<String> lines) {
        checkName(backup, "backup");
        streamGzipLines(root + "backups/" + backup + "/" + backup + "-logs.gz", "backup " + backup, lines);
    }

    /** Streams a restore's log ({@code restores/<name>/restore-<name>-logs.gz}) line by line. */
    void restoreLog(String restore, Consumer<String> lines) {
        checkName(restore, "restore");
        requireRestore(restore);
        streamGzipLines(restoreFile(restore, "logs.gz"), "restore " + restore, lines);
    }

    /** The restores in the location, newest first, each as {@link #describeRestore} without the messages. */
    List<Map<String, Object>> listRestores() {
        List<Map<String, Object>> out = new ArrayList<>();
        String restores = root + "restores/";
        for (String prefix : storage.listPrefixes(restores, "/")) {
            String name = prefix.substring(restores.length()).replaceAll("/$", "");
            if (NAME.matcher(name).matches()) {
                Map<String, Object> row = describeRestore(name, false);
                row.remove("errorMessages");
                row.remove("warningMessages");
                out.add(row);
            }
        }
        out.sort(Comparator.comparing((Map<String, Object> r) -> (Instant) r.get("stored"),
                Comparator.nullsLast(Comparator.reverseOrder())));
        return out;
    }

    /**
     * One restore: its name, the backup it restored (when its log says), when its files were
     * stored, error and warning counts (and messages), and how many items were created, updated,
     * skipped or failed, from its resource list.
     *
     * @throws NotFoundException when the location has no such restore
     */
    Map<String, Object> describeRestore(String restore) {
        checkName(restore, "restore");
        requireRestore(restore);
        return describeRestore(restore, true);
    }

    private Map<String, Object> describeRestore(String restore, boolean readLog) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", restore);
        row.put("backup", readLog ? backupOf(restore) : null);
        Instant stored = null;
        for (Iterator<BlobInfo> it = storage.listAll(root + "restores/" + restore + "/").iterator(); it.hasNext(); ) {
            Instant at = it.next().lastModified();
            if (at != null && (stored == null || at.isAfter(stored))) {
                stored = at;
            }
        }
        row.put("stored", stored);
        JsonNode results = readGzipJson(restoreFile(restore, "results.gz"));
        List<String> errors = messages(results == null ? null : results.get("errors"));
        List<String> warnings = messages(results == null ? null : results.get("warnings"));
        row.put("errors", errors.size());
        row.put("warnings", warnings.size());
        Map<String, Long> outcomes = new TreeMap<>();
        long items = 0;
        JsonNode resources = readGzipJson(restoreFile(restore, "resource-list.json.gz"));
        if (resources != null) {
            for (Iterator<JsonNode> kinds = resources.elements(); kinds.hasNext(); ) {
                for (JsonNode entry : kinds.next()) {
                    items++;
                    Matcher m = OUTCOME.matcher(entry.asText());
                    outcomes.merge(m.find() ? m.group(1) : "unknown", 1L, Long::sum);
                }
            }
        }
        row.put("items", items);
        row.put("outcomes", outcomes);
        row.put("errorMessages", errors);
        row.put("warningMessages", warnings);
        return row;
    }

    private String backupOf(String restore) {
        String key = restoreFile(restore, "logs.gz");
        if (!storage.exists(key)) {
            return null;
        }
        try (BufferedReader r = gzipReader(key)) {
            for (int i = 0; i < 5; i++) {
                String line = r.readLine();
                if (line == null) {
                    break;
                }
                Matcher m = BACKUP_OF_RESTORE.matcher(line);
                if (m.find()) {
                    return m.group(1);
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    /** Velero's result shape {@code {"velero":[..],"cluster":[..],"namespaces":{"ns":[..]}}} as flat lines. */
    private static List<String> messages(JsonNode r) {
        List<String> out = new ArrayList<>();
        if (r == null || !r.isObject()) {
            return out;
        }
        r.path("velero").forEach(m -> out.add(m.asText()));
        r.path("cluster").forEach(m -> out.add("cluster: " + m.asText()));
        r.path("namespaces").properties().forEach(e -> e.getValue().forEach(m -> out.add(e.getKey() + ": " + m.asText())));
        return out;
    }

    private void requireRestore(String restore) {
        if (storage.list(root + "restores/" + restore + "/", null, null, 1).blobs().isEmpty()) {
            throw new NotFoundException(restore, "No restore '" + restore + "' in this location (nothing under restores/"
                    + restore + "/); list them with 'kbackup restore get'.");
        }
    }

    private String restoreFile(String restore, String suffix) {
        return root + "restores/" + restore + "/restore-" + restore + "-" + suffix;
    }

    private JsonNode readGzipJson(String key) {
        if (!storage.exists(key)) {
            return null;
        }
        try (InputStream in = new GZIPInputStream(storage.get(key))) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new StorageException("Cannot read " + key + ": " + e.getMessage(), e, true);
        }
    }

    private void streamGzipLines(String key, String what, Consumer<String> lines) {
        if (!storage.exists(key)) {
            throw new NotFoundException(what, "The " + what + " has no log in this location (no " + key + ").");
        }
        try (BufferedReader r = gzipReader(key)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lines.accept(line);
            }
        } catch (IOException e) {
            throw new StorageException("Cannot read the log of the " + what + ": " + e.getMessage(), e, true);
        }
    }

    private BufferedReader gzipReader(String key) throws IOException {
        return new BufferedReader(new InputStreamReader(new GZIPInputStream(storage.get(key)), StandardCharsets.UTF_8));
    }

    private static void checkName(String name, String what) {
        if (!NAME.matcher(name).matches()) {
            throw new io.kbackup.InvalidPlanException("'" + name + "' is not a valid " + what
                    + " name: lower-case letters, digits, '-' and '.'.");
        }
    }

    @Override
    public void close() {
        storage.close();
    }
}
