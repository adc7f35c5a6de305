package io.kbackup.testkit.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ListPagerTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final List<String> ITEMS = IntStream.range(0, 25)
      .mapToObj(i -> "{\"metadata\":{\"name\":\"i" + i + "\"}}").toList();

  @Test
  void slicesTheSnapshotTakenByTheFirstPage() throws Exception {
    ListPager pager = new ListPager(Integer.MAX_VALUE, Duration.ofMinutes(1), 8);
    List<String> items = new ArrayList<>(ITEMS);

    JsonNode first = MAPPER.readTree(pager.firstPage("k", items, "7", "v1", "ConfigMapList", 10L));
    items.clear(); // later pages come from the snapshot, not from a new listing
    assertThat(first.path("kind").asText()).isEqualTo("ConfigMapList");
    assertThat(first.path("metadata").path("resourceVersion").asText()).isEqualTo("7");
    assertThat(first.path("metadata").path("remainingItemCount").asInt()).isEqualTo(15);
    assertThat(first.path("items")).hasSize(10);

    JsonNode second = MAPPER.readTree(
        pager.nextPage("k", first.path("metadata").path("continue").asText(), 10L));
    assertThat(second.path("items").get(0).path("metadata").path("name").asText())
        .isEqualTo("i10");
    assertThat(second.path("metadata").path("remainingItemCount").asInt()).isEqualTo(5);

    JsonNode last = MAPPER.readTree(
        pager.nextPage("k", second.path("metadata").path("continue").asText(), 10L));
    assertThat(last.path("items")).hasSize(5);
    assertThat(last.path("metadata").has("continue")).isFalse();
    assertThat(pager.openSnapshots()).as("a fully read list is released").isZero();
  }

  @Test
  void noLimitOrALargeOneReturnsEverythingWithoutToken() throws Exception {
    ListPager pager = new ListPager(Integer.MAX_VALUE, Duration.ofMinutes(1), 8);

    for (Long limit : new Long[] {null, 0L, 25L, 1000L}) {
      JsonNode page = MAPPER.readTree(pager.firstPage("k", ITEMS, "1", "v1", "List", limit));
      assertThat(page.path("items")).hasSize(25);
      assertThat(page.path("metadata").has("continue")).isFalse();
    }
    assertThat(pager.openSnapshots()).isZero();
  }

  @Test
  void capsThePageSize() throws Exception {
    ListPager pager = new ListPager(4, Duration.ofMinutes(1), 8);

    JsonNode page = MAPPER.readTree(pager.firstPage("k", ITEMS, "1", "v1", "List", 100L));

    assertThat(page.path("items")).hasSize(4);
    assertThat(page.path("metadata").path("remainingItemCount").asInt()).isEqualTo(21);
  }

  @Test
  void rejectsATokenForAnotherListAndGarbage() throws Exception {
    ListPager pager = new ListPager(Integer.MAX_VALUE, Duration.ofMinutes(1), 8);
    String token = MAPPER.readTree(pager.firstPage("k", ITEMS, "1", "v1", "List", 5L))
        .path("metadata").path("continue").asText();

    assertThatThrownBy(() -> pager.nextPage("other", token, 5L))
        .isInstanceOfSatisfying(ListPager.PagingException.class,
            e -> assertThat(e.code()).isEqualTo(400));
    assertThatThrownBy(() -> pager.nextPage("k", "not-a-token!", 5L))
        .isInstanceOfSatisfying(ListPager.PagingException.class,
            e -> assertThat(e.code()).isEqualTo(400));
  }

  @Test
  void dropsTheOldestListBeyondTheBoundWithExpired() throws Exception {
    ListPager pager = new ListPager(Integer.MAX_VALUE, Duration.ofMinutes(1), 2);
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      tokens.add(MAPPER.readTree(pager.firstPage("k", ITEMS, "1", "v1", "List", 5L))
          .path("metadata").path("continue").asText());
    }

    assertThat(pager.openSnapshots()).isEqualTo(2);
    assertThatThrownBy(() -> pager.nextPage("k", tokens.get(0), 5L))
        .isInstanceOfSatisfying(ListPager.PagingException.class, e -> {
          assertThat(e.code()).isEqualTo(410);
          assertThat(e.reason()).isEqualTo("Expired");
        });
    assertThat(MAPPER.readTree(pager.nextPage("k", tokens.get(2), 5L)).path("items")).hasSize(5);
  }
}
