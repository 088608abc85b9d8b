package io.listenlog.jdbc;

/**
 * What one {@link ListenRetention#runOnce()} did.
 *
 * @param daysRolledUp  UTC days whose rollup this run wrote (days without plays included)
 * @param eventsDeleted {@code listen_event} rows this run deleted
 */
public record RetentionResult(int daysRolledUp, long eventsDeleted) {
}
