package io.listenlog.core.internal;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class LiteralPrefilterTest {

    @Test
    void neverRulesOutAMatchOfAnyShippedPatternOnAnyShippedExample() throws IOException {
        List<String> patterns = new ArrayList<>();
        List<String> userAgents = new ArrayList<>();
        for (String file : List.of("bots.json", "apps.json", "libraries.json", "browsers.json", "devices.json")) {
            for (Map<?, ?> entry : entries(file)) {
                patterns.add((String) entry.get("pattern"));
                if (entry.get("examples") instanceof List<?> examples) {
                    examples.forEach(example -> userAgents.add((String) example));
                }
            }
        }
        userAgents.add("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
                + " Chrome/131.0.0.0 Safari/537.36");
        int matches = 0;
        int skipped = 0;
        for (String regex : patterns) {
            Pattern pattern = Pattern.compile(regex);
            LiteralPrefilter prefilter = LiteralPrefilter.of(regex);
            for (String userAgent : userAgents) {
                boolean match = pattern.matcher(userAgent).find();
                boolean may = prefilter.mayMatch(userAgent);
                if (match) {
                    matches++;
                    assertThat(may).as("%s on %s", regex, userAgent).isTrue();
                } else if (!may) {
                    skipped++;
                }
            }
        }
        assertThat(matches).isGreaterThan(1_500);
        // It earns its keep: most pattern runs that would not match are skipped.
        assertThat(skipped).isGreaterThan(patterns.size() * userAgents.size() * 8 / 10);
    }

    @Test
    void readsAnchorsAlternativesEscapesAndQuantifiers() {
        assertThat(LiteralPrefilter.of("^Cast/").mayMatch("Cast/1.0")).isTrue();
        assertThat(LiteralPrefilter.of("^Cast/").mayMatch("Podcast/1.0")).isFalse();
        assertThat(LiteralPrefilter.of("f?acebookexternalhit/?").mayMatch("acebookexternalhit")).isTrue();
        assertThat(LiteralPrefilter.of("^Spotify/.+Linux|Macintosh.+Spotify/").mayMatch("Macintosh Spotify/1")).isTrue();
        assertThat(LiteralPrefilter.of("^Spotify/.+Linux|Macintosh.+Spotify/").mayMatch("Spotify Linux")).isFalse();
        assertThat(LiteralPrefilter.of("a\\.b+c").mayMatch("a.bbbc")).isTrue();
        assertThat(LiteralPrefilter.of("xy{2}z").mayMatch("xyyz")).isTrue();
        assertThat(LiteralPrefilter.of("(a|b)c").mayMatch("anything")).as("groups: always run").isTrue();
        assertThat(LiteralPrefilter.of("[Bb]rave").mayMatch("Brave/1")).isTrue();
        assertThat(LiteralPrefilter.of("[Bb]rave").mayMatch("anything")).as("what follows a class is required").isFalse();
        assertThat(LiteralPrefilter.of("(Windows| )PowerShell/").mayMatch("Linux")).isFalse();
        assertThat(LiteralPrefilter.of("(BingPreview/|adidxbot/)").mayMatch("adidxbot/2.0")).isTrue();
        assertThat(LiteralPrefilter.of("(BingPreview/|adidxbot/)").mayMatch("Chrome/131")).isFalse();
        assertThat(LiteralPrefilter.of("(?<=x)yz").mayMatch("anything")).as("flags and lookarounds: always run").isTrue();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<?, ?>> entries(String file) throws IOException {
        try (InputStream in = LiteralPrefilter.class.getResourceAsStream("/META-INF/listen-log/opawg/" + file)) {
            Map<String, Object> root = (Map<String, Object>) JsonReader.read(
                    new String(in.readAllBytes(), StandardCharsets.UTF_8));
            return (List<Map<?, ?>>) root.get("entries");
        }
    }
}
