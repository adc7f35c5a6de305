package io.kbackup.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class WorkloadTest {

    @Test
    void mixedContentHasTheAdvertisedShareOfEachKindSpreadOverTheNamespaces() {
        List<HasMetadata> objects = Workload.mixed(2000, 10).toList();

        Map<String, Long> byKind = objects.stream().collect(Collectors.groupingBy(HasMetadata::getKind, Collectors.counting()));
        assertThat(byKind).containsEntry("Namespace", 10L).containsEntry("ConfigMap", 800L).containsEntry("Secret", 600L)
                .containsEntry("Deployment", 300L).containsEntry("Service", 300L);
        assertThat(objects.stream().filter(o -> o.getMetadata().getNamespace() != null)
                .collect(Collectors.groupingBy(o -> o.getMetadata().getNamespace(), Collectors.counting())))
                .hasSize(10).allSatisfy((ns, n) -> assertThat(n).isEqualTo(200L));
        assertThat(objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName())
                .distinct().count()).isEqualTo(objects.size());
    }

    @Test
    void configMapsAndSecretsCarryOneToFourKibibytes() {
        List<HasMetadata> objects = Workload.mixed(1000, 5).toList();
        for (HasMetadata o : objects) {
            if (o instanceof ConfigMap cm) {
                assertThat(cm.getData().values().stream().mapToInt(String::length).sum()).isBetween(1024, 4096);
            } else if (o instanceof Secret s) {
                assertThat(s.getData().values().stream().mapToInt(v -> Base64.getDecoder().decode(v).length).sum())
                        .isBetween(1024, 4096);
            }
        }
    }

    @Test
    void isDeterministic() {
        Function<Integer, List<String>> names = n -> Workload.mixed(n, 3).map(o -> o.getMetadata().getUid() + o.getMetadata().getName()).toList();
        assertThat(names.apply(300)).isEqualTo(names.apply(300));
        assertThat(Workload.secrets(5, "ns").map(HasMetadata::getKind).toList())
                .containsExactly("Namespace", "Secret", "Secret", "Secret", "Secret", "Secret");
    }
}
