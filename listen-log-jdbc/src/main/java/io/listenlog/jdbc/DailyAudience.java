package io.listenlog.jdbc;

import java.time.LocalDate;

/**
 * One UTC day's audience of a source (or of all sources), as {@link ListenStats#audience} computes it. Definitions
 * and formulas: docs/metrics.md.
 *
 * @param day                       the UTC day
 * @param plays                     listens that started this day, bots included (gross)
 * @param sessions                  listens by people (not bots) that started this day and lasted at least
 *                                  {@code minimumListen} (net, the audited figure)
 * @param botPlays                  listens by bots that started this day
 * @param uniqueListeners           cume: distinct listeners (anonymized addresses) with a session active this day
 * @param listeningSeconds          session time within this day, each session cut to the part inside the day
 * @param averageActiveSessions     {@code listeningSeconds / 86,400}
 * @param timeSpentListeningSeconds listening seconds of the sessions with an address, divided by {@code uniqueListeners};
 *                                  0 without listeners
 * @param peakConcurrentSessions    the most sessions active at one instant of the day
 * @param averageQuarterHour        listeners with at least 5 minutes of session time in a quarter-hour, averaged over
 *                                  the day's 96 quarter-hours
 * @param averageSessionSeconds     the mean length of the sessions that started this day; 0 without sessions
 */
public record DailyAudience(
        LocalDate day,
        long plays,
        long sessions,
        long botPlays,
        long uniqueListeners,
        long listeningSeconds,
        double averageActiveSessions,
        double timeSpentListeningSeconds,
        long peakConcurrentSessions,
        double averageQuarterHour,
        double averageSessionSeconds) {
}
