package com.example.station;

import com.example.testdb.FreshPostgresSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import javax.sql.DataSource;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of one Spring Boot station behind a load balancer, on one database, with the default playback
 * counting: a page served by one and its reports sent to the other make one play with the reported duration, whether
 * the anonymization key is set in properties or the daily keys are kept in the database. No token key is configured.
 */
class TwoInstancesTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final List<ConfigurableApplicationContext> instances = new ArrayList<>();
    private FreshPostgresSchema schema;

    @TempDir
    Path dir;

    @AfterEach
    void stop() throws SQLException {
        instances.forEach(ConfigurableApplicationContext::close);
        if (schema != null) {
            schema.close();
        }
    }

    private String database(String kind) throws SQLException {
        if (kind.equals("sqlite")) {
            return "--station.sqlite-file=" + dir.resolve("station.db");
        }
        schema = new FreshPostgresSchema("TwoInstancesTest");
        return "--spring.datasource.url=" + schema.url();
    }

    private String start(String database, String key) {
        // spring.config.name: none of the other tests' application.properties; only what is given here
        List<String> args = new ArrayList<>(List.of("--spring.config.name=station", "--server.port=0", database,
                "--listenlog.retention.enabled=false", "--management.endpoints.web.exposure.include=metrics",
                "--spring.sql.init.mode=" + (instances.isEmpty() ? "always" : "never"),  // the first makes radio_source
                "--spring.sql.init.schema-locations=classpath:radio-schema.sql",
                "--spring.autoconfigure.exclude=org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration"));
        if (key != null) {
            args.add("--listenlog.anonymizer.key=" + key);
        }
        ConfigurableApplicationContext instance = new SpringApplicationBuilder(StationApplication.class)
                .run(args.toArray(String[]::new));
        instances.add(instance);
        return "http://127.0.0.1:" + ((WebServerApplicationContext) instance).getWebServer().getPort();
    }

    private static String send(HttpRequest request) throws Exception {
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(request.uri() + ": " + response.body()).isBetween(200, 299);
        return response.body();
    }

    private static HttpRequest report(String base, String token, int seconds) {
        return HttpRequest.newBuilder(URI.create(base + "/listen/1/progress"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)
                        + "&seconds=" + seconds)).build();
    }

    private static void reportWhenPlayed(String base, String token, int seconds) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> HTTP.send(
                report(base, token, seconds), HttpResponse.BodyHandlers.discarding()).statusCode() == 204);
    }

    @ParameterizedTest(name = "{0}, key {1}")
    @CsvSource({"sqlite, in-properties", "sqlite, daily-keys-in-database", "postgresql, in-properties",
            "postgresql, daily-keys-in-database"})
    void aPageFromOneInstanceAndItsReportsToTheOtherAreOnePlay(String kind, String keys) throws Exception {
        String database = database(kind);
        String key = keys.equals("in-properties") ? "9f86d081884c7d659a2feaa0c55ad015" : null;
        String first = start(database, key);
        String second = start(database, key);

        String token = send(HttpRequest.newBuilder(URI.create(first + "/listen/1")).build());
        assertThat(token).isNotBlank().isNotEqualTo("null");
        // A player reports the seconds it has played, never more than have passed since the page: as they pass.
        reportWhenPlayed(second, token, 1);
        reportWhenPlayed(first, token, 2);
        reportWhenPlayed(second, token, 3);

        DataSource db = instances.get(0).getBean(DataSource.class);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (ConfigurableApplicationContext instance : instances) {
                instance.getBean(io.listenlog.core.ListenLogger.class).flush(Duration.ofSeconds(1));
            }
            try (Connection c = db.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*), MAX(duration_seconds) FROM listen_event")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).as("plays").isEqualTo(1);
                assertThat(rs.getLong(2)).as("seconds").isEqualTo(3);
            }
        });
        for (ConfigurableApplicationContext instance : instances) {
            assertThat(instance.getBean(io.listenlog.core.ListenLogger.class).metrics().rejected()).isZero();
        }
        assertThat(send(HttpRequest.newBuilder(URI.create(second
                + "/actuator/metrics/listenlog.beacon.reports?tag=outcome:accepted")).build()))
                .as("the second instance took two of the three reports").contains("\"value\":2.0");
    }
}
