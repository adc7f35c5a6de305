package io.kbackup.testkit.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class StrategicMergePatchTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static JsonNode apply(String target, String patch) throws Exception {
    return StrategicMergePatch.apply(MAPPER.readTree(target.replace('\'', '"')),
        MAPPER.readTree(patch.replace('\'', '"')));
  }

  private static JsonNode json(String s) throws Exception {
    return MAPPER.readTree(s.replace('\'', '"'));
  }

  @Test
  void mergesMapsAndDeletesWithNull() throws Exception {
    assertThat(apply("{'a':{'x':1,'y':2},'b':1}", "{'a':{'y':null,'z':3},'c':true}"))
        .isEqualTo(json("{'a':{'x':1,'z':3},'b':1,'c':true}"));
  }

  @Test
  void mergesKnownListsByKeyAndReplacesOthers() throws Exception {
    JsonNode out = apply(
        "{'containers':[{'name':'a','image':'1'},{'name':'b','image':'1'}],'args':['x','y']}",
        "{'containers':[{'name':'b','image':'2'},{'name':'c','image':'1'}],'args':['z']}");

    assertThat(out).isEqualTo(json("{'containers':[{'name':'a','image':'1'},"
        + "{'name':'b','image':'2'},{'name':'c','image':'1'}],'args':['z']}"));
  }

  @Test
  void honoursDeleteReplaceOrderAndPrimitiveListDirectives() throws Exception {
    JsonNode out = apply(
        "{'containers':[{'name':'a'},{'name':'b'},{'name':'c'}],"
            + "'metadata':{'finalizers':['f1'],'labels':{'x':'1'}},'spec':{'p':1,'q':2}}",
        "{'containers':[{'name':'b','$patch':'delete'}],"
            + "'$setElementOrder/containers':[{'name':'c'},{'name':'a'}],"
            + "'metadata':{'finalizers':['f2'],'$deleteFromPrimitiveList/finalizers':['f1'],"
            + "'labels':{'$patch':'replace','y':'2'}},"
            + "'spec':{'$retainKeys':['q'],'q':3}}");

    assertThat(out).isEqualTo(json("{'containers':[{'name':'c'},{'name':'a'}],"
        + "'metadata':{'finalizers':['f2'],'labels':{'y':'2'}},'spec':{'q':3}}"));
  }

  @Test
  void rejectsANonObjectPatch() {
    assertThatThrownBy(() -> apply("{}", "[]")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("object");
  }
}
