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
 * @param queueDepth plays and progress updates waiting in the logger's queue right now (a part of the pending ones)
 * @param progress   the progress updates of {@link ListenLogger#progress}, counted apart so that nothing read as
 *                   plays is inflated by them
 */
public record ListenLogMetrics(
        long accepted,
        long written,
        long dropped,
        long rejected,
        long retries,
        long abandoned,
        long pending,
        int queueDepth,
        Progress progress) {

    /**
     * The progress updates, with the same rule: {@code accepted == applied + unknown + rejected + abandoned +
     * pending}, and an update that was not accepted is counted in {@code dropped}.
     *
     * @param accepted  updates {@link ListenLogger#progress} took in
     * @param applied   updates the store applied to a stored listen (keeping the larger duration)
     * @param unknown   updates naming a listen id the store does not hold (never written, or already deleted)
     * @param dropped   updates refused (queue full under {@link OverflowPolicy#DROP}, or logger closed)
     * @param rejected  updates the store cannot take (for example a store that does not record listening time)
     * @param abandoned updates given up when the logger closed before they could be applied
     * @param pending   updates not yet settled (queued or in flight)
     */
    public record Progress(long accepted, long applied, long unknown, long dropped, long rejected, long abandoned,
                           long pending) {
    }
}
