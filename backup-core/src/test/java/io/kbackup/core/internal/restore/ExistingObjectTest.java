package io.kbackup.core.internal.restore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class ExistingObjectTest {

    private static ObjectNode json(String s) {
        try {
            return (ObjectNode) RestoreJson.MAPPER.readTree(s.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A restore-ready item: restore labels set, server metadata reset. */
    private static final ObjectNode DESIRED = json("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'cfg','namespace':'shop',"
            + "'labels':{'app':'web','velero.io/backup-name':'b1','velero.io/restore-name':'r2'},'annotations':{'a':'1'}},"
            + "'data':{'color':'blue','n':'1'},'list':[1,2]}");

    private static String difference(String live) {
        ObjectNode reset = ExistingObject.reset(json(live));
        return ExistingObject.firstDifference(ExistingObject.comparable(reset, DESIRED), DESIRED);
    }

    private static final String SAME_LIVE = "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'cfg','namespace':'shop','uid':'u',"
            + "'resourceVersion':'7','creationTimestamp':'2026-01-01T00:00:00Z','managedFields':[{}],"
            + "'labels':{'app':'web','velero.io/backup-name':'b1','velero.io/restore-name':'r1'},'annotations':{'a':'1'}},"
            + "'data':{'color':'blue','n':'1'},'list':[1.0,2],'status':{'x':1}}";

    @Test
    void equalAfterTheResetWhateverServerMetadataStatusAndAnEarlierRestoresName() {
        assertThat(difference(SAME_LIVE)).isNull();
    }

    @Test
    void keysLabelsAndAnnotationsOnlyTheClusterHasAreDifferences() {
        assertThat(difference(SAME_LIVE.replace("'n':'1'}", "'n':'1','local':'x'}"))).isEqualTo("data.local");
        assertThat(difference(SAME_LIVE.replace("'app':'web',", "'app':'web','extra':'y',"))).isEqualTo("metadata.labels.extra");
        assertThat(difference(SAME_LIVE.replace("'a':'1'}", "'a':'1','b':'2'}"))).isEqualTo("metadata.annotations.b");
        assertThat(difference(SAME_LIVE.replace("'color':'blue',", ""))).isEqualTo("data.color");
        assertThat(difference(SAME_LIVE.replace("[1.0,2]", "[1,2,3]"))).startsWith("list (3 elements in the cluster, 2 in the backup)");
        assertThat(difference(SAME_LIVE.replace("[1.0,2]", "[2,1]"))).isEqualTo("list[0]");
    }

    @Test
    void theMergePatchSetsWhatDiffersAndRemovesWhatOnlyTheClusterHas() {
        ObjectNode live = ExistingObject.reset(json("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'cfg','namespace':'shop',"
                + "'uid':'u','labels':{'app':'old','extra':'y','velero.io/restore-name':'r1'},'annotations':{'a':'1','b':'2'},"
                + "'finalizers':['x']},'data':{'color':'red','n':'1','local':'x'},'list':[3],'other':{'k':'v'}}"));
        ObjectNode patch = ExistingObject.mergePatch(live, DESIRED);
        assertThat(patch).isEqualTo(json("{'metadata':{'labels':{'app':'web','extra':null,'velero.io/restore-name':'r2',"
                + "'velero.io/backup-name':'b1'},'annotations':{'b':null},'finalizers':null},'data':{'color':'blue','local':null},"
                + "'list':[1,2],'other':null}"));
        assertThat(ExistingObject.mergePatch(ExistingObject.reset(json(SAME_LIVE)), DESIRED))
                .isEqualTo(json("{'metadata':{'labels':{'velero.io/restore-name':'r2'}},'list':[1,2]}").without("list"));
    }

    @Test
    void serviceAccountsGainWhatTheBackupAddsAndKeepTheirOwn() {
        ObjectNode live = json("{'metadata':{'name':'robot','labels':{'own':'1'}},'secrets':[{'name':'robot-token-new'}],"
                + "'imagePullSecrets':[{'name':'pull-a'}]}");
        ObjectNode backup = json("{'metadata':{'name':'robot','labels':{'own':'2','team':'a'},'annotations':{'x':'y'}},"
                + "'secrets':[{'name':'robot-extra'}],'imagePullSecrets':[{'name':'pull-a'},{'name':'pull-b'}]}");
        assertThat(ExistingObject.mergeServiceAccount(live, backup)).isEqualTo(json("{'metadata':{'name':'robot','labels':{'own':'1',"
                + "'team':'a'},'annotations':{'x':'y'}},'secrets':[{'name':'robot-token-new'},{'name':'robot-extra'}],"
                + "'imagePullSecrets':[{'name':'pull-a'},{'name':'pull-b'}]}"));
    }

    @Test
    void theLabelsPatchSetsOnlyTheRestoreLabelsThatDiffer() {
        ObjectNode live = ExistingObject.reset(json(SAME_LIVE));
        assertThat(ExistingObject.restoreLabelsPatch(live, DESIRED)).isEqualTo(json("{'metadata':{'labels':{'velero.io/restore-name':'r2'}}}"));
        assertThat(ExistingObject.restoreLabelsPatch(DESIRED, DESIRED)).isEmpty();
    }
}
