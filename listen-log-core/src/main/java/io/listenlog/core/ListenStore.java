package io.listenlog.core;

import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Where events go: the SPI a storage module implements (see {@code io.listenlog.jdbc.JdbcListenStore}).
 *
 * <p>The logger calls {@link #write(List)} from its one writer thread, but several loggers may share a
 * store, so implementations must be thread-safe.
 */
@FunctionalInterface
public interface ListenStore {

    /**
     * Writes a batch all-or-nothing and exactly once per listen id: when this returns, every event is stored; when
     * it throws, none is; an event whose {@link ListenEvent#listenId()} is already stored changes nothing (no second
     * row, no second count). So a batch retried after a COMMIT whose acknowledgement was lost, replayed by a broker,
     * or written by two instances at once is stored once.
     *
     * <p>Failures tell the logger what to do next:
     * <ul>
     *   <li>{@link ListenStoreException#transientFailure} (connection lost, timeout, database locked, deadlock): the
     *   logger retries the same batch later with capped exponential backoff;</li>
     *   <li>{@link ListenStoreException#rejected} (a constraint violation such as an unknown source id): the events
     *   it names are counted as rejected and the rest are written again; when it names none, the logger splits the
     *   batch to find the offending events;</li>
     *   <li>{@link IllegalArgumentException}, {@link java.time.DateTimeException}, {@link ArithmeticException} and
     *   {@link ClassCastException} say a value cannot be stored: they are rejections that name no event;</li>
     *   <li>any other {@link RuntimeException} (or {@link Error} but a {@link VirtualMachineError}) is transient.</li>
     * </ul>
     * The logger and the Redis stream consumer follow the same rules, so a store fails the same way on either path.
     *
     * @param batch the events, never empty; the list must not be modified
     */
    void write(List<ListenEvent> batch);

    /**
     * Records listening time: for each update, sets the stored listen's {@code duration_seconds} to the larger of the
     * stored value and {@link ListenProgress#listenedSeconds()}. The logger calls it after writing the events queued
     * before the updates, so a progress update follows its listen. Failures are reported as for {@link #write}.
     *
     * @param updates the updates, never empty, at most one per listen id; the list must not be modified
     * @return the listen ids of the updates the store does not hold (never written, or already deleted); empty when
     *         every update named a stored listen
     * @throws UnsupportedOperationException by default: a store that does not record listening time
     */
    default Set<UUID> updateDurations(List<ListenProgress> updates) {
        throw new UnsupportedOperationException(getClass().getName() + " does not record listening time");
    }
}
