package io.listenlog.redis;

import com.zaxxer.hikari.HikariDataSource;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.listenlog.core.IpAnonymizer;
import io.listenlog.core.ListenLogger;
import io.listenlog.core.OverflowPolicy;
import io.listenlog.jdbc.JdbcListenStore;
import io.listenlog.jdbc.ListenLogDataSources;
import io.listenlog.jdbc.ListenLogMigrations;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The parts every test here uses: the Redis of {@value #URL_VARIABLE} with keys unique to the test, and a SQLite
 * database with sources 1 to 3 behind a {@link JdbcListenStore}.
 */
final class RedisTarget implements AutoCloseable {

    static final String URL_VARIABLE = "LISTENLOG_TEST_REDIS_URL";
    static final IpAnonymizer ANONYMIZER = IpAnonymizer.hmacSha256("test-only-secret-0123456789abcdef");

    final String redisUrl;
    final String stream = "listen-log-test:" + UUID.randomUUID();
    final RedisClient client;
    final StatefulRedisConnection<String, String> connection;
    final Path dir;
    final HikariDataSource pool;
    final JdbcListenStore jdbcStore;

    RedisTarget() throws IOException, SQLException {
        this(requiredUrl());
    }

    RedisTarget(String redisUrl) throws IOException, SQLException {
        this.redisUrl = redisUrl;
        this.client = RedisClient.create(redisUrl);
        this.connection = client.connect();
        this.dir = Files.createTempDirectory("listenlog-redis");
        this.pool = ListenLogDataSources.sqlite(dir.resolve("listens.db"));
        try (Connection c = pool.getConnection(); Statement create = c.createStatement()) {
            create.execute("CREATE TABLE radio_source (id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL)");
        }
        ListenLogMigrations.migrate(pool);
        try (Connection c = pool.getConnection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO radio_source (id, name) VALUES (?, ?)")) {
            for (long id = 1; id <= 3; id++) {
                insert.setLong(1, id);
                insert.setString(2, "source " + id);
                insert.executeUpdate();
            }
        }
        this.jdbcStore = JdbcListenStore.create(pool);
    }

    static String requiredUrl() {
        String url = System.getenv(URL_VARIABLE);
        Assumptions.assumeTrue(url != null && !url.isBlank(), URL_VARIABLE + " is not set: run .ci/run, or set it to"
                + " a Redis URI such as redis://127.0.0.1:6379, to run the Redis Streams suites");
        return url;
    }

    RedisCommands<String, String> redis() {
        return connection.sync();
    }

    RedisStreamListenStore.Builder publisher() {
        return RedisStreamListenStore.builder(redisUrl).stream(stream);
    }

    ListenStreamConsumer.Builder consumer(io.listenlog.core.ListenStore store) {
        return ListenStreamConsumer.builder(redisUrl, store).stream(stream).block(Duration.ofMillis(200));
    }

    ListenLogger logger(io.listenlog.core.ListenStore store) {
        return ListenLogger.builder().store(store).anonymizer(ANONYMIZER).overflowPolicy(OverflowPolicy.BLOCK)
                .blockTimeout(Duration.ofSeconds(30)).retryBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .closeOnShutdown(false).build();
    }

    /** Stored events per source. */
    Map<Long, Long> storedPlays() throws SQLException {
        return perSource("SELECT source_id, COUNT(*) FROM listen_event GROUP BY source_id");
    }

    /** What {@code radio_source.listen_count} says per source, for sources with plays. */
    Map<Long, Long> countedPlays() throws SQLException {
        return perSource("SELECT id, listen_count FROM radio_source WHERE listen_count > 0");
    }

    long storedCount() throws SQLException {
        return storedPlays().values().stream().mapToLong(Long::longValue).sum();
    }

    Set<UUID> storedIds() throws SQLException {
        Set<UUID> ids = new HashSet<>();
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT listen_id FROM listen_event")) {
            while (rows.next()) {
                ids.add(readUuid(rows));
            }
        }
        return ids;
    }

    Integer durationOf(UUID listenId) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT listen_id, duration_seconds FROM listen_event")) {
            while (rows.next()) {
                if (readUuid(rows).equals(listenId)) {
                    int seconds = rows.getInt(2);
                    return rows.wasNull() ? null : seconds;
                }
            }
        }
        throw new AssertionError("listen " + listenId + " is not stored");
    }

    private static UUID readUuid(ResultSet rows) throws SQLException {
        byte[] bytes = rows.getBytes(1);
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) {
            high = high << 8 | (bytes[i] & 0xff);
            low = low << 8 | (bytes[i + 8] & 0xff);
        }
        return new UUID(high, low);
    }

    private Map<Long, Long> perSource(String sql) throws SQLException {
        Map<Long, Long> counts = new TreeMap<>();
        try (Connection c = pool.getConnection(); Statement s = c.createStatement(); ResultSet rows = s.executeQuery(sql)) {
            while (rows.next()) {
                counts.put(rows.getLong(1), rows.getLong(2));
            }
        }
        return counts;
    }

    @Override
    public void close() throws IOException {
        redis().del(stream, stream + ":dead");
        connection.close();
        client.shutdown();
        pool.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
