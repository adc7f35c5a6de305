package io.kbackup;

/** A running backup; see {@link OperationHandle}. */
public interface BackupHandle extends OperationHandle<BackupPhase, BackupInfo> {}
