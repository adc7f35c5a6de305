/**
 * Key providers that ship with backup-core: {@link io.kbackup.core.keys.StaticKeyProvider}, a key
 * the host holds, which wraps the data keys of encrypted backups (see {@link io.kbackup.Encryption}).
 */
package io.kbackup.core.keys;
