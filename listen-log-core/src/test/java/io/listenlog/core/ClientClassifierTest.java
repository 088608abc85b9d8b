package io.listenlog.core;

import io.listenlog.core.internal.JsonReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientClassifierTest {

    private static final ClientClassifier OPAWG = ClientClassifier.opawg();

    private record Example(String file, String name, boolean bot, String userAgent) {
    }

    @SuppressWarnings("unchecked")
    private static List<Example> examples(String file) throws IOException {
        try (InputStream in = ClientClassifier.class.getResourceAsStream("/META-INF/listen-log/opawg/" + file)) {
            Map<String, Object> root = (Map<String, Object>) JsonReader.read(
                    new String(in.readAllBytes(), StandardCharsets.UTF_8));
            List<Example> examples = new ArrayList<>();
            for (Object item : (List<Object>) root.get("entries")) {
                Map<String, Object> entry = (Map<String, Object>) item;
                boolean bot = file.equals("bots.json") || "bot".equals(entry.get("category"))
                        && !entry.get("name").equals("ffmpeg");
                for (Object example : (List<Object>) entry.getOrDefault("examples", List.of())) {
                    examples.add(new Example(file, (String) entry.get("name"), bot, (String) example));
                }
            }
            return examples;
        }
    }

    @Test
    void everyExampleOfTheShippedClientListsIsClassifiedAsItsOwnEntry() throws IOException {
        List<Example> all = new ArrayList<>();
        for (String file : List.of("bots.json", "apps.json", "libraries.json", "browsers.json")) {
            all.addAll(examples(file));
        }
        assertThat(all).hasSizeGreaterThan(1_400);
        assertThat(all).allSatisfy(example -> assertThat(OPAWG.classify(example.userAgent()))
                .as("%s in %s", example.userAgent(), example.file())
                .extracting(ClientInfo::app, ClientInfo::bot)
                .containsExactly(example.name(), example.bot()));
    }

    @Test
    void everyDeviceExampleGetsItsOwnPlatformButTwoTheListsThemselvesDecideOtherwise() throws IOException {
        List<String> elsewhere = new ArrayList<>();
        for (Example example : examples("devices.json")) {
            String platform = OPAWG.classify(example.userAgent()).platform();
            if (!example.name().equals(platform)) {
                elsewhere.add(example.userAgent() + " -> " + platform);
            }
        }
        // Upstream's own ordering puts "Apple iPhone" (pattern "iPhone|^Watch/...") before "Apple Watch"; and the
        // racket library is a bot (libraries.json, category "bot"), whose platform is not looked up.
        assertThat(elsewhere).containsExactly("Watch/1140 CFNetwork/3860.200.71 Darwin/25.1.0 -> Apple iPhone",
                "net/http-easy (macosx; racket[CS] 8.15.0.7; 0.8.2) -> null");
    }

    @Test
    void radioPlayersArePeopleAndCrawlersAndLinkPreviewsAreBots() {
        assertThat(OPAWG.classify("VLC/3.0.20 LibVLC/3.0.20"))
                .isEqualTo(new ClientInfo(false, "VLC media player", "Other Computer"));
        assertThat(OPAWG.classify("Lavf/60.16.100")).isEqualTo(new ClientInfo(false, "ffmpeg", "Other Computer"));
        assertThat(OPAWG.classify("NSPlayer/12.00.19041.3636 WMFSDK/12.00.19041.3636").app())
                .isEqualTo("Windows Media Player");
        assertThat(OPAWG.classify("Winamp/5.9").bot()).isFalse();
        assertThat(OPAWG.classify("Mozilla/5.0 (Linux; Android 14) ExoPlayerLib/2.19.1").bot()).isFalse();
        assertThat(OPAWG.classify("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko)"
                + " Chrome/131.0.0.0 Mobile Safari/537.36")).isEqualTo(new ClientInfo(false, "Chrome", "Android Phone"));
        assertThat(OPAWG.classify("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)").bot())
                .isTrue();
        assertThat(OPAWG.classify("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)").bot())
                .isTrue();
        assertThat(OPAWG.classify("SomeNewRadioApp/1.0")).isEqualTo(ClientInfo.UNKNOWN_PERSON);
        assertThat(OPAWG.classify(null)).isEqualTo(new ClientInfo(true, null, null));
        assertThat(OPAWG.classify("  ").bot()).isTrue();
    }

    @Test
    void aNewerCopyOfTheListsLoadsFromADirectoryAndABrokenOneSaysWhatIsWrong(@TempDir Path dir) throws IOException {
        for (String file : List.of("bots.json", "apps.json", "libraries.json", "browsers.json", "devices.json")) {
            Files.writeString(dir.resolve(file), "{\"entries\": []}");
        }
        Files.writeString(dir.resolve("apps.json"), "{\"entries\": [{\"name\": \"Radio X\", \"pattern\": \"^RadioX/\"}]}");
        ClientClassifier newer = ClientClassifier.opawg(dir);
        assertThat(newer.classify("RadioX/2.0")).isEqualTo(new ClientInfo(false, "Radio X", null));
        assertThat(newer.classify("VLC/3.0.20")).isEqualTo(ClientInfo.UNKNOWN_PERSON);

        Files.writeString(dir.resolve("bots.json"), "{\"entries\": [{\"name\": \"Bad\", \"pattern\": \"(\"}]}");
        assertThatThrownBy(() -> ClientClassifier.opawg(dir))
                .hasMessageStartingWith("bots.json: the pattern of Bad is not a regular expression");
        Files.writeString(dir.resolve("bots.json"), "[1, 2");
        assertThatThrownBy(() -> ClientClassifier.opawg(dir)).hasMessageStartingWith("bots.json is not JSON");
        Files.delete(dir.resolve("bots.json"));
        assertThatThrownBy(() -> ClientClassifier.opawg(dir)).hasMessageContaining("bots.json is missing");
    }
}
