package io.listenlog.spring.boot;

import io.listenlog.core.ListenLogger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import javax.sql.DataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What every flavour of host (SQLite or PostgreSQL, with or without Flyway) gets from the starter. */
abstract class StarterTestBase {

    @LocalServerPort
    int port;
    @Autowired
    ListenLogger logger;
    @Autowired
    DataSource dataSource;

    private final HttpClient http = HttpClient.newHttpClient();

    /** The history table that must record listen-log's 7.0: the host's Flyway's or the library's own. */
    abstract String expectedHistoryTable();

    @Test
    void realRequestsThroughTomcatAreCountedOnceEach() throws Exception {
        long before = count("SELECT COUNT(*) FROM listen_event WHERE source_id = 2");
        long acceptedBefore = logger.metrics().accepted();
        for (int i = 0; i < 3; i++) {
            assertThat(get("/listen/2").statusCode()).isEqualTo(200);
        }
        assertThat(get("/listen/2/../nothing").statusCode()).isEqualTo(404);
        awaitWritten(acceptedBefore + 3);

        assertThat(count("SELECT COUNT(*) FROM listen_event WHERE source_id = 2")).isEqualTo(before + 3);
        assertThat(count("SELECT listen_count FROM radio_source WHERE id = 2")).isEqualTo(before + 3);
        assertThat(count("SELECT COUNT(*) FROM listen_event WHERE ip LIKE '%127.0.0.1%'"))
                .as("no raw address is stored").isZero();
    }

    @Test
    void theMigrationRanInTheExpectedHistory() throws Exception {
        assertThat(count("SELECT COUNT(*) FROM " + expectedHistoryTable() + " WHERE version = '7.0'")).isEqualTo(1);
    }

    @Test
    void metricsAndHealthAreVisibleThroughTheActuator() throws Exception {
        long acceptedBefore = logger.metrics().accepted();
        assertThat(get("/listen/1").statusCode()).isEqualTo(200);
        awaitWritten(acceptedBefore + 1);

        HttpResponse<String> written = get("/actuator/metrics/listenlog.listens?tag=outcome:written");
        assertThat(written.statusCode()).isEqualTo(200);
        assertThat(written.body()).contains("\"name\":\"listenlog.listens\"")
                .containsPattern("\"statistic\":\"COUNT\",\"value\":[1-9]");
        assertThat(get("/actuator/metrics/listenlog.queue.depth").statusCode()).isEqualTo(200);

        HttpResponse<String> health = get("/actuator/health/listenLog");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"").contains("\"written\":");
    }

    /** The filter logs a listen once its response is complete, which may be after the client has read it. */
    void awaitWritten(long accepted) {
        await().atMost(Duration.ofSeconds(10)).until(() -> logger.metrics().accepted() >= accepted);
        assertThat(logger.flush(Duration.ofSeconds(10))).isTrue();
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    long count(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }
}
