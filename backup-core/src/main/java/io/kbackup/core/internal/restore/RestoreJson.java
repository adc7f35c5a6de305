package io.kbackup.core.internal.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kbackup.core.internal.layout.ArchiveJson;

/** The JSON mapper of the restore: strict (one value, no duplicate keys) and exact with numbers. */
final class RestoreJson {
    static final ObjectMapper MAPPER = ArchiveJson.STRICT;

    private RestoreJson() {}

    /** The object at {@code field} of {@code node}, created when missing or not an object. */
    static ObjectNode object(ObjectNode node, String field) {
        JsonNode n = node.get(field);
        if (n instanceof ObjectNode o) {
            return o;
        }
        return node.putObject(field);
    }

    /** The object at {@code field}, or null when missing. */
    static ObjectNode objectOrNull(JsonNode node, String field) {
        JsonNode n = node == null ? null : node.get(field);
        return n instanceof ObjectNode o ? o : null;
    }

    /** Text at {@code field}, or null. */
    static String text(JsonNode node, String field) {
        JsonNode n = node == null ? null : node.get(field);
        return n != null && n.isTextual() ? n.asText() : null;
    }
}
