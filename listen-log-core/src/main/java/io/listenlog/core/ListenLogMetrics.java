package io.listenlog.core;

/**
 * A snapshot of a logger's counters, all since it was built. At every snapshot
 * {@code accepted == written + rejected + abandoned + pending}: an accepted event is always in exactly one of those
 * states, and an event that was not accepted is counted in {@code dropped}.
 *
 * @param accepted   events {@link ListenLogger#log} took in
 * @param written    events the store wrote
 * @param dropped    events refused by {@code log} (queue full under {@link OverflowPolicy#DROP}, or logger closed)
 * @param rejected   accepted events that can never be stored (the store rejected them, or anonymization failed)
 * @param retries    store writes that were attempted again after a transient failure
 * @param abandoned  accepted events given up when the logger closed before they could be written
 * @param pending    accepted events not yet written, rejected or abandoned (queued or in flight)
 * @param queueDepth events waiting in the logger's queue right now (a part of {@code pending})
 */
public record ListenLogMetrics(
        long accepted,
        long written,
        long dropped,
        long rejected,
        long retries,
        long abandoned,
        long pending,
        int queueDepth) {
}
