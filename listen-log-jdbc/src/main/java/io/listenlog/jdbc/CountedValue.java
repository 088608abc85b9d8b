package io.listenlog.jdbc;

/**
 * A value, such as a referrer host or a user agent, and how many listens had it.
 *
 * @param value the value
 * @param plays listens with that value
 */
public record CountedValue(String value, long plays) {
}
