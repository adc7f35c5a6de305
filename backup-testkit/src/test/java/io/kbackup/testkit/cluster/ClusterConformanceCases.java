package io.kbackup.testkit.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CRUD, patch and list cases whose answers a real kube-apiserver gives deterministically, with
 * those answers written down: every cluster that passes them answers alike (status codes,
 * reasons, and the fields of the resulting objects that the server does not generate or
 * default). Subclasses hand over a client: {@link EmbeddedClusterConformanceIT} for
 * {@link EmbeddedCluster}, {@code RealClusterConformanceRealIT} for a real API server.
 *
 * <p>Requests go over the client's own HTTP client, so each case sends exactly the bytes and
 * content type it names (fabric8's DSL would pick the patch type and hide status codes).
 * Every case works in a namespace of its own; custom resources use a CRD group of their own.
 */
public abstract class ClusterConformanceCases {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String JSON = "application/json";
  private static final String MERGE = "application/merge-patch+json";
  private static final String STRATEGIC = "application/strategic-merge-patch+json";
  private static final String JSON_PATCH = "application/json-patch+json";
  private static final Duration WAIT = Duration.ofSeconds(30);

  private String ns;

  /** The client of the cluster under test; the subclass owns and closes it. */
  protected abstract KubernetesClient client();

  @BeforeEach
  void createNamespace() {
    ns = "conformance-" + UUID.randomUUID().toString().substring(0, 8);
    Reply r = call("POST", "/api/v1/namespaces", JSON,
        "{'apiVersion':'v1','kind':'Namespace','metadata':{'name':'" + ns + "'}}");
    assertThat(r.code).as(r.toString()).isEqualTo(201);
  }

  @AfterEach
  void deleteNamespace() {
    call("DELETE", "/api/v1/namespaces/" + ns, null, null);
  }

  // ---- create, get, delete ----

  @Test
  void createOfAnExistingNameIs409AlreadyExists() {
    createConfigMap("cm", "{'a':'1'}");
    Reply again = call("POST", cms(), JSON, configMap("cm", "{'a':'2'}"));

    assertThat(again.code).isEqualTo(409);
    assertThat(again.reason()).isEqualTo("AlreadyExists");
    assertThat(again.body.path("details").path("name").asText()).isEqualTo("cm");
    assertThat(get(cms() + "/cm").body.path("data").path("a").asText()).isEqualTo("1");
  }

  @Test
  void createWithAnInvalidNameIs422Invalid() {
    Reply r = call("POST", cms(), JSON, configMap("Bad_Name", "{}"));

    assertThat(r.code).isEqualTo(422);
    assertThat(r.reason()).isEqualTo("Invalid");
    assertThat(r.body.path("details").path("causes").path(0).path("field").asText())
        .isEqualTo("metadata.name");
    Reply service = call("POST", "/api/v1/namespaces/" + ns + "/services", JSON,
        "{'apiVersion':'v1','kind':'Service','metadata':{'name':'1svc'},"
            + "'spec':{'ports':[{'port':80}]}}");
    assertThat(service.code).as("a service name is an RFC 1035 label").isEqualTo(422);
  }

  @Test
  void createWithABodyApiVersionOtherThanThePathsIs400() {
    Reply r = call("POST", "/apis/apps/v1/namespaces/" + ns + "/deployments", JSON,
        deployment("web", "[{'name':'app','image':'app:1'}]", "").replace("apps/v1",
            "apps/v1beta2"));

    assertThat(r.code).isEqualTo(400);
    assertThat(r.reason()).isEqualTo("BadRequest");
  }

  @Test
  void getAndDeleteOfAMissingObjectAre404NotFound() {
    Reply get = get(cms() + "/missing");
    Reply delete = call("DELETE", cms() + "/missing", null, null);
    Reply patch = call("PATCH", cms() + "/missing", MERGE, "{'data':{'a':'1'}}");

    for (Reply r : List.of(get, delete, patch)) {
      assertThat(r.code).as(r.toString()).isEqualTo(404);
      assertThat(r.reason()).isEqualTo("NotFound");
    }
  }

  @Test
  void aKindThatIsNeitherBuiltInNorDefinedByACrdIs404() {
    String collection = "/apis/nope.kbackup.io/v1/namespaces/" + ns + "/gadgets";
    String body = "{'apiVersion':'nope.kbackup.io/v1','kind':'Gadget','metadata':{'name':'g'}}";

    // an unknown group gets the plain "404 page not found" of the server's mux, no Status
    List<Reply> replies = List.of(call("POST", collection, JSON, body), get(collection),
        get(collection + "/g"), call("PATCH", collection + "/g", MERGE, "{}"),
        call("DELETE", collection + "/g", null, null));
    for (Reply r : replies) {
      assertThat(r.code).as(r.toString()).isEqualTo(404);
    }
    // an unknown resource of a served group/version gets a NotFound Status
    for (Reply r : List.of(get("/api/v1/namespaces/" + ns + "/gadgets"),
        call("POST", "/api/v1/namespaces/" + ns + "/gadgets", JSON,
            "{'apiVersion':'v1','kind':'Gadget','metadata':{'name':'g'}}"))) {
      assertThat(r.code).as(r.toString()).isEqualTo(404);
      assertThat(r.reason()).as(r.toString()).isEqualTo("NotFound");
    }
  }

  // ---- JSON merge patch (RFC 7386) ----

  @Test
  void mergePatchNullDeletesAKeyOfConfigMapData() {
    createConfigMap("cm", "{'a':'1','b':'2'}");

    JsonNode patched = patch(cms() + "/cm", MERGE, "{'data':{'a':null,'c':'3'}}");

    assertThat(patched.path("data")).isEqualTo(json("{'b':'2','c':'3'}"));
    assertThat(get(cms() + "/cm").body.path("data")).isEqualTo(json("{'b':'2','c':'3'}"));
  }

  @Test
  void mergePatchNullDeletesALabelAndTheWholeMap() {
    createConfigMapWithMetadata("cm", "'labels':{'a':'1','b':'2'},'annotations':{'x':'1'}");

    JsonNode patched = patch(cms() + "/cm", MERGE,
        "{'metadata':{'labels':{'a':null},'annotations':null}}");

    assertThat(patched.path("metadata").path("labels")).isEqualTo(json("{'b':'2'}"));
    assertThat(patched.path("metadata").has("annotations")).isFalse();
  }

  @Test
  void mergePatchReplacesListsWholesale() {
    createDeployment("web", "[{'name':'app','image':'app:1'},{'name':'sidecar','image':'p:1'}]",
        "");

    JsonNode patched = patch(deployments() + "/web", MERGE,
        "{'spec':{'template':{'spec':{'containers':[{'name':'app','image':'app:2'}]}}}}");

    assertThat(containers(patched)).containsExactly("app=app:2");
  }

  @Test
  void mergePatchWithAStaleResourceVersionIs409Conflict() {
    createConfigMap("cm", "{'a':'1'}");
    call("PATCH", cms() + "/cm", MERGE, "{'data':{'a':'2'}}");

    Reply r = call("PATCH", cms() + "/cm", MERGE,
        "{'metadata':{'resourceVersion':'1'},'data':{'a':'3'}}");

    assertThat(r.code).isEqualTo(409);
    assertThat(r.reason()).isEqualTo("Conflict");
    assertThat(get(cms() + "/cm").body.path("data").path("a").asText()).isEqualTo("2");
  }

  // ---- strategic merge patch ----

  @Test
  void strategicMergePatchMergesContainersByName() {
    createDeployment("web", "[{'name':'app','image':'app:1'},{'name':'sidecar','image':'p:1'}]",
        "");

    JsonNode patched = patch(deployments() + "/web", STRATEGIC,
        "{'spec':{'replicas':2,'template':{'spec':{'containers':"
            + "[{'name':'app','image':'app:2'}]}}}}");

    assertThat(patched.path("spec").path("replicas").asInt()).isEqualTo(2);
    assertThat(containers(patched)).containsExactly("app=app:2", "sidecar=p:1");
  }

  @Test
  void strategicMergePatchPutsNewContainersBeforeTheUntouchedOnes() {
    createDeployment("web", "[{'name':'app','image':'app:1'}]", "");

    JsonNode patched = patch(deployments() + "/web", STRATEGIC,
        "{'spec':{'template':{'spec':{'containers':[{'name':'sidecar','image':'p:1'}]}}}}");

    assertThat(containers(patched)).containsExactly("sidecar=p:1", "app=app:1");
  }

  @Test
  void strategicMergePatchMergesEnvByNameAndDeletesWithTheDirective() {
    createDeployment("web", "[{'name':'app','image':'app:1','env':[{'name':'A','value':'1'},"
        + "{'name':'B','value':'2'},{'name':'D','value':'4'}]}]", "");

    JsonNode patched = patch(deployments() + "/web", STRATEGIC,
        "{'spec':{'template':{'spec':{'containers':[{'name':'app','env':["
            + "{'name':'B','value':'3'},{'name':'C','value':'5'},"
            + "{'name':'D','$patch':'delete'}]}]}}}}");

    List<String> env = new ArrayList<>();
    containerNode(patched, "app").path("env")
        .forEach(e -> env.add(e.path("name").asText() + "=" + e.path("value").asText()));
    assertThat(env).containsExactly("A=1", "B=3", "C=5");
  }

  @Test
  void strategicMergePatchMergesServicePortsByPort() {
    Reply created = call("POST", "/api/v1/namespaces/" + ns + "/services", JSON,
        "{'apiVersion':'v1','kind':'Service','metadata':{'name':'svc'},'spec':{'selector':"
            + "{'app':'web'},'ports':[{'name':'http','port':80,'targetPort':8080,"
            + "'protocol':'TCP'},{'name':'https','port':443,'targetPort':8443,"
            + "'protocol':'TCP'}]}}");
    assertThat(created.code).as(created.toString()).isEqualTo(201);

    JsonNode patched = patch("/api/v1/namespaces/" + ns + "/services/svc", STRATEGIC,
        "{'spec':{'ports':[{'port':443,'targetPort':9443}]}}");

    List<String> ports = new ArrayList<>();
    patched.path("spec").path("ports").forEach(p -> ports.add(p.path("name").asText() + ":"
        + p.path("port").asInt() + "->" + p.path("targetPort").asInt()));
    assertThat(ports).containsExactly("http:80->8080", "https:443->9443");
  }

  @Test
  void strategicMergePatchMergesVolumesByNameAndNullRemovesTheirSource() {
    createDeployment("web", "[{'name':'app','image':'app:1'}]",
        ",'volumes':[{'name':'cfg','configMap':{'name':'c'}},{'name':'data','emptyDir':{}}]");

    Reply r = call("PATCH", deployments() + "/web", STRATEGIC,
        "{'spec':{'template':{'spec':{'volumes':[{'name':'data','emptyDir':null,"
            + "'secret':{'secretName':'s'}}]}}}}");

    assertThat(r.code).isEqualTo(200);
    Map<String, List<String>> sources = new TreeMap<>();
    r.body.path("spec").path("template").path("spec").path("volumes").forEach(v -> {
      List<String> keys = new ArrayList<>();
      v.fieldNames().forEachRemaining(keys::add);
      keys.remove("name");
      sources.put(v.path("name").asText(), keys);
    });
    assertThat(sources).isEqualTo(Map.of("cfg", List.of("configMap"), "data",
        List.of("secret")));
  }

  @Test
  void strategicMergePatchReplacesTolerations() {
    createDeployment("web", "[{'name':'app','image':'app:1'}]",
        ",'tolerations':[{'key':'k1','operator':'Exists','effect':'NoSchedule'}]");

    JsonNode patched = patch(deployments() + "/web", STRATEGIC,
        "{'spec':{'template':{'spec':{'tolerations':"
            + "[{'key':'k2','operator':'Exists','effect':'NoSchedule'}]}}}}");

    List<String> keys = new ArrayList<>();
    patched.path("spec").path("template").path("spec").path("tolerations")
        .forEach(t -> keys.add(t.path("key").asText()));
    assertThat(keys).containsExactly("k2");
  }

  @Test
  void strategicMergePatchNullDeletesALabel() {
    createConfigMapWithMetadata("cm", "'labels':{'a':'1','b':'2'}");

    JsonNode patched = patch(cms() + "/cm", STRATEGIC,
        "{'metadata':{'labels':{'a':null,'c':'3'}}}");

    assertThat(patched.path("metadata").path("labels")).isEqualTo(json("{'b':'2','c':'3'}"));
  }

  @Test
  void strategicMergePatchRetainKeysClearsTheOtherDeploymentStrategyFields() {
    createDeployment("web", "[{'name':'app','image':'app:1'}]", "");
    call("PATCH", deployments() + "/web", MERGE, "{'spec':{'strategy':{'type':'RollingUpdate',"
        + "'rollingUpdate':{'maxSurge':2,'maxUnavailable':0}}}}");

    JsonNode patched = patch(deployments() + "/web", STRATEGIC,
        "{'spec':{'strategy':{'$retainKeys':['type'],'type':'Recreate'}}}");

    assertThat(patched.path("spec").path("strategy")).isEqualTo(json("{'type':'Recreate'}"));
  }

  @Test
  void strategicMergePatchSetElementOrderIsHonoured() {
    createDeployment("web", "[{'name':'a','image':'a:1'},{'name':'b','image':'b:1'},"
        + "{'name':'c','image':'c:1'}]", "");

    JsonNode patched = patch(deployments() + "/web", STRATEGIC,
        "{'spec':{'template':{'spec':{'$setElementOrder/containers':"
            + "[{'name':'c'},{'name':'a'},{'name':'b'}],"
            + "'containers':[{'name':'a','image':'a:2'}]}}}}");

    assertThat(containers(patched)).containsExactly("c=c:1", "a=a:2", "b=b:1");
  }

  // ---- JSON patch (RFC 6902) ----

  @Test
  void jsonPatchAddsReplacesRemovesAndTests() {
    createConfigMap("cm", "{'a':'1','b':'2'}");

    JsonNode patched = patch(cms() + "/cm", JSON_PATCH, "[{'op':'test','path':'/data/a',"
        + "'value':'1'},{'op':'replace','path':'/data/a','value':'9'},"
        + "{'op':'remove','path':'/data/b'},{'op':'copy','from':'/data/a','path':'/data/e'},"
        + "{'op':'add','path':'/metadata/annotations','value':{'example.com/d':'3'}},"
        + "{'op':'add','path':'/metadata/annotations/example.com~1e','value':'4'}]");

    assertThat(patched.path("data")).isEqualTo(json("{'a':'9','e':'9'}"));
    assertThat(patched.path("metadata").path("annotations"))
        .isEqualTo(json("{'example.com/d':'3','example.com/e':'4'}"));
  }

  @Test
  void jsonPatchEditsAListByIndex() {
    createDeployment("web", "[{'name':'app','image':'app:1'},{'name':'sidecar','image':'p:1'}]",
        "");

    JsonNode patched = patch(deployments() + "/web", JSON_PATCH,
        "[{'op':'replace','path':'/spec/template/spec/containers/1/image','value':'p:2'},"
            + "{'op':'add','path':'/spec/template/spec/containers/0/args','value':['x']}]");

    assertThat(containers(patched)).containsExactly("app=app:1", "sidecar=p:2");
    assertThat(containerNode(patched, "app").path("args")).isEqualTo(json("['x']"));
  }

  @Test
  void jsonPatchThatCannotApplyIs422AndChangesNothing() {
    createConfigMap("cm", "{'a':'1'}");

    Reply failedTest = call("PATCH", cms() + "/cm", JSON_PATCH,
        "[{'op':'replace','path':'/data/a','value':'2'},{'op':'test','path':'/data/a',"
            + "'value':'1'}]");
    Reply missing = call("PATCH", cms() + "/cm", JSON_PATCH,
        "[{'op':'remove','path':'/data/nope'}]");

    assertThat(failedTest.code).isEqualTo(422);
    assertThat(missing.code).isEqualTo(422);
    assertThat(get(cms() + "/cm").body.path("data")).isEqualTo(json("{'a':'1'}"));
  }

  // ---- lists ----

  @Test
  void listsFilterByLabelAndPageInNameOrder() {
    // Secrets: a real cluster adds ConfigMap kube-root-ca.crt to every namespace
    String secrets = "/api/v1/namespaces/" + ns + "/secrets";
    for (String n : List.of("d", "b", "a", "c")) {
      Reply r = call("POST", secrets, JSON, "{'apiVersion':'v1','kind':'Secret','metadata':"
          + "{'name':'" + n + "','labels':{'odd':'" + (n.equals("a") || n.equals("c")) + "'}},"
          + "'type':'Opaque'}");
      assertThat(r.code).as(r.toString()).isEqualTo(201);
    }

    Reply odd = get(secrets + "?labelSelector=odd%3Dtrue");
    Reply first = get(secrets + "?limit=3");
    Reply rest = get(secrets + "?limit=3&continue="
        + first.body.path("metadata").path("continue").asText());

    assertThat(odd.body.path("kind").asText()).isEqualTo("SecretList");
    assertThat(names(odd.body)).containsExactly("a", "c");
    assertThat(names(first.body)).containsExactly("a", "b", "c");
    assertThat(first.body.path("metadata").path("remainingItemCount").asInt()).isEqualTo(1);
    assertThat(names(rest.body)).containsExactly("d");
    assertThat(rest.body.path("metadata").path("continue").asText("")).isEmpty();
  }

  // ---- custom resources ----

  @Test
  void customResourcesAreServedAtEveryServedVersionOfTheirCrd() {
    Crd crd = createCrd();
    Reply created = call("POST", crd.collection("v1"), JSON, crd.widget("w", "v1", "{'size':1}"));
    assertThat(created.code).as(created.toString()).isEqualTo(201);

    Reply atBeta = get(crd.collection("v1beta1") + "/w");
    assertThat(atBeta.code).isEqualTo(200);
    assertThat(atBeta.body.path("apiVersion").asText()).isEqualTo(crd.group + "/v1beta1");
    assertThat(atBeta.body.path("metadata").path("uid"))
        .isEqualTo(created.body.path("metadata").path("uid"));
    assertThat(atBeta.body.path("spec")).isEqualTo(json("{'size':1}"));

    Reply list = get(crd.collection("v1beta1"));
    assertThat(list.body.path("apiVersion").asText()).isEqualTo(crd.group + "/v1beta1");
    assertThat(list.body.path("items").path(0).path("apiVersion").asText())
        .isEqualTo(crd.group + "/v1beta1");

    Reply patched = call("PATCH", crd.collection("v1beta1") + "/w", MERGE,
        "{'spec':{'size':2,'tags':['x']}}");
    assertThat(patched.code).isEqualTo(200);
    assertThat(patched.body.path("apiVersion").asText()).isEqualTo(crd.group + "/v1beta1");
    assertThat(get(crd.collection("v1") + "/w").body.path("spec"))
        .isEqualTo(json("{'size':2,'tags':['x']}"));

    Reply createdAtBeta = call("POST", crd.collection("v1beta1"), JSON,
        crd.widget("w2", "v1beta1", "{'size':3}"));
    assertThat(createdAtBeta.code).isEqualTo(201);
    assertThat(createdAtBeta.body.path("apiVersion").asText()).isEqualTo(crd.group + "/v1beta1");
    assertThat(get(crd.collection("v1") + "/w2").body.path("apiVersion").asText())
        .isEqualTo(crd.group + "/v1");

    assertThat(call("DELETE", crd.collection("v1beta1") + "/w", null, null).code).isEqualTo(200);
    assertThat(get(crd.collection("v1") + "/w").code).isEqualTo(404);
  }

  @Test
  void customResourcesAreNotServedAtAnUnservedVersion() {
    Crd crd = createCrd();
    call("POST", crd.collection("v1"), JSON, crd.widget("w", "v1", "{'size':1}"));

    for (Reply r : List.of(get(crd.collection("v1alpha1") + "/w"), get(crd.collection("v1alpha1")),
        call("POST", crd.collection("v1alpha1"), JSON, crd.widget("x", "v1alpha1", "{}")))) {
      assertThat(r.code).as(r.toString()).isEqualTo(404);
    }
  }

  @Test
  void strategicMergePatchOnACustomResourceIs415() {
    Crd crd = createCrd();
    call("POST", crd.collection("v1"), JSON, crd.widget("w", "v1", "{'size':1}"));

    Reply r = call("PATCH", crd.collection("v1") + "/w", STRATEGIC, "{'spec':{'size':2}}");

    assertThat(r.code).isEqualTo(415);
    assertThat(r.reason()).isEqualTo("UnsupportedMediaType");
    assertThat(call("PATCH", crd.collection("v1") + "/w", JSON_PATCH,
        "[{'op':'replace','path':'/spec/size','value':5}]").body.path("spec").path("size")
        .asInt()).isEqualTo(5);
  }

  @Test
  void aCrdMustBeNamedPluralDotGroup() {
    String group = "c" + UUID.randomUUID().toString().substring(0, 8) + ".kbackup.io";
    Reply r = call("POST", CRDS, JSON, crdBody("wrong." + group, group));

    assertThat(r.code).isEqualTo(422);
    assertThat(r.reason()).isEqualTo("Invalid");
  }

  // ---- helpers ----

  private static final String CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";

  private final List<String> crds = new ArrayList<>();

  @AfterEach
  void deleteCrds() {
    for (String name : crds) {
      call("DELETE", CRDS + "/" + name, null, null);
    }
  }

  private final class Crd {
    final String group;

    Crd(String group) {
      this.group = group;
    }

    String collection(String version) {
      return "/apis/" + group + "/" + version + "/namespaces/" + ns + "/widgets";
    }

    String widget(String name, String version, String spec) {
      return "{'apiVersion':'" + group + "/" + version + "','kind':'Widget','metadata':{'name':'"
          + name + "'},'spec':" + spec + "}";
    }
  }

  /** A CRD with v1 (storage), v1beta1 served and v1alpha1 not, conversion None; established. */
  private Crd createCrd() {
    String group = "c" + UUID.randomUUID().toString().substring(0, 8) + ".kbackup.io";
    String name = "widgets." + group;
    Reply r = call("POST", CRDS, JSON, crdBody(name, group));
    assertThat(r.code).as(r.toString()).isEqualTo(201);
    crds.add(name);
    Crd crd = new Crd(group);
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      JsonNode conditions = get(CRDS + "/" + name).body.path("status").path("conditions");
      boolean established = false;
      for (JsonNode c : conditions) {
        established |= c.path("type").asText().equals("Established")
            && c.path("status").asText().equals("True");
      }
      // the handler may lag the condition a little on a real server
      if (established && get(crd.collection("v1")).code == 200
          && get(crd.collection("v1beta1")).code == 200) {
        return crd;
      }
      assertThat(System.nanoTime()).as("CRD " + name + " established within " + WAIT)
          .isLessThan(deadline);
      sleep(100);
    }
  }

  private static String crdBody(String name, String group) {
    String schema = "'schema':{'openAPIV3Schema':{'type':'object','properties':{'spec':"
        + "{'type':'object','x-kubernetes-preserve-unknown-fields':true}}}}";
    return "{'apiVersion':'apiextensions.k8s.io/v1','kind':'CustomResourceDefinition',"
        + "'metadata':{'name':'" + name + "'},'spec':{'group':'" + group + "',"
        + "'scope':'Namespaced','names':{'plural':'widgets','singular':'widget',"
        + "'kind':'Widget','listKind':'WidgetList'},'conversion':{'strategy':'None'},"
        + "'versions':[{'name':'v1','served':true,'storage':true," + schema + "},"
        + "{'name':'v1beta1','served':true,'storage':false," + schema + "},"
        + "{'name':'v1alpha1','served':false,'storage':false," + schema + "}]}}";
  }

  private String cms() {
    return "/api/v1/namespaces/" + ns + "/configmaps";
  }

  private String deployments() {
    return "/apis/apps/v1/namespaces/" + ns + "/deployments";
  }

  private static String configMap(String name, String data) {
    return "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'" + name + "'},'data':"
        + data + "}";
  }

  private void createConfigMap(String name, String data) {
    Reply r = call("POST", cms(), JSON, configMap(name, data));
    assertThat(r.code).as(r.toString()).isEqualTo(201);
  }

  /** Creates a ConfigMap without data whose metadata also holds these fields (single-quoted JSON). */
  private void createConfigMapWithMetadata(String name, String metadataFields) {
    Reply r = call("POST", cms(), JSON, "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'"
        + name + "'," + metadataFields + "}}");
    assertThat(r.code).as(r.toString()).isEqualTo(201);
  }

  private static String deployment(String name, String containers, String podSpecExtra) {
    return "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'" + name + "'},"
        + "'spec':{'replicas':1,'selector':{'matchLabels':{'app':'" + name + "'}},"
        + "'template':{'metadata':{'labels':{'app':'" + name + "'}},"
        + "'spec':{'containers':" + containers + podSpecExtra + "}}}}";
  }

  private void createDeployment(String name, String containers, String podSpecExtra) {
    Reply r = call("POST", deployments(), JSON, deployment(name, containers, podSpecExtra));
    assertThat(r.code).as(r.toString()).isEqualTo(201);
  }

  private static List<String> containers(JsonNode deployment) {
    List<String> out = new ArrayList<>();
    deployment.path("spec").path("template").path("spec").path("containers")
        .forEach(c -> out.add(c.path("name").asText() + "=" + c.path("image").asText()));
    return out;
  }

  private static JsonNode containerNode(JsonNode deployment, String name) {
    for (JsonNode c : deployment.path("spec").path("template").path("spec").path("containers")) {
      if (c.path("name").asText().equals(name)) {
        return c;
      }
    }
    throw new AssertionError("no container " + name + " in " + deployment);
  }

  private static List<String> names(JsonNode list) {
    List<String> out = new ArrayList<>();
    list.path("items").forEach(i -> out.add(i.path("metadata").path("name").asText()));
    return out;
  }

  private static JsonNode json(String s) {
    try {
      return MAPPER.readTree(s.replace('\'', '"'));
    } catch (IOException e) {
      throw new IllegalArgumentException(s, e);
    }
  }

  /** Sends a PATCH of this content type, asserts it answers 200 and returns the patched object. */
  private JsonNode patch(String path, String contentType, String body) {
    Reply r = call("PATCH", path, contentType, body);
    assertThat(r.code).as(r.toString()).isEqualTo(200);
    return r.body;
  }

  private Reply get(String path) {
    return call("GET", path, null, null);
  }

  /** Sends one request; single quotes in the body stand for double quotes. */
  private Reply call(String method, String path, String contentType, String body) {
    KubernetesClient client = client();
    HttpClient http = client.getHttpClient();
    String base = client.getMasterUrl().toString().replaceAll("/+$", "");
    HttpRequest.Builder b = http.newHttpRequestBuilder().uri(base + path)
        .header("Accept", JSON);
    if (body != null) {
      b.method(method, contentType, body.replace('\'', '"'));
    } else if (!method.equals("GET")) {
      b.method(method, JSON, "");
    }
    try {
      HttpResponse<String> response = http.sendAsync(b.build(), String.class)
          .get(WAIT.toSeconds(), TimeUnit.SECONDS);
      String text = response.body();
      JsonNode node;
      try {
        node = text == null || text.isBlank() ? MAPPER.createObjectNode() : MAPPER.readTree(text);
      } catch (IOException e) {
        node = MAPPER.createObjectNode().put("unparsed", text);
      }
      return new Reply(method + " " + path, response.code(), node);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(method + " " + path + " failed", e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A status code and the parsed body of one response. */
  private record Reply(String request, int code, JsonNode body) {
    String reason() {
      return body.path("reason").asText();
    }

    @Override
    public String toString() {
      return request + " -> " + code + " " + body;
    }
  }
}
