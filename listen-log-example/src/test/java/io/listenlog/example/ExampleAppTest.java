package io.listenlog.example;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExampleAppTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private ExampleApp.Config config() {
        return new ExampleApp.Config("127.0.0.1", 0, null, dir.resolve("example.db"), null);
    }

    private HttpResponse<String> get(ExampleApp app, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .header("User-Agent", "ExampleAppTest").build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aVisitedPlayerPageShowsUpOnTheStatsPage() throws Exception {
        try (ExampleApp app = ExampleApp.start(config())) {
            HttpResponse<String> home = get(app, "/");
            assertThat(home.statusCode()).isEqualTo(200);
            assertThat(home.body()).contains("href=\"/listen/1\"", "Groove Salad");

            HttpResponse<String> player = get(app, "/listen/2");
            assertThat(player.statusCode()).isEqualTo(200);
            assertThat(player.body()).contains("<audio", "Drone Zone", "data-listen-token=\"",
                    "src=\"/listen-log/listen-log.js\"");
            assertThat(report(app, 2, token(player.body()), 5)).isEqualTo(204);
            assertThat(get(app, "/listen/999").statusCode()).isEqualTo(404);
            assertThat(get(app, "/nowhere").statusCode()).isEqualTo(404);

            assertThat(app.listenLogger().flush(Duration.ofSeconds(10))).isTrue();
            HttpResponse<String> stats = get(app, "/stats/");
            assertThat(stats.statusCode()).isEqualTo(200);
            assertThat(stats.body()).contains("<canvas id=\"playsChart\"", "/stats/assets/chart.umd.min.js");
            assertThat(plays(app, 2)).isEqualTo(1);
            assertThat(plays(app, 1)).isZero();
            assertThat(get(app, "/stats/api/sources").body()).contains("\"name\":\"Drone Zone\"");
            assertThat(app.listenLogger().metrics().written()).isEqualTo(1);
            assertThat(app.listenLogger().metrics().rejected()).isZero();
        }
    }

    @Test
    void aPlayerThatOpensTheStreamDirectlyIsAListenAsLongAsItsConnection() throws Exception {
        try (ExampleApp app = ExampleApp.start(config())) {
            HttpResponse<java.io.InputStream> stream = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + app.port() + "/radio/4")).header("User-Agent", "VLC/3.0.20 LibVLC/3.0.20").build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(stream.headers().firstValue("Content-Type")).hasValue("audio/wav");
            try (java.io.InputStream audio = stream.body()) {
                assertThat(audio.readNBytes(64_000)).hasSize(64_000);  // four seconds of the tone, sent ahead
            }
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
                app.listenLogger().flush(Duration.ofSeconds(1));
                return app.listenLogger().metrics().progress().applied() >= 1;
            });
            assertThat(plays(app, 4)).isEqualTo(1);
        }
    }

    @Test
    void anHlsPlayerIsAListenFromItsFirstSegment() throws Exception {
        try (ExampleApp app = ExampleApp.start(config())) {
            HttpClient follows = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
            HttpResponse<String> playlist = follows.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + app.port() + "/hls/4/live.m3u8")).header("User-Agent", "AppleCoreMedia/1.0.0").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(playlist.statusCode()).isEqualTo(200);
            assertThat(playlist.body()).startsWith("#EXTM3U").contains("#EXT-X-TARGETDURATION:4");
            String segment = playlist.body().lines().filter(l -> l.endsWith(".ts") || l.contains(".ts?")).findFirst()
                    .orElseThrow();
            assertThat(segment).contains("?lt=");
            HttpResponse<byte[]> audio = follows.send(HttpRequest.newBuilder(playlist.uri().resolve(segment))
                    .header("User-Agent", "AppleCoreMedia/1.0.0").build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(audio.statusCode()).isEqualTo(200);
            assertThat(audio.headers().firstValue("Content-Type")).hasValue("video/mp2t");
            assertThat(audio.body()[0]).as("an MPEG-TS sync byte").isEqualTo((byte) 0x47);
            // The filter logs once the host's servlet returned, which may be after the client has the segment.
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
                app.listenLogger().flush(Duration.ofSeconds(1));
                return plays(app, 4) == 1;
            });
        }
    }

    @Test
    void closingWritesWhatIsQueuedAndARestartKeepsTheCounts() throws Exception {
        try (ExampleApp app = ExampleApp.start(config())) {
            for (int i = 0; i < 2; i++) {
                HttpResponse<String> player = get(app, "/listen/3");
                assertThat(report(app, 3, token(player.body()), 3)).isEqualTo(204);
            }
            assertThat(get(app, "/listen/3").statusCode()).as("a page nobody plays is no listen").isEqualTo(200);
        }
        try (ExampleApp again = ExampleApp.start(config())) {
            assertThat(plays(again, 3)).isEqualTo(2);
        }
    }

    @Test
    void optionsAreParsedAndBadOnesExplainedInOneLine() {
        ExampleApp.Config config = ExampleApp.Config.parse(new String[] {"--port", "9090", "--jdbc-url", "jdbc:x",
                "--host", "0.0.0.0"}, Map.of());
        assertThat(config).extracting(ExampleApp.Config::host, ExampleApp.Config::port, ExampleApp.Config::jdbcUrl)
                .containsExactly("0.0.0.0", 9090, "jdbc:x");
        assertThat(ExampleApp.Config.parse(new String[0], Map.of("PORT", "7070", "LISTEN_LOG_JDBC_URL", "jdbc:y",
                "HOST", "::1")))
                .extracting(ExampleApp.Config::host, ExampleApp.Config::port, ExampleApp.Config::jdbcUrl)
                .containsExactly("::1", 7070, "jdbc:y");
        assertThat(ExampleApp.Config.parse(new String[0], Map.of()).host()).isEqualTo("localhost");
        assertThatThrownBy(() -> ExampleApp.Config.parse(new String[] {"--verbose"}, Map.of()))
                .isInstanceOf(ExampleApp.StartupProblem.class).hasMessageContaining("--help");
        assertThatThrownBy(() -> ExampleApp.Config.parse(new String[] {"--port"}, Map.of()))
                .isInstanceOf(ExampleApp.StartupProblem.class).hasMessageContaining("--port needs a value");
        assertThatThrownBy(() -> ExampleApp.Config.parse(new String[] {"--port", "http"}, Map.of()))
                .isInstanceOf(ExampleApp.StartupProblem.class).hasMessageContaining("0 to 65535");
        assertThatThrownBy(() -> ExampleApp.Config.parse(new String[0], Map.of("PORT", "70000")))
                .isInstanceOf(ExampleApp.StartupProblem.class).hasMessageContaining("PORT");
        assertThatThrownBy(() -> ExampleApp.Config.parse(new String[] {"--help"}, Map.of()))
                .isInstanceOf(ExampleApp.HelpRequested.class).hasMessageContaining("--jdbc-url")
                .hasMessageContaining("LISTEN_LOG_SALT");
    }

    @Test
    void anEmptySaltIsSaidToBeEmptyAndAWeakOneRefusedWithTheReason() {
        assertThatThrownBy(() -> ExampleApp.Config.parse(new String[0], Map.of("LISTEN_LOG_SALT", "")))
                .isInstanceOf(ExampleApp.StartupProblem.class).hasMessageContaining("set but empty")
                .hasMessageContaining("openssl rand -hex 32");
        ExampleApp.Config weak = new ExampleApp.Config("127.0.0.1", 0, null, dir.resolve("weak.db"), "change-me");
        assertThatThrownBy(() -> ExampleApp.start(weak))
                .isInstanceOf(ExampleApp.StartupProblem.class).hasMessageContaining("change-me");
    }

    @Test
    void aPortInUseNamesTheOptionToChange() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            ExampleApp.Config config = new ExampleApp.Config("127.0.0.1", taken.getLocalPort(), null,
                    dir.resolve("port.db"), null);
            assertThatThrownBy(() -> ExampleApp.start(config))
                    .isInstanceOf(ExampleApp.StartupProblem.class)
                    .hasMessageContaining("port " + taken.getLocalPort()).hasMessageContaining("--port");
        }
    }

    @Test
    void anUnreachableDatabaseIsOneLineWithoutItsPassword() {
        ExampleApp.Config config = new ExampleApp.Config("127.0.0.1", 0,
                "jdbc:postgresql://127.0.0.1:1/nowhere?user=radio&password=s3cret", dir.resolve("x.db"), null);
        assertThatThrownBy(() -> ExampleApp.start(config))
                .isInstanceOf(ExampleApp.StartupProblem.class)
                .hasMessageContaining("cannot connect to jdbc:postgresql://127.0.0.1:1/nowhere")
                .hasMessageContaining("--jdbc-url")
                .hasMessageNotContaining("s3cret");
        assertThat(ExampleApp.withoutCredentials("jdbc:mariadb://app:pw@db:3306/radio?password=x&useSsl=true"))
                .isEqualTo("jdbc:mariadb://db:3306/radio?password=***&useSsl=true");
    }

    @Test
    void itBindsWhereItSays() throws Exception {
        InetAddress external = java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(nic -> java.util.Collections.list(nic.getInetAddresses()).stream())
                .filter(a -> a instanceof java.net.Inet4Address && !a.isLoopbackAddress())
                .findFirst().orElse(null);
        try (ExampleApp app = ExampleApp.start(config())) {
            assertThat(get(app, "/").statusCode()).isEqualTo(200);
            org.junit.jupiter.api.Assumptions.assumeTrue(external != null,
                    "this machine has no non-loopback IPv4 address to try");
            assertThatThrownBy(() -> new java.net.Socket(external, app.port()).close())
                    .as("bound to 127.0.0.1 only, not to " + external).isInstanceOf(java.io.IOException.class);
        }
    }

    /** Plays of {@code source} today, as the dashboard's JSON says. */
    private long plays(ExampleApp app, long source) throws Exception {
        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        String body = get(app, "/stats/api/audience?from=" + today + "&to=" + today + "&source=" + source).body();
        java.util.regex.Matcher plays = java.util.regex.Pattern.compile("\"plays\":(\\d+)").matcher(body);
        assertThat(plays.find()).as(body).isTrue();
        return Long.parseLong(plays.group(1));
    }

    static String token(String page) {
        java.util.regex.Matcher token = java.util.regex.Pattern.compile("data-listen-token=\"([^\"]+)\"").matcher(page);
        assertThat(token.find()).as(page).isTrue();
        return token.group(1);
    }

    /** What the player script sends after {@code seconds} of playing. */
    private int report(ExampleApp app, long station, String token, int seconds) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + app.port() + "/listen/" + station + "/progress"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("token=" + token + "&seconds=" + seconds))
                .build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
