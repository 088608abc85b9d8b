package io.listenlog.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.listenlog.core.IpAnonymizer;
import io.listenlog.core.ListenLogger;
import io.listenlog.core.ListenStore;
import io.listenlog.core.OverflowPolicy;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fixtures of the suites that run against every supported database: each test gets its own database, schema or
 * file (see {@link IsolatedDatabase}), dropped afterwards with every pool, logger and executor the test opened.
 */
abstract class DatabaseTest {

    /** The host's own migrations: V1 creates radio_source with the sources 1, 2 and 3. */
    static final String HOST_LOCATION = "classpath:db/host";
    static final IpAnonymizer ANONYMIZER = IpAnonymizer.hmacSha256("test-only-secret-0123456789abcdef");
    static final Duration WAIT = Duration.ofSeconds(60);

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private IsolatedDatabase db;
    private HikariDataSource dataSource;

    abstract IsolatedDatabase createDatabase() throws Exception;

    @BeforeEach
    void openDatabase() throws Exception {
        db = createDatabase();
        dataSource = pool();
    }

    @AfterEach
    void dropDatabase() throws Exception {
        try {
            while (!resources.isEmpty()) {
                resources.pop().close();
            }
        } finally {
            db.close();
        }
    }

    IsolatedDatabase db() {
        return db;
    }

    HikariDataSource dataSource() {
        return dataSource;
    }

    /** Another pool onto this test's database, closed after the test. */
    HikariDataSource pool() {
        return closeAfterTest(db.newPool());
    }

    /** Closes {@code resource} after the test, before the database is dropped, in reverse order of registration. */
    <T extends AutoCloseable> T closeAfterTest(T resource) {
        resources.push(resource);
        return resource;
    }

    ListenLogger logger(ListenStore store) {
        return logger(store, ANONYMIZER);
    }

    ListenLogger logger(ListenStore store, IpAnonymizer anonymizer) {
        return closeAfterTest(ListenLogger.builder()
                .store(store)
                .anonymizer(anonymizer)
                .batchSize(32)
                .maxBatchDelay(Duration.ofMillis(5))
                .overflowPolicy(OverflowPolicy.BLOCK)
                .retryBackoff(Duration.ofMillis(10), Duration.ofMillis(100))
                .build());
    }

    Flyway hostFlyway() {
        return Flyway.configure().dataSource(dataSource).locations(HOST_LOCATION).load();
    }

    /** The host's schema with listen-log migrated the library's way. */
    void migrated() {
        hostFlyway().migrate();
        ListenLogMigrations.migrate(dataSource);
    }

    /** Applied migrations as "version STATE", in order. */
    static List<String> applied(Flyway flyway) {
        return Arrays.stream(flyway.info().applied())
                .map(m -> m.getVersion().getVersion() + " " + m.getState())
                .toList();
    }

    static Map<Long, Long> counts(long source1, long source2, long source3) {
        Map<Long, Long> counts = new TreeMap<>();
        counts.put(1L, source1);
        counts.put(2L, source2);
        counts.put(3L, source3);
        return counts;
    }

    /** {@code radio_source.listen_count} by id. */
    Map<Long, Long> listenCounts() {
        return longs("SELECT id, listen_count FROM radio_source");
    }

    /** The first two columns of {@code sql}'s rows as longs. */
    Map<Long, Long> longs(String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            Map<Long, Long> result = new TreeMap<>();
            while (rs.next()) {
                result.put(rs.getLong(1), rs.getLong(2));
            }
            return result;
        } catch (SQLException e) {
            throw new AssertionError(sql + " failed", e);
        }
    }

    /** Each row of {@code sql} as its columns' text joined by spaces. */
    List<String> strings(String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            List<String> result = new ArrayList<>();
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(i > 1 ? " " : "").append(rs.getString(i));
                }
                result.add(row.toString());
            }
            return result;
        } catch (SQLException e) {
            throw new AssertionError(sql + " failed", e);
        }
    }

    boolean tableExists(String table) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeQuery("SELECT COUNT(*) FROM " + table).close();
            return true;
        } catch (SQLException e) {
            return false;
        }
    }
}
