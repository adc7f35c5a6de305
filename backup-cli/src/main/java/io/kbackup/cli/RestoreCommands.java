package io.kbackup.cli;

import io.kbackup.BackupClient;
import io.kbackup.BackupLocation;
import io.kbackup.ExistingResourcePolicy;
import io.kbackup.RestoreHandle;
import io.kbackup.RestoreInfo;
import io.kbackup.RestorePhase;
import io.kbackup.RestorePlan;
import io.kbackup.RestorePreview;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kbackup restore ...}. */
@Command(name = "restore", description = "Restores: create, get (list), describe, logs.", mixinStandardHelpOptions = true,
        subcommands = {RestoreCommands.Create.class, RestoreCommands.Get.class, RestoreCommands.Describe.class,
            RestoreCommands.Logs.class})
final class RestoreCommands {
    static final List<String> COLUMNS = List.of("name", "backup", "phase", "started", "completed", "items", "restored", "failed",
            "errors", "warnings");

    private RestoreCommands() {
    }

    /** A table row of a restore. */
    static Map<String, Object> row(RestoreInfo r) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", r.name());
        row.put("backup", r.backupName());
        row.put("phase", r.veleroPhase());
        row.put("started", r.started());
        row.put("completed", r.completed());
        row.put("items", r.itemsTotal());
        row.put("restored", r.itemsRestored());
        row.put("failed", r.failed());
        row.put("errors", r.errors().size());
        row.put("warnings", r.warnings().size());
        return row;
    }

    /** Every field of a finished (or running) restore. */
    static Map<String, Object> details(RestoreInfo r) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", r.name());
        d.put("backup", r.backupName());
        d.put("phase", r.veleroPhase());
        d.put("started", r.started());
        d.put("completed", r.completed());
        d.put("namespaceMapping", r.namespaceMapping());
        d.put("itemsTotal", r.itemsTotal());
        d.put("itemsRestored", r.itemsRestored());
        d.put("created", r.created());
        d.put("updated", r.updated());
        d.put("unchanged", r.unchanged());
        d.put("skipped", r.skipped());
        d.put("failed", r.failed());
        d.put("failureReason", r.failureReason());
        d.put("errors", r.errors());
        d.put("warnings", r.warnings());
        return d;
    }

    /** {@code OLD<sep>NEW} entries as an ordered map; a malformed one is a usage error naming the option. */
    static Map<String, String> pairs(String option, List<String> entries, char separator, String form) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String m : entries) {
            int at = m.indexOf(separator);
            if (at <= 0 || at == m.length() - 1) {
                throw new CliException(option + " '" + m + "' is not " + form + ".", ExitCodes.USAGE);
            }
            out.put(m.substring(0, at), m.substring(at + 1));
        }
        return out;
    }

    /** {@code kbackup restore create}. */
    @Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Restores a backup into the cluster and (by default) waits until the restore ends. "
                    + "The backup is checked before anything is applied.")
    static final class Create extends Leaf implements Callable<Integer> {
        @Parameters(arity = "0..1", paramLabel = "NAME", description = "The restore's name (default: <backup>-<yyyyMMddHHmmss>).")
        String name;

        @Option(names = "--from-backup", required = true, paramLabel = "BACKUP", description = "The backup to restore.")
        String backup;

        @Option(names = "--namespace-mappings", split = ",", paramLabel = "SRC:DST",
                description = "Restore namespace SRC as DST; comma-separated or repeated.")
        List<String> namespaceMappings = List.of();

        @Option(names = "--existing-resource-policy", paramLabel = "POLICY", defaultValue = "NONE",
                description = "For objects that exist: NONE (skip, warn when different) or UPDATE (patch) (default: ${DEFAULT-VALUE}).")
        ExistingResourcePolicy existingResourcePolicy;

        @Option(names = "--restore-volumes", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "Restore persistent volumes (default: ${DEFAULT-VALUE}).")
        boolean restoreVolumes;

        @Option(names = "--preserve-nodeports", description = "Keep the Services' node ports.")
        boolean preserveNodePorts;

        @Option(names = "--status-include-resources", split = ",", paramLabel = "RESOURCE",
                description = "Restore the backed-up status of these resources ('*' for all), as Velero's restoreStatus.")
        List<String> statusIncluded = List.of();

        @Option(names = "--status-exclude-resources", split = ",", paramLabel = "RESOURCE",
                description = "Do not restore the status of these resources (with --status-include-resources).")
        List<String> statusExcluded = List.of();

        @Option(names = "--storage-class-mappings", split = ",", paramLabel = "OLD:NEW",
                description = "Change storage class OLD to NEW (PVs, PVCs, StatefulSet claim templates), over Velero's ConfigMap.")
        List<String> storageClassMappings = List.of();

        @Option(names = "--image-name-mappings", split = ",", paramLabel = "OLD=NEW",
                description = "Replace image part OLD by NEW in containers' images (first matching entry), over Velero's ConfigMap.")
        List<String> imageNameMappings = List.of();

        @Option(names = "--node-mappings", split = ",", paramLabel = "OLD:NEW",
                description = "Change a claim's selected node OLD to NEW, over Velero's ConfigMap.")
        List<String> nodeMappings = List.of();

        @Option(names = "--dry-run", description = "Show what the restore would do, item by item; change nothing.")
        boolean dryRun;

        @Mixin
        SelectionOptions selection;

        @Override
        public Integer call() {
            BackupLocation location = location();
            Map<String, String> mapping = pairs("--namespace-mappings", namespaceMappings, ':', "SRC:DST, e.g. shop:shop-restored");
            RestorePlan.Builder plan = RestorePlan.builder().location(location).backupName(backup)
                    .includedNamespaces(selection.includedNamespaces).excludedNamespaces(selection.excludedNamespaces)
                    .includedResources(selection.includedResources()).excludedResources(selection.excludedResources())
                    .namespaceMapping(mapping).clusterWideMode(selection.clusterWide)
                    .existingResourcePolicy(existingResourcePolicy)
                    .restorePersistentVolumes(restoreVolumes).preserveNodePorts(preserveNodePorts)
                    .storageClassMapping(pairs("--storage-class-mappings", storageClassMappings, ':', "OLD:NEW, e.g. standard:fast"))
                    .imageNameMapping(pairs("--image-name-mappings", imageNameMappings, '=', "OLD=NEW, e.g. registry-a:5000=registry-b:5000"))
                    .nodeMapping(pairs("--node-mappings", nodeMappings, ':', "OLD:NEW, e.g. node-a:node-b"));
            if (!statusIncluded.isEmpty() || !statusExcluded.isEmpty()) {
                plan.restoreStatus(statusIncluded, statusExcluded);
            }
            if (!selection.selector.isEmpty()) {
                plan.labelSelector(selection.selector);
            }
            if (name != null) {
                plan.restoreName(name);
            }
            if (dryRun) {
                RestorePreview preview = root().client().preview(plan.build());
                printer().table(preview.items().stream().map(i -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("action", i.action().name());
                    row.put("resource", i.groupResource());
                    row.put("namespace", i.namespace());
                    row.put("name", i.name());
                    row.put("reason", i.reason());
                    return row;
                }).toList(), List.of("action", "resource", "namespace", "name", "reason"));
                return ExitCodes.OK;
            }
            RestoreHandle handle = root().client().restore(plan.build());
            if (!selection.wait) {
                return printStarted(handle.name(), handle.phase().veleroName());
            }
            RestoreInfo info = handle.await(selection.timeout);
            printer().details(details(info));
            return info.phase() == RestorePhase.COMPLETED ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }

    /** {@code kbackup restore get}. */
    @Command(name = "get", mixinStandardHelpOptions = true,
            description = "Lists the restores kept in the location (restores/<name>/), running or ended, newest first.")
    static final class Get extends Leaf implements Callable<Integer> {
        @Override
        public Integer call() {
            printer().table(root().client().listRestores(location()).stream().map(RestoreCommands::row).toList(), COLUMNS);
            return ExitCodes.OK;
        }
    }

    /** {@code kbackup restore describe}. */
    @Command(name = "describe", mixinStandardHelpOptions = true,
            description = "Shows one restore: the backup it restored, its phase and progress, item outcomes, errors and warnings.")
    static final class Describe extends Leaf.Named implements Callable<Integer> {
        @Override
        public Integer call() {
            printer().details(details(root().client().describeRestore(location(), name)));
            return ExitCodes.OK;
        }
    }

    /** {@code kbackup restore logs}. */
    @Command(name = "logs", mixinStandardHelpOptions = true, description = "Prints a restore's log (streamed from the location).")
    static final class Logs extends Leaf.Named implements Callable<Integer> {
        @Override
        public Integer call() {
            return printLog(BackupClient::restoreLog);
        }
    }
}
