package io.kbackup.core.internal.velero;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.kbackup.core.internal.layout.BucketLayout;
import io.kbackup.core.internal.layout.OperationResults;
import io.kbackup.core.internal.layout.RestoreResourceList;
import io.kbackup.spi.StorageProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
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
        Map<RestoreResourceList.Outcome, Long> counts = RestoreResourceList.count(MissingNode.getInstance());
        List<String> errors = List.of();
        List<String> warnings = List.of();
        try {
            JsonNode list = gzJson(storage, layout.restoreResourceList(restore));
            if (list != null) {
                counts = RestoreResourceList.count(list);
            }
            JsonNode results = gzJson(storage, layout.restoreResults(restore));
            if (results != null) {
                errors = OperationResults.messages(results, "errors", MAX_MESSAGES);
                warnings = OperationResults.messages(results, "warnings", MAX_MESSAGES);
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not read the results of restore '{}' from the bucket: {}", restore, e.toString());
        }
        return new RestoreResults(counts.get(RestoreResourceList.Outcome.CREATED), counts.get(RestoreResourceList.Outcome.UPDATED),
                counts.get(RestoreResourceList.Outcome.SKIPPED), counts.get(RestoreResourceList.Outcome.FAILED), errors, warnings);
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
