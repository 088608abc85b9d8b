package io.listenlog.spring.boot.internal;

import org.jspecify.annotations.Nullable;

import java.util.function.Consumer;
import java.util.function.Supplier;

/** Applies {@code listenlog.*} properties to the library's builders, reporting a refused value under its property. */
public final class Properties {
    private Properties() {
    }

    /** Gives {@code value} to {@code setter} unless it is {@code null}. */
    public static <T> void set(String property, @Nullable T value, Consumer<T> setter) {
        if (value == null) {
            return;
        }
        try {
            setter.accept(value);
        } catch (IllegalArgumentException e) {
            throw InvalidListenLogProperty.of(property, value, e.getMessage());
        }
    }

    /**
     * Builds, reporting a refusal of what the secret {@code property} configures (a URI with a password) as
     * {@code reason}, since the builder's own message may quote the value.
     */
    public static <T> T build(String property, String reason, Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw InvalidListenLogProperty.of(property, null, reason);
        }
    }
}
