package com.example.quickstart;

import io.listenlog.jdbc.ListenLogDataSources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import javax.sql.DataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs docs/quickstart.md's Spring Boot host as written: a play is in the database once the application has closed. */
class BootQuickstartTest {

    @Test
    void aPlayIsStoredByTheTimeTheApplicationHasClosed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("radio.db");
        try (ConfigurableApplicationContext app = SpringApplication.run(BootRadio.class, "--server.port=0",
                "--radio.database=" + file)) {
            int port = ((WebServerApplicationContext) app).getWebServer().getPort();
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> play = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/listen/1")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(play.statusCode()).isEqualTo(200);
            assertThat(play.body()).isEqualTo("now playing 1");
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/actuator/health/listenLog")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.body()).contains("\"status\":\"UP\"");
        }
        DataSource reopened = ListenLogDataSources.sqlite(file);
        try (Connection c = reopened.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT COUNT(*) FROM listen_event), listen_count FROM radio_source "
                     + "WHERE id = 1")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(1);
            assertThat(rs.getLong(2)).isEqualTo(1);
        } finally {
            ((AutoCloseable) reopened).close();
        }
    }
}
