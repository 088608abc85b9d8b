package io.listenlog.jdbc;

/**
 * The audience of one country over a range, as {@link ListenStats#countries} computes it; the definitions of
 * {@link DailyAudience} (docs/metrics.md), restricted to the listens located in the country.
 *
 * @param country               the ISO 3166-1 alpha-2 code the logger's {@code GeoLookup} found, or {@value #UNKNOWN}
 *                              for listens it did not locate (or logged without a lookup)
 * @param sessions              sessions that started in the range
 * @param uniqueListeners       cume: distinct listeners with a session active in the range (an estimate where days
 *                              are rolled up, as {@link ListenStats#uniqueListeners})
 * @param listeningSeconds      session time within the range
 * @param averageActiveSessions {@code listeningSeconds} divided by the range's seconds
 */
public record CountryAudience(
        String country,
        long sessions,
        long uniqueListeners,
        long listeningSeconds,
        double averageActiveSessions) {

    /** The code of listens without a country: ISO 3166's user-assigned "unknown". */
    public static final String UNKNOWN = "ZZ";

    /** {@code listeningSeconds} in hours. */
    public double listeningHours() {
        return listeningSeconds / 3_600.0;
    }
}
