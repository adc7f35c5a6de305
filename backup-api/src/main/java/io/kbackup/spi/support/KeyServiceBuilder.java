package io.kbackup.spi.support;

import io.kbackup.Credentials;
import io.kbackup.InvalidPlanException;
import io.kbackup.spi.KeyProvider;
import java.util.List;
import java.util.Objects;

/**
 * What the builders of {@link KeyProvider}s that call a key service (AWS KMS, Cloud KMS, Azure Key
 * Vault) share: the credentials, checked against the kinds the service takes when they are set, so
 * that a wrong kind fails while the provider is configured rather than at the first backup. Not
 * thread-safe.
 *
 * <pre>{@code
 * public static final class Builder extends KeyServiceBuilder<MyKeyProvider, Builder> {
 *     private Builder() {
 *         super("MyKeyProvider", Credentials.none(), "none", Credentials.None.class);
 *     }
 *
 *     public MyKeyProvider build() {
 *         return new MyKeyProvider(credentials());
 *     }
 * }
 * }</pre>
 *
 * @param <P> the provider built
 * @param <B> the builder itself, returned by the setters
 */
public abstract class KeyServiceBuilder<P extends KeyProvider, B extends KeyServiceBuilder<P, B>> {
    private final String owner;
    private final String acceptedKinds;
    private final List<Class<?>> accepted;
    private Credentials credentials;

    /**
     * @param owner         names the provider in messages, e.g. {@code AwsKmsKeyProvider}
     * @param credentials   the credentials used when none are set; may be null (the provider's own default)
     * @param acceptedKinds the kinds {@code accepted} stands for, in words, for the message on another kind
     * @param accepted      the {@link Credentials} types the service takes
     */
    protected KeyServiceBuilder(String owner, Credentials credentials, String acceptedKinds, Class<?>... accepted) {
        this.owner = Objects.requireNonNull(owner, "owner");
        this.acceptedKinds = Objects.requireNonNull(acceptedKinds, "acceptedKinds");
        this.accepted = List.of(accepted);
        this.credentials = credentials;
    }

    /**
     * The credentials the provider authenticates with: one of the kinds its builder's description
     * names.
     *
     * @throws InvalidPlanException for another kind (the message names the kind, never a secret)
     */
    public B credentials(Credentials credentials) {
        Objects.requireNonNull(credentials, "credentials");
        if (accepted.stream().noneMatch(type -> type.isInstance(credentials))) {
            throw new InvalidPlanException(owner + ": credentials must be " + acceptedKinds + ", was " + credentials.kind() + ".");
        }
        this.credentials = credentials;
        return self();
    }

    /** The credentials set, or the default given to the constructor. */
    protected final Credentials credentials() {
        return credentials;
    }

    /** This builder, for the setters' return. */
    @SuppressWarnings("unchecked")
    protected final B self() {
        return (B) this;
    }

    /** The provider, configured as set. */
    public abstract P build();
}
