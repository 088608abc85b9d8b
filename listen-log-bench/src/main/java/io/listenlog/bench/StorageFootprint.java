package io.listenlog.bench;

import io.listenlog.core.IpAnonymizer;
import io.listenlog.core.ListenLogger;
import io.listenlog.core.ListenRequest;
import io.listenlog.jdbc.JdbcListenStore;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;

/**
 * Bytes per stored listen on each database: {@code N} listens (default 200,000) logged through listen-log as a
 * station's players make them (a browser user agent, a referrer, a listening time, the client columns), then the size
 * of {@code listen_event} with its indexes as the database reports it. A size, not a speed: a plain program, not a
 * JMH benchmark. PostgreSQL and MariaDB are measured when {@code LISTENLOG_TEST_POSTGRES_URL} and
 * {@code LISTENLOG_TEST_MARIADB_URL} are set.
 *
 * <pre>java -cp listen-log-bench/target/benchmarks.jar io.listenlog.bench.StorageFootprint 200000</pre>
 */
public final class StorageFootprint {
    private static final String[] USER_AGENTS = {
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5"
                + " Mobile/15E148 Safari/604.1",
        "VLC/3.0.20 LibVLC/3.0.20", "Lavf/60.16.100"};
    private static final String[] REFERRERS = {"https://radio.example/player/jazz", "https://www.google.com/", null};

    private StorageFootprint() {
    }

    public static void main(String[] args) throws Exception {
        int listens = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        measure("SQLite", BenchDatabase.sqliteTuned(), listens,
                "SELECT SUM(pgsize) FROM dbstat WHERE name = 'listen_event' OR name IN"
                        + " (SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'listen_event')");
        if (System.getenv("LISTENLOG_TEST_POSTGRES_URL") != null) {
            measure("PostgreSQL", BenchDatabase.postgres(2), listens,
                    "SELECT pg_total_relation_size('listen_event')");
        } else {
            System.out.println("PostgreSQL: skipped, LISTENLOG_TEST_POSTGRES_URL is not set");
        }
        if (System.getenv("LISTENLOG_TEST_MARIADB_URL") != null) {
            measure("MariaDB", BenchDatabase.mariadb(2), listens, "SELECT data_length + index_length FROM"
                    + " information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'listen_event'");
        } else {
            System.out.println("MariaDB: skipped, LISTENLOG_TEST_MARIADB_URL is not set");
        }
    }

    private static void measure(String name, BenchDatabase db, int listens, String sizeSql) throws Exception {
        try (db) {
            try (ListenLogger logger = ListenLogger.builder().store(JdbcListenStore.create(db.dataSource()))
                    .anonymizer(IpAnonymizer.hmacSha256("footprint-secret-0123456789abcdef")).closeOnShutdown(false)
                    .build()) {
                Instant start = Instant.parse("2026-11-01T00:00:00Z");
                for (int i = 0; i < listens; i++) {
                    ListenRequest request = ListenRequest.builder(1 + i % BenchDatabase.SOURCES)
                            .clientIp("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255))
                            .userAgent(USER_AGENTS[i % USER_AGENTS.length]).referrer(REFERRERS[i % REFERRERS.length])
                            .durationSeconds(60 + i % 3_600).occurredAt(start.plusSeconds(i)).build();
                    while (!logger.log(request)) {
                        logger.flush(Duration.ofSeconds(30));  // a full queue: let the writer catch up, lose nothing
                    }
                }
                if (!logger.flush(Duration.ofMinutes(5))) {
                    throw new IllegalStateException(name + ": the listens were not written within 5 minutes");
                }
            }
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                if (name.equals("MariaDB")) {
                    s.execute("ANALYZE TABLE listen_event");
                } else if (name.equals("PostgreSQL")) {
                    s.execute("VACUUM ANALYZE listen_event");
                }
                long rows;
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM listen_event")) {
                    rs.next();
                    rows = rs.getLong(1);
                }
                try (ResultSet rs = s.executeQuery(sizeSql)) {
                    rs.next();
                    long bytes = rs.getLong(1);
                    System.out.printf("%s: %,d listens, %,d bytes with indexes, %.0f bytes per listen%n", name, rows,
                            bytes, (double) bytes / rows);
                }
            } catch (SQLException e) {
                throw new IllegalStateException(name + ": " + e.getMessage(), e);
            }
        }
    }
}
