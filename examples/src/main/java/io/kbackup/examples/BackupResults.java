package io.kbackup.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads the warnings of a backup from its results file in a local backup folder
 * ({@code backups/<name>/<name>-results.gz}, Velero's format: {@code {"errors":{...},"warnings":{"cluster":[...],
 * "namespaces":{"ns":[...]}}}}), what {@code velero backup describe} shows.
 */
final class BackupResults {

    private BackupResults() {}

    /** The warning messages, namespace-scoped ones prefixed with their namespace; empty if there is no file. */
    static List<String> warnings(Path folder, String backup) {
        Path file = folder.resolve("backups").resolve(backup).resolve(backup + "-results.gz");
        List<String> out = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            JsonNode warnings = new ObjectMapper().readTree(in).path("warnings");
            warnings.path("cluster").forEach(w -> out.add(w.asText()));
            warnings.path("namespaces").fields().forEachRemaining(e -> e.getValue()
                    .forEach(w -> out.add(e.getKey() + ": " + w.asText())));
        } catch (IOException e) {
            out.add("(results file unreadable: " + e.getMessage() + ")");
        }
        return out;
    }
}
