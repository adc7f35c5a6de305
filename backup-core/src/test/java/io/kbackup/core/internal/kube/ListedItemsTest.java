package io.kbackup.core.internal.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ListedItemsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Function<byte[], GenericKubernetesResource> WHOLE = json -> {
        try {
            return MAPPER.readValue(json, GenericKubernetesResource.class);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    };
    private static final ApiResource CONFIG_MAPS = new ApiResource("", "v1", "configmaps", "ConfigMap", "configmap", true,
            java.util.Set.of("list", "create", "get"), java.util.List.of());

    private static ListedItems.Page split(String body, ApiResource r) throws IOException {
        return ListedItems.split(body.getBytes(StandardCharsets.UTF_8), r, WHOLE);
    }

    @Test
    void itemsKeepTheServersBytesWithApiVersionAndKindInFront() throws IOException {
        String item = "{\"metadata\":{\"name\":\"a\",\"namespace\":\"ns\",\"labels\":{\"x\":\"1\",\"velero.io/exclude-from-backup\":\"true\"},"
                + "\"deletionTimestamp\":\"2026-01-01T00:00:00Z\",\"managedFields\":[{\"manager\":\"m\"}]},\"data\":{\"k\":\"v \\\"q\\\" \\u00e9\"}}";
        ListedItems.Page page = split("{\"kind\":\"ConfigMapList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"5\","
                + "\"continue\":\"tok\"},\"items\":[" + item + ",\n {\"metadata\":{\"name\":\"b\",\"namespace\":\"ns\"}}]}", CONFIG_MAPS);
        assertThat(page.continueToken()).isEqualTo("tok");
        assertThat(page.items()).hasSize(2);
        ListedItems.Item a = page.items().get(0);
        assertThat(a.namespace()).isEqualTo("ns");
        assertThat(a.name()).isEqualTo("a");
        assertThat(new String(a.json(), StandardCharsets.UTF_8)).isEqualTo("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\"," + item.substring(1));
        JsonNode parsed = MAPPER.readTree(a.json());
        assertThat(parsed.path("data").path("k").asText()).isEqualTo("v \"q\" \u00e9");
        assertThat(a.view().getMetadata().getLabels()).isEqualTo(Map.of("x", "1", "velero.io/exclude-from-backup", "true"));
        assertThat(a.view().getMetadata().getDeletionTimestamp()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(a.view().getKind()).isEqualTo("ConfigMap");
        assertThat(page.items().get(1).view().getMetadata().getLabels()).isNullOrEmpty();
    }

    @Test
    void itemsThatHaveTypeMetaAreCopiedAsTheyAre() throws IOException {
        String item = "{\"apiVersion\":\"example.com/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"w\"},\"spec\":{}}";
        ApiResource widgets = new ApiResource("example.com", "v1", "widgets", "Widget", "widget", false, java.util.Set.of("list"), java.util.List.of());
        ListedItems.Page page = split("{\"items\":[" + item + "],\"metadata\":{\"continue\":\"\"}}", widgets);
        assertThat(page.continueToken()).isNull();
        assertThat(new String(page.items().get(0).json(), StandardCharsets.UTF_8)).isEqualTo(item);
        assertThat(page.items().get(0).namespace()).isNull();
    }

    @Test
    void wholeItemForResourcesWhoseFiltersReadMore() throws IOException {
        ApiResource pods = new ApiResource("", "v1", "pods", "Pod", "pod", true, java.util.Set.of("list"), java.util.List.of());
        ListedItems.Page page = split("{\"items\":[{\"metadata\":{\"name\":\"p\",\"namespace\":\"n\"},"
                + "\"spec\":{\"priorityClassName\":\"high\"}},{}]}", pods);
        assertThat((Object) page.items().get(0).view().get("spec", "priorityClassName")).isEqualTo("high");
        assertThat(page.items().get(0).view().getApiVersion()).isEqualTo("v1");
        assertThat(new String(page.items().get(1).json(), StandardCharsets.UTF_8)).isEqualTo("{\"apiVersion\":\"v1\",\"kind\":\"Pod\"}");
        assertThat(page.items().get(1).name()).isNull();
    }

    @Test
    void notAListObject() {
        assertThatThrownBy(() -> split("[1]", CONFIG_MAPS)).isInstanceOf(IOException.class).hasMessageContaining("configmaps");
    }
}
