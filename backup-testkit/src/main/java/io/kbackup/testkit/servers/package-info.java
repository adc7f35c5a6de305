/**
 * Real servers for tests: where their binaries are ({@link io.kbackup.testkit.servers.TestServers}) and
 * running one as a child process ({@link io.kbackup.testkit.servers.ServerProcess}).
 */
package io.kbackup.testkit.servers;
