package io.kbackup.core.internal.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.kbackup.BackupInfo;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.RestoreInfo;
import io.kbackup.RestorePhase;
import io.kbackup.RestorePlan;
import io.kbackup.core.KBackup;
import io.kbackup.core.direct.DirectEngine;
import io.kbackup.testkit.cluster.RealCluster;
import io.kbackup.testkit.cluster.TestCluster;
import java.time.Duration;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A real kube-apiserver's Priority admission reads PriorityClasses from an informer cache that
 * lags their create by a few milliseconds: a restore that creates many PriorityClasses and, one
 * tier later (the next tier, in Velero's order), a pod naming each of them meets that gap. The
 * pods restored first name the classes restored last (both tiers go in name order). Every pod must
 * come back, with the priority its class gives, and the restore must be Completed without errors.
 */
class PriorityClassAdmissionRealIT extends RestoreIntoFreshCluster {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int CLASSES = 40;

    @Override
    TestCluster startCluster() {
        return RealCluster.start();
    }

    private static String className(int i) {
        return String.format("class-%02d", i);
    }

    private static String podName(int i) {
        return String.format("pod-%02d", i);
    }

    private static Stream<HasMetadata> podsWithAClassEach() {
        Stream<HasMetadata> classes = IntStream.range(0, CLASSES).mapToObj(i -> new PriorityClassBuilder().withNewMetadata()
                .withName(className(i)).endMetadata().withValue(1000 + i).build());
        Stream<HasMetadata> pods = IntStream.range(0, CLASSES).mapToObj(i -> new PodBuilder().withNewMetadata().withName(podName(i))
                .withNamespace("prio").endMetadata().withNewSpec().withPriorityClassName(className(CLASSES - 1 - i)).addNewContainer().withName("app")
                .withImage("nginx").endContainer().endSpec().build());
        return Stream.of(Stream.<HasMetadata>of(new NamespaceBuilder().withNewMetadata().withName("prio").endMetadata().build()), classes, pods)
                .flatMap(s -> s);
    }

    @Test
    void podsNamingPriorityClassesTheRestoreJustCreatedAreAllRestored() {
        try (TestCluster source = RealCluster.start(); DirectEngine a = KBackup.direct(source.client())) {
            source.seed(podsWithAClassEach());
            BackupInfo backup = a.backup(BackupPlan.builder().name("prio").location(location).includedNamespaces("prio").build()).await(WAIT);
            assertThat(backup.phase()).as("backup errors %s", backup.errors()).isEqualTo(BackupPhase.COMPLETED);
        }

        RestoreInfo info;
        try (DirectEngine b = KBackup.direct(k8s)) {
            info = b.restore(RestorePlan.builder().location(location).backupName("prio").build()).await(WAIT);
        }

        assertThat(info.errors()).isEmpty();
        assertThat(info.phase()).isEqualTo(RestorePhase.COMPLETED);
        for (int i = 0; i < CLASSES; i++) {
            Pod pod = k8s.pods().inNamespace("prio").withName(podName(i)).get();
            assertThat(pod).as(podName(i)).isNotNull();
            int classIndex = CLASSES - 1 - i;
            assertThat(pod.getSpec().getPriority()).as("%s's priority, set by admission from %s", podName(i), className(classIndex))
                    .isEqualTo(1000 + classIndex);
        }
    }
}
