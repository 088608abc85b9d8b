package io.listenlog.core;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The listener identity each listen is stored with, and the location the writer looks up before the hash. */
class ListenerAndLocationTest {

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void byDefaultAListenerIsTheAddressHashWithTheUserAgentSoTwoDevicesBehindOneAddressAreTwo() throws Exception {
        InMemoryStore store = new InMemoryStore();
        try (ListenLogger logger = ListenLogger.builder().store(store).anonymizer(LoggerFixture.ANONYMIZER).build()) {
            logger.log(ListenRequest.of(1, "203.0.113.7", "VLC/3.0.20", null));
            logger.log(ListenRequest.of(1, "203.0.113.7", "  Winamp/5.9\u0007 ", null));
            logger.log(ListenRequest.of(1, "203.0.113.7", null, null));
            logger.log(ListenRequest.of(1, "not an address", "VLC/3.0.20", null));
            assertThat(logger.flush(LoggerFixture.WAIT)).isTrue();
        }
        String hash = LoggerFixture.ANONYMIZER.anonymize("203.0.113.7");
        assertThat(store.events()).extracting(ListenEvent::listener).containsExactly(sha256(hash + "\nVLC/3.0.20"),
                sha256(hash + "\nWinamp/5.9"), sha256(hash + "\n"), null);
    }

    @Test
    void theAddressRuleLeavesTheListenerEmptySoTheAddressHashCounts() {
        InMemoryStore store = new InMemoryStore();
        try (ListenLogger logger = ListenLogger.builder().store(store).anonymizer(LoggerFixture.ANONYMIZER).listenerIdentity(ListenerIdentity.ADDRESS).build()) {
            logger.log(ListenRequest.of(1, "203.0.113.7", "VLC/3.0.20", null));
            assertThat(logger.flush(LoggerFixture.WAIT)).isTrue();
        }
        assertThat(store.events()).singleElement().satisfies(e -> {
            assertThat(e.listener()).isNull();
            assertThat(e.ipHash()).isEqualTo(LoggerFixture.ANONYMIZER.anonymize("203.0.113.7"));
        });
    }

    @Test
    void theWholeAddressIsLocatedEvenUnderTheCnilPresetWhichHashesItsNetworkOnly() throws Exception {
        List<InetAddress> asked = new CopyOnWriteArrayList<>();
        GeoLookup countries = new GeoLookup() {
            @Override
            public Location locate(InetAddress address) {
                asked.add(address);
                return address.getAddress().length == 4 ? new Location("FR", "FR-IDF") : null;
            }

            @Override
            public String database() {
                return "a test database";
            }
        };
        InMemoryStore store = new InMemoryStore();
        try (ListenLogger logger = ListenLogger.builder().store(store)
                .anonymizer(IpAnonymizer.dailyRotating(new InMemoryDailyKeyStore()))
                .privacyPreset(PrivacyPreset.CNIL_AUDIENCE_MEASUREMENT).geoLookup(countries).build()) {
            logger.log(ListenRequest.of(1, "203.0.113.7", "VLC/3.0.20", null));
            logger.log(ListenRequest.of(1, "2001:db8::7", "VLC/3.0.20", null));
            logger.log(ListenRequest.of(1, "www.example.com", "VLC/3.0.20", null));
            assertThat(logger.flush(LoggerFixture.WAIT)).isTrue();
        }
        assertThat(asked).containsExactly(InetAddress.getByName("203.0.113.7"), InetAddress.getByName("2001:db8::7"));
        assertThat(store.events()).extracting(ListenEvent::location)
                .containsExactly(new Location("FR", "FR-IDF"), null, null);
        assertThat(store.events().get(0).userAgent()).isNull();
        assertThat(store.events().get(0).listener()).hasSize(64);
    }

    @Test
    void aFailingLookupLeavesTheListenWithoutACountryButWritten() {
        GeoLookup failing = new GeoLookup() {
            @Override
            public Location locate(InetAddress address) {
                throw new IllegalStateException("the database is closed");
            }

            @Override
            public String database() {
                return "a closed database";
            }
        };
        InMemoryStore store = new InMemoryStore();
        ListenLogger logger = ListenLogger.builder().store(store).anonymizer(LoggerFixture.ANONYMIZER).geoLookup(failing).build();
        logger.log(ListenRequest.of(1, "203.0.113.7", "VLC/3.0.20", null));
        assertThat(logger.flush(LoggerFixture.WAIT)).isTrue();
        logger.close();
        assertThat(store.events()).singleElement().satisfies(e -> assertThat(e.location()).isNull());
        assertThat(logger.metrics().written()).isEqualTo(1);
    }

    @Test
    void locationsNeverHoldMoreThanACountryAndItsRegion() {
        assertThat(new Location("FR", "FR-IDF").region()).isEqualTo("FR-IDF");
        assertThatThrownBy(() -> Location.of("fr")).hasMessageContaining("two upper-case letters");
        assertThatThrownBy(() -> new Location("FR", "DE-BY")).hasMessageContaining("ISO 3166-2 code of the country");
        assertThatThrownBy(() -> new Location("FR", "FR-Paris 75001")).isInstanceOf(IllegalArgumentException.class);
    }
}
