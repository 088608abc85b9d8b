package io.listenlog.spring.boot.internal;

import org.jspecify.annotations.Nullable;


/**
 * A {@code listenlog.*} property the library refused, reported by {@link ListenLogFailureAnalyzer} with the property's
 * name and, unless it is a secret, its value. Spring Boot's own analysis of invalid values is not used for these,
 * because it quotes the value from every property source, secrets included.
 */
public final class InvalidListenLogProperty extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String action;

    private InvalidListenLogProperty(String property, @Nullable Object shownValue, @Nullable String reason,
                                     String action) {
        super("Invalid " + property + (shownValue == null ? "" : " '" + shownValue + "'") + ": " + reason);
        this.action = action;
    }

    /** {@code value} is shown unless {@code property} is a secret ({@link Secrets}). */
    public static InvalidListenLogProperty of(String property, @Nullable Object value, @Nullable String reason) {
        return new InvalidListenLogProperty(property, Secrets.isSecret(property) ? null : value, reason,
                "Change " + property + " as the description says"
                        + (Secrets.isSecret(property) ? " (its value is a secret and is not shown)." : "."));
    }

    /** Settings that contradict each other, such as batch-size above queue-capacity. */
    public static InvalidListenLogProperty conflict(String properties, @Nullable String reason) {
        return new InvalidListenLogProperty(properties, null, reason, "Change " + properties + " so that they agree.");
    }

    public String action() {
        return action;
    }
}
