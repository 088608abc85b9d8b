package io.listenlog.core;

import org.jspecify.annotations.Nullable;

import java.net.InetAddress;

/**
 * Finds the country (and region) of a client address, for {@link ListenLogger.Builder#geoLookup}. The logger calls it
 * on its writer thread, before the address is anonymized, and stores only the {@link Location}: the address itself is
 * never stored, logged or sent. {@code listen-log-geoip}'s {@code MaxMindGeoLookup} reads a MaxMind DB file (DB-IP
 * Lite, GeoLite2 Country or City).
 *
 * <p>Implementations must be thread-safe and fast: they run once per listen on the writer thread. A lookup that
 * throws leaves the listen without a location (it is still written) and is logged at WARN, at most every 10 seconds,
 * without the address.
 */
public interface GeoLookup {

    /** Where {@code address} is, or {@code null} when the database does not know it. */
    @Nullable Location locate(InetAddress address);

    /**
     * The database and its date, as the methodology text names them, such as
     * {@code "DB-IP Lite (CC BY 4.0, db-ip.com) dbip-country.mmdb (country ipvAll), built 2026-06-01"}.
     */
    String database();
}
