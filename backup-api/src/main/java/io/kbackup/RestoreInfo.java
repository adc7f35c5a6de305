package io.kbackup;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The details of one restore. Immutable.
 *
 * @param name             the restore's name
 * @param backupName       the backup restored from
 * @param phase            Velero's phase
 * @param started          when it started; may be null
 * @param completed        when it ended; null while running
 * @param itemsTotal       items selected for restore
 * @param itemsRestored    items done (created, updated or found unchanged)
 * @param created          items created
 * @param updated          items updated (policy UPDATE)
 * @param skipped          items skipped (already there, or finished pods/jobs)
 * @param failed           items that failed
 * @param errors           error messages, at most a few hundred, each naming the item
 * @param warnings         warning messages, likewise
 * @param namespaceMapping the namespace mapping applied
 * @param failureReason    why it failed as a whole, or null
 */
public record RestoreInfo(
        String name,
        String backupName,
        RestorePhase phase,
        Instant started,
        Instant completed,
        long itemsTotal,
        long itemsRestored,
        long created,
        long updated,
        long skipped,
        long failed,
        List<String> errors,
        List<String> warnings,
        Map<String, String> namespaceMapping,
        String failureReason) {

    public RestoreInfo {
        errors = errors == null ? List.of() : List.copyOf(errors);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        namespaceMapping = namespaceMapping == null ? Map.of() : Map.copyOf(namespaceMapping);
    }
}
