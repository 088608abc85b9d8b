package io.listenlog.jdbc;

/**
 * One UTC hour's audience of a source (or of all sources), as {@link ListenStats#hourly} computes it, with the same
 * definitions as {@link DailyAudience} over the hour.
 *
 * @param hour                  the hour of the UTC day, 0 to 23
 * @param plays                 listens that started in this hour, bots included
 * @param sessions              sessions that started in this hour
 * @param listeningSeconds      session time within this hour
 * @param averageActiveSessions {@code listeningSeconds / 3,600}
 * @param uniqueListeners       distinct listeners with a session active in this hour
 * @param averageQuarterHour    listeners with at least 5 minutes in a quarter-hour, averaged over its 4 quarter-hours
 */
public record HourlyAudience(
        int hour,
        long plays,
        long sessions,
        long listeningSeconds,
        double averageActiveSessions,
        long uniqueListeners,
        double averageQuarterHour) {
}
