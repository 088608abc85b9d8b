package io.listenlog.core;

/** What {@link ListenLogger#log(ListenRequest)} does when the logger's queue is full. */
public enum OverflowPolicy {
    /** Return {@code false} at once and count the event as dropped. The request thread never waits. */
    DROP,
    /**
     * Wait until the queue has room, at most {@code blockTimeout} (default 1 s); when that passes, the logger is
     * closed or the calling thread is interrupted, the event is dropped and counted. Callers can be slowed down, but
     * never for longer than {@code blockTimeout}, even while the store is down.
     */
    BLOCK
}
