package io.kbackup.testkit.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** JSON merge patch against RFC 7386's appendix A, JSON patch against RFC 6902's examples. */
class JsonPatchesTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static JsonNode json(String s) throws Exception {
    return MAPPER.readTree(s.replace('\'', '"'));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{'a':'b'}|{'a':'c'}|{'a':'c'}",
      "{'a':'b'}|{'b':'c'}|{'a':'b','b':'c'}",
      "{'a':'b'}|{'a':null}|{}",
      "{'a':'b','b':'c'}|{'a':null}|{'b':'c'}",
      "{'a':['b']}|{'a':'c'}|{'a':'c'}",
      "{'a':'c'}|{'a':['b']}|{'a':['b']}",
      "{'a':{'b':'c'}}|{'a':{'b':'d','c':null}}|{'a':{'b':'d'}}",
      "{'a':[{'b':'c'}]}|{'a':[1]}|{'a':[1]}",
      "{'e':null}|{'a':1}|{'e':null,'a':1}",
      "{}|{'a':{'bb':{'ccc':null}}}|{'a':{'bb':{}}}",
  })
  void mergePatchFollowsRfc7386(String target, String patch, String expected) throws Exception {
    assertThat(JsonMergePatch.apply(json(target), json(patch))).isEqualTo(json(expected));
  }

  @Test
  void mergePatchRefusesANonObjectPatch() {
    assertThatThrownBy(() -> JsonMergePatch.apply(json("{}"), json("['a']")))
        .isInstanceOf(PatchFailure.class).extracting(e -> ((PatchFailure) e).code())
        .isEqualTo(400);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{'foo':'bar'}|[{'op':'add','path':'/baz','value':'qux'}]|{'baz':'qux','foo':'bar'}",
      "{'foo':['bar','baz']}|[{'op':'add','path':'/foo/1','value':'qux'}]|{'foo':['bar','qux','baz']}",
      "{'baz':'qux','foo':'bar'}|[{'op':'remove','path':'/baz'}]|{'foo':'bar'}",
      "{'foo':['bar','qux','baz']}|[{'op':'remove','path':'/foo/1'}]|{'foo':['bar','baz']}",
      "{'baz':'qux','foo':'bar'}|[{'op':'replace','path':'/baz','value':'boo'}]|{'baz':'boo','foo':'bar'}",
      "{'foo':{'bar':'baz','waldo':'fred'},'qux':{'corge':'grault'}}|[{'op':'move','from':'/foo/waldo','path':'/qux/thud'}]|{'foo':{'bar':'baz'},'qux':{'corge':'grault','thud':'fred'}}",
      "{'foo':['all','grass','cows','eat']}|[{'op':'move','from':'/foo/1','path':'/foo/3'}]|{'foo':['all','cows','eat','grass']}",
      "{'foo':'bar'}|[{'op':'add','path':'/child','value':{'grandchild':{}}}]|{'foo':'bar','child':{'grandchild':{}}}",
      "{'foo':['bar']}|[{'op':'add','path':'/foo/-','value':['abc','def']}]|{'foo':['bar',['abc','def']]}",
      "{'/':9,'~1':10}|[{'op':'test','path':'/~01','value':10},{'op':'copy','from':'/~1','path':'/x'}]|{'/':9,'~1':10,'x':9}",
  })
  void jsonPatchFollowsRfc6902(String target, String patch, String expected) throws Exception {
    assertThat(JsonPatch.apply(json(target), json(patch))).isEqualTo(json(expected));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{'baz':'qux'}|[{'op':'test','path':'/baz','value':'bar'}]",
      "{'foo':'bar'}|[{'op':'add','path':'/baz/bat','value':'qux'}]",
      "{'foo':'bar'}|[{'op':'remove','path':'/nope'}]",
      "{'foo':'bar'}|[{'op':'replace','path':'/nope','value':1}]",
      "{'foo':[1]}|[{'op':'add','path':'/foo/5','value':1}]",
  })
  void jsonPatchThatCannotApplyIs422(String target, String patch) throws Exception {
    JsonNode before = json(target);
    assertThatThrownBy(() -> JsonPatch.apply(before, json(patch)))
        .isInstanceOf(PatchFailure.class).extracting(e -> ((PatchFailure) e).code())
        .isEqualTo(422);
    assertThat(before).isEqualTo(json(target));
  }

  @Test
  void jsonPatchThatIsNotAListIs400() {
    assertThatThrownBy(() -> JsonPatch.apply(json("{}"), json("{'op':'add'}")))
        .isInstanceOf(PatchFailure.class).extracting(e -> ((PatchFailure) e).code())
        .isEqualTo(400);
  }
}
