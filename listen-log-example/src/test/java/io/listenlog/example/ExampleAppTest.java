package io.listenlog.example;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        return new ExampleApp.Config(0, null, dir.resolve("example.db"));
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
            assertThat(player.body()).contains("<audio", "Drone Zone");
            assertThat(get(app, "/listen/999").statusCode()).isEqualTo(404);
            assertThat(get(app, "/nowhere").statusCode()).isEqualTo(404);

            assertThat(app.listenLogger().flush(Duration.ofSeconds(10))).isTrue();
            HttpResponse<String> stats = get(app, "/stats");
            assertThat(stats.statusCode()).isEqualTo(200);
            assertThat(stats.body())
                    .contains("id=\"count-2\">1<", "id=\"count-1\">0<", "<svg")
                    .contains("1 plays, 1 unique listeners");
            assertThat(app.listenLogger().metrics().written()).isEqualTo(1);
            assertThat(app.listenLogger().metrics().rejected()).isZero();
        }
    }

    @Test
    void closingWritesWhatIsQueuedAndARestartKeepsTheCounts() throws Exception {
        try (ExampleApp app = ExampleApp.start(config())) {
            assertThat(get(app, "/listen/3").statusCode()).isEqualTo(200);
            assertThat(get(app, "/listen/3").statusCode()).isEqualTo(200);
        }
        try (ExampleApp again = ExampleApp.start(config())) {
            assertThat(get(again, "/stats").body()).contains("id=\"count-3\">2<");
        }
    }

    @Test
    void optionsAreParsedAndBadOnesExplained() {
        ExampleApp.Config config = ExampleApp.Config.parse(new String[] {"--port", "9090", "--jdbc-url", "jdbc:x"},
                Map.of());
        assertThat(config.port()).isEqualTo(9090);
        assertThat(config.jdbcUrl()).isEqualTo("jdbc:x");
        assertThat(ExampleApp.Config.parse(new String[0], Map.of("PORT", "7070", "LISTEN_LOG_JDBC_URL", "jdbc:y")))
                .extracting(ExampleApp.Config::port, ExampleApp.Config::jdbcUrl).containsExactly(7070, "jdbc:y");
        assertThatThrownBy(() -> ExampleApp.Config.parse(new String[] {"--verbose"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("usage");
        assertThatThrownBy(() -> ExampleApp.Config.parse(new String[] {"--port"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--port needs a value");
    }
}
