package io.kbackup.cli;

public final class KBackupCli {
    public static void main(String[] args) {
        System.out.println(picocli.CommandLine.VERSION);
    }
}
