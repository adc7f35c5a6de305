package io.kbackup.testkit.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone server in its own JVM, reached over HTTP from this one. */
class EmbeddedClusterServerIT {

  @TempDir
  Path dir;

  @Test
  void servesAnotherProcessAndWritesAUsableKubeconfig() throws Exception {
    Path kubeconfig = dir.resolve("nested/kubeconfig");
    Process server = java(ProcessBuilder.Redirect.to(dir.resolve("server.err").toFile()),
        "--port", "0", "--kubeconfig", kubeconfig.toString());
    try {
      BufferedReader out = new BufferedReader(
          new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      String first = out.readLine(); // blocks until the server is ready
      assertThat(first).startsWith("EmbeddedCluster listening on http://127.0.0.1:");
      assertThat(out.readLine()).isEqualTo("kubeconfig written to " + kubeconfig);
      String url = first.substring(first.indexOf("http://"));

      Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
      assertThat(config.getMasterUrl()).startsWith(url);
      try (KubernetesClient client = new KubernetesClientBuilder()
          .withHttpClientFactory(new JdkHttpClientFactory()).withConfig(config).build()) {
        client.configMaps().inNamespace("default").resource(new ConfigMapBuilder()
            .withNewMetadata().withName("remote").endMetadata().build()).create();
        assertThat(client.configMaps().inNamespace("default").withName("remote").get()
            .getMetadata().getUid()).isNotEmpty();
        assertThat(client.getApiGroups().getGroups()).isNotEmpty();
      }
    } finally {
      server.destroy();
      if (!server.waitFor(20, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
  }

  @Test
  void badArgumentsExitWithUsage() throws Exception {
    Process p = java(ProcessBuilder.Redirect.PIPE, "--port", "not-a-number");
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(err).contains("--port needs a number", "usage:");
  }

  private static Process java(ProcessBuilder.Redirect stderr, String... args) throws Exception {
    Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = new java.util.ArrayList<>(List.of(javaBin.toString(), "-Xmx256m",
        "-cp", System.getProperty("java.class.path"),
        EmbeddedClusterServer.class.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectError(stderr).start();
  }
}
