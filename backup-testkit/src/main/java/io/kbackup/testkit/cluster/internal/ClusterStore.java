package io.kbackup.testkit.cluster.internal;

import static io.kbackup.testkit.cluster.internal.StatusResponses.failure;
import static io.kbackup.testkit.cluster.internal.StatusResponses.invalidName;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.Value;
import io.fabric8.mockwebserver.http.MockResponse;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * fabric8's CRUD store with the parts a realistic API server needs on top: an index by identity
 * (so create, update, patch and get stay O(1) with 100k objects instead of scanning the whole
 * store), the current resourceVersion, the stored CRDs (for discovery), sorted list snapshots and
 * a bulk seeding path.
 *
 * <p>Thread safety: the parent serialises its own requests with a read/write lock; {@link #seed}
 * and {@link #listSnapshot} must be called by a caller that excludes writers or seeding
 * accordingly (the {@link ClusterDispatcher} holds its own lock for that).
 */
public final class ClusterStore extends KubernetesCrudDispatcher {

  static final String CRD_PLURAL = "customresourcedefinitions";
  static final String CRD_GROUP = "apiextensions.k8s.io";
  private static final String API = "api";
  private static final String VERSION = "version";
  private static final String PLURAL = "plural";
  private static final String NAMESPACE = "namespace";
  private static final String NAME = "name";
  private static final List<String> IDENTITY_KEYS = List.of(API, VERSION, PLURAL, NAMESPACE, NAME);

  private final Map<String, AttributeSet> index = new ConcurrentHashMap<>();
  /** Keys by api|version|plural, so a list scans its own type only. */
  private final Map<String, Set<AttributeSet>> byType = new ConcurrentHashMap<>();
  private final Map<String, String> crds = new ConcurrentHashMap<>();
  private final AtomicLong lastResourceVersion = new AtomicLong();
  /** The resourceVersion of the latest write per plural|namespace, and per plural|* for any namespace. */
  private final Map<String, Long> lastWrites = new ConcurrentHashMap<>();

  /** Creates an empty store. */
  public ClusterStore() {
    super();
  }

  private KubernetesAttributesExtractor extractor() {
    return (KubernetesAttributesExtractor) getAttributeExtractor();
  }

  @Override
  public long requestResourceVersion() {
    long v = super.requestResourceVersion();
    lastResourceVersion.accumulateAndGet(v, Math::max);
    return v;
  }

  /** The resourceVersion of the latest write, as a list response reports it. */
  public String currentResourceVersion() {
    return Long.toString(lastResourceVersion.get());
  }

  @Override
  public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
      GenericKubernetesResource resource, String newState) {
    super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
    if (oldAttributes != null) {
      index.remove(identity(oldAttributes), oldAttributes);
      Set<AttributeSet> keys = byType.get(type(oldAttributes));
      if (keys != null) {
        keys.remove(oldAttributes);
      }
      if (newState == null && isCrd(oldAttributes)) {
        crds.remove(value(oldAttributes, NAME));
      }
    }
    if (newState != null) {
      // the same key the parent just stored
      AttributeSet key = resource != null ? extractor().extract(resource)
          : extractor().fromResource(newState);
      if (!key.containsKey(PLURAL)) {
        key = AttributeSet.merge(pathAttributes, key);
      }
      index.put(identity(key), key);
      byType.computeIfAbsent(type(key), k -> ConcurrentHashMap.newKeySet()).add(key);
      if (isCrd(key)) {
        crds.put(value(key, NAME), newState);
      }
      noteWrite(key, lastResourceVersion.get());
    } else if (oldAttributes != null) {
      noteWrite(oldAttributes, requestResourceVersion()); // a delete moves the resourceVersion on, as on a real server
    }
  }

  private void noteWrite(AttributeSet key, long resourceVersion) {
    String plural = value(key, PLURAL);
    String namespace = value(key, NAMESPACE);
    lastWrites.merge(plural + "|" + (namespace == null ? "" : namespace), resourceVersion, Math::max);
    lastWrites.merge(plural + "|*", resourceVersion, Math::max);
  }

  /**
   * Whether an object of {@code plural} in {@code namespace} (null: in any namespace, or
   * cluster-scoped) was created, changed or deleted after {@code resourceVersion}. A watch from
   * that version would miss it: the CRUD store's watches start at the present.
   */
  public boolean writtenSince(String plural, String namespace, long resourceVersion) {
    Long last = lastWrites.get(plural + "|" + (namespace == null ? "*" : namespace));
    return last != null && last > resourceVersion;
  }

  @Override
  public Map.Entry<AttributeSet, String> findResource(AttributeSet query) {
    if (query.containsKey(PLURAL) && query.containsKey(NAME) && !hasSelectors(query)) {
      AttributeSet key = index.get(identity(query));
      if (key == null) {
        return null;
      }
      String value = map.get(key);
      if (value != null && key.matches(query)) {
        return new AbstractMap.SimpleImmutableEntry<>(key, value);
      }
    }
    return super.findResource(query);
  }

  @Override
  public void reset() {
    super.reset();
    index.clear();
    byType.clear();
    crds.clear();
    lastWrites.clear();
  }

  /** The JSON of every stored CustomResourceDefinition. */
  public List<String> crds() {
    return new ArrayList<>(crds.values());
  }

  /** Number of stored objects. */
  public int size() {
    return map.size();
  }

  /**
   * The stored object a single-object request path (e.g. {@code /api/v1/namespaces/a/configmaps/b})
   * names, or null when there is none.
   */
  public String get(String path) {
    Map.Entry<AttributeSet, String> entry = findResource(extractor().fromPath(path));
    return entry == null ? null : entry.getValue();
  }

  /**
   * All objects matching a list request path (plural, namespace, label and field selectors as
   * the CRUD store applies them), sorted by namespace then name as etcd returns them. The
   * strings are the stored ones, not copies.
   */
  public List<String> listSnapshot(String listPath) {
    AttributeSet query = extractor().fromPath(listPath);
    Set<AttributeSet> keys = byType.get(type(query));
    List<String[]> matching = new ArrayList<>(); // {sort key, stored JSON}
    // only this type's keys: core events do not see events.k8s.io events and vice versa
    for (AttributeSet key : keys == null ? Set.<AttributeSet>of() : keys) {
      if (key.matches(query)) {
        String value = map.get(key);
        if (value != null) { // else deleted meanwhile
          matching.add(new String[] {Objects.toString(value(key, NAMESPACE), "") + '\u0000'
              + Objects.toString(name(key), ""), value});
        }
      }
    }
    matching.sort(Comparator.comparing((String[] m) -> m[0]));
    List<String> items = new ArrayList<>(matching.size());
    for (String[] m : matching) {
      items.add(m[1]);
    }
    return items;
  }

  /**
   * Stores one object as a create would, without HTTP: assigns resourceVersion, and uid,
   * creationTimestamp and generation where missing, then stores it and notifies watchers.
   *
   * @param collectionPath the collection path, e.g. {@code /api/v1/namespaces/a/configmaps}
   * @param resource the object; its metadata is changed in place
   * @throws IllegalArgumentException if an object with that name already exists
   */
  public void seed(String collectionPath, GenericKubernetesResource resource) {
    ObjectMeta meta = resource.getMetadata();
    AttributeSet key = getKey(collectionPath).add(new Attribute(NAME, meta.getName()));
    if (findResource(key) != null) {
      throw new IllegalArgumentException(resource.getKind() + " '"
          + (meta.getNamespace() == null ? "" : meta.getNamespace() + "/") + meta.getName()
          + "' already exists: seed each object once");
    }
    if (meta.getUid() == null || meta.getUid().isEmpty()) {
      meta.setUid(UUID.randomUUID().toString());
    }
    if (meta.getCreationTimestamp() == null || meta.getCreationTimestamp().isEmpty()) {
      meta.setCreationTimestamp(now());
    }
    if (meta.getGeneration() == null) {
      meta.setGeneration(1L);
    }
    meta.setResourceVersion(Long.toString(requestResourceVersion()));
    processEvent(collectionPath, key, null, resource, Serialization.asJson(resource));
  }

  /**
   * Handles a create (POST to a collection) as the API server does: validates, refuses an
   * existing name with 409, assigns name from generateName, namespace from the path, a random
   * uid, creationTimestamp, resourceVersion and generation, drops status for resources with a
   * status subresource, then stores the object and notifies watchers.
   *
   * @param collectionPath the collection path without query string
   * @param namespace the namespace in the path, or null
   * @param body the request body
   * @param dryRun whether to validate and answer only, storing nothing ({@code dryRun=All})
   * @return 201 with the stored object, or a failure Status
   */
  public MockResponse create(String collectionPath, String namespace, String body,
      boolean dryRun) {
    GenericKubernetesResource resource;
    try {
      resource = Serialization.unmarshal(body, GenericKubernetesResource.class);
    } catch (RuntimeException e) {
      return failure(400, "BadRequest", "the request body is not a valid object: "
          + e.getMessage(), null, null);
    }
    if (resource == null || resource.getKind() == null || resource.getKind().isEmpty()) {
      return failure(400, "BadRequest", "Object 'Kind' is missing in the request body", null,
          null);
    }
    ObjectMeta meta = resource.getMetadata();
    if (meta == null) {
      meta = new ObjectMeta();
      resource.setMetadata(meta);
    }
    String kind = resource.getKind();
    if (isEmpty(meta.getName())) {
      if (isEmpty(meta.getGenerateName())) {
        return failure(422, "Invalid", kind + " is invalid: metadata.name: Required value: name"
            + " or generateName is required", kind, null);
      }
      meta.setName(meta.getGenerateName() + randomSuffix());
    }
    if (namespace != null) {
      if (!isEmpty(meta.getNamespace()) && !namespace.equals(meta.getNamespace())) {
        return failure(400, "BadRequest", "the namespace of the provided object ("
            + meta.getNamespace() + ") does not match the namespace sent on the request ("
            + namespace + ")", kind, meta.getName());
      }
      meta.setNamespace(namespace);
    }
    RequestPath rp = RequestPath.parse(collectionPath);
    if (resource.getApiVersion() != null && rp.group() != null
        && !resource.getApiVersion().equals(rp.groupVersion())) {
      return failure(400, "BadRequest", "the API version in the data (" + resource.getApiVersion()
          + ") does not match the expected API version (" + rp.groupVersion() + ")", null, null);
    }
    String invalid = NameValidation.problem(rp.group(), rp.plural(), meta.getName(), resource);
    if (invalid != null) {
      return invalidName(kind, rp.group(), meta.getName(), invalid);
    }
    AttributeSet key = getKey(collectionPath).add(new Attribute(NAME, meta.getName()));
    if (findResource(key) != null) {
      String plural = value(key, PLURAL);
      return failure(409, "AlreadyExists", plural + " \"" + meta.getName() + "\" already exists",
          plural, meta.getName());
    }
    meta.setUid(UUID.randomUUID().toString());
    meta.setCreationTimestamp(now());
    meta.setDeletionTimestamp(null);
    meta.setGeneration(1L);
    if (isStatusSubresourceEnabledForResource(collectionPath)) {
      resource.getAdditionalProperties().remove("status");
    }
    if (CRD_PLURAL.equals(rp.plural()) && CRD_GROUP.equals(rp.group())) {
      resource.setAdditionalProperty("status", CrdStatus.initial(resource));
    }
    if (dryRun) {
      return new MockResponse().setResponseCode(201).setBody(Serialization.asJson(resource));
    }
    meta.setResourceVersion(Long.toString(requestResourceVersion()));
    String json = Serialization.asJson(resource);
    processEvent(collectionPath, key, null, resource, json);
    return new MockResponse().setResponseCode(201).setBody(json);
  }

  /**
   * The status the API server gives a CRD it accepts at once: names accepted, established, the
   * storage version recorded.
   */
  private static boolean isEmpty(String s) {
    return s == null || s.isEmpty();
  }

  private static String randomSuffix() {
    String alphabet = "bcdfghjklmnpqrstvwxz2456789";
    StringBuilder sb = new StringBuilder(5);
    java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
    for (int i = 0; i < 5; i++) {
      sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  static String now() {
    return ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS)
        .format(DateTimeFormatter.ISO_INSTANT);
  }

  private static boolean isCrd(AttributeSet key) {
    return CRD_PLURAL.equals(value(key, PLURAL)) && CRD_GROUP.equals(value(key, API));
  }

  /** Whether the query has more than the identity attributes (labels, fields): then scan. */
  private static boolean hasSelectors(AttributeSet query) {
    List<Attribute> identityOnly = new ArrayList<>();
    for (String k : IDENTITY_KEYS) {
      Attribute a = query.getAttribute(k);
      if (a != null) {
        identityOnly.add(a);
      }
    }
    return !new AttributeSet(identityOnly).equals(query);
  }

  private static String type(AttributeSet set) {
    return value(set, API) + '|' + value(set, VERSION) + '|' + value(set, PLURAL);
  }

  private static String identity(AttributeSet set) {
    return value(set, API) + '|' + value(set, VERSION) + '|' + value(set, PLURAL) + '|'
        + value(set, NAMESPACE) + '|' + name(set);
  }

  private static String name(AttributeSet set) {
    String n = value(set, NAME);
    return n != null ? n : value(set, "metadata.name");
  }

  static String value(AttributeSet set, String key) {
    Attribute a = set.getAttribute(key);
    if (a == null || a.getValues().isEmpty()) {
      return null;
    }
    Value v = a.getValues().get(0);
    return v.toString();
  }
}
