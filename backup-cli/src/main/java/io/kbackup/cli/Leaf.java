package io.kbackup.cli;

import io.kbackup.BackupClient;
import io.kbackup.BackupLocation;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** What every command that does something shares: the root's options, the printer, the location. */
abstract class Leaf {
    private static final Pattern GO_DURATION = Pattern.compile("(\\d+)(d|h|m|s)");

    @Spec
    CommandSpec spec;

    @Mixin
    LocationOptions locationOptions;

    /** A command on one backup or restore, named by its only argument. */
    abstract static class Named extends Leaf {
        @Parameters(paramLabel = "NAME", description = "The backup's or restore's name.")
        String name;

        /** Streams the log that {@code log} reads of the named backup or restore to standard output. */
        int printLog(LogReader log) {
            var out = spec.commandLine().getOut();
            log.read(root().client(), location(), name, out::println);
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** Reads an operation's log line by line ({@code BackupClient::backupLog}, {@code BackupClient::restoreLog}). */
    interface LogReader {
        void read(BackupClient client, BackupLocation location, String name, Consumer<String> line);
    }

    KBackupCli root() {
        return (KBackupCli) spec.root().userObject();
    }

    Printer printer() {
        return new Printer(spec.commandLine().getOut(), root().output);
    }

    /** Prints the name and phase of a backup or restore that was started and not waited for. */
    int printStarted(String name, String veleroPhase) {
        Map<String, Object> started = new LinkedHashMap<>();
        started.put("name", name);
        started.put("phase", veleroPhase);
        printer().details(started);
        return ExitCodes.OK;
    }

    /** The location of the options, the file and the environment. */
    BackupLocation location() {
        return locationOptions.build(root().secrets, root().env);
    }

    /** Parses {@code 720h}, {@code 7d}, {@code 1h30m}, {@code 90s} or ISO-8601 ({@code PT1H}). */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.strip().toLowerCase(Locale.ROOT);
            if (v.startsWith("p")) {
                return Duration.parse(v.toUpperCase(Locale.ROOT));
            }
            Matcher m = GO_DURATION.matcher(v);
            Duration d = Duration.ZERO;
            int end = 0;
            while (m.find() && m.start() == end) {
                long n = Long.parseLong(m.group(1));
                d = d.plus(switch (m.group(2)) {
                    case "d" -> Duration.ofDays(n);
                    case "h" -> Duration.ofHours(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofSeconds(n);
                });
                end = m.end();
            }
            if (end == 0 || end != v.length()) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration: use e.g. 720h, 7d, 1h30m or 90s");
            }
            return d;
        }
    }
}
