package io.listenlog.jdbc;

import java.time.LocalDate;

/**
 * The listens of one UTC day, of one source or of all sources (see {@link ListenStats#perDay}).
 *
 * @param day                  the UTC day
 * @param plays                listens that day
 * @param uniqueListeners      distinct anonymized addresses that day (listens without one are not counted)
 * @param totalDurationSeconds sum of the known play durations
 */
public record DailyListens(LocalDate day, long plays, long uniqueListeners, long totalDurationSeconds) {
}
