package com.example.ownbeans;

import com.example.testdb.FreshPostgresSchema;
import io.listenlog.core.ListenLogger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
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
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The host's own store, logger and filter start after the schema is migrated, in both migration modes (the host's
 * Flyway takes listen-log's migrations, or the library runs them after the host's SQL script), on SQLite and
 * PostgreSQL; the starter's own beans of those types back off.
 */
class OwnBeansTest {

    private ConfigurableApplicationContext app;
    private FreshPostgresSchema schema;

    @TempDir
    Path dir;

    @AfterEach
    void stop() throws SQLException {
        if (app != null) {
            app.close();
        }
        if (schema != null) {
            schema.close();
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({"sqlite, host-flyway", "sqlite, library-migrations", "postgresql, host-flyway",
            "postgresql, library-migrations"})
    void theHostsOwnLoggerStoreAndFilterWaitForTheSchema(String database, String migrations) throws Exception {
        List<String> args = new ArrayList<>(List.of("--spring.config.name=own-beans", "--server.port=0",
                "--listenlog.retention.enabled=false"));
        if (database.equals("sqlite")) {
            args.add("--own.sqlite-file=" + dir.resolve("own.db"));
        } else {
            schema = new FreshPostgresSchema("OwnBeansTest");
            args.add("--spring.datasource.url=" + schema.url());
        }
        if (migrations.equals("library-migrations")) {
            args.addAll(List.of("--spring.flyway.enabled=false", "--spring.sql.init.mode=always",
                    "--spring.sql.init.schema-locations=classpath:radio-schema.sql"));
        }
        app = new SpringApplicationBuilder(OwnBeansApplication.class).run(args.toArray(String[]::new));

        assertThat(app.getBeanNamesForType(ListenLogger.class)).containsExactly("myLogger");
        int port = ((WebServerApplicationContext) app).getWebServer().getPort();
        HttpResponse<String> play = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/listen/1")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(play.statusCode()).isEqualTo(200);
        ListenLogger logger = app.getBean(ListenLogger.class);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> logger.metrics().accepted() == 1);
        assertThat(logger.flush(Duration.ofSeconds(10))).isTrue();
        try (Connection c = app.getBean(DataSource.class).getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT listen_count FROM radio_source WHERE id = 1")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(1);
        }
    }
}
