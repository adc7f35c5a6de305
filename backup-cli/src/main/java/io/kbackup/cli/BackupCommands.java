package io.kbackup.cli;

import io.kbackup.BackupClient;
import io.kbackup.BackupHandle;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPlan;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kbackup backup ...}. */
@Command(name = "backup", description = "Backups: create, get (list), describe, logs, delete.", mixinStandardHelpOptions = true,
        subcommands = {BackupCommands.Create.class, BackupCommands.Get.class, BackupCommands.Describe.class,
            BackupCommands.Logs.class, BackupCommands.Delete.class})
final class BackupCommands {
    static final List<String> COLUMNS = List.of("name", "phase", "created", "expires", "namespaces", "items", "errors", "warnings");

    private BackupCommands() {
    }

    /** A table row of a backup. */
    static Map<String, Object> row(BackupInfo b) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", b.name());
        row.put("phase", phase(b.phase()));
        row.put("created", b.created() != null ? b.created() : b.started());
        row.put("expires", b.expires());
        row.put("namespaces", b.namespacesForDisplay());
        row.put("items", b.itemsBackedUp());
        row.put("errors", b.errors());
        row.put("warnings", b.warnings());
        return row;
    }

    /** Every field of a backup. */
    static Map<String, Object> details(BackupInfo b) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", b.name());
        d.put("phase", phase(b.phase()));
        d.put("location", b.location());
        d.put("created", b.created());
        d.put("started", b.started());
        d.put("completed", b.completed());
        d.put("expires", b.expires());
        d.put("includedNamespaces", b.includedNamespaces());
        d.put("excludedNamespaces", b.excludedNamespaces());
        d.put("clusterWideMode", b.clusterWideMode());
        d.put("includesDisks", b.includesDisks());
        d.put("itemsTotal", b.itemsTotal());
        d.put("itemsBackedUp", b.itemsBackedUp());
        d.put("volumeSnapshotsAttempted", b.volumeSnapshotsAttempted());
        d.put("volumeSnapshotsCompleted", b.volumeSnapshotsCompleted());
        d.put("errors", b.errors());
        d.put("warnings", b.warnings());
        d.put("failureReason", b.failureReason());
        d.put("scheduleName", b.scheduleName());
        d.put("labels", b.labels());
        return d;
    }

    /** Whether a phase is Velero's {@code Completed} (whatever the Java spelling of the constant). */
    static boolean completed(Enum<?> phase) {
        return phase.name().equalsIgnoreCase("completed");
    }

    /**
     * A phase as Velero spells it ({@code PartiallyFailed}), whether the Java constant is spelled
     * so or in upper case ({@code PARTIALLY_FAILED}).
     */
    static String phase(Enum<?> phase) {
        String name = phase.name();
        if (!name.equals(name.toUpperCase(Locale.ROOT))) {
            return name;
        }
        StringBuilder out = new StringBuilder();
        for (String word : name.split("_")) {
            if (!word.isEmpty()) {
                out.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
            }
        }
        return out.toString();
    }

    /** {@code kbackup backup create}. */
    @Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Backs up the cluster now and (by default) waits until the backup ends.")
    static final class Create extends Leaf implements Callable<Integer> {
        @Parameters(arity = "0..1", paramLabel = "NAME", description = "The backup's name (or give --name-prefix).")
        String name;

        @Option(names = "--name-prefix", paramLabel = "PREFIX",
                description = "Name the backup <PREFIX>-<yyyyMMddHHmmss> (UTC); default kbackup when no NAME is given.")
        String namePrefix;

        @Option(names = "--labels", paramLabel = "KEY=VALUE", description = "Labels of the backup; repeatable.")
        Map<String, String> labels = Map.of();

        @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "720h", converter = DurationConverter.class,
                description = "How long the backup is kept (default: ${DEFAULT-VALUE}).")
        Duration ttl;

        @Option(names = "--include-all-disks", description = "Take CSI snapshots of the included volumes.")
        boolean includeAllDisks;

        @Mixin
        SelectionOptions selection;

        @Override
        public Integer call() {
            BackupLocation location = location();
            BackupPlan.Builder plan = BackupPlan.builder().location(location)
                    .includedNamespaces(selection.includedNamespaces).excludedNamespaces(selection.excludedNamespaces)
                    .includedResources(selection.includedResources()).excludedResources(selection.excludedResources())
                    .clusterWideMode(selection.clusterWide).expiry(ttl).includeAllDisks(includeAllDisks);
            if (!selection.selector.isEmpty()) {
                plan.labelSelector(selection.selector);
            }
            if (!labels.isEmpty()) {
                plan.labels(labels);
            }
            if (name != null) {
                plan.name(name);
            }
            if (namePrefix != null || name == null) {
                plan.prefix(namePrefix == null ? "kbackup" : namePrefix);
            }
            BackupHandle handle = root().client().backup(plan.build());
            if (!selection.wait) {
                Map<String, Object> started = new LinkedHashMap<>();
                started.put("name", handle.name());
                started.put("phase", phase(handle.phase()));
                printer().details(started);
                return ExitCodes.OK;
            }
            BackupInfo info = handle.await(selection.timeout);
            printer().details(details(info));
            return completed(info.phase()) ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }

    /** {@code kbackup backup get}. */
    @Command(name = "get", mixinStandardHelpOptions = true, description = "Lists the backups in the location, newest first.")
    static final class Get extends Leaf implements Callable<Integer> {
        @Parameters(arity = "0..*", paramLabel = "NAME", description = "Only these backups.")
        List<String> names = List.of();

        @Override
        public Integer call() {
            BackupLocation location = location();
            List<BackupInfo> backups = names.isEmpty() ? root().client().listBackups(location)
                    : names.stream().map(n -> root().client().describeBackup(location, n)).toList();
            printer().table(backups.stream().map(BackupCommands::row).toList(), COLUMNS);
            return ExitCodes.OK;
        }
    }

    /** {@code kbackup backup describe}. */
    @Command(name = "describe", mixinStandardHelpOptions = true, description = "Shows one backup's details.")
    static final class Describe extends Leaf.Named implements Callable<Integer> {
        @Override
        public Integer call() {
            printer().details(details(root().client().describeBackup(location(), name)));
            return ExitCodes.OK;
        }
    }

    /** {@code kbackup backup logs}. */
    @Command(name = "logs", mixinStandardHelpOptions = true, description = "Prints a backup's log (streamed from the location).")
    static final class Logs extends Leaf.Named implements Callable<Integer> {
        @Override
        public Integer call() {
            return printLog(BackupClient::backupLog);
        }
    }

    /** {@code kbackup backup delete}. */
    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Deletes a backup with every object it has in the location (and its CSI snapshots in the cluster).")
    static final class Delete extends Leaf.Named implements Callable<Integer> {
        @Option(names = "--confirm", description = "Required: says that you mean it.")
        boolean confirm;

        @Override
        public Integer call() {
            if (!confirm) {
                throw new CliException("Deleting backup " + name + " cannot be undone: add --confirm.", ExitCodes.USAGE);
            }
            root().client().deleteBackup(location(), name);
            Map<String, Object> deleted = new LinkedHashMap<>();
            deleted.put("name", name);
            deleted.put("deleted", true);
            printer().details(deleted);
            return ExitCodes.OK;
        }
    }
}
