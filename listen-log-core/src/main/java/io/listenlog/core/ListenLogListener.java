package io.listenlog.core;

import java.time.Duration;

/**
 * Observes a logger's store writes, for metrics and health checks (see {@link ListenLogger#addListener}). Called on
 * the writer thread, so implementations must return quickly; one that throws is logged and otherwise ignored.
 */
public interface ListenLogListener {

    /** A store write of {@code events} events succeeded after {@code took}. */
    default void onBatchWritten(int events, Duration took) {
    }

    /**
     * A store write of {@code events} events failed.
     *
     * @param willRetry {@code true} when the logger will write the same events again after a backoff (a transient
     *                  failure), {@code false} when it rejects them or gives them up
     */
    default void onWriteFailed(Throwable failure, int events, boolean willRetry) {
    }
}
