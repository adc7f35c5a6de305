package io.kbackup.testkit.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ConfigMapList;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddedClusterPagingIT extends EmbeddedClusterITSupport {

  private static final int COUNT = 1234;

  @BeforeAll
  static void seed() {
    // 1,234 configmaps over 7 namespaces; every third one labelled tier=gold
    cluster.seed(IntStream.range(0, COUNT).mapToObj(i -> new ConfigMapBuilder()
        .withNewMetadata().withName(String.format("cm-%05d", i)).withNamespace("ns-" + (i % 7))
        .addToLabels("tier", i % 3 == 0 ? "gold" : "silver").endMetadata()
        .addToData("index", Integer.toString(i))
        .build()));
  }

  @Test
  void pagesAllNamespacesFollowingContinueTokens() {
    List<ConfigMapList> pages = readAllPages(
        options -> client.configMaps().inAnyNamespace().list(options), null, 100);

    assertThat(pages).hasSize(13);
    assertThat(pages.get(0).getMetadata().getRemainingItemCount()).isEqualTo(COUNT - 100L);
    assertThat(pages.get(11).getMetadata().getContinue()).isNotEmpty();
    assertThat(pages.get(12).getItems()).hasSize(34);
    assertThat(pages.get(12).getMetadata().getContinue()).isNullOrEmpty();
    assertThat(pages.get(12).getMetadata().getRemainingItemCount()).isNull();
    assertNoDuplicatesNoneMissing(pages, COUNT);
  }

  @Test
  void pagesWithLabelSelector() {
    List<ConfigMapList> pages = readAllPages(
        options -> client.configMaps().inAnyNamespace().list(options), "tier=gold", 100);

    int gold = (COUNT + 2) / 3; // 412
    assertThat(pages).hasSize(5);
    assertNoDuplicatesNoneMissing(pages, gold);
    assertThat(pages).flatExtracting(ConfigMapList::getItems)
        .allSatisfy(cm -> assertThat(cm.getMetadata().getLabels()).containsEntry("tier", "gold"));
  }

  @Test
  void pagesOneNamespace() {
    List<ConfigMapList> pages = readAllPages(
        options -> client.configMaps().inNamespace("ns-3").list(options), null, 50);

    int inNs3 = (int) IntStream.range(0, COUNT).filter(i -> i % 7 == 3).count(); // 176
    assertThat(pages).hasSize(4);
    assertNoDuplicatesNoneMissing(pages, inNs3);
    assertThat(pages).flatExtracting(ConfigMapList::getItems)
        .allSatisfy(cm -> assertThat(cm.getMetadata().getNamespace()).isEqualTo("ns-3"));
  }

  @Test
  void listWithoutLimitReturnsEverythingSortedByNamespaceAndName() {
    ConfigMapList all = client.configMaps().inAnyNamespace().list();

    assertThat(all.getItems()).hasSize(COUNT);
    assertThat(all.getMetadata().getContinue()).isNullOrEmpty();
    assertThat(all.getMetadata().getResourceVersion()).isNotEmpty();
    assertThat(all.getKind()).isEqualTo("ConfigMapList");
    List<String> keys = all.getItems().stream()
        .map(cm -> cm.getMetadata().getNamespace() + "/" + cm.getMetadata().getName()).toList();
    assertThat(keys).isSorted();
  }

  @Test
  void pageSizeCapReturnsFewerItemsThanAskedAndStillPagesEverything() {
    try (EmbeddedCluster capped = EmbeddedCluster.builder().maxPageSize(10)
            .defaultNamespaces(false).start();
        KubernetesClient c = capped.client()) {
      capped.seed(IntStream.range(0, 25).mapToObj(i -> new ConfigMapBuilder()
          .withNewMetadata().withName("c" + i).withNamespace("a").endMetadata().build()));
      List<ConfigMapList> pages =
          readAllPages(options -> c.configMaps().inAnyNamespace().list(options), null, 100);
      assertThat(pages).extracting(p -> p.getItems().size()).containsExactly(10, 10, 5);
    }
  }

  @Test
  void expiredContinueTokenGivesGone() throws InterruptedException {
    try (EmbeddedCluster shortLived = EmbeddedCluster.builder()
            .continueTokenTtl(Duration.ofMillis(1)).start();
        KubernetesClient c = shortLived.client()) {
      shortLived.seed(IntStream.range(0, 5).mapToObj(i -> new ConfigMapBuilder()
          .withNewMetadata().withName("c" + i).endMetadata().build()));
      ConfigMapList first = c.configMaps().inAnyNamespace()
          .list(new ListOptionsBuilder().withLimit(2L).build());
      String token = first.getMetadata().getContinue();
      assertThat(token).isNotEmpty();
      Thread.sleep(5); // outlive the 1 ms token (the clock is the condition here)

      assertThatThrownBy(() -> c.configMaps().inAnyNamespace()
          .list(new ListOptionsBuilder().withLimit(2L).withContinue(token).build()))
          .isInstanceOfSatisfying(KubernetesClientException.class,
              e -> assertThat(e.getCode()).isEqualTo(410));
    }
  }

  private static List<ConfigMapList> readAllPages(Function<ListOptions, ConfigMapList> lister,
      String labelSelector, long limit) {
    List<ConfigMapList> pages = new ArrayList<>();
    String token = null;
    do {
      ConfigMapList page = lister.apply(new ListOptionsBuilder().withLimit(limit)
          .withContinue(token).withLabelSelector(labelSelector).build());
      pages.add(page);
      token = page.getMetadata().getContinue();
      assertThat(pages).as("runaway paging").hasSizeLessThan(1000);
    } while (token != null && !token.isEmpty());
    return pages;
  }

  private static void assertNoDuplicatesNoneMissing(List<ConfigMapList> pages, int expected) {
    Set<String> seen = new HashSet<>();
    int total = 0;
    for (ConfigMapList page : pages) {
      for (ConfigMap cm : page.getItems()) {
        seen.add(cm.getMetadata().getNamespace() + "/" + cm.getMetadata().getName());
        total++;
      }
    }
    assertThat(total).isEqualTo(expected);
    assertThat(seen).hasSize(expected);
  }
}
