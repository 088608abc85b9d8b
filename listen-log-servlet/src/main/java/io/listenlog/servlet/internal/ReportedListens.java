package io.listenlog.servlet.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The listens this filter logged from reports, with the most seconds reported for each, so that a replayed or
 * repeated report costs nothing: only a report that adds seconds reaches the logger. Bounded: the least recently
 * reported listens are forgotten first, and a forgotten listen that reports again is logged again, which its listen
 * id makes harmless.
 */
public final class ReportedListens {
    /** What a report with some seconds should do. */
    public enum Step {
        /** Log the listen, then its progress: this filter has not logged it (or forgot it). */
        LOG,
        /** Only its progress: more seconds than reported before. */
        PROGRESS,
        /** Nothing: no more seconds than reported before. */
        NOTHING
    }

    private final Map<UUID, Long> seconds;

    public ReportedListens(int capacity) {
        this.seconds = new LinkedHashMap<>(1_024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<UUID, Long> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The step a report of {@code reported} seconds for {@code listenId} takes; it has not happened yet. */
    public synchronized Step stepFor(UUID listenId, long reported) {
        Long before = seconds.get(listenId);
        if (before == null) {
            return Step.LOG;
        }
        return reported > before ? Step.PROGRESS : Step.NOTHING;
    }

    /** Remembers that the logger took the listen, or its progress, with {@code reported} seconds. */
    public synchronized void taken(UUID listenId, long reported) {
        seconds.merge(listenId, reported, Math::max);
    }
}
