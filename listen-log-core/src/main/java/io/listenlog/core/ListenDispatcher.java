package io.listenlog.core;

import java.time.Duration;
import java.time.Instant;

/**
 * The hand-off between {@link ListenLogger#log} and the {@link ListenSink} that writes to the store: a queue and a
 * writer thread, the caller's own thread, a host {@code Executor}, or a message broker. Ready-made ones are in
 * {@link ListenDispatchers}; a logger creates its dispatcher through a {@link Factory} when it is built.
 *
 * <p>A dispatcher must hand every request it accepted to the sink exactly once (through
 * {@link ListenSink#write} or, when it gives up at close, {@link ListenSink#abandon}).
 */
public interface ListenDispatcher {

    /**
     * Takes one request. Called concurrently from request threads; should return quickly.
     *
     * @param request    the request
     * @param receivedAt the logger's clock reading when {@code request.occurredAt()} is {@code null}, else {@code null}
     * @return {@code true} if accepted, {@code false} if refused (queue full under {@link OverflowPolicy#DROP}, or
     *         closed); a refused request must not reach the sink
     */
    boolean dispatch(ListenRequest request, Instant receivedAt);

    /** Waits until every request accepted before the call has been handed to the sink and settled. */
    boolean flush(Duration timeout);

    /** Requests accepted and waiting to be handed to the sink. */
    int queueDepth();

    /**
     * Stops accepting, hands what it holds to the sink until {@code timeout} has passed, then abandons the rest
     * through {@link ListenSink#abandon}. Called once.
     */
    void close(Duration timeout);

    /** Creates a logger's dispatcher. */
    @FunctionalInterface
    interface Factory {
        ListenDispatcher create(ListenSink sink, DispatchSettings settings);
    }
}
