package io.kbackup.testkit.cluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/** Writes the kubeconfig files of the test clusters (one cluster, one user, one context). */
final class Kubeconfig {

  private Kubeconfig() {
  }

  /**
   * Writes a kubeconfig with context, cluster and user all named {@code name}, namespace
   * {@code default}. Creates the parent directories; overwrites the file.
   *
   * @param token the user's bearer token, or null for none
   * @param insecure whether to skip verifying the server's certificate (a self-generated one)
   * @return {@code file}
   * @throws UncheckedIOException if the file cannot be written
   */
  static Path write(Path file, String name, String server, String token, boolean insecure) {
    Objects.requireNonNull(file, "file");
    String yaml = "apiVersion: v1\n"
        + "kind: Config\n"
        + "clusters:\n"
        + "- name: " + name + "\n"
        + "  cluster:\n"
        + "    server: " + server + "\n"
        + (insecure ? "    insecure-skip-tls-verify: true\n" : "")
        + "users:\n"
        + "- name: " + name + "\n"
        + (token == null ? "  user: {}\n" : "  user:\n    token: " + token + "\n")
        + "contexts:\n"
        + "- name: " + name + "\n"
        + "  context:\n"
        + "    cluster: " + name + "\n"
        + "    user: " + name + "\n"
        + "    namespace: default\n"
        + "current-context: " + name + "\n";
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, yaml, StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write kubeconfig to " + file, e);
    }
  }

  /**
   * A new fabric8 client (JDK HTTP client) for {@code server}, namespace {@code default}, trusting
   * the server's certificate and reading nothing from {@code ~/.kube}. The caller closes it.
   *
   * @param token the bearer token, or null for none
   * @param skipHostnameCheck whether the certificate's host name is not checked either
   */
  static KubernetesClient client(String server, String token, boolean skipHostnameCheck) {
    ConfigBuilder config = new ConfigBuilder(Config.empty())
        .withMasterUrl(server)
        .withNamespace("default")
        .withTrustCerts(true)
        .withDisableHostnameVerification(skipHostnameCheck)
        .withRequestTimeout(60_000);
    if (token != null) {
      config.withOauthToken(token);
    }
    return new KubernetesClientBuilder()
        .withHttpClientFactory(new JdkHttpClientFactory())
        .withConfig(config.build())
        .build();
  }
}
