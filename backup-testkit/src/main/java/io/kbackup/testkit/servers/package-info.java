/**
 * Real servers for tests: where their binaries are ({@link io.kbackup.testkit.servers.TestServers}),
 * running one as a child process ({@link io.kbackup.testkit.servers.ServerProcess}), and the storage
 * servers ready to use: {@link io.kbackup.testkit.servers.MinioServer} (S3 API with real signature
 * and policy checks, object lock, STS for restricted credentials),
 * {@link io.kbackup.testkit.servers.FakeGcsServer} (the GCS JSON and upload API) and
 * {@link io.kbackup.testkit.servers.MotoServer} (S3, STS, IAM and KMS at one endpoint). Each binds
 * to 127.0.0.1 on a free port, keeps its data in a temporary folder, and is closed with
 * try-with-resources.
 */
package io.kbackup.testkit.servers;
