package io.kbackup;

/** A running restore; see {@link OperationHandle}. */
public interface RestoreHandle extends OperationHandle<RestorePhase, RestoreInfo> {}
