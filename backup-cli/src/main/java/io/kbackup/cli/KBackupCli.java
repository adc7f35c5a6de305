package io.kbackup.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kbackup.BackupClient;
import io.kbackup.core.KBackup;
import java.io.File;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code kbackup} command line: validates backup locations, creates, lists, describes,
 * verifies and deletes backups, restores them and reads their logs, with the SDK's DirectEngine. Run
 * {@code java -jar kbackup.jar --help}.
 */
@Command(name = "kbackup", mixinStandardHelpOptions = true, versionProvider = KBackupCli.Version.class,
        description = {"Backs up and restores Kubernetes clusters in Velero's bucket format.", "",
            "The location comes from --location-file, the --provider/--bucket/... options or the KBACKUP_* "
                    + "environment variables; credentials from --credentials-file or the provider's usual "
                    + "environment variables. Secrets are never printed.",
            "The cluster comes from --kubeconfig/--context, else the KUBECONFIG variable or the file "
                    + "~/.kube/config, else the pod's service account."},
        subcommands = {LocationCommands.class, BackupCommands.class, RestoreCommands.class,
            AutoComplete.GenerateCompletion.class},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
            "0:Done; a backup or restore ended Completed.",
            "1:A backup or restore ended otherwise (PartiallyFailed, Failed), or another kbackup error.",
            "2:Wrong command line.",
            "3:No such backup, restore or bucket.",
            "4:Invalid plan or location settings; nothing was changed.",
            "5:Storage unreachable.",
            "6:Storage refused the credentials or denied access.",
            "7:Other storage error.",
            "8:The cluster refused a request (e.g. RBAC) or is unreachable.",
            "9:Corrupt backup (backup verify found a problem, or a restore refused it); nothing was restored.",
            "10:Timed out waiting; the operation goes on.",
            "70:Internal error (run with --verbose and report it)."})
public final class KBackupCli {

    @Option(names = "--kubeconfig", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "Kubeconfig file (default: the KUBECONFIG variable, then the file ~/.kube/config, then the pod's "
                    + "service account).")
    File kubeconfig;

    @Option(names = "--context", scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = "Kubeconfig context (default: the current one).")
    String context;

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, defaultValue = "table", paramLabel = "FORMAT",
            description = "table or json (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Log what the SDK does (INFO) and show the causes of an error.")
    boolean verbose;

    final Secrets secrets = new Secrets();
    /** The process environment; replaced in tests. */
    Map<String, String> env = System.getenv();
    private KubernetesClient kubernetes;
    private BackupClient client;

    /** The output formats. */
    enum OutputFormat { table, json }

    /**
     * Loggers that print tokens, signed headers and Secret data when enabled (README, "Logging and
     * secrets"): off unless the user set their level explicitly.
     */
    static final List<String> WIRE_LOGGERS = List.of("org.apache.http.wire", "org.apache.http.headers",
            "org.apache.hc.client5.http.wire", "org.apache.hc.client5.http.headers", "software.amazon.awssdk.request",
            "software.amazon.awssdk.http", "io.fabric8.kubernetes.client.http.HttpLoggingInterceptor",
            "com.azure.core.http.policy.HttpLoggingPolicy", "okhttp3");
    /** Held so the java.util.logging levels set on them are not lost to garbage collection. */
    private static final List<java.util.logging.Logger> QUIET_JUL = new java.util.ArrayList<>();

    private static synchronized void quietWireLogs() {
        for (String name : WIRE_LOGGERS) {
            String key = "org.slf4j.simpleLogger.log." + name;
            if (System.getProperty(key) == null) {
                System.setProperty(key, "off");
            }
        }
        if (QUIET_JUL.isEmpty()) {
            for (String name : List.of("com.google.api.client.http", "jdk.httpclient")) {
                java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
                logger.setLevel(java.util.logging.Level.INFO);
                QUIET_JUL.add(logger);
            }
        }
    }

    /** Runs the CLI and exits with its exit code. */
    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8)));
    }

    /** Runs the CLI with the given output streams and returns its exit code (for embedding and tests). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, out, err, System.getenv());
    }

    /** As {@link #run(String[], PrintWriter, PrintWriter)} with the given environment. */
    static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
        boolean verbose = List.of(args).contains("-v") || List.of(args).contains("--verbose");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "warn");
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        quietWireLogs();
        KBackupCli cli = new KBackupCli();
        cli.env = env;
        CommandLine cmd = commandLine(cli, out, err);
        try {
            return cmd.execute(args);
        } finally {
            cli.close();
            out.flush();
            err.flush();
        }
    }

    /** The picocli command line of {@code cli}, printing to {@code out} and {@code err} with secrets masked. */
    static CommandLine commandLine(KBackupCli cli, PrintWriter out, PrintWriter err) {
        CommandLine cmd = new CommandLine(cli);
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        cmd.setOut(new PrintWriter(new RedactingWriter(out, cli.secrets), true));
        cmd.setErr(new PrintWriter(new RedactingWriter(err, cli.secrets), true));
        cmd.setExecutionExceptionHandler(new ErrorHandler(cli));
        cmd.setParameterExceptionHandler(new ErrorHandler.Usage());
        cmd.setExitCodeExceptionMapper(ExitCodes::of);
        copyExitCodes(cmd, cmd.getCommandSpec().usageMessage());
        CommandLine completion = cmd.getSubcommands().get("generate-completion");
        completion.getCommandSpec().usageMessage().hidden(false);
        return cmd;
    }

    /** Every command's --help lists the exit codes. */
    private static void copyExitCodes(CommandLine cmd, CommandLine.Model.UsageMessageSpec root) {
        for (CommandLine sub : cmd.getSubcommands().values()) {
            sub.getCommandSpec().usageMessage().exitCodeListHeading(root.exitCodeListHeading()).exitCodeList(root.exitCodeList());
            copyExitCodes(sub, root);
        }
    }

    /** The SDK client on the chosen cluster (created on first use; the cluster is contacted only when needed). */
    BackupClient client() {
        if (client == null) {
            client = KBackup.direct(kubernetes());
        }
        return client;
    }

    /** The Kubernetes client of --kubeconfig/--context, else the default configuration. */
    KubernetesClient kubernetes() {
        if (kubernetes == null) {
            Config config;
            if (kubeconfig != null) {
                if (!Files.isReadable(kubeconfig.toPath())) {
                    throw new CliException("Cannot read the kubeconfig " + kubeconfig + ": check the path given to --kubeconfig.",
                            ExitCodes.USAGE);
                }
                config = Config.fromKubeconfig(context, kubeconfig);
            } else {
                config = Config.autoConfigure(context);
            }
            secrets.add(config.getPassword());
            secrets.add(config.getOauthToken());
            secrets.add(config.getClientKeyData());
            kubernetes = new KubernetesClientBuilder().withConfig(config).build();
        }
        return kubernetes;
    }

    private void close() {
        if (client != null) {
            client.close();
        }
        if (kubernetes != null) {
            kubernetes.close();
        }
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = KBackupCli.class.getPackage().getImplementationVersion();
            return new String[] {"kbackup " + (v == null ? "(development build)" : v)};
        }
    }
}
