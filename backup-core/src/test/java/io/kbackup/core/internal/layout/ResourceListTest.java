package io.kbackup.core.internal.layout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResourceListTest {

    @Test
    void namesAreSortedAndDistinctWhateverTheOrderTheyCameIn() throws IOException {
        ResourceList list = new ResourceList();
        list.add("v1", "ConfigMap", "b", "x");
        list.add("v1", "ConfigMap", "a", "z");
        list.add("v1", "ConfigMap", "b", "x");
        list.add("v1", "ConfigMap", "a", "y");
        list.add("v1", "ConfigMap", "a", "z");
        list.add("v1", "Namespace", null, "a");
        list.add("v1", "Namespace", "", "b");
        list.add("v1", "Namespace", null, "b");
        list.add("apps/v1", "Deployment", "ns", "d\u00e9j\u00e0-\"vu\"");

        JsonNode json = GzipJson.readGzipJson(new ByteArrayInputStream(list.gzipJson()));

        assertThat(json.toString()).isEqualTo("{\"apps/v1/Deployment\":[\"ns/d\u00e9j\u00e0-\\\"vu\\\"\"],"
                + "\"v1/ConfigMap\":[\"a/y\",\"a/z\",\"b/x\"],\"v1/Namespace\":[\"a\",\"b\"]}");
        assertThat(list.gzipJson()).isEqualTo(GzipJson.gzipJson(list.toJson()));
    }

    @Test
    void manyNamesInOrderKeepTheirOrderAndLongNamesSurviveThePacking() throws IOException {
        ResourceList list = new ResourceList();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            String name = String.format("config-%06d", i) + (i % 1000 == 0 ? "x".repeat(300) : "");
            list.add("v1", "ConfigMap", "ns", name);
            expected.add("ns/" + name);
        }

        JsonNode names = GzipJson.readGzipJson(new ByteArrayInputStream(list.gzipJson())).get("v1/ConfigMap");

        List<String> got = new ArrayList<>();
        names.forEach(n -> got.add(n.asText()));
        assertThat(got).isEqualTo(expected);
    }
}
