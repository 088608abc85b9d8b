package io.listenlog.core;

import io.listenlog.core.internal.BatchingDispatcher;
import io.listenlog.core.internal.DirectDispatcher;
import io.listenlog.core.internal.ExecutorDispatcher;

import java.util.Objects;
import java.util.concurrent.Executor;

/** The dispatchers that ship with listen-log. */
public final class ListenDispatchers {

    private ListenDispatchers() {
    }

    /**
     * The default: a bounded lock-free queue and one daemon writer thread that writes batches of up to
     * {@code batchSize} events, at the latest {@code maxBatchDelay} after they arrive. Anonymization, normalization
     * and all database work happen on the writer thread.
     */
    public static ListenDispatcher.Factory batching() {
        return BatchingDispatcher::new;
    }

    /**
     * Writes on the caller's thread before {@code log} returns, one event per store call, retrying transient
     * failures in place. For tests, command-line tools and imports; never for request threads.
     */
    public static ListenDispatcher.Factory direct() {
        return (sink, settings) -> new DirectDispatcher(sink);
    }

    /**
     * The bounded queue of {@link #batching()}, drained by tasks submitted to a host-supplied executor (for example
     * {@code Executors.newVirtualThreadPerTaskExecutor()}) instead of an own thread. At most one drain task runs at a
     * time, so events are written in order. The executor is not shut down by the logger.
     */
    public static ListenDispatcher.Factory executor(Executor executor) {
        Objects.requireNonNull(executor, "executor");
        return (sink, settings) -> new ExecutorDispatcher(sink, settings, executor);
    }
}
