package io.listenlog.servlet.internal;

import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;

/**
 * Icecast listeners added and not yet removed, oldest first, so that a removal finds its listen and its start. Bounded
 * two ways: a listener added longer than {@code keep} ago is forgotten (its removal can no longer be recorded, since
 * the logger would cut its duration anyway), and at most {@link #MAX_LISTENERS} are kept at once. Every forgotten
 * listener is counted.
 */
public final class IcecastListeners {
    /** Far above what one Icecast serves (its {@code clients} limit is 100 by default); a flood stops here. */
    public static final int MAX_LISTENERS = 100_000;

    /** A listener's listen and when Icecast asked to admit it. */
    public record Added(UUID listenId, Instant at) {
    }

    private final Map<String, Added> byClient = new LinkedHashMap<>();
    private final Duration keep;
    private final LongAdder forgotten = new LongAdder();

    public IcecastListeners(Duration keep) {
        this.keep = keep;
    }

    /**
     * A listener admitted under {@code client} (server, port, mount and Icecast's client id). The same key added again
     * means Icecast restarted and counts its ids from 1 again: the earlier listener's removal will never come.
     */
    public synchronized void added(String client, UUID listenId, Instant at) {
        forgetOlderThan(at.minus(keep));
        if (byClient.remove(client) != null) {
            forgotten.increment();
        }
        byClient.put(client, new Added(listenId, at));
        Iterator<Added> oldest = byClient.values().iterator();
        while (byClient.size() > MAX_LISTENERS) {
            oldest.next();
            oldest.remove();
            forgotten.increment();
        }
    }

    /** The listener removed under {@code client}, or {@code null} when it was never added here or was forgotten. */
    public synchronized @Nullable Added removed(String client, Instant now) {
        forgetOlderThan(now.minus(keep));
        return byClient.remove(client);
    }

    private void forgetOlderThan(Instant cutoff) {
        Iterator<Added> oldest = byClient.values().iterator();
        while (oldest.hasNext() && oldest.next().at().isBefore(cutoff)) {
            oldest.remove();
            forgotten.increment();
        }
    }

    /** Listeners forgotten before their removal: too old, too many, or replaced after an Icecast restart. */
    public long forgotten() {
        return forgotten.sum();
    }

    /** Listeners added and not yet removed or forgotten. */
    public synchronized int size() {
        return byClient.size();
    }
}
