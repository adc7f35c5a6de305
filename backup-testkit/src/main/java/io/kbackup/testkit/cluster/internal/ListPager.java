package io.kbackup.testkit.cluster.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pages list responses like the API server: {@code limit} cuts a page, {@code metadata.continue}
 * names the rest and {@code remainingItemCount} counts it. The first page of a paged list keeps
 * the whole filtered, sorted list as a snapshot (references to the stored JSON strings)
 * under the continue token, so later pages are slices: O(page) per page, not O(n). Snapshots
 * expire after a time to live and the cache is bounded; an expired or unknown token gets
 * 410 Gone with reason Expired, as from a real server after compaction.
 */
public final class ListPager {

  private final int maxPageSize;
  private final long ttlNanos;
  private final int maxSnapshots;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, Snapshot> snapshots = new LinkedHashMap<>();

  /**
   * @param maxPageSize largest page served whatever limit is asked
   * @param ttl how long a continue token stays valid
   * @param maxSnapshots most paged lists kept open at once (oldest dropped first)
   */
  public ListPager(int maxPageSize, Duration ttl, int maxSnapshots) {
    this.maxPageSize = maxPageSize;
    this.ttlNanos = ttl.toNanos();
    this.maxSnapshots = maxSnapshots;
  }

  /** A list request that cannot be served: HTTP code, reason and message for a Status. */
  public static final class PagingException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int code;
    private final String reason;

    PagingException(int code, String reason, String message) {
      super(message);
      this.code = code;
      this.reason = reason;
    }

    /** HTTP status code. */
    public int code() {
      return code;
    }

    /** Status reason, e.g. "Expired". */
    public String reason() {
      return reason;
    }
  }

  /**
   * Renders the first page of a freshly taken list.
   *
   * @param requestKey identifies the list (path and selectors) so a token is only honoured for it
   * @param items all matching items, sorted
   * @param limit requested limit, or null / non-positive for everything
   */
  public String firstPage(String requestKey, List<String> items, String resourceVersion,
      String apiVersion, String listKind, Long limit) {
    int pageSize = pageSize(limit);
    if (pageSize >= items.size()) {
      return render(apiVersion, listKind, resourceVersion, items, 0, items.size(), null);
    }
    long id = ids.incrementAndGet();
    // a copy of the references (not of the objects): the caller may reuse its list
    Snapshot s = new Snapshot(requestKey, List.copyOf(items), resourceVersion, apiVersion,
        listKind, System.nanoTime());
    synchronized (snapshots) {
      evict(true);
      snapshots.put(id, s);
    }
    return render(apiVersion, listKind, resourceVersion, items, 0, pageSize, token(id, pageSize));
  }

  /** Renders the page a continue token names. */
  public String nextPage(String requestKey, String continueToken, Long limit)
      throws PagingException {
    long id;
    int offset;
    try {
      String decoded = new String(Base64.getUrlDecoder().decode(continueToken),
          StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      id = Long.parseLong(decoded.substring(0, colon));
      offset = Integer.parseInt(decoded.substring(colon + 1));
    } catch (RuntimeException e) {
      throw new PagingException(400, "BadRequest",
          "continue key is not valid: the token must come from a previous list response");
    }
    Snapshot s;
    synchronized (snapshots) {
      evict(false);
      s = snapshots.get(id);
    }
    if (s == null) {
      throw new PagingException(410, "Expired",
          "The provided continue parameter is too old to display a consistent list result."
              + " You can start a new list without the continue parameter.");
    }
    if (!s.requestKey.equals(requestKey)) {
      throw new PagingException(400, "BadRequest",
          "continue token was issued for a different list request: repeat the same path and"
              + " selectors when following it");
    }
    if (offset < 0 || offset > s.items.size()) {
      throw new PagingException(400, "BadRequest", "continue key is not valid: bad offset");
    }
    int end = (int) Math.min((long) offset + pageSize(limit), s.items.size());
    String next = null;
    if (end < s.items.size()) {
      next = token(id, end);
    } else {
      synchronized (snapshots) {
        snapshots.remove(id); // fully read: free it
      }
    }
    return render(s.apiVersion, s.listKind, s.resourceVersion, s.items, offset, end, next);
  }

  /** Number of paged lists currently held open. */
  public int openSnapshots() {
    synchronized (snapshots) {
      evict(false);
      return snapshots.size();
    }
  }

  private int pageSize(Long limit) {
    if (limit == null || limit <= 0) {
      return Integer.MAX_VALUE;
    }
    return (int) Math.min(limit, maxPageSize);
  }

  /** Drops expired snapshots, and the oldest ones when room for a new one is needed. */
  private void evict(boolean makeRoom) {
    long now = System.nanoTime();
    Iterator<Snapshot> it = snapshots.values().iterator();
    while (it.hasNext()) {
      Snapshot s = it.next();
      if (now - s.createdNanos > ttlNanos || (makeRoom && snapshots.size() >= maxSnapshots)) {
        it.remove();
      } else {
        break; // insertion order = age order
      }
    }
  }

  private static String token(long id, int offset) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString((id + ":" + offset).getBytes(StandardCharsets.UTF_8));
  }

  private static String render(String apiVersion, String listKind, String resourceVersion,
      List<String> items, int from, int to, String continueToken) {
    StringBuilder sb = new StringBuilder(256 + (to - from) * 512);
    sb.append("{\"apiVersion\":\"").append(apiVersion).append("\",\"kind\":\"").append(listKind)
        .append("\",\"metadata\":{\"resourceVersion\":\"").append(resourceVersion).append('"');
    if (continueToken != null) {
      sb.append(",\"continue\":\"").append(continueToken).append("\",\"remainingItemCount\":")
          .append(items.size() - to);
    }
    sb.append("},\"items\":[");
    for (int i = from; i < to; i++) {
      if (i > from) {
        sb.append(',');
      }
      sb.append(items.get(i));
    }
    return sb.append("]}").toString();
  }

  private record Snapshot(String requestKey, List<String> items, String resourceVersion,
      String apiVersion, String listKind, long createdNanos) {}
}
