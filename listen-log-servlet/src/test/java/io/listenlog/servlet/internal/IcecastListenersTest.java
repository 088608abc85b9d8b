package io.listenlog.servlet.internal;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class IcecastListenersTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void aFloodWithinTheWindowStopsAtTheLimitForgettingTheOldestFirst() {
        IcecastListeners listeners = new IcecastListeners(Duration.ofHours(24));
        for (int client = 0; client <= IcecastListeners.MAX_LISTENERS; client++) {
            listeners.added("icecast:8000/radio1#" + client, UUID.randomUUID(), T0);
        }
        assertThat(listeners.size()).isEqualTo(IcecastListeners.MAX_LISTENERS);
        assertThat(listeners.forgotten()).isOne();
        assertThat(listeners.removed("icecast:8000/radio1#0", T0)).as("the oldest went first").isNull();
        assertThat(listeners.removed("icecast:8000/radio1#1", T0)).isNotNull();
    }

    @Test
    void aClientIdAddedAgainAfterAnIcecastRestartReplacesTheListenerItsRemovalWillNeverReach() {
        IcecastListeners listeners = new IcecastListeners(Duration.ofHours(24));
        UUID before = UUID.randomUUID();
        UUID after = UUID.randomUUID();
        listeners.added("icecast:8000/radio1#1", before, T0);
        listeners.added("icecast:8000/radio1#1", after, T0.plusSeconds(60));

        assertThat(listeners.forgotten()).isOne();
        assertThat(listeners.removed("icecast:8000/radio1#1", T0.plusSeconds(90)))
                .isEqualTo(new IcecastListeners.Added(after, T0.plusSeconds(60)));
    }
}
