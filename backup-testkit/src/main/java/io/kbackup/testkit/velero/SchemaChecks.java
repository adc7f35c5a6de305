package io.kbackup.testkit.velero;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.kbackup.testkit.velero.CrdSchemaValidator.Violation;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The structural-schema walk of {@link CrdSchemaValidator}: types, nullability, int-or-string,
 * required and unknown fields, enums, formats and bounds, as the API server checks them.
 */
final class SchemaChecks {

    private SchemaChecks() {
    }

    static void check(JSONSchemaProps schema, JsonNode node, String path, List<Violation> out, boolean root) {
        if (node == null || node.isMissingNode()) {
            return;
        }
        if (node.isNull()) {
            if (!Boolean.TRUE.equals(schema.getNullable())) {
                out.add(new Violation(path, "null is not allowed here (the schema is not nullable)"));
            }
            return;
        }
        if (Boolean.TRUE.equals(schema.getXKubernetesIntOrString())) {
            if (!(node.isTextual() || node.isIntegralNumber())) {
                out.add(new Violation(path, "expected an integer or a string, was " + describe(node)));
            }
            return;
        }
        String type = schema.getType();
        if (type != null && !typeMatches(type, node)) {
            out.add(new Violation(path, "expected " + type + ", was " + describe(node)));
            return;
        }
        checkEnum(schema, node, path, out);
        checkFormatAndBounds(schema, node, path, out);
        if (node.isObject()) {
            checkObject(schema, node, path, out, root);
        } else if (node.isArray() && schema.getItems() != null && schema.getItems().getSchema() != null) {
            JSONSchemaProps items = schema.getItems().getSchema();
            for (int i = 0; i < node.size(); i++) {
                check(items, node.get(i), path + "[" + i + "]", out, false);
            }
        }
    }

    static void checkObject(JSONSchemaProps schema, JsonNode node, String path, List<Violation> out, boolean root) {
        Map<String, JSONSchemaProps> properties = schema.getProperties();
        boolean hasProperties = properties != null && !properties.isEmpty();
        if (schema.getRequired() != null) {
            for (String required : schema.getRequired()) {
                if (!node.has(required)) {
                    out.add(new Violation(path + "." + required, "required field is missing"));
                }
            }
        }
        JSONSchemaProps additional = schema.getAdditionalProperties() == null ? null : schema.getAdditionalProperties().getSchema();
        boolean additionalAllowed = schema.getAdditionalProperties() != null
                && (additional != null || Boolean.TRUE.equals(schema.getAdditionalProperties().getAllows()));
        boolean preserveUnknown = Boolean.TRUE.equals(schema.getXKubernetesPreserveUnknownFields())
                || Boolean.TRUE.equals(schema.getXKubernetesEmbeddedResource());
        Iterator<Map.Entry<String, JsonNode>> fields = node.properties().iterator();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            String childPath = path + "." + name;
            if (root && name.equals("metadata")) {
                if (!field.getValue().isObject()) {
                    out.add(new Violation(childPath, "expected object, was " + describe(field.getValue())));
                }
                continue;
            }
            JSONSchemaProps child = hasProperties ? properties.get(name) : null;
            if (child != null) {
                check(child, field.getValue(), childPath, out, false);
            } else if (additional != null) {
                check(additional, field.getValue(), childPath, out, false);
            } else if (!additionalAllowed && !preserveUnknown) {
                out.add(new Violation(childPath, "unknown field (not in the schema; the API server would drop it)"
                        + (hasProperties ? "; known: " + properties.keySet() : "")));
            }
        }
        if (schema.getMinProperties() != null && node.size() < schema.getMinProperties()) {
            out.add(new Violation(path, "needs at least " + schema.getMinProperties() + " properties, has " + node.size()));
        }
        if (schema.getMaxProperties() != null && node.size() > schema.getMaxProperties()) {
            out.add(new Violation(path, "allows at most " + schema.getMaxProperties() + " properties, has " + node.size()));
        }
    }

    static void checkEnum(JSONSchemaProps schema, JsonNode node, String path, List<Violation> out) {
        List<JsonNode> allowed = schema.getEnum();
        if (allowed == null || allowed.isEmpty()) {
            return;
        }
        for (JsonNode value : allowed) {
            if (value.equals(node) || (value.isTextual() && node.isTextual() && value.asText().equals(node.asText()))) {
                return;
            }
        }
        List<String> names = new ArrayList<>();
        allowed.forEach(v -> names.add(v.isTextual() ? v.asText() : v.toString()));
        out.add(new Violation(path, "value " + node + " is not one of " + names));
    }

    static void checkFormatAndBounds(JSONSchemaProps schema, JsonNode node, String path, List<Violation> out) {
        if (node.isTextual()) {
            String text = node.asText();
            String format = schema.getFormat();
            if ("date-time".equals(format) && !isDateTime(text)) {
                out.add(new Violation(path, "'" + text + "' is not an RFC 3339 date-time such as 2026-11-21T02:00:00Z"));
            } else if ("byte".equals(format) && !isBase64(text)) {
                out.add(new Violation(path, "is not base64 (format byte)"));
            }
            if (schema.getMinLength() != null && text.length() < schema.getMinLength()) {
                out.add(new Violation(path, "shorter than minLength " + schema.getMinLength()));
            }
            if (schema.getMaxLength() != null && text.length() > schema.getMaxLength()) {
                out.add(new Violation(path, "longer than maxLength " + schema.getMaxLength()));
            }
            if (schema.getPattern() != null) {
                try {
                    if (!Pattern.compile(schema.getPattern()).matcher(text).find()) {
                        out.add(new Violation(path, "'" + text + "' does not match pattern " + schema.getPattern()));
                    }
                } catch (PatternSyntaxException ignored) {
                    // an ECMA pattern Java cannot compile: not checked
                }
            }
        } else if (node.isNumber()) {
            double value = node.asDouble();
            if (schema.getMinimum() != null && value < schema.getMinimum()) {
                out.add(new Violation(path, value + " is below the minimum " + schema.getMinimum()));
            }
            if (schema.getMaximum() != null && value > schema.getMaximum()) {
                out.add(new Violation(path, value + " is above the maximum " + schema.getMaximum()));
            }
        } else if (node.isArray()) {
            if (schema.getMinItems() != null && node.size() < schema.getMinItems()) {
                out.add(new Violation(path, "needs at least " + schema.getMinItems() + " items, has " + node.size()));
            }
            if (schema.getMaxItems() != null && node.size() > schema.getMaxItems()) {
                out.add(new Violation(path, "allows at most " + schema.getMaxItems() + " items, has " + node.size()));
            }
        }
    }

    static boolean typeMatches(String type, JsonNode node) {
        return switch (type) {
            case "string" -> node.isTextual();
            case "integer" -> node.isIntegralNumber() || (node.isNumber() && node.asDouble() == Math.rint(node.asDouble()));
            case "number" -> node.isNumber();
            case "boolean" -> node.isBoolean();
            case "array" -> node.isArray();
            case "object" -> node.isObject();
            default -> true;
        };
    }

    static boolean isDateTime(String text) {
        try {
            OffsetDateTime.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    static boolean isBase64(String text) {
        try {
            Base64.getDecoder().decode(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "missing";
        }
        JsonNodeType t = node.getNodeType();
        return switch (t) {
            case STRING -> "string";
            case NUMBER -> node.isIntegralNumber() ? "integer" : "number";
            case BOOLEAN -> "boolean";
            case ARRAY -> "array";
            case OBJECT -> "object";
            case NULL -> "null";
            default -> t.name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
