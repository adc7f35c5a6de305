/**
 * Client-side encryption and manifest trust: {@link io.kbackup.core.internal.trust.Trust} (the
 * engine's key providers and signing/verification keys; seals a new backup with a fresh data key),
 * {@link io.kbackup.core.internal.trust.DataCipher} (Tink's {@code AES256_GCM_HKDF_1MB} streaming
 * AEAD over one backup's files) and {@link io.kbackup.core.internal.trust.SealedBackup} (what a
 * stored backup's manifest vouches for, checked before anything else of it is read).
 */
package io.kbackup.core.internal.trust;
