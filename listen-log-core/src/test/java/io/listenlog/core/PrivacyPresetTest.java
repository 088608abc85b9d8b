package io.listenlog.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrivacyPresetTest {

    private static final Instant AT = Instant.now();

    @Test
    void theCnilPresetCutsTheAddressToItsNetworkKeepsOnlyTheClientClassAndTheReferrerHost() {
        InMemoryStore store = new InMemoryStore();
        IpAnonymizer rotating = IpAnonymizer.dailyRotating(new InMemoryDailyKeyStore());
        try (ListenLogger logger = ListenLogger.builder().store(store).anonymizer(rotating)
                .privacyPreset(PrivacyPreset.CNIL_AUDIENCE_MEASUREMENT).closeOnShutdown(false).build()) {
            logger.log(ListenRequest.builder(1).clientIp("203.0.113.77").userAgent("VLC/3.0.20 LibVLC/3.0.20")
                    .referrer("https://user:pw@Radio.Example:8443/player?session=secret").occurredAt(AT).build());
            logger.log(ListenRequest.builder(1).clientIp("2001:db8:1:2:3:4:5:6").occurredAt(AT)
                    .referrer("not a url").build());
            assertThat(logger.flush(Duration.ofSeconds(10))).isTrue();
        }

        assertThat(store.events()).hasSize(2);
        ListenEvent v4 = store.events().get(0);
        assertThat(v4.ipHash()).isEqualTo(rotating.anonymize("203.0.113.0", AT))
                .isNotEqualTo(rotating.anonymize("203.0.113.77", AT));
        assertThat(v4.userAgent()).isNull();
        assertThat(v4.client()).isEqualTo(new ClientInfo(false, "VLC media player", "Other Computer"));
        assertThat(v4.referrer()).isEqualTo("https://radio.example/");
        ListenEvent v6 = store.events().get(1);
        assertThat(v6.ipHash()).isEqualTo(rotating.anonymize("2001:db8:1:2::", AT));
        assertThat(v6.referrer()).isNull();
        assertThat(v6.client().bot()).as("no user agent").isTrue();
    }

    @Test
    void thePresetRefusesSettingsItRulesOutAndSaysWhatToUse() {
        ListenLogger.Builder fixedKey = ListenLogger.builder().store(batch -> { })
                .anonymizer(IpAnonymizer.hmacSha256("test-only-secret-0123456789abcdef"))
                .privacyPreset(PrivacyPreset.CNIL_AUDIENCE_MEASUREMENT);
        assertThatThrownBy(fixedKey::build).hasMessageContaining("needs per-site, time-limited keys")
                .hasMessageContaining("IpAnonymizer.dailyRotating(JdbcDailyKeyStore.create(dataSource))");

        ListenLogger.Builder rotating = ListenLogger.builder().store(batch -> { })
                .anonymizer(IpAnonymizer.dailyRotating(new InMemoryDailyKeyStore()))
                .privacyPreset(PrivacyPreset.CNIL_AUDIENCE_MEASUREMENT);
        assertThatThrownBy(() -> rotating.clientClassifier(null).build()).hasMessageContaining("needs a clientClassifier");
        assertThatThrownBy(() -> rotating.clientClassifier(ClientClassifier.opawg()).keepReferrerQuery(true).build())
                .hasMessageContaining("remove keepReferrerQuery(true)");
    }
}
