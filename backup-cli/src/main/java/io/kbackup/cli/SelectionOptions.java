package io.kbackup.cli;

import io.kbackup.ClusterWideMode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** What {@code backup create} and {@code restore create} share: the selection, and waiting for the end. */
final class SelectionOptions {

    @Option(names = "--include-namespaces", split = ",", paramLabel = "NS", order = 1, description = "Namespaces to include (default: all).")
    List<String> includedNamespaces = List.of();

    @Option(names = "--exclude-namespaces", split = ",", paramLabel = "NS", order = 2, description = "Namespaces to leave out.")
    List<String> excludedNamespaces = List.of();

    @Option(names = "--include-resources", split = ",", paramLabel = "RES", order = 3,
            description = "Resources to include, e.g. deployments.apps (default: all).")
    List<String> includedResources = List.of();

    @Option(names = "--exclude-resources", split = ",", paramLabel = "RES", order = 4, description = "Resources to leave out.")
    List<String> excludedResources = List.of();

    @Option(names = "--selector", paramLabel = "KEY=VALUE", order = 5, description = "Only objects with these labels; repeatable.")
    Map<String, String> selector = Map.of();

    @Option(names = "--cluster-wide", paramLabel = "MODE", defaultValue = "AUTO", order = 6,
            description = "Cluster-scoped resources: ALWAYS, AUTO or NEVER (default: ${DEFAULT-VALUE}).")
    ClusterWideMode clusterWide;

    @Option(names = "--wait", negatable = true, defaultValue = "true", fallbackValue = "true", order = 7,
            description = "Wait until it ends (default: ${DEFAULT-VALUE}).")
    boolean wait;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "1h", converter = Leaf.DurationConverter.class, order = 8,
            description = "How long to wait (default: ${DEFAULT-VALUE}); the operation goes on after it.")
    Duration timeout;

    String[] includedResources() {
        return includedResources.toArray(String[]::new);
    }

    String[] excludedResources() {
        return excludedResources.toArray(String[]::new);
    }
}
