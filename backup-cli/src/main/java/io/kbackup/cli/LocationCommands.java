package io.kbackup.cli;

import io.kbackup.BackupLocation;
import io.kbackup.ValidationResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code kbackup location ...}. */
@Command(name = "location", description = "Backup locations.", mixinStandardHelpOptions = true,
        subcommands = LocationCommands.Validate.class)
final class LocationCommands {

    /** {@code kbackup location validate}: the "Validate" button. */
    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = {"Checks that the location is usable: the bucket exists, the credentials are accepted and "
                    + "allowed, the endpoint is reachable. Exits 0 when it is, else with the code of the first problem."})
    static final class Validate extends Leaf implements Callable<Integer> {
        @Override
        public Integer call() {
            BackupLocation location = location();
            ValidationResult result = location.validate();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("location", location.name());
            out.put("provider", location.provider());
            out.put("bucket", location.bucket());
            out.put("prefix", location.prefix());
            out.put("valid", result.isOk());
            out.put("problems", result.problems().stream()
                    .map(p -> (Object) Map.of("kind", p.kind().name(), "message", p.message(), "fix", p.fix()))
                    .toList());
            Printer printer = printer();
            if (printer.json()) {
                printer.details(out);
            } else if (result.isOk()) {
                spec.commandLine().getOut().println("Location " + location.name() + " (" + location.provider() + ", "
                        + location.bucket() + ") is valid.");
            } else {
                var err = spec.commandLine().getErr();
                err.println("Location " + location.name() + " (" + location.provider() + ", " + location.bucket()
                        + ") is not usable:");
                List<ValidationResult.Problem> problems = result.problems();
                for (ValidationResult.Problem p : problems) {
                    err.println("  " + p.kind() + ": " + p.message());
                    err.println("    fix: " + p.fix());
                }
                err.flush();
            }
            return ExitCodes.of(result);
        }
    }
}
