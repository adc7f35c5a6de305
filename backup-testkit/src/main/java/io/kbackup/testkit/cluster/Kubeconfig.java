package io.kbackup.testkit.cluster;

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
}
