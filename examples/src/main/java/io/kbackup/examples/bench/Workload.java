package io.kbackup.examples.bench;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Deterministic benchmark content, generated lazily so that it never has to be held in memory by the generator.
 *
 * <p>{@link #mixed(int, int)}: {@code objects} items spread evenly over {@code namespaces} namespaces named
 * {@code bench-0000}...; per namespace 40% ConfigMaps and 30% Secrets with 1-4 KiB of data each (uniform), 15%
 * Deployments (3 containers' worth of spec and a status, about 1.5 KiB of JSON) and 15% Services; plus the Namespace
 * objects themselves. {@link #secrets(int, String)}: Velero issue #6845's case, N Secrets of 1-4 KiB in one namespace.
 */
public final class Workload {

    /** Which content to generate. */
    public enum Kind {
        /** ConfigMaps, Secrets, Deployments and Services across many namespaces. */
        MIXED,
        /** Secrets only, in one namespace. */
        SECRETS
    }

    private static final char[] TEXT = "abcdefghijklmnopqrstuvwxyz0123456789 =:-_\n".toCharArray();

    private Workload() {}

    /** Namespaces used by {@link #mixed}: one per 200 objects, at least 1. */
    public static int defaultNamespaces(int objects) {
        return Math.max(1, objects / 200);
    }

    /**
     * The mixed content: {@code namespaces} Namespace objects first, then {@code objects} items.
     *
     * @return a lazy stream of {@code namespaces + objects} objects
     */
    public static Stream<HasMetadata> mixed(int objects, int namespaces) {
        return mixed(objects, namespaces, 1024, 4096);
    }

    /**
     * The mixed content with ConfigMaps and Secrets of {@code minData}-{@code maxData} bytes of data each (uniform)
     * instead of 1-4 KiB; the rest as {@link #mixed(int, int)}.
     */
    public static Stream<HasMetadata> mixed(int objects, int namespaces, int minData, int maxData) {
        Stream<HasMetadata> nss = IntStream.range(0, namespaces).mapToObj(i -> namespace(nsName(i)));
        Stream<HasMetadata> items = IntStream.range(0, objects).mapToObj(i -> mixedItem(i, namespaces, minData, maxData));
        return Stream.concat(nss, items);
    }

    /**
     * Velero issue #6845's content: the Namespace, then {@code secrets} Secrets in it.
     *
     * @return a lazy stream of {@code 1 + secrets} objects
     */
    public static Stream<HasMetadata> secrets(int secrets, String namespace) {
        return Stream.concat(Stream.of(namespace(namespace)),
                IntStream.range(0, secrets).mapToObj(i -> secret(namespace, String.format(Locale.ROOT, "app-secret-%06d", i),
                        new SplittableRandom(i * 31L + 7), 1024, 4096)));
    }

    /** The generated content of a kind. */
    public static Stream<HasMetadata> of(Kind kind, int objects, int namespaces) {
        return kind == Kind.MIXED ? mixed(objects, namespaces) : secrets(objects, "secrets-6845");
    }

    static String nsName(int i) {
        return String.format(Locale.ROOT, "bench-%04d", i);
    }

    private static HasMetadata mixedItem(int i, int namespaces, int minData, int maxData) {
        String ns = nsName(i % namespaces);
        int local = i / namespaces;
        SplittableRandom random = new SplittableRandom(i * 1_000_003L + 11);
        int slot = local % 20;
        String name;
        if (slot < 8) {
            name = String.format(Locale.ROOT, "config-%05d", local);
            return new ConfigMapBuilder().withNewMetadata().withNamespace(ns).withName(name)
                    .addToLabels("app", "app-" + (local % 7)).addToLabels("tier", "backend")
                    .withUid(uuid(random)).withCreationTimestamp("2026-11-01T10:00:00Z").endMetadata()
                    .addToData("application.properties", text(random, minData + random.nextInt(maxData - minData + 1)))
                    .build();
        } else if (slot < 14) {
            return secret(ns, String.format(Locale.ROOT, "secret-%05d", local), random, minData, maxData);
        } else if (slot < 17) {
            name = String.format(Locale.ROOT, "app-%05d", local);
            return deployment(ns, name, random);
        } else {
            name = String.format(Locale.ROOT, "svc-%05d", local);
            return new ServiceBuilder().withNewMetadata().withNamespace(ns).withName(name).addToLabels("app", name)
                    .withUid(uuid(random)).withCreationTimestamp("2026-11-01T10:00:00Z").endMetadata()
                    .withNewSpec().withType("ClusterIP").withClusterIP("10.96." + (local % 250) + "." + (1 + i % 250))
                    .addToSelector("app", name)
                    .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString(8080)).withProtocol("TCP").endPort()
                    .addNewPort().withName("metrics").withPort(9090).withTargetPort(new IntOrString(9090)).withProtocol("TCP").endPort()
                    .endSpec().build();
        }
    }

    private static HasMetadata namespace(String name) {
        return new NamespaceBuilder().withNewMetadata().withName(name).addToLabels("kubernetes.io/metadata.name", name)
                .endMetadata().build();
    }

    private static HasMetadata secret(String ns, String name, SplittableRandom random, int minData, int maxData) {
        byte[] bytes = new byte[minData + random.nextInt(maxData - minData + 1)];
        random.nextBytes(bytes);
        return new SecretBuilder().withNewMetadata().withNamespace(ns).withName(name).addToLabels("app", "billing")
                .withUid(uuid(random)).withCreationTimestamp("2026-11-01T10:00:00Z").endMetadata()
                .withType("Opaque").addToData("key.bin", Base64.getEncoder().encodeToString(bytes)).build();
    }

    private static HasMetadata deployment(String ns, String name, SplittableRandom random) {
        Map<String, String> labels = Map.of("app", name);
        PodSpecBuilder pod = new PodSpecBuilder().withServiceAccountName(name);
        for (String c : new String[] {"app", "sidecar", "exporter"}) {
            pod.addNewContainer().withName(c).withImage("registry.example.com/" + name + "/" + c + ":1." + random.nextInt(40))
                    .addNewPort().withContainerPort(8080 + random.nextInt(100)).withProtocol("TCP").endPort()
                    .addNewEnv().withName("LOG_LEVEL").withValue("info").endEnv()
                    .addNewEnv().withName("POD_NAME").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name")
                    .endFieldRef().endValueFrom().endEnv()
                    .withNewResources().addToRequests("cpu", new Quantity("100m")).addToRequests("memory", new Quantity("128Mi"))
                    .addToLimits("memory", new Quantity("256Mi")).endResources()
                    .withNewReadinessProbe().withNewHttpGet().withPath("/healthz").withPort(new IntOrString(8080)).endHttpGet()
                    .withPeriodSeconds(10).endReadinessProbe()
                    .endContainer();
        }
        return new DeploymentBuilder().withNewMetadata().withNamespace(ns).withName(name).withLabels(labels)
                .addToAnnotations("deployment.kubernetes.io/revision", "3")
                .withUid(uuid(random)).withCreationTimestamp("2026-11-01T10:00:00Z").endMetadata()
                .withNewSpec().withReplicas(2).withNewSelector().withMatchLabels(labels).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata().withSpec(pod.build()).endTemplate()
                .endSpec()
                .withNewStatus().withReplicas(2).withReadyReplicas(2).withAvailableReplicas(2).withUpdatedReplicas(2)
                .withObservedGeneration(3L).endStatus()
                .build();
    }

    private static String uuid(SplittableRandom random) {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    private static String text(SplittableRandom random, int length) {
        char[] c = new char[length];
        for (int i = 0; i < length; i++) {
            c[i] = TEXT[random.nextInt(TEXT.length)];
        }
        return new String(c);
    }
}
