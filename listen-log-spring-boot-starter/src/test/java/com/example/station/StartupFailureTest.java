package com.example.station;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a host sees when a listenlog.* property is refused: Spring Boot's failure report with the property's name and
 * what to do, no stack trace, and never the value of a secret, in the report or anywhere in the log.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureTest {

    @TempDir
    Path dir;

    private void start(String... properties) {
        List<String> args = new ArrayList<>(List.of("--spring.config.name=station", "--server.port=0",
                "--station.sqlite-file=" + dir.resolve("station.db"), "--listenlog.retention.enabled=false",
                "--spring.sql.init.mode=always", "--spring.sql.init.schema-locations=classpath:radio-schema.sql",
                "--spring.autoconfigure.exclude=org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration"));
        args.addAll(List.of(properties));
        assertThatThrownBy(() -> new SpringApplicationBuilder(StationApplication.class).run(args.toArray(String[]::new))
                .close()).isNotNull();
    }

    @Test
    void aWeakAnonymizationKeyIsNamedAndNeverEchoed(CapturedOutput output) {
        start("--listenlog.anonymizer.key=change-me-change-me-2024-xyz");
        assertThat(output).contains("APPLICATION FAILED TO START").contains("Invalid listenlog.anonymizer.key")
                .contains("openssl rand -hex 32").doesNotContain("change-me-change-me-2024-xyz")
                .doesNotContain("\tat ");
    }

    @Test
    void aWeakTokenKeyIsNamedAndNeverEchoed(CapturedOutput output) {
        start("--listenlog.anonymizer.key=9f86d081884c7d659a2feaa0c55ad015",
                "--listenlog.filter.token-key=$(openssl rand -hex 32)");
        assertThat(output).contains("APPLICATION FAILED TO START").contains("Invalid listenlog.filter.token-key")
                .doesNotContain("$(openssl rand -hex 32)").doesNotContain("\tat ");
    }

    @Test
    void aBatchLargerThanTheQueueIsReportedAsAnInvalidPropertyNotAStackTrace(CapturedOutput output) {
        start("--listenlog.anonymizer.key=9f86d081884c7d659a2feaa0c55ad015", "--listenlog.batch-size=20000");
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("listenlog.batch-size 20000 exceeds listenlog.queue-capacity 16384").doesNotContain("\tat ");
    }

    @Test
    void aValueTheLibraryRefusesIsShownWithItsPropertyUnlessSecret(CapturedOutput output) {
        start("--listenlog.anonymizer.key=9f86d081884c7d659a2feaa0c55ad015", "--listenlog.filter.path-prefix=listen");
        assertThat(output).contains("Invalid listenlog.filter.path-prefix 'listen'").doesNotContain("\tat ");
    }
}
