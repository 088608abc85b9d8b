package io.listenlog.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The bot rules beyond the OPAWG lists: self-named bots, web players named by their referrer, the host's rules. */
class ClientRulesTest {

    private static final ClientClassifier OPAWG = ClientClassifier.opawg();
    private static final String CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like"
            + " Gecko) Chrome/131.0.0.0 Safari/537.36";

    @Test
    void aClientNoListKnowsThatNamesItselfABotCrawlerSpiderOrScraperIsABot() {
        for (String bot : List.of("Discordbot/2.0", "PRX-Porterbot", "Mozilla/5.0 (compatible; heritrix/3.4.0"
                + " +https://example.org/our-crawler)", "AcmeRadioCrawler/1.0", "ExampleSpider/2", "podscraper 0.3")) {
            assertThat(OPAWG.classify(bot)).as(bot).isEqualTo(new ClientInfo(true, null, null));
        }
        assertThat(OPAWG.classify("SomeNewRadioApp/1.0")).isEqualTo(ClientInfo.UNKNOWN_PERSON);
        assertThat(OPAWG.classify("Abbott Player/1.0 Robotron").bot()).as("bot inside a word").isFalse();
    }

    @Test
    void aBrowserIsTheWebPlayerItsReferrerNamesAndAnAppStaysItself() {
        assertThat(OPAWG.classify(CHROME).app()).isEqualTo("Chrome");
        assertThat(OPAWG.classify(CHROME, "https://open.spotify.com/")).isEqualTo(
                new ClientInfo(false, "Spotify", OPAWG.classify(CHROME).platform()));
        assertThat(OPAWG.classify(CHROME, "https://podcasts.apple.com/").app()).isEqualTo("Apple Podcasts");
        assertThat(OPAWG.classify(CHROME, "https://radio.example/").app()).isEqualTo("Chrome");
        assertThat(OPAWG.classify("VLC/3.0.20 LibVLC/3.0.20", "https://open.spotify.com/").app())
                .isEqualTo("VLC media player");
        assertThat(OPAWG.classify("Discordbot/2.0", "https://open.spotify.com/").bot()).isTrue();
    }

    @Test
    void theLoggerClassifiesByTheReferrersOriginUnderEitherPrivacySetting() {
        for (PrivacyPreset preset : new PrivacyPreset[] {null, PrivacyPreset.CNIL_AUDIENCE_MEASUREMENT}) {
            InMemoryStore store = new InMemoryStore();
            ListenLogger.Builder builder = ListenLogger.builder().store(store).closeOnShutdown(false)
                    .anonymizer(IpAnonymizer.dailyRotating(new InMemoryDailyKeyStore()));
            if (preset != null) {
                builder.privacyPreset(preset);
            }
            try (ListenLogger logger = builder.build()) {
                logger.log(ListenRequest.builder(1).clientIp("203.0.113.7").userAgent(CHROME)
                        .referrer("https://open.spotify.com/episode/abc?si=secret").occurredAt(Instant.now()).build());
                assertThat(logger.flush(Duration.ofSeconds(10))).isTrue();
            }
            assertThat(store.events()).singleElement().satisfies(e -> assertThat(e.client().app()).isEqualTo("Spotify"));
        }
    }

    @Test
    void theHostsRulesComeFirstAddClientsAndOverrideAnEntry(@TempDir Path dir) throws IOException {
        Path rules = Files.writeString(dir.resolve("clients.json"), """
                {"entries": [
                  {"name": "Station monitor", "pattern": "^StationMonitor/", "bot": true},
                  {"name": "ffmpeg (our relay)", "pattern": "^Lavf/", "bot": true},
                  {"name": "Our app", "pattern": "OurRadioApp/\\\\d", "bot": false}
                ]}""");
        ClientClassifier classifier = OPAWG.withRules(rules);

        assertThat(classifier.classify("StationMonitor/1.2")).isEqualTo(new ClientInfo(true, "Station monitor", null));
        assertThat(OPAWG.classify("Lavf/60.16.100").bot()).isFalse();
        assertThat(classifier.classify("Lavf/60.16.100")).isEqualTo(new ClientInfo(true, "ffmpeg (our relay)", null));
        String ourApp = "Mozilla/5.0 (Linux; Android 14; Pixel 8) OurRadioApp/3";
        assertThat(classifier.classify(ourApp)).isEqualTo(
                new ClientInfo(false, "Our app", OPAWG.classify(ourApp).platform()));
        assertThat(classifier.classify("VLC/3.0.20 LibVLC/3.0.20")).isEqualTo(OPAWG.classify("VLC/3.0.20 LibVLC/3.0.20"));
        assertThat(classifier.classify(CHROME, "https://open.spotify.com/").app()).isEqualTo("Spotify");
        assertThat(classifier.classify(null).bot()).isTrue();
    }

    @Test
    void aBrokenRulesFileSaysWhatToChange(@TempDir Path dir) throws IOException {
        Path rules = dir.resolve("clients.json");
        assertThatThrownBy(() -> OPAWG.withRules(rules)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not exist");
        Files.writeString(rules, "[1, 2");
        assertThatThrownBy(() -> OPAWG.withRules(rules)).hasMessageContaining("is not JSON");
        Files.writeString(rules, "[]");
        assertThatThrownBy(() -> OPAWG.withRules(rules)).hasMessageContaining("with an \"entries\" array");
        Files.writeString(rules, "{\"entries\": [{\"name\": \"Monitor\", \"pattern\": \"^Mon/\"}]}");
        assertThatThrownBy(() -> OPAWG.withRules(rules)).hasMessageContaining("entry 0 of the client rules file")
                .hasMessageContaining("\"bot\" (true or false)");
        Files.writeString(rules, "{\"entries\": [{\"name\": \"Monitor\", \"pattern\": \"(\", \"bot\": true}]}");
        assertThatThrownBy(() -> OPAWG.withRules(rules))
                .hasMessageContaining("the pattern of Monitor is not a regular expression");
    }

    @Test
    void aNewerCopyWithoutReferrersStillLoads(@TempDir Path dir) throws IOException {
        for (String file : List.of("bots.json", "apps.json", "libraries.json", "browsers.json", "devices.json")) {
            Files.writeString(dir.resolve(file), "{\"entries\": []}");
        }
        assertThat(ClientClassifier.opawg(dir).classify(CHROME, "https://open.spotify.com/"))
                .isEqualTo(ClientInfo.UNKNOWN_PERSON);
        Files.writeString(dir.resolve("referrers.json"),
                "{\"entries\": [{\"name\": \"Radio X web\", \"pattern\": \"^https://play\\\\.radiox\\\\.example/\"}]}");
        assertThat(ClientClassifier.opawg(dir).classify("Mozilla/5.0", "https://play.radiox.example/").app())
                .isEqualTo("Radio X web");
    }
}
