package io.listenlog.spring.boot;

import io.listenlog.jdbc.ListenLogDataSources;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A host whose DataSource is listen-log's SQLite pool on a fresh file, so Spring Boot's own DataSource backs off. */
@TestConfiguration(proxyBeanMethods = false)
class SqliteDatabase {

    static Path newFile() {
        try {
            return Files.createTempDirectory("listen-log-starter").resolve("radio.db");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Bean(destroyMethod = "close")
    DataSource dataSource() {
        return ListenLogDataSources.sqlite(newFile());
    }
}
