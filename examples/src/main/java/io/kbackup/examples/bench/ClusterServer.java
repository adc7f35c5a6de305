package io.kbackup.examples.bench;

import io.kbackup.examples.Logging;
import io.kbackup.testkit.cluster.EmbeddedCluster;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs an {@link EmbeddedCluster} seeded with benchmark content as a process of its own, for benchmarks that must
 * not count the server's store against their heap.
 *
 * <p>Arguments: {@code --kind MIXED|SECRETS --objects N --namespaces M [--port P]}. Prints
 * {@code READY <url> <objects seeded>} on standard output once it serves, then runs until its standard input ends.
 */
public final class ClusterServer {

    private ClusterServer() {}

    public static void main(String[] args) throws IOException {
        Logging.quiet();
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i], args[i + 1]);
        }
        Workload.Kind kind = Workload.Kind.valueOf(opts.getOrDefault("--kind", "MIXED"));
        int objects = Integer.parseInt(opts.getOrDefault("--objects", "10000"));
        int namespaces = Integer.parseInt(opts.getOrDefault("--namespaces", Integer.toString(Workload.defaultNamespaces(objects))));
        int port = Integer.parseInt(opts.getOrDefault("--port", "0"));
        try (EmbeddedCluster cluster = EmbeddedCluster.builder().port(port).start()) {
            long n = cluster.seed(Workload.of(kind, objects, namespaces));
            System.out.println("READY " + cluster.url() + " " + n);
            System.out.flush();
            while (System.in.read() >= 0) {
                // run until the parent closes our input
            }
        }
    }
}
