package io.listenlog.spring.boot;

import io.listenlog.core.ListenLogMetrics;
import io.listenlog.core.ListenLogger;
import io.listenlog.jdbc.ListenLogDataSources;
import org.junit.jupiter.api.Test;
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
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

class GracefulShutdownTest {

    @Test
    void closingTheApplicationWritesEveryAcceptedListenBeforeThePoolCloses() throws Exception {
        Path file = SqliteDatabase.newFile();
        int plays = 200;
        ListenLogMetrics afterClose;
        // Batches that never fill and never time out: only the drain at shutdown writes them.
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(RadioApplication.class)
                .initializers(context -> context.getBeanFactory().registerSingleton("dataSource",
                        ListenLogDataSources.sqlite(file)))
                .properties("server.port=0", "listenlog.queue-capacity=131072", "listenlog.batch-size=100000", "listenlog.max-batch-delay=1h",
                        "listenlog.shutdown-timeout=30s")
                .run()) {
            int port = ((WebServerApplicationContext) app).getWebServer().getPort();
            HttpClient http = HttpClient.newHttpClient();
            for (int i = 0; i < plays; i++) {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/listen/1")).build(), HttpResponse.BodyHandlers.discarding());
                assertThat(response.statusCode()).isEqualTo(200);
            }
            ListenLogger logger = app.getBean(ListenLogger.class);
            assertThat(logger.metrics().written()).as("nothing written before shutdown").isZero();
            app.close();
            afterClose = logger.metrics();
        }
        assertThat(afterClose.accepted()).isEqualTo(plays);
        assertThat(afterClose.written()).isEqualTo(plays);
        DataSource reopened = ListenLogDataSources.sqlite(file);
        try (Connection c = reopened.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT COUNT(*) FROM listen_event), listen_count FROM radio_source "
                     + "WHERE id = 1")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(plays);
            assertThat(rs.getLong(2)).isEqualTo(plays);
        } finally {
            ((AutoCloseable) reopened).close();
        }
    }
}
