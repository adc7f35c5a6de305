package io.kbackup.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupClient;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.ValidationResult;
import io.kbackup.core.KBackup;
import io.kbackup.core.direct.DirectEngine;
import io.kbackup.core.schedule.BackupScheduler;
import io.kbackup.core.velero.VeleroEngine;
import io.kbackup.testkit.cluster.EmbeddedCluster;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The README's Java blocks, read from README.md, compiled and run against two embedded clusters
 * (see {@link ReadmeSnippets} for how the variables the README leaves open are filled in). A block
 * added to the README is compiled and run without a change here; the sections below also get
 * their effects checked.
 */
class ReadmeSnippetsIT {
    private static final String TOUR = "A short tour";
    private static final String LOCATIONS = "Backup locations and credentials";
    private static final String ENGINES = "Two engines";
    private static final String SCHEDULER = "Scheduled backups, expiry and retention";
    private static final String GROUP = "Workspaces: a group of clusters at once";

    @TempDir
    static Path folder;
    @TempDir
    static Path classes;

    private static EmbeddedCluster cluster;
    private static EmbeddedCluster other;
    private static KubernetesClient k8s;
    private static KubernetesClient otherCluster;
    private static BackupLocation location;
    private static ReadmeSnippets.Fixture fixture;

    @BeforeAll
    static void start() {
        cluster = EmbeddedCluster.start();
        other = EmbeddedCluster.start();
        k8s = cluster.client();
        otherCluster = other.client();
        for (KubernetesClient c : List.of(k8s, otherCluster)) {
            for (String ns : List.of("shop", "payments", "platform")) {
                c.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
                c.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("settings")
                        .endMetadata().addToData("k", ns).build()).create();
            }
        }
        location = BackupLocation.localFolder(folder).build();
        Map<String, Class<?>> types = new LinkedHashMap<>();
        Map<String, Object> values = new LinkedHashMap<>();
        given(types, values, "k8s", KubernetesClient.class, k8s);
        given(types, values, "eu1", KubernetesClient.class, k8s);
        given(types, values, "us1", KubernetesClient.class, otherCluster);
        given(types, values, "location", BackupLocation.class, location);
        given(types, values, "plan", BackupPlan.class,
                BackupPlan.builder().prefix("fleet").location(location).includedNamespaces("shop").build());
        given(types, values, "podName", String.class, "replica-1");
        given(types, values, "log", Logger.class, LoggerFactory.getLogger("readme"));
        given(types, values, "tokenFile", String.class, "/var/run/secrets/eks.amazonaws.com/serviceaccount/token");
        for (String secret : List.of("id", "secret", "roleArn", "pemText", "tenant", "clientId", "clientSecret", "json")) {
            given(types, values, secret, String.class, "readme-" + secret);
        }
        fixture = new ReadmeSnippets.Fixture(types, values);
    }

    private static void given(Map<String, Class<?>> types, Map<String, Object> values, String name, Class<?> type, Object value) {
        types.put(name, type);
        values.put(name, value);
    }

    @AfterAll
    static void stop() {
        k8s.close();
        otherCluster.close();
        cluster.close();
        other.close();
    }

    @Test
    void theReadmeHasTheBlocksThisTestChecks() {
        assertThat(ReadmeSnippets.read().snippets()).extracting(ReadmeSnippets.Snippet::section)
                .contains(TOUR, LOCATIONS, ENGINES, SCHEDULER, GROUP);
    }

    @TestFactory
    Stream<DynamicTest> everyJavaBlockOfTheReadmeCompilesAndRuns() throws Exception {
        ReadmeSnippets readme = ReadmeSnippets.read();
        readme.compile(fixture, classes);
        return readme.snippets().stream().map(s -> DynamicTest.dynamicTest(s.toString(), () -> {
            ReadmeSnippets.Run run = readme.run(s, fixture);
            try {
                check(s.section(), run);
            } finally {
                for (Object v : run.declared().values()) {
                    if (v instanceof AutoCloseable c && v != k8s) {
                        c.close();
                    }
                }
            }
        }));
    }

    private static void check(String section, ReadmeSnippets.Run run) {
        switch (section) {
            case TOUR -> checkTour(run);
            case ENGINES -> {
                assertThat(run.declared().get("direct")).isInstanceOf(DirectEngine.class);
                assertThat(run.declared().get("velero")).isInstanceOf(VeleroEngine.class);
            }
            case SCHEDULER -> {
                BackupScheduler scheduler = (BackupScheduler) run.declared().get("scheduler");
                assertThat(scheduler.plans()).containsExactly(location.name() + "/nightly");
                assertThat(scheduler.nextRun(location.name() + "/nightly")).get()
                        .extracting(t -> t.withZoneSameInstant(ZoneId.of("Europe/Berlin")).toLocalTime().toString())
                        .isEqualTo("02:00");
            }
            case GROUP -> {
                try (BackupClient direct = KBackup.direct(k8s)) {
                    for (String member : List.of("eu-1", "us-1")) {
                        assertThat(direct.listBackups(BackupLocation.localFolder(folder).prefix(member).build()))
                                .extracting(BackupInfo::phase).containsExactly(BackupPhase.COMPLETED);
                    }
                }
            }
            default -> { } // it compiled and ran without an exception
        }
    }

    /** The tour's own S3 location is built and keeps its secret; the run backs up and restores into the local folder. */
    private static void checkTour(ReadmeSnippets.Run run) {
        BackupLocation s3 = (BackupLocation) run.ownInitialisers().get("location").get();
        assertThat(s3.provider()).isEqualTo("s3");
        assertThat(s3.toString()).doesNotContain("external-id");
        // the s3 module is not on this class path: validate() says what to add, it does not throw
        ValidationResult check = s3.validate();
        assertThat(check.toString()).contains("io.kbackup:backup-storage-s3");
        assertThat(run.declared().get("check")).isInstanceOf(ValidationResult.class);
        try (BackupClient direct = KBackup.direct(k8s)) {
            assertThat(direct.listBackups(location)).filteredOn(b -> b.name().startsWith("nightly-"))
                    .extracting(BackupInfo::phase).containsExactly(BackupPhase.COMPLETED);
        }
        assertThat(k8s.configMaps().inNamespace("shop-restored").withName("settings").get()).isNotNull();
    }

}
