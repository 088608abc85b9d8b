package io.listenlog.servlet;

import io.listenlog.core.ListenEvent;
import io.listenlog.core.ListenProgress;
import io.listenlog.core.ListenStore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * An in-memory, thread-safe {@link ListenStore} that keeps every event it is given, once per listen id as the
 * store contract says (several instances may log one listen).
 */
public final class RecordingStore implements ListenStore {

    private final List<ListenEvent> events = new ArrayList<>();
    private final Set<UUID> ids = new HashSet<>();

    @Override
    public synchronized void write(List<ListenEvent> batch) {
        for (ListenEvent event : batch) {
            if (ids.add(event.listenId())) {
                events.add(event);
            }
        }
    }

    public synchronized List<ListenEvent> events() {
        return List.copyOf(events);
    }

    private final Map<UUID, Integer> durations = new HashMap<>();

    /** Keeps the largest listening time per stored listen; ids never stored are returned. */
    @Override
    public synchronized Set<UUID> updateDurations(List<ListenProgress> updates) {
        Set<UUID> unknown = new HashSet<>();
        for (ListenProgress update : updates) {
            if (ids.contains(update.listenId())) {
                durations.merge(update.listenId(), update.listenedSeconds(), Math::max);
            } else {
                unknown.add(update.listenId());
            }
        }
        return unknown;
    }

    /** The listening time recorded for {@code listenId}, or {@code null}. */
    public synchronized Integer duration(UUID listenId) {
        return durations.get(listenId);
    }
}
