package io.kbackup.testkit.servers;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.testkit.cluster.RealCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What {@code velero install} would put into the cluster for {@link VeleroServer}: Velero's CRDs and the
 * BackupStorageLocation; and the runner of Velero's command line.
 */
final class VeleroInstall {

    private VeleroInstall() {}

    /** The BackupStorageLocation {@value VeleroServer#LOCATION}: the bucket and prefix on MinIO, with the credentials Secret. */
    static GenericKubernetesResource location(String bucket, String prefix, String endpoint) {
        Map<String, Object> objectStorage = new LinkedHashMap<>();
        objectStorage.put("bucket", bucket);
        if (prefix != null && !prefix.isEmpty()) {
            objectStorage.put("prefix", prefix);
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("region", "minio");
        config.put("s3ForcePathStyle", "true");
        config.put("s3Url", endpoint);
        config.put("checksumAlgorithm", "");
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("provider", "velero.io/aws");
        spec.put("default", true);
        spec.put("objectStorage", objectStorage);
        spec.put("config", config);
        spec.put("credential", Map.of("name", VeleroServer.CREDENTIALS_SECRET, "key", VeleroServer.CREDENTIALS_KEY));
        return VeleroServer.resource("BackupStorageLocation", VeleroServer.LOCATION, spec);
    }

    /** Velero's CRDs as {@code velero install --crds-only} prints them, applied and Established. */
    static void applyCrds(RealCluster cluster, KubernetesClient client, Path velero, Path kubeconfig, Path home)
            throws IOException {
        Path crds = home.resolve("velero-crds.yaml");
        run(List.of(velero.toString(), "install", "--crds-only", "--dry-run", "-o", "yaml", "--kubeconfig",
                kubeconfig.toString()), crds, home);
        List<String> names = new ArrayList<>();
        Object parsed = client.getKubernetesSerialization().unmarshal(Files.readString(crds, StandardCharsets.UTF_8));
        List<?> items = parsed instanceof io.fabric8.kubernetes.api.model.KubernetesList list ? list.getItems()
                : parsed instanceof List<?> l ? l : List.of(parsed);
        for (Object item : items) {
            CustomResourceDefinition crd = client.getKubernetesSerialization().convertValue(item, CustomResourceDefinition.class);
            crd.getMetadata().setCreationTimestamp(null);
            crd.setStatus(null);
            client.apiextensions().v1().customResourceDefinitions().resource(crd).createOr(r -> r.update());
            names.add(crd.getMetadata().getName());
        }
        if (names.isEmpty()) {
            throw new IllegalStateException("velero install --crds-only printed no CRDs: " + crds);
        }
        for (String name : names) {
            cluster.awaitEstablished(client, name);
        }
    }

    /** Runs a Velero command in {@code home}; its output goes to {@code output} (or a temporary file) and is returned. */
    static String run(List<String> command, Path output, Path home) throws IOException {
        Path out = output != null ? output : Files.createTempFile(home, "velero-cli-", ".out");
        ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile());
        pb.environment().put("HOME", home.toString());
        Process p = pb.start();
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + command);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + command, e);
        }
        String text = Files.readString(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited with " + p.exitValue() + ":\n" + text);
        }
        return text;
    }
}
