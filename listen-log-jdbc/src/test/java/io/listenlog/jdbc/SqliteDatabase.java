package io.listenlog.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;

/** A SQLite file in a fresh temporary directory, opened through {@link ListenLogDataSources#sqlite}. */
final class SqliteDatabase extends IsolatedDatabase {

    private final Path dir;
    private final Path file;

    SqliteDatabase() throws IOException {
        this.dir = Files.createTempDirectory("listenlog-sqlite");
        this.file = dir.resolve("listens.db");
    }

    @Override
    HikariDataSource newPool() {
        return ListenLogDataSources.sqlite(file);
    }

    @Override
    Instant readOccurredAt(ResultSet row, String column) throws SQLException {
        return Instant.parse(row.getString(column));
    }

    @Override
    int killServerConnections() {
        Assumptions.abort("SQLite is embedded: there is no server connection to kill");
        return 0;
    }

    @Override
    public void close() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
