package io.listenlog.jdbc;

import io.listenlog.core.internal.Checks;

import java.time.Duration;
import java.util.Objects;

/**
 * Who counts in the audience figures, the one definition that {@link ListenStats}, the daily rollups of
 * {@link ListenRetention} and the dashboard share, so that a rolled-up day and a day computed from raw events agree.
 *
 * @param minimumListen     the shortest listen by a person that is a session (Webcast Metrics' one minute by
 *                          default); {@link Duration#ZERO} counts every play by a person. Whole seconds.
 * @param maxListenDuration the longest a listen lasts in the figures, the logger's {@code maxListenDuration} (24 h by
 *                          default): a longer recorded duration is cut to it, and a day's figures include the
 *                          sessions that started up to this long before the day, whatever range is asked
 */
public record AudienceDefinition(Duration minimumListen, Duration maxListenDuration) {
    /** One minute and 24 hours. */
    public static final AudienceDefinition DEFAULT = new AudienceDefinition(Duration.ofMinutes(1), Duration.ofHours(24));

    /**
     * @throws IllegalArgumentException if {@code minimumListen} is negative or {@code maxListenDuration} not positive
     */
    public AudienceDefinition {
        Objects.requireNonNull(minimumListen, "minimumListen");
        if (minimumListen.isNegative()) {
            throw new IllegalArgumentException("minimumListen must not be negative, got " + minimumListen);
        }
        Checks.positive(maxListenDuration, "maxListenDuration");
    }

    /** This definition with another {@code minimumListen}. */
    public AudienceDefinition withMinimumListen(Duration minimumListen) {
        return new AudienceDefinition(minimumListen, maxListenDuration);
    }

    /** This definition with another {@code maxListenDuration}. */
    public AudienceDefinition withMaxListenDuration(Duration maxListenDuration) {
        return new AudienceDefinition(minimumListen, maxListenDuration);
    }
}
