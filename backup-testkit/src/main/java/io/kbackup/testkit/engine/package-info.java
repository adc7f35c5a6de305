/**
 * The engine round-trip contract: {@link io.kbackup.testkit.engine.EngineRoundTripContract} backs up
 * a test cluster through one storage provider, lists, describes and restores it into a second cluster
 * (with a namespace mapping) and deletes it. Subclass it in a few lines per engine and provider,
 * giving the engine and a location.
 */
package io.kbackup.testkit.engine;
