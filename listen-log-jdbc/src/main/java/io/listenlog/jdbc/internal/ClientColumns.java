package io.listenlog.jdbc.internal;

import org.jspecify.annotations.Nullable;


/** The {@code client_app} and {@code client_platform} columns hold at most {@value #MAX_LENGTH} characters. */
public final class ClientColumns {
    public static final int MAX_LENGTH = 100;

    private ClientColumns() {
    }

    /** {@code value} cut to {@value #MAX_LENGTH} characters, a surrogate pair never split; {@code null} stays. */
    public static @Nullable String cut(@Nullable String value) {
        if (value == null || value.length() <= MAX_LENGTH) {
            return value;
        }
        int end = Character.isHighSurrogate(value.charAt(MAX_LENGTH - 1)) ? MAX_LENGTH - 1 : MAX_LENGTH;
        return value.substring(0, end);
    }
}
