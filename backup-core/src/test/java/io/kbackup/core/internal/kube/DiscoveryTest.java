package io.kbackup.core.internal.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DiscoveryTest {

    private static ApiResource resource(String group, String plural, String kind) {
        return new ApiResource(group, group.isEmpty() ? "v1" : "v1", plural, kind, kind.toLowerCase(), true, Set.of("list"), List.of());
    }

    @Test
    void eventsServedByTwoGroupsAreKeptOnceUnderTheFirstAsVeleroDoes() {
        List<ApiResource> served = List.of(resource("", "events", "Event"), resource("", "configmaps", "ConfigMap"),
                resource("events.k8s.io", "events", "Event"), resource("example.com", "events", "Event"));

        assertThat(Discovery.withoutCohabitants(served)).extracting(ApiResource::groupResource)
                .containsExactly("events", "configmaps", "events.example.com");
    }

    @Test
    void theFirstOfTwoCohabitingGroupsWinsWhicheverItIs() {
        List<ApiResource> served = List.of(resource("apps", "deployments", "Deployment"),
                resource("extensions", "deployments", "Deployment"));

        assertThat(Discovery.withoutCohabitants(served)).extracting(ApiResource::groupResource).containsExactly("deployments.apps");
    }
}
