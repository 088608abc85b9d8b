package io.listenlog.core;

import java.util.List;

/**
 * Where events go: the SPI a storage module implements (see {@code io.listenlog.jdbc.JdbcListenStore}).
 *
 * <p>The logger calls {@link #write(List)} from its one writer thread, but several loggers may share a
 * store, so implementations must be thread-safe.
 */
@FunctionalInterface
public interface ListenStore {

    /**
     * Writes a batch all-or-nothing: when this returns, every event is stored; when it throws, none is. The one
     * exception no store can rule out is a connection lost during COMMIT, whose outcome is unknown: reported as
     * transient, such a batch may be written twice.
     *
     * <p>Failures tell the logger what to do next:
     * <ul>
     *   <li>{@link ListenStoreException#transientFailure} (connection lost, timeout, database locked, deadlock): the
     *   logger retries the same batch later with capped exponential backoff;</li>
     *   <li>{@link ListenStoreException#rejected} (a constraint violation such as an unknown source id): the events
     *   it names are counted as rejected and the rest are written again; when it names none, the logger splits the
     *   batch to find the offending events;</li>
     *   <li>any other {@link RuntimeException} is treated as transient.</li>
     * </ul>
     *
     * @param batch the events, never empty; the list must not be modified
     */
    void write(List<ListenEvent> batch);
}
