package com.example.station;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** listen-log's secrets stay masked in /actuator/env and /actuator/configprops even where values are shown. */
class ActuatorSecretsTest {
    private static final String KEY = "9f86d081884c7d659a2feaa0c55ad015";
    private static final String TOKEN_KEY = "5e884898da28047151d0e56f8dc62927";

    @TempDir
    Path dir;

    @Test
    void theKeysAreMaskedWhereOtherValuesAreShown() throws Exception {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(StationApplication.class).run(
                "--spring.config.name=station", "--server.port=0", "--station.sqlite-file=" + dir.resolve("s.db"),
                "--listenlog.retention.enabled=false", "--spring.sql.init.mode=always",
                "--spring.sql.init.schema-locations=classpath:radio-schema.sql",
                "--spring.autoconfigure.exclude=org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
                "--listenlog.anonymizer.key=" + KEY, "--listenlog.filter.token-key=" + TOKEN_KEY,
                "--management.endpoints.web.exposure.include=env,configprops",
                "--management.endpoint.env.show-values=always",
                "--management.endpoint.configprops.show-values=always")) {
            String base = "http://127.0.0.1:" + ((WebServerApplicationContext) app).getWebServer().getPort();
            HttpClient http = HttpClient.newHttpClient();
            for (String endpoint : new String[] {"/actuator/env", "/actuator/configprops"}) {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(base + endpoint)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).isEqualTo(200);
                assertThat(answer.body()).as(endpoint).doesNotContain(KEY).doesNotContain(TOKEN_KEY)
                        .contains("******").contains("radio-schema.sql");  // masked, while other values are shown
            }
        }
    }
}
