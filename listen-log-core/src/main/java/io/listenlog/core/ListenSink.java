package io.listenlog.core;

import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * What a {@link ListenDispatcher} hands requests to: it anonymizes and normalizes them into {@link ListenEvent}s,
 * writes them to the {@link ListenStore}, retries transient failures with capped exponential backoff, isolates
 * rejected events, and keeps the logger's metrics. Thread-safe; never throws because of the store.
 */
public interface ListenSink {

    /**
     * Settles the first {@code count} requests: each ends up written, rejected, or (once {@code giveUp} answers
     * {@code true} while a transient failure persists) abandoned. Blocks while it retries.
     *
     * @param requests   the requests
     * @param receivedAt for each request, the instant {@link ListenDispatcher#dispatch} was given with it
     * @param count      how many entries of the arrays to take
     * @param giveUp     asked between retries; {@code true} abandons what is still unwritten
     */
    void write(ListenRequest[] requests, Instant[] receivedAt, int count, BooleanSupplier giveUp);

    /** Counts {@code count} accepted requests that will never be written (left over at close). */
    void abandon(int count);
}
