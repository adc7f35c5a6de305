package io.kbackup.testkit.cluster;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs an {@link EmbeddedCluster} as a standalone server that other processes (another JVM,
 * {@code kubectl}) can reach on 127.0.0.1.
 *
 * <pre>
 * java -cp backup-testkit.jar:... io.kbackup.testkit.cluster.EmbeddedClusterServer \
 *     --port 6443 --kubeconfig /tmp/embedded.kubeconfig
 * kubectl --kubeconfig /tmp/embedded.kubeconfig --cache-dir /tmp/kube-cache api-resources
 * </pre>
 *
 * <p>Prints {@code EmbeddedCluster listening on http://127.0.0.1:PORT} (and the kubeconfig path
 * when one was written) on standard output once ready, then runs until the process is killed.
 */
public final class EmbeddedClusterServer {

  private static final String USAGE =
      "usage: EmbeddedClusterServer [--port N] [--kubeconfig FILE]\n"
          + "  --port N          port on 127.0.0.1 (default 0: a free port)\n"
          + "  --kubeconfig FILE write a kubeconfig for kubectl to FILE";

  private EmbeddedClusterServer() {}

  /**
   * Starts the server and blocks until the process is terminated.
   *
   * @param args {@code --port N} and {@code --kubeconfig FILE}, both optional
   * @throws InterruptedException if the waiting main thread is interrupted
   */
  public static void main(String[] args) throws InterruptedException {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    if (options.help) {
      System.out.println(USAGE);
      return;
    }
    EmbeddedCluster cluster = EmbeddedCluster.builder().port(options.port).start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      cluster.close();
      stopped.countDown();
    }, "embedded-cluster-shutdown"));
    PrintStream out = System.out;
    out.println("EmbeddedCluster listening on " + cluster.url());
    if (options.kubeconfig != null) {
      out.println("kubeconfig written to " + cluster.writeKubeconfig(options.kubeconfig));
    }
    out.flush();
    stopped.await();
  }

  private static final class Options {
    int port;
    Path kubeconfig;
    boolean help;

    static Options parse(String[] args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--port" -> {
            String v = value(args, ++i, "--port");
            try {
              o.port = Integer.parseInt(v);
            } catch (NumberFormatException e) {
              throw new IllegalArgumentException("--port needs a number, got '" + v + "'");
            }
            if (o.port < 0 || o.port > 65535) {
              throw new IllegalArgumentException("--port must be in 0..65535, got " + o.port);
            }
          }
          case "--kubeconfig" -> o.kubeconfig = Path.of(value(args, ++i, "--kubeconfig"));
          case "--help", "-h" -> o.help = true;
          default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
        }
      }
      return o;
    }

    private static String value(String[] args, int i, String name) {
      if (i >= args.length) {
        throw new IllegalArgumentException(name + " needs a value");
      }
      return args[i];
    }
  }
}
