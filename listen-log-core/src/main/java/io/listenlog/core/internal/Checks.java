package io.listenlog.core.internal;

import java.time.Duration;
import java.util.Objects;

/** The argument checks every builder of listen-log makes, with the same messages. */
public final class Checks {
    private Checks() {
    }

    /**
     * @throws NullPointerException     naming {@code name} for {@code null}
     * @throws IllegalArgumentException for zero or a negative duration
     */
    public static Duration positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
        return value;
    }
}
