package io.kbackup.cli;

import io.kbackup.BackupClient;
import io.kbackup.BackupHandle;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.VerifyReport;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kbackup backup ...}. */
@Command(name = "backup", description = "Backups: create, get (list), describe, logs, verify, delete.", mixinStandardHelpOptions = true,
        subcommands = {BackupCommands.Create.class, BackupCommands.Get.class, BackupCommands.Describe.class,
            BackupCommands.Logs.class, BackupCommands.Verify.class, BackupCommands.Delete.class})
final class BackupCommands {
    static final List<String> COLUMNS = List.of("name", "phase", "created", "expires", "namespaces", "items", "errors", "warnings");

    private BackupCommands() {
    }

    /** A table row of a backup. */
    static Map<String, Object> row(BackupInfo b) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", b.name());
        row.put("phase", b.veleroPhase());
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
        d.put("phase", b.veleroPhase());
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
                return printStarted(handle.name(), handle.phase().veleroName());
            }
            BackupInfo info = handle.await(selection.timeout);
            printer().details(details(info));
            return info.phase() == BackupPhase.COMPLETED ? ExitCodes.OK : ExitCodes.FAILED;
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

    /** What {@code backup verify} prints of a report. */
    static Map<String, Object> details(VerifyReport r) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", r.backupName());
        d.put("ok", r.ok());
        d.put("signature", r.signature());
        d.put("signingKeyId", r.signingKeyId());
        d.put("encryption", r.encryption());
        d.put("items", r.items());
        d.put("problems", r.problems());
        d.put("warnings", r.warnings());
        return d;
    }

    /** {@code kbackup backup verify}. */
    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Checks a backup without restoring it: its manifest and signature, that it decrypts, that every item "
                    + "parses, that the counts and the resource list agree with the archive. Reads the location only; changes nothing.",
                "Exits 0 when the backup is sound (warnings may remain), 9 when a problem was found."})
    static final class Verify extends Leaf.Named implements Callable<Integer> {
        @Override
        public Integer call() {
            VerifyReport report = root().client().verify(location(), name);
            printer().details(details(report));
            return report.ok() ? ExitCodes.OK : ExitCodes.CORRUPT;
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
