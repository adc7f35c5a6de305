/**
 * The {@code kbackup} command line: {@link io.kbackup.cli.KBackupCli} is the entry point (a picocli
 * command with the {@code location}, {@code backup} and {@code restore} command groups); exit codes
 * are in {@link io.kbackup.cli.ExitCodes}. Not an API: the library's API is {@code io.kbackup} and
 * {@code io.kbackup.core}.
 */
package io.kbackup.cli;
