package io.listenlog.example;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The example's --jdbc-url path, on a fresh schema of the PostgreSQL server the other suites use. */
@EnabledIfEnvironmentVariable(named = "LISTENLOG_TEST_POSTGRES_URL", matches = ".+",
        disabledReason = "LISTENLOG_TEST_POSTGRES_URL is not set: run .ci/run, or set it to a JDBC URL such as "
                + "jdbc:postgresql://127.0.0.1:5432/test?user=postgres, to run the example on PostgreSQL")
class ExampleAppOnPostgresTest {
    private final String adminUrl = System.getenv("LISTENLOG_TEST_POSTGRES_URL");
    private final String schema = "example_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    @BeforeEach
    void createSchema() throws Exception {
        execute("CREATE SCHEMA " + schema);
    }

    @AfterEach
    void dropSchema() throws Exception {
        execute("DROP SCHEMA " + schema + " CASCADE");
    }

    private void execute(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Test
    void aVisitedPlayerPageShowsUpOnTheStatsPage() throws Exception {
        String url = adminUrl + (adminUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        ExampleApp.Config config = ExampleApp.Config.parse(new String[] {"--host", "127.0.0.1", "--port", "0", "--jdbc-url", url},
                java.util.Map.of());
        HttpClient http = HttpClient.newHttpClient();
        try (ExampleApp app = ExampleApp.start(config)) {
            URI player = URI.create("http://127.0.0.1:" + app.port() + "/listen/4");
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(player).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            URI progress = URI.create("http://127.0.0.1:" + app.port() + "/listen/4/progress");
            assertThat(http.send(HttpRequest.newBuilder(progress).header("Content-Type",
                            "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("token="
                            + ExampleAppTest.token(page.body()) + "&seconds=2")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(204);
            assertThat(app.listenLogger().flush(Duration.ofSeconds(10))).isTrue();

            String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
            URI stats = URI.create("http://127.0.0.1:" + app.port() + "/stats/api/audience?from=" + today + "&to="
                    + today + "&source=4");
            assertThat(http.send(HttpRequest.newBuilder(stats).build(), HttpResponse.BodyHandlers.ofString()).body())
                    .contains("\"plays\":1,");
        }
    }
}
