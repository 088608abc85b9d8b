package io.listenlog.servlet;

import io.listenlog.core.ListenEvent;
import io.listenlog.core.ListenStore;

import java.util.ArrayList;
import java.util.List;

/** An in-memory, thread-safe {@link ListenStore} that keeps every event it is given. */
public final class RecordingStore implements ListenStore {

    private final List<ListenEvent> events = new ArrayList<>();

    @Override
    public synchronized void write(List<ListenEvent> batch) {
        events.addAll(batch);
    }

    public synchronized List<ListenEvent> events() {
        return List.copyOf(events);
    }
}
