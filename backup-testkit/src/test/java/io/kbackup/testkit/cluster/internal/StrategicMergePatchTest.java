package io.kbackup.testkit.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected results follow k8s.io/apimachinery's strategicpatch (patch.go) for the same input. */
class StrategicMergePatchTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static JsonNode apply(String kind, String target, String patch) throws Exception {
    String apiVersion = kind.equals("Deployment") ? "apps/v1" : "v1";
    PatchSchema.Type schema = PatchSchema.builtIn().forKind(apiVersion, kind);
    assertThat(schema).as(kind).isNotNull();
    return StrategicMergePatch.apply(json(target), json(patch), schema);
  }

  private static JsonNode json(String s) throws Exception {
    return MAPPER.readTree(s.replace('\'', '"'));
  }

  @Test
  void schemaComesFromTheKubernetesOpenApiSpec() {
    assertThat(PatchSchema.builtIn().source()).contains("k8s.io/kubernetes v1.35");
    PatchSchema.Type podSpec = PatchSchema.builtIn().forKind("v1", "Pod").fieldType("spec");
    assertThat(podSpec.field("containers").mergeKey()).isEqualTo("name");
    assertThat(podSpec.field("volumes").strategy()).isEqualTo("merge,retainKeys");
    assertThat(podSpec.field("tolerations").strategy()).isNull();
    assertThat(PatchSchema.builtIn().forKind("v1", "Service").fieldType("spec").field("ports")
        .mergeKey()).isEqualTo("port");
    assertThat(PatchSchema.builtIn().forKind("snapshot.storage.k8s.io/v1", "VolumeSnapshot"))
        .isNull();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "maps merge, null deletes|ConfigMap|{'data':{'a':'1','b':'2'},'metadata':{'labels':{'x':'1'}}}"
          + "|{'data':{'a':null,'c':'3'},'metadata':{'labels':{'x':null,'y':'2'}}}"
          + "|{'data':{'b':'2','c':'3'},'metadata':{'labels':{'y':'2'}}}",
      "lists with a merge key merge, atomic ones are replaced|Pod"
          + "|{'spec':{'containers':[{'name':'a','image':'1','args':['x','y']},"
          + "{'name':'b','image':'1'}],'tolerations':[{'key':'k1','operator':'Exists'}]}}"
          + "|{'spec':{'containers':[{'name':'b','image':'2'},{'name':'a','args':['z']}],"
          + "'tolerations':[{'key':'k2','operator':'Exists'}]}}"
          + "|{'spec':{'containers':[{'name':'b','image':'2'},{'name':'a','image':'1','args':['z']}],"
          + "'tolerations':[{'key':'k2','operator':'Exists'}]}}",
      // mergeSortedSlice: an item the live list lacks is placed before the live items
      "new items of a merged list come before the server-only ones|Service"
          + "|{'spec':{'ports':[{'port':80,'name':'http'},{'port':443,'name':'https'}]}}"
          + "|{'spec':{'ports':[{'port':8080,'name':'alt'},{'port':443,'targetPort':8443}]}}"
          + "|{'spec':{'ports':[{'port':8080,'name':'alt'},{'port':80,'name':'http'},"
          + "{'port':443,'name':'https','targetPort':8443}]}}",
      "primitive lists with the merge strategy merge as sets|ConfigMap"
          + "|{'metadata':{'finalizers':['a','b']}}|{'metadata':{'finalizers':['b','c']}}"
          + "|{'metadata':{'finalizers':['a','b','c']}}",
  })
  void mergesAsTheServerDoes(String behaviour, String kind, String target, String patch, String expected)
      throws Exception {
    assertThat(apply(kind, target, patch)).isEqualTo(json(expected));
  }

  @Test
  void honoursDeleteOrderPrimitiveListReplaceAndRetainKeysDirectives() throws Exception {
    JsonNode out = apply("Pod",
        "{'metadata':{'finalizers':['f1'],'labels':{'x':'1'}},"
            + "'spec':{'containers':[{'name':'a'},{'name':'b'},{'name':'c'}]}}",
        "{'metadata':{'finalizers':['f2'],'$deleteFromPrimitiveList/finalizers':['f1'],"
            + "'labels':{'$patch':'replace','y':'2'}},"
            + "'spec':{'containers':[{'name':'b','$patch':'delete'}],"
            + "'$setElementOrder/containers':[{'name':'c'},{'name':'a'}]}}");

    assertThat(out).isEqualTo(json("{'metadata':{'finalizers':['f2'],'labels':{'y':'2'}},"
        + "'spec':{'containers':[{'name':'c'},{'name':'a'}]}}"));

    JsonNode deployment = apply("Deployment",
        "{'spec':{'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':1}}}}",
        "{'spec':{'strategy':{'$retainKeys':['type'],'type':'Recreate'}}}");
    assertThat(deployment).isEqualTo(json("{'spec':{'strategy':{'type':'Recreate'}}}"));
  }

  @Test
  void refusesWhatTheServerRefuses() {
    assertThatThrownBy(() -> apply("Pod", "{}", "[]")).isInstanceOf(PatchFailure.class)
        .extracting(e -> ((PatchFailure) e).code()).isEqualTo(400);
    assertThatThrownBy(() -> apply("Pod", "{'spec':{'containers':[{'name':'a'}]}}",
        "{'spec':{'containers':[{'image':'x'}]}}")).isInstanceOf(PatchFailure.class)
        .hasMessageContaining("does not contain declared merge key: name");
    assertThatThrownBy(() -> apply("Deployment", "{'spec':{'strategy':{'type':'A'}}}",
        "{'spec':{'strategy':{'$retainKeys':['type'],'rollingUpdate':{}}}}"))
        .isInstanceOf(PatchFailure.class).hasMessageContaining("retainKeys");
  }
}
