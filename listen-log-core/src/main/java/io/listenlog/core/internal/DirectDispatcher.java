package io.listenlog.core.internal;

import io.listenlog.core.ListenDispatcher;
import io.listenlog.core.ListenRequest;
import io.listenlog.core.ListenSink;

import java.time.Duration;
import java.time.Instant;

/** Writes on the caller's thread, one request per store call. */
public final class DirectDispatcher implements ListenDispatcher {
    private final ListenSink sink;
    private volatile boolean closing;
    private volatile long closeDeadline;

    public DirectDispatcher(ListenSink sink) {
        this.sink = sink;
    }

    @Override
    public boolean dispatch(ListenRequest request, Instant receivedAt) {
        if (closing) {
            return false;
        }
        sink.write(new ListenRequest[] {request}, new Instant[] {receivedAt}, 1,
                () -> closing && System.nanoTime() - closeDeadline >= 0);
        return true;
    }

    /** Every accepted request was settled before {@code dispatch} returned. */
    @Override
    public boolean flush(Duration timeout) {
        return true;
    }

    @Override
    public int queueDepth() {
        return 0;
    }

    @Override
    public void close(Duration timeout) {
        closeDeadline = System.nanoTime() + timeout.toNanos();
        closing = true;
    }
}
