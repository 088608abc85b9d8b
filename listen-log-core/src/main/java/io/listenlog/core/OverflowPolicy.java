package io.listenlog.core;

/** What {@link ListenLogger#log(ListenRequest)} does when the dispatcher's queue is full. */
public enum OverflowPolicy {
    /** Return {@code false} at once and count the event as dropped. The request thread never waits. */
    DROP,
    /** Wait until the queue has room (or the logger is closed). Nothing is dropped, but callers can be slowed down. */
    BLOCK
}
