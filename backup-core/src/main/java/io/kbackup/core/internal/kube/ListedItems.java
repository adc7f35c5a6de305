package io.kbackup.core.internal.kube;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Splits one page of a list response (the API server's JSON bytes) into its items without building
 * a tree per item: Jackson's streaming parser walks the page once, each item's bytes are copied as
 * the server sent them, with {@code "apiVersion"} and {@code "kind"} put in front when the server
 * left them out of list items (as it does for built-in types), the way Velero's archived items have them.
 *
 * <p>While an item streams by, the fields filters need are read from it: name, namespace, labels
 * and deletionTimestamp into a metadata-only {@link GenericKubernetesResource} ({@link Item#view()}).
 * For the few resources whose filters read more (pods, PVCs, nodes, ClusterRoleBindings: see
 * {@link #needsWholeItem}) the view is the whole item, parsed from its bytes. Thread-safe.
 */
public final class ListedItems {
    private static final JsonFactory JSON = JsonFactory.builder().build();
    /** Resources whose filters or related-item rules read fields beyond the metadata. */
    private static final List<String> WHOLE_ITEM = List.of("pods", "persistentvolumeclaims", "nodes",
            "clusterrolebindings.rbac.authorization.k8s.io");

    private ListedItems() {}

    /**
     * One item of a page.
     *
     * @param namespace null for cluster-scoped objects
     * @param view      what filters read: metadata only, or the whole item for {@link #needsWholeItem} resources
     * @param json      the item's JSON as the server sent it, with apiVersion and kind
     */
    public record Item(String namespace, String name, GenericKubernetesResource view, byte[] json) {}

    /**
     * One page: its items and the continue token (null on the last page).
     */
    public record Page(List<Item> items, String continueToken) {}

    /** Whether filters of this resource read more than the metadata. */
    public static boolean needsWholeItem(ApiResource r) {
        return WHOLE_ITEM.contains(r.groupResource());
    }

    /**
     * Splits a list response.
     *
     * @param body      the response body (a {@code *List} object)
     * @param resource  the listed resource (its group/version and kind go into items that lack them)
     * @param parseWhole parses an item's bytes into a whole object, for {@link #needsWholeItem} resources
     * @throws IOException when the body is not a JSON object
     */
    public static Page split(byte[] body, ApiResource resource, Function<byte[], GenericKubernetesResource> parseWhole)
            throws IOException {
        boolean whole = needsWholeItem(resource);
        List<Item> items = new ArrayList<>();
        String continueToken = null;
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("the list response of " + resource.groupResource() + " is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("items") && value == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        items.add(item(p, body, resource, whole, parseWhole));
                    }
                } else if (field.equals("metadata") && value == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String f = p.currentName();
                        p.nextToken();
                        if (f.equals("continue") && p.currentToken() == JsonToken.VALUE_STRING) {
                            continueToken = p.getText();
                        } else {
                            p.skipChildren();
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
        }
        return new Page(items, continueToken == null || continueToken.isEmpty() ? null : continueToken);
    }

    /** Reads one item, the parser on its START_OBJECT; leaves it on the item's END_OBJECT. */
    private static Item item(JsonParser p, byte[] body, ApiResource resource, boolean whole,
            Function<byte[], GenericKubernetesResource> parseWhole) throws IOException {
        int start = (int) p.currentTokenLocation().getByteOffset();
        boolean hasApiVersion = false;
        boolean hasKind = false;
        ObjectMeta meta = new ObjectMeta();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "apiVersion" -> hasApiVersion = value == JsonToken.VALUE_STRING && !p.getText().isEmpty();
                case "kind" -> hasKind = value == JsonToken.VALUE_STRING && !p.getText().isEmpty();
                case "metadata" -> {
                    if (value == JsonToken.START_OBJECT) {
                        metadata(p, meta);
                    } else {
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
        int end = (int) p.currentTokenLocation().getByteOffset() + 1;
        byte[] json = withTypeMeta(body, start, end, hasApiVersion ? null : resource.groupVersion(), hasKind ? null : resource.kind());
        GenericKubernetesResource view;
        if (whole) {
            view = parseWhole.apply(json);
        } else {
            view = new GenericKubernetesResource();
            view.setApiVersion(resource.groupVersion());
            view.setKind(resource.kind());
            view.setMetadata(meta);
        }
        return new Item(resource.namespaced() ? meta.getNamespace() : null, meta.getName(), view, json);
    }

    /** name, namespace, labels, deletionTimestamp; the rest of the metadata is skipped. */
    private static void metadata(JsonParser p, ObjectMeta meta) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "name" -> meta.setName(value == JsonToken.VALUE_STRING ? p.getText() : null);
                case "namespace" -> meta.setNamespace(value == JsonToken.VALUE_STRING ? p.getText() : null);
                case "deletionTimestamp" -> meta.setDeletionTimestamp(value == JsonToken.VALUE_STRING ? p.getText() : null);
                case "labels" -> {
                    if (value == JsonToken.START_OBJECT) {
                        Map<String, String> labels = new LinkedHashMap<>();
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String k = p.currentName();
                            p.nextToken();
                            labels.put(k, p.currentToken() == JsonToken.VALUE_NULL ? null : p.getText());
                            p.skipChildren();
                        }
                        meta.setLabels(labels);
                    } else {
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
    }

    /**
     * The item's bytes {@code body[start, end)}, with {@code "apiVersion"} and/or {@code "kind"} put first when given
     * (null: the item has it).
     */
    static byte[] withTypeMeta(byte[] body, int start, int end, String apiVersion, String kind) {
        if (apiVersion == null && kind == null) {
            return Arrays.copyOfRange(body, start, end);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(end - start + 64);
        out.write('{');
        boolean first = true;
        if (apiVersion != null) {
            field(out, "apiVersion", apiVersion);
            first = false;
        }
        if (kind != null) {
            if (!first) {
                out.write(',');
            }
            field(out, "kind", kind);
        }
        int rest = start + 1;
        int i = rest;
        while (i < end && isSpace(body[i])) {
            i++;
        }
        if (body[i] != '}') {
            out.write(',');
        }
        out.write(body, rest, end - rest);
        return out.toByteArray();
    }

    private static void field(ByteArrayOutputStream out, String name, String value) {
        out.write('"');
        out.writeBytes(JsonStringEncoder.getInstance().quoteAsUTF8(name));
        out.write('"');
        out.write(':');
        out.write('"');
        out.writeBytes(JsonStringEncoder.getInstance().quoteAsUTF8(value));
        out.write('"');
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }
}
