package io.kbackup.core.internal.velero;

import com.fasterxml.jackson.databind.JsonNode;
import io.kbackup.core.internal.layout.BucketLayout;
import io.kbackup.spi.StorageProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a restore did, item by item, as Velero records it in the bucket:
 * {@code restores/<r>/restore-<r>-resource-list.json.gz} (items with their outcome in
 * parentheses) and {@code restore-<r>-results.gz} (error and warning messages).
 *
 * @param created  items created
 * @param updated  items updated
 * @param skipped  items skipped
 * @param failed   items that failed
 * @param errors   error messages, each naming where it applies, at most {@link #MAX_MESSAGES}
 * @param warnings warning messages, likewise
 */
public record RestoreResults(long created, long updated, long skipped, long failed, List<String> errors,
        List<String> warnings) {

    private static final Logger LOG = LoggerFactory.getLogger(RestoreResults.class);

    /** Most messages kept of each kind. */
    public static final int MAX_MESSAGES = 300;

    /** Nothing known. */
    public static final RestoreResults NONE = new RestoreResults(0, 0, 0, 0, List.of(), List.of());

    public RestoreResults {
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
    }

    /** Reads the restore's files; what is missing or unreadable counts as nothing known. */
    public static RestoreResults read(StorageProvider storage, BucketLayout layout, String restore) {
        long created = 0;
        long updated = 0;
        long skipped = 0;
        long failed = 0;
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        try {
            JsonNode list = gzJson(storage, layout.restoreResourceList(restore));
            if (list != null) {
                for (JsonNode items : (Iterable<JsonNode>) list::elements) {
                    for (JsonNode item : items) {
                        String s = item.asText();
                        if (s.endsWith("(created)")) {
                            created++;
                        } else if (s.endsWith("(updated)")) {
                            updated++;
                        } else if (s.endsWith("(skipped)")) {
                            skipped++;
                        } else if (s.endsWith("(failed)")) {
                            failed++;
                        }
                    }
                }
            }
            JsonNode results = gzJson(storage, layout.restoreResults(restore));
            if (results != null) {
                messages(results.path("errors"), errors);
                messages(results.path("warnings"), warnings);
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not read the results of restore '{}' from the bucket: {}", restore, e.toString());
        }
        return new RestoreResults(created, updated, skipped, failed, errors, warnings);
    }

    private static void messages(JsonNode r, List<String> out) {
        r.path("velero").forEach(m -> add(out, "velero: " + m.asText()));
        r.path("cluster").forEach(m -> add(out, "cluster: " + m.asText()));
        r.path("namespaces").properties().forEach(e -> e.getValue().forEach(m -> add(out, e.getKey() + ": " + m.asText())));
    }

    private static void add(List<String> out, String message) {
        if (out.size() < MAX_MESSAGES) {
            out.add(message);
        }
    }

    private static JsonNode gzJson(StorageProvider storage, String key) {
        if (storage.head(key).isEmpty()) {
            return null;
        }
        try (InputStream in = new GZIPInputStream(storage.get(key))) {
            return VeleroStatus.SERIALIZATION.unmarshal(in, JsonNode.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
