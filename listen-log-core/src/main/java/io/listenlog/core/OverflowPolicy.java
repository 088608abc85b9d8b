package io.listenlog.core;

/** What {@link ListenLogger#log(ListenRequest)} does when the dispatcher's queue is full. */
public enum OverflowPolicy {
    /** Return {@code false} at once and count the event as dropped. The request thread never waits. */
    DROP,
    /**
     * Wait until the queue has room, the logger is closed or the calling thread is interrupted (the last two drop the
     * event and count it). Callers can be slowed down.
     */
    BLOCK
}
