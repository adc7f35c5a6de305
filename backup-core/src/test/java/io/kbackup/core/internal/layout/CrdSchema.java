package io.kbackup.core.internal.layout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A small structural check of a JSON document against a CRD's openAPIV3Schema (the copy of
 * Velero's CRD in src/test/resources/velero/crds): types, required fields, enums, date-time
 * formats, and no fields the schema does not know (the API server would prune them).
 */
public final class CrdSchema {
    private final JsonNode schema;

    private CrdSchema(JsonNode schema) {
        this.schema = schema;
    }

    /** Loads {@code velero/crds/<file>} from the test class path. */
    public static CrdSchema load(String file) {
        try (InputStream in = CrdSchema.class.getResourceAsStream("/velero/crds/" + file)) {
            JsonNode crd = new ObjectMapper(new YAMLFactory()).readTree(in);
            return new CrdSchema(crd.path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The problems found; empty when the document is valid. */
    public List<String> problems(JsonNode doc) {
        List<String> out = new ArrayList<>();
        check(schema, doc, "", out);
        return out;
    }

    private static void check(JsonNode s, JsonNode v, String path, List<String> out) {
        if (v == null || v.isNull()) {
            if (!s.path("nullable").asBoolean(false)) {
                out.add(path + ": null but not nullable");
            }
            return;
        }
        String type = s.path("type").asText("");
        switch (type) {
            case "object" -> {
                if (!v.isObject()) {
                    out.add(path + ": expected object, got " + v.getNodeType());
                    return;
                }
                for (JsonNode req : s.path("required")) {
                    if (!v.has(req.asText())) {
                        out.add(path + ": missing required field " + req.asText());
                    }
                }
                JsonNode props = s.get("properties");
                JsonNode additional = s.get("additionalProperties");
                boolean preserve = s.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
                for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext();) {
                    Map.Entry<String, JsonNode> f = it.next();
                    String p = path + "." + f.getKey();
                    if (props != null && props.has(f.getKey())) {
                        check(props.get(f.getKey()), f.getValue(), p, out);
                    } else if (additional != null && additional.isObject()) {
                        check(additional, f.getValue(), p, out);
                    } else if (props != null && !preserve) {
                        out.add(p + ": unknown field");
                    }
                }
            }
            case "array" -> {
                if (!v.isArray()) {
                    out.add(path + ": expected array");
                    return;
                }
                int i = 0;
                for (JsonNode e : v) {
                    check(s.path("items"), e, path + "[" + i++ + "]", out);
                }
            }
            case "string" -> {
                if (!v.isTextual()) {
                    out.add(path + ": expected string");
                    return;
                }
                if (s.has("enum")) {
                    boolean ok = false;
                    for (JsonNode e : s.get("enum")) {
                        ok |= e.asText().equals(v.asText());
                    }
                    if (!ok) {
                        out.add(path + ": '" + v.asText() + "' not in " + s.get("enum"));
                    }
                }
                if ("date-time".equals(s.path("format").asText())) {
                    try {
                        OffsetDateTime.parse(v.asText());
                    } catch (RuntimeException e) {
                        out.add(path + ": not a date-time: " + v.asText());
                    }
                }
            }
            case "integer" -> {
                if (!v.isIntegralNumber()) {
                    out.add(path + ": expected integer");
                }
            }
            case "boolean" -> {
                if (!v.isBoolean()) {
                    out.add(path + ": expected boolean");
                }
            }
            case "number" -> {
                if (!v.isNumber()) {
                    out.add(path + ": expected number");
                }
            }
            default -> {
                // untyped (x-kubernetes-preserve-unknown-fields / int-or-string): anything goes
            }
        }
    }
}
