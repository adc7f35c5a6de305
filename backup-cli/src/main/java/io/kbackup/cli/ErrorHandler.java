package io.kbackup.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Prints an error as one line saying what was wrong (and, with {@code --verbose}, its causes),
 * never a stack trace of a user error, and returns the error's exit code. Output goes through the
 * command line's redacting writers.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
    private final KBackupCli cli;

    ErrorHandler(KBackupCli cli) {
        this.cli = cli;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        int code = ExitCodes.of(e);
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        err.println("Error: " + message);
        if (cli.verbose) {
            err.println("  (" + e.getClass().getName() + ", exit code " + code + ")");
            for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
                err.println("  caused by " + c.getClass().getName() + ": " + c.getMessage());
            }
            if (code == ExitCodes.INTERNAL) {
                e.printStackTrace(err);
            }
        }
        err.flush();
        return code;
    }

    /**
     * Command-line errors: the message and a hint, exit code 2. The value of an unknown option
     * ({@code --some-key=VALUE}) is not repeated, as it may be a secret typed in the wrong place.
     */
    static final class Usage implements CommandLine.IParameterExceptionHandler {
        @Override
        public int handleParseException(CommandLine.ParameterException e, String[] args) {
            CommandLine cmd = e.getCommandLine();
            PrintWriter err = cmd.getErr();
            String message = e.getMessage();
            if (e instanceof CommandLine.UnmatchedArgumentException u) {
                message = "Unknown option or argument: " + String.join(", ", u.getUnmatched().stream()
                        .map(a -> a.startsWith("-") && a.contains("=") ? a.substring(0, a.indexOf('=')) + "=..." : a)
                        .map(a -> a.startsWith("-") ? a : "'" + a + "'").toList());
            }
            err.println("Error: " + message);
            err.println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for the options.");
            return ExitCodes.USAGE;
        }
    }
}
