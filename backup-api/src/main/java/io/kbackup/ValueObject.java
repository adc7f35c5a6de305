package io.kbackup;

import java.util.List;

/**
 * An immutable value whose equality is that of its {@link #values()}: plans and results compare and
 * hash every setting or detail, and nothing else, in one place.
 */
abstract class ValueObject {

    ValueObject() {}

    /** Every setting or detail, in a fixed order ({@code null} where one is unset). */
    abstract List<Object> values();

    /** Equal when of the same class with equal {@link #values()}. */
    @Override
    public final boolean equals(Object o) {
        return o == this || o != null && o.getClass() == getClass() && values().equals(((ValueObject) o).values());
    }

    @Override
    public final int hashCode() {
        return values().hashCode();
    }
}
